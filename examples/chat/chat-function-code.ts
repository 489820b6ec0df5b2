import type { FunctionCodeProps } from '../../lib/packaging/function-code';
import { buildChatPageFiles } from './static/chat-page-files';

/** How the chat example packages its function code (shared by the stack and the benchmarks). */
export function chatFunctionCodeProps(): FunctionCodeProps {
  return {
    projectDir: __dirname,
    entryPoints: ['functions/index.ts'],
    extraFiles: buildChatPageFiles(),
    nodeVersion: '22',
  };
}
