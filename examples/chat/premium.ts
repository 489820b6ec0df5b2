// The chat topology on Elastic Premium with the trigger style (`webPubSubTrigger` functions behind the Web PubSub
// extension webhook): `npm run synth:premium` writes cdktf.out/stacks/chat-premium/cdk.tf.json offline. The default
// example (main.ts) runs on Flex Consumption, where the handlers are one HTTP function instead (README "Which handler
// style on which plan").
import * as path from 'node:path';
import { App } from 'cdktf';
import { ChatStack, chatStackOptionsFromEnv } from './main';

const app = new App();
const stack = new ChatStack(app, 'chat-premium', { ...chatStackOptionsFromEnv(), variant: 'premium' });
app.synth();
console.log(`synthesized ${path.relative(process.cwd(), path.join(app.outdir, 'stacks', stack.node.id))}`);
