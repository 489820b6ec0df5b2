// The example chat topology: `npm run synth` (or `cdktf synth`) writes cdktf.out/stacks/chat/cdk.tf.json offline.
import * as path from 'node:path';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { App, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { AzapiProvider } from '../../lib/azapi/azapi-provider';
import { writeDeploymentManifest } from '../../lib/deployment-manifest';
import { FunctionCode } from '../../lib/packaging/function-code';
import { ServerlessWebPubSub } from '../../lib/serverless-web-pubsub';
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
}

export class ChatStack extends TerraformStack {
  public readonly topology: ServerlessWebPubSub;
  public readonly code: FunctionCode;

  public constructor(scope: App, id: string, options: ChatStackOptions) {
    super(scope, id);
    // Providers are the application's choice. Shared keys are off on storage, so azurerm must use Entra ID for blobs.
    new AzurermProvider(this, 'azurerm', { features: [{}], storageUseAzuread: true });
    new RandomProvider(this, 'random');
    new AzapiProvider(this, 'azapi');
    // A state path relative to the stack directory (cdktf's default is an absolute path of this machine). For teams
    // and CI, use a remote backend instead (docs/deploying.md).
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });

    this.code = new FunctionCode(this, 'ChatCode', chatFunctionCodeProps());
    this.topology = new ServerlessWebPubSub(this, 'Chat', {
      resourceGroupProps: { location: options.location, name: options.resourceGroupName },
      hubs: [{ name: 'chat' }], // routing comes from the triggers in functions/
      functionAppProps: { code: this.code, nodeVersion: '22' },
      tags: { example: 'cdktf-azure-webpubsub-chat' },
    });

    const fn = this.topology.functionApp;
    const client = new DataAzurermClientConfig(this, 'Client');
    const outputs: Record<string, string> = {
      subscription_id: client.subscriptionId,
      resource_group_name: this.topology.resourceGroupName,
      web_pubsub_name: this.topology.service.serviceName,
      web_pubsub_hostname: this.topology.serviceHostname,
      function_app_name: fn.appName,
      function_app_hostname: fn.defaultHostname,
      function_app_principal_id: fn.principalId,
      negotiate_url: `https://${fn.defaultHostname}/api/negotiate`,
      chat_page_url: `https://${fn.defaultHostname}/api/index`,
    };
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(this, name, { value });
  }
}

if (require.main === module) {
  // CDKTF_OUTDIR (read by App) and CHAT_RESOURCE_GROUP let `npm run e2e` synthesize a separate copy in its own group.
  const app = new App();
  const stack = new ChatStack(app, 'chat', {
    location: process.env.AZURE_LOCATION ?? 'westeurope',
    resourceGroupName: process.env.CHAT_RESOURCE_GROUP || undefined,
  });
  app.synth();
  const manifest = writeDeploymentManifest(stack);
  console.log(`synthesized ${path.relative(process.cwd(), path.join(app.outdir, 'stacks', stack.node.id, 'cdk.tf.json'))} and ${path.relative(process.cwd(), manifest)}`);
}
