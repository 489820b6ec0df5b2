// The chat topology with private networking: `npm run synth:private` writes cdktf.out/stacks/chat-private/cdk.tf.json
// offline. The Web PubSub service sits behind a private endpoint; its public network only accepts client connections
// (browsers connect from the internet); the Flex Consumption app is integrated with the network, so its REST API calls
// to the service (client tokens for negotiate, every output binding) go through the private endpoint. What stays
// public and why: README "Private networking".
import * as path from 'node:path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { App, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { AzapiProvider } from '../../lib/azapi/azapi-provider';
import { FunctionCode } from '../../lib/code/function-code';
import { ServerlessWebPubSub } from '../../lib/patterns/serverless-web-pubsub';
import { chatFunctionCodeProps } from './chat-function-code';
import { type ChatStackOptions, chatStackOptionsFromEnv } from './main';

export class PrivateChatStack extends TerraformStack {
  public readonly topology: ServerlessWebPubSub;
  public readonly code: FunctionCode;

  public constructor(scope: App, id: string, options: ChatStackOptions) {
    super(scope, id);
    new AzurermProvider(this, 'azurerm', { features: [{ resourceGroup: [{ preventDeletionIfContainsResources: false }] }], storageUseAzuread: true });
    new RandomProvider(this, 'random');
    new AzapiProvider(this, 'azapi');
    new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });

    this.code = new FunctionCode(this, 'ChatCode', chatFunctionCodeProps('functions/index.ts'));
    this.topology = new ServerlessWebPubSub(this, 'Chat', {
      resourceGroupProps: { location: options.location, name: options.resourceGroupName },
      hubs: [{ name: 'chat' }],
      functionAppProps: { code: this.code, nodeVersion: '22' },
      // A new network 10.0.0.0/16 with a private endpoint subnet (10.0.1.0/28) and the app's subnet (10.0.2.0/26,
      // delegated to Microsoft.App/environments), and the zone privatelink.webpubsub.azure.com linked to it. To bring
      // your own: `virtualNetwork: VirtualNetwork.fromVirtualNetworkAttributes(...)`, `appSubnet` /
      // `privateEndpointSubnet: Subnet.fromSubnetAttributes(...)`, `webPubSubPrivateDnsZone:
      // PrivateDnsZone.fromPrivateDnsZoneAttributes(...)`.
      network: {},
      tags: { example: 'cdktf-azure-webpubsub-chat-private' },
    });
    new TerraformOutput(this, 'chat_page_url', { value: `https://${this.topology.functionApp.defaultHostname}/api/index` });
  }
}

if (require.main === module) {
  const app = new App();
  const stack = new PrivateChatStack(app, 'chat-private', chatStackOptionsFromEnv());
  app.synth();
  console.log(`synthesized ${path.relative(process.cwd(), path.join(app.outdir, 'stacks', stack.node.id))}`);
}
