// The example chat topology: `npm run synth` (or `cdktf synth`) writes cdktf.out/stacks/chat/cdk.tf.json offline.
import * as path from 'node:path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { App, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { AzapiProvider } from '../../lib/azapi/azapi-provider';
import { FunctionCode } from '../../lib/code/function-code';
import { FunctionAppHosting } from '../../lib/functions/function-app-hosting';
import { ServerlessWebPubSub } from '../../lib/patterns/serverless-web-pubsub';
import { chatFunctionCodeProps } from './chat-function-code';

/** Inputs a deployment varies; everything else is fixed so the output is deterministic. */
export interface ChatStackOptions {
  /** Azure region. */
  readonly location: string;
  /**
   * Name of the resource group the topology creates (the live end-to-end check, `npm run e2e`, names its own).
   * Every other default name ends with a per-deployment random suffix, so another deployment never collides.
   * @default - derived from the construct path plus that suffix
   */
  readonly resourceGroupName?: string;
  /**
   * `flex`: Flex Consumption, the hub's handlers served by one HTTP function (`functions/chat-hub.ts`);
   * `premium`: Elastic Premium EP1, the same handlers as `webPubSubTrigger` functions (`functions-triggers/`);
   * `private`: `flex` with private networking (README "Private networking"): the service behind a private endpoint
   * whose public network accepts client connections only, the app integrated with a new network.
   * @default 'flex'
   */
  readonly variant?: 'flex' | 'premium' | 'private';
}

export class ChatStack extends TerraformStack {
  public readonly topology: ServerlessWebPubSub;
  public readonly code: FunctionCode;

  public constructor(scope: App, id: string, options: ChatStackOptions) {
    super(scope, id);
    // Providers are the application's choice. Shared keys are off on storage, so azurerm must use Entra ID for blobs.
    // The group this stack creates may be deleted although Application Insights adds a smart-detection alert rule to it
    // that Terraform does not manage (hashicorp/terraform-provider-azurerm#18026): `destroy` (and `npm run e2e`) works.
    new AzurermProvider(this, 'azurerm', { features: [{ resourceGroup: [{ preventDeletionIfContainsResources: false }] }], storageUseAzuread: true });
    new RandomProvider(this, 'random');
    new AzapiProvider(this, 'azapi');
    // The state at the project root, written relative to the stack directory (cdktf.out/stacks/<id>), so cdk.tf.json
    // holds no path of this machine (cdktf's default is absolute) and deleting cdktf.out never deletes the state.
    // For teams and CI, use a remote backend instead (docs/deploying.md).
    new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });

    const premium = options.variant === 'premium';
    this.code = new FunctionCode(this, 'ChatCode', chatFunctionCodeProps(premium ? 'functions-triggers/index.ts' : 'functions/index.ts'));
    this.topology = new ServerlessWebPubSub(this, 'Chat', {
      resourceGroupProps: { location: options.location, name: options.resourceGroupName },
      hubs: [{ name: 'chat' }], // routing comes from the handlers the code registers for hub chat
      functionAppProps: { code: this.code, nodeVersion: '22', ...(premium ? { hosting: FunctionAppHosting.elasticPremium('EP1') } : {}) },
      // A new network 10.0.0.0/16 with a private endpoint subnet (10.0.1.0/28), the app's subnet (10.0.2.0/26, delegated
      // to Microsoft.App/environments) and the zone privatelink.webpubsub.azure.com linked to it. To bring your own:
      // `virtualNetwork`, `appSubnet`, `privateEndpointSubnet`, `webPubSubPrivateDnsZone` (their `from…Attributes`).
      ...(options.variant === 'private' ? { network: {} } : {}),
      tags: { example: 'cdktf-azure-webpubsub-chat' },
    });

    // The constructs declare the outputs `cdktf-azure-webpubsub verify` / `local-settings` read (and synth writes the
    // manifest saying which is which); this one is for people: the chat page.
    new TerraformOutput(this, 'chat_page_url', { value: `https://${this.topology.functionApp.defaultHostname}/api/index` });
  }
}

/**
 * The stack's inputs from the environment: AZURE_LOCATION, and CHAT_RESOURCE_GROUP (set by `npm run e2e`). An empty
 * variable counts as unset (`AZURE_LOCATION=` in a shell or a CI matrix must not synthesize an empty region).
 */
export function chatStackOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ChatStackOptions {
  return {
    location: env.AZURE_LOCATION?.trim() || 'westeurope',
    resourceGroupName: env.CHAT_RESOURCE_GROUP?.trim() || undefined,
  };
}

if (require.main === module) {
  // CDKTF_OUTDIR (read by App) and CHAT_RESOURCE_GROUP let `npm run e2e` synthesize a separate copy in its own group.
  const app = new App();
  const stack = new ChatStack(app, 'chat', chatStackOptionsFromEnv());
  app.synth();
  console.log(`synthesized ${path.relative(process.cwd(), path.join(app.outdir, 'stacks', stack.node.id))}`);
}
