/**
 * Which chat function app the benchmarks package: the example's (`examples/chat`, preferred) or, while the example's
 * function code or chat page is not there yet, the packaging test fixture. Used by the orchestrator (from the repo)
 * and by the compiled child programs (from a compiled mirror, `root`).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { FunctionCodeProps } from '../../lib/code/function-code';

export type ChatAppKind = 'example' | 'fixture';

/** Files that must exist (relative to a repo or mirror root) for the example to be benchmarked. */
const EXAMPLE_FILES = ['examples/chat/main', 'examples/chat/chat-function-code', 'examples/chat/functions/index.ts', 'examples/chat/static/chat-page-files'];

/** `example` when the example app is complete under `root` (sources: `.ts`; mirror: `.js`), else `fixture`. */
export function detectChatApp(root: string): ChatAppKind {
  const exists = (rel: string): boolean =>
    path.extname(rel) !== '' ? fs.existsSync(path.join(root, rel)) : ['.ts', '.js'].some((ext) => fs.existsSync(path.join(root, rel + ext)));
  return EXAMPLE_FILES.every(exists) ? 'example' : 'fixture';
}

/** The fixture's location inside a mirror (see compiled-programs.ts) or the repo. */
export function fixtureDir(root: string, inMirror: boolean): string {
  return inMirror ? path.join(root, 'fixture-chat-app') : path.join(root, 'test', 'code', 'fixtures', 'chat-app');
}

/** How a stack packages and wires the chat app. */
export interface ChatAppCode {
  readonly code: FunctionCodeProps;
  /** The setting prefix the app's bindings name in `connection`. */
  readonly connectionSettingPrefix?: string;
}

/** FunctionCode props of the chat app under `root`: for the example, exactly what `ChatStack` passes. */
export function chatAppCode(kind: ChatAppKind, root: string, inMirror: boolean): ChatAppCode {
  if (kind === 'example') {
    const example = require(path.join(root, 'examples', 'chat', 'chat-function-code')) as typeof import('../../examples/chat/chat-function-code');
    return { code: example.chatFunctionCodeProps() };
  }
  return {
    code: {
      projectDir: fixtureDir(root, inMirror),
      entryPoints: ['src/functions/negotiate.ts', 'src/functions/chat.ts'],
      extraFiles: { 'index.html': 'public/index.html' },
      nodeVersion: '22',
    },
    connectionSettingPrefix: 'WebPubSubConnection',
  };
}
