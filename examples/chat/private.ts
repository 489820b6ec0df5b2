// The chat topology with private networking: `npm run synth:private` writes cdktf.out/stacks/chat-private/cdk.tf.json
// offline. The Web PubSub service sits behind a private endpoint; its public network only accepts client connections
// (browsers connect from the internet); the Flex Consumption app is integrated with the network, so its REST API calls
// to the service (client tokens for negotiate, every output binding) go through the private endpoint. What stays
// public and why: README "Private networking".
import * as path from 'node:path';
import { App } from 'cdktf';
import { ChatStack, chatStackOptionsFromEnv } from './main';

const app = new App();
const stack = new ChatStack(app, 'chat-private', { ...chatStackOptionsFromEnv(), variant: 'private' });
app.synth();
console.log(`synthesized ${path.relative(process.cwd(), path.join(app.outdir, 'stacks', stack.node.id))}`);
