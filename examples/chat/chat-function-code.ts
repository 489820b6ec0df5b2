import type { FunctionCodeProps } from '../../lib/code/function-code';
import { buildChatPageFiles } from './static/chat-page-files';

/**
 * How the chat example packages its function code (shared by the stacks and the benchmarks): `functions/index.ts`
 * serves the hub through `registerWebPubSubHandlers` (every plan); `functions-triggers/index.ts` registers the same
 * handlers as `webPubSubTrigger` functions (Premium and Dedicated only).
 */
export function chatFunctionCodeProps(entryPoint: 'functions/index.ts' | 'functions-triggers/index.ts' = 'functions/index.ts'): FunctionCodeProps {
  return {
    projectDir: __dirname,
    entryPoints: [entryPoint],
    extraFiles: buildChatPageFiles(),
    nodeVersion: '22',
  };
}
