/**
 * Builds the chat page for the example's code package: `FunctionCode({ extraFiles: buildChatPageFiles() })`.
 *
 * - `chat-page.js`: chat-page.ts bundled for the browser by esbuild (iife, minified, no source map, no legal
 *   comments) with `@azure/web-pubsub-client`'s browser build.
 * - `index.html`: the page with that bundle inlined in place of its `<script src="chat-page.js">` tag, so the HTTP
 *   function behind `/api/index` only has to return this one file. `chat-page.js` is shipped too, for an app that
 *   prefers to serve the script on its own route (then serve static/index.html's original tag unchanged).
 *
 * Deterministic: the same sources and dependency versions give the same bytes (and the same paths), so the code
 * package hash only changes when the page does.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { writeFileAtomic } from '../../../lib/code/private/reproducible-zip';
import { defaultStagingDirectory, prepareStagingDirectory } from '../../../lib/code/private/staging-directory';

/** Zip path of the page and of its script in the code package. */
export const CHAT_PAGE_HTML = 'index.html';
export const CHAT_PAGE_SCRIPT = 'chat-page.js';

const SCRIPT_TAG = `<script src="${CHAT_PAGE_SCRIPT}"></script>`;

/** The bundled page, in memory. */
export interface ChatPageBundle {
  readonly html: string;
  readonly script: string;
}

/** Bundles the page (no files written). */
export function bundleChatPage(): ChatPageBundle {
  const result = buildSync({
    entryPoints: [path.join(__dirname, 'chat-page.ts')],
    absWorkingDir: __dirname,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: ['es2020'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const script = result.outputFiles[0].text;
  const source = fs.readFileSync(path.join(__dirname, CHAT_PAGE_HTML), 'utf8');
  if (!source.includes(SCRIPT_TAG)) throw new Error(`static/${CHAT_PAGE_HTML} must contain ${SCRIPT_TAG} (replaced by the bundle)`);
  // Inside an inline <script>, "</script" would end the element early; "<\/script" means the same in JS strings.
  const inline = script.replace(/<\/script/gi, '<\\/script');
  if (/<!--/.test(inline)) throw new Error('the chat page bundle contains "<!--", which cannot be inlined safely');
  // A function replacement: `$&`, `$'` and friends in the minified code must not be interpreted.
  const html = source.replace(SCRIPT_TAG, () => `<script>${inline}</script>`);
  return { html, script };
}

/**
 * Writes the page files and returns them as zip path → absolute file path. They go into the project's private
 * staging directory (the one `FunctionCode` stages packages in, refused when others could write to it), never into
 * the shared OS temp folder, where another local user could plant a page that the next synth would deploy.
 *
 * @param outDir where to write them. @default - `chat-page/<content hash>` under the project's staging directory
 */
export function buildChatPageFiles(outDir?: string): Record<string, string> {
  const { html, script } = bundleChatPage();
  const hash = createHash('sha256').update(html).update('\0').update(script).digest('hex').slice(0, 16);
  let dir: string;
  if (outDir !== undefined) {
    dir = path.resolve(outDir);
    fs.mkdirSync(dir, { recursive: true });
  } else {
    const staging = defaultStagingDirectory(__dirname);
    prepareStagingDirectory(staging);
    dir = path.join(staging, 'chat-page', hash);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  const files: Record<string, string> = {
    [CHAT_PAGE_HTML]: path.join(dir, CHAT_PAGE_HTML),
    [CHAT_PAGE_SCRIPT]: path.join(dir, CHAT_PAGE_SCRIPT),
  };
  // Temp file + rename: a link planted at the target is replaced, never written through.
  writeFileAtomic(files[CHAT_PAGE_HTML], Buffer.from(html));
  writeFileAtomic(files[CHAT_PAGE_SCRIPT], Buffer.from(script));
  return files;
}
