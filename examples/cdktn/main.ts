// The chat topology as a CDK Terrain (cdktn) user writes it: cdktn, @cdktn/provider-* and cdktn-azure-webpubsub; the
// rest is examples/chat/main.ts. In this repository `npm run synth:cdktn` runs it offline and writes
// cdktf.out/stacks/chat-cdktn (tsconfig.cdktn.json resolves cdktn-azure-webpubsub to lib/, built for cdktn); in a
// project of your own: `npx cdktn-cli synth` with "app": "npx tsx main.ts" in cdktf.json (the file keeps its name).
import { AzurermProvider } from '@cdktn/provider-azurerm/lib/provider';
import { RandomProvider } from '@cdktn/provider-random/lib/provider';
import { App, LocalBackend, TerraformOutput, TerraformStack } from 'cdktn';
import { AzapiProvider, FunctionCode, ServerlessWebPubSub } from 'cdktn-azure-webpubsub';
import { chatFunctionCodeProps } from '../chat/chat-function-code';

const app = new App();
const stack = new TerraformStack(app, 'chat-cdktn');
new AzurermProvider(stack, 'azurerm', { features: [{}], storageUseAzuread: true });
new RandomProvider(stack, 'random');
new AzapiProvider(stack, 'azapi');
new LocalBackend(stack, { path: 'terraform.chat-cdktn.tfstate' }); // relative; for teams use a remote backend

const code = new FunctionCode(stack, 'ChatCode', chatFunctionCodeProps()); // the chat example's functions/
const chat = new ServerlessWebPubSub(stack, 'Chat', {
  resourceGroupProps: { location: process.env.AZURE_LOCATION ?? 'westeurope' },
  hubs: [{ name: 'chat' }],
  functionAppProps: { code, nodeVersion: '22' },
});
new TerraformOutput(stack, 'chat_page_url', { value: `https://${chat.functionApp.defaultHostname}/api/index` });
app.synth();
console.log(`synthesized ${app.outdir}/stacks/${stack.node.id}/cdk.tf.json with cdktn`);
