/**
 * Child program (run precompiled, `node synth-chat.js ...`): synthesizes the chat topology with the library and
 * exits. Prints one JSON line: `{ "cdkTfJson", "maxRssKb", "phasesMs" }`, where `phasesMs` splits the process's
 * life (performance.now() is measured from process start): `boot` (node start → this program runs), `imports`
 * (requiring cdktf, the providers, the library, the example), `construct` (building the stack, which includes
 * packaging the function code), `synth` (app.synth() writing cdk.tf.json); for the replica also `packaging` (the part
 * of `construct` spent building the chat page and the FunctionCode package).
 *
 *   --root <dir>        compiled mirror holding lib/ and examples/ (see bench/compiled-programs.ts)
 *   --outdir <dir>      cdktf outdir
 *   --stack chat|replica  `chat`: the example's ChatStack; `replica`: bench/programs/chat-topology.ts
 *   --app example|fixture function code of the replica
 *   --topologies <n>    topologies composed by the replica (default 1)
 */
import { performance } from 'perf_hooks';
const bootMs = performance.now();
import * as path from 'path';
import { parseArgs } from 'util';

const { values } = parseArgs({
  options: {
    root: { type: 'string' },
    outdir: { type: 'string' },
    stack: { type: 'string', default: 'chat' },
    app: { type: 'string', default: 'example' },
    topologies: { type: 'string', default: '1' },
  },
});
const root = path.resolve(values.root ?? path.join(__dirname, '..', '..'));
const outdir = path.resolve(values.outdir ?? 'cdktf.out');
const location = 'westeurope';

// Modules are required here, not imported at the top, so their loading is timed as its own phase.
const { App } = require('cdktf') as typeof import('cdktf');
type Stack = import('cdktf').TerraformStack;
let build: (app: import('cdktf').App) => Stack;
let packagingMs: number | undefined;
if (values.stack === 'chat') {
  const example = require(path.join(root, 'examples', 'chat', 'main')) as typeof import('../../examples/chat/main');
  build = (app) => new example.ChatStack(app, 'chat', { location });
} else {
  const { BenchChatStack } = require('./chat-topology') as typeof import('./chat-topology');
  const { chatAppCode } = require('./chat-app-code') as typeof import('./chat-app-code');
  build = (app) => {
    const started = performance.now();
    const chat = chatAppCode(values.app as import('./chat-app-code').ChatAppKind, root, true); // builds the chat page
    const pageMs = performance.now() - started;
    const replica = new BenchChatStack(app, 'chat', { location, app: chat, topologies: Number(values.topologies) });
    packagingMs = pageMs + replica.packagingMs;
    return replica;
  };
}
const importedMs = performance.now();
const app = new App({ outdir });
const stack = build(app);
const constructedMs = performance.now();
app.synth();
const synthesizedMs = performance.now();

process.stdout.write(
  JSON.stringify({
    cdkTfJson: path.join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'),
    maxRssKb: process.resourceUsage().maxRSS,
    phasesMs: {
      boot: bootMs,
      imports: importedMs - bootMs,
      construct: constructedMs - importedMs,
      synth: synthesizedMs - constructedMs,
      // replica only: the part of `construct` spent building the chat page and the code package
      packaging: packagingMs,
    },
  }) + '\n',
);
