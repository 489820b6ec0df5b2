/**
 * Child program (run precompiled): synthesizes the naive baseline topology and exits. Same arguments (`--root`,
 * `--outdir`, `--app`) and output line (`cdkTfJson`, `maxRssKb`, `phasesMs`) as bench/programs/synth-chat.ts.
 */
import { performance } from 'perf_hooks';
const bootMs = performance.now();
import * as path from 'path';
import { parseArgs } from 'util';

const { values } = parseArgs({
  options: { root: { type: 'string' }, outdir: { type: 'string' }, app: { type: 'string', default: 'example' } },
});
const root = path.resolve(values.root ?? path.join(__dirname, '..', '..'));
const outdir = path.resolve(values.outdir ?? 'cdktf.out');

// Required here so module loading (the provider barrel) is timed as its own phase.
const { App } = require('cdktf') as typeof import('cdktf');
const { chatAppCode } = require('../programs/chat-app-code') as typeof import('../programs/chat-app-code');
const { NaiveChatStack } = require('./naive-chat-stack') as typeof import('./naive-chat-stack');
const importedMs = performance.now();
const app = new App({ outdir });
const chat = chatAppCode(values.app as import('../programs/chat-app-code').ChatAppKind, root, true);
const stack = new NaiveChatStack(app, 'chat', { location: 'westeurope', code: chat.code, connectionSettingPrefix: chat.connectionSettingPrefix });
const constructedMs = performance.now();
app.synth();
const synthesizedMs = performance.now();

process.stdout.write(
  JSON.stringify({
    cdkTfJson: path.join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'),
    maxRssKb: process.resourceUsage().maxRSS,
    phasesMs: { boot: bootMs, imports: importedMs - bootMs, construct: constructedMs - importedMs, synth: synthesizedMs - constructedMs },
  }) + '\n',
);
