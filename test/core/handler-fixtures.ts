/**
 * Function code for the synth tests, in both Web PubSub handler styles:
 * - HTTP (`registerWebPubSubHandlers`, served on every plan, Flex Consumption included): the fixture
 *   `test/core/fixtures/http-chat-app` (the packaging chat-app fixture with its handlers behind one HTTP function), and
 *   temp projects that import the runtime entry by its absolute path ({@link RUNTIME_IMPORT});
 * - triggers (`webPubSubTrigger`, served on Premium and Dedicated): `test/code/fixtures/chat-app`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FunctionCode } from '../../lib/code/function-code';
import { makeProject, REPO_ROOT } from '../code/helpers';
import type { Construct } from 'constructs';

/** The HTTP-style chat fixture: hub `chat`, connect + user `message`, connection prefix `WebPubSubConnection`. */
export const HTTP_CHAT_APP = path.join(__dirname, 'fixtures', 'http-chat-app');
export const HTTP_CHAT_ENTRIES = ['src/functions/negotiate.ts', 'src/functions/chat.ts'];
export const HTTP_CHAT_EXTRA = { 'index.html': 'public/index.html' };

/** The runtime entry as a module specifier a temp project can import (`import { ... } from ${RUNTIME_IMPORT}`). */
export const RUNTIME_IMPORT = JSON.stringify(path.join(REPO_ROOT, 'lib', 'runtime'));

/** A temp copy of the HTTP chat fixture (its runtime import made absolute), e.g. to edit a file. */
export function copyHttpChatApp(): string {
  const dir = makeProject({});
  fs.cpSync(HTTP_CHAT_APP, dir, { recursive: true });
  const chat = path.join(dir, 'src', 'functions', 'chat.ts');
  fs.writeFileSync(chat, fs.readFileSync(chat, 'utf8').replace("'../../../../../../lib/runtime'", RUNTIME_IMPORT));
  return dir;
}

/** Source of `registerWebPubSubHandlers` for `hub` with the given system events and user events (handlers that do nothing). */
export function httpHandlersSource(hub: string, systemEvents: Array<'connect' | 'connected' | 'disconnected'>, userEvents: string[] = [], extra = ''): string {
  const system = systemEvents.map((e) => `  ${e}: () => undefined,`).join('\n');
  const user = userEvents.length > 0 ? `  userEvents: { ${userEvents.map((e) => `${JSON.stringify(e)}: () => undefined`).join(', ')} },` : '';
  return `registerWebPubSubHandlers({ app, input }, {\n  hub: ${JSON.stringify(hub)},${extra}\n${system}\n${user}\n});`;
}

/** A temp project whose `src/index.ts` imports `@azure/functions` and the runtime entry, then runs `body`. */
export function httpProject(...body: string[]): string {
  return makeProject({
    'src/index.ts': `import { app, input, output, trigger } from '@azure/functions';\nimport { registerWebPubSubHandlers } from ${RUNTIME_IMPORT};\nvoid output; void trigger;\n${body.join('\n')}\n`,
  });
}

/** Packaged code of a project made by {@link httpProject} (or any project with `src/index.ts`). */
export function codeOf(scope: Construct, projectDir: string, id = 'Code'): FunctionCode {
  return new FunctionCode(scope, id, { projectDir, entryPoints: ['src/index.ts'], quiet: true });
}
