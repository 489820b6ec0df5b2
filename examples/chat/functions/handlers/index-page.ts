import { promises as fs } from 'fs';
import * as path from 'path';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

/**
 * The chat page files the `index` function may serve, with their content types. Nothing else is readable through it.
 * The files are packaged at the zip root (`extraFiles` of `FunctionCode` in main.ts).
 */
export const CHAT_PAGE_FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'chat-page.js': 'text/javascript; charset=utf-8',
};

/** The file served when none is named. */
export const DEFAULT_FILE = 'index.html';

/** Options of {@link createIndexHandler}. */
export interface IndexHandlerOptions {
  /**
   * Directory holding the page files.
   * @default - the package root: the parent of the bundle's directory (the bundle is `dist/index.js`)
   */
  readonly rootDir?: string;
}

/**
 * Builds the `index` handler (GET /api/index, /api/index/{file}, /api/index?file=...): serves one of
 * {@link CHAT_PAGE_FILES} from `rootDir`, `404` for any other name or a file that was not packaged.
 */
export function createIndexHandler(
  options: IndexHandlerOptions = {},
): (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit> {
  const rootDir = options.rootDir ?? path.join(__dirname, '..');
  return async (request, context): Promise<HttpResponseInit> => {
    const name = request.params.file ?? request.query.get('file') ?? DEFAULT_FILE;
    const contentType = Object.prototype.hasOwnProperty.call(CHAT_PAGE_FILES, name) ? CHAT_PAGE_FILES[name] : undefined;
    if (contentType === undefined) {
      return { status: 404, body: `not found: ${name}`, headers: { 'content-type': 'text/plain; charset=utf-8' } };
    }
    let body: string;
    try {
      body = await fs.readFile(path.join(rootDir, name), 'utf8'); // both files are UTF-8 text
    } catch (err) {
      context.error(`index: cannot read ${name} from ${rootDir}: ${err instanceof Error ? err.message : String(err)}`);
      return { status: 404, body: `not packaged: ${name}`, headers: { 'content-type': 'text/plain; charset=utf-8' } };
    }
    return {
      status: 200,
      body,
      headers: { 'content-type': contentType, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' },
    };
  };
}

/** The handler the function app registers (files next to `dist/`, i.e. at the package root). */
export const indexHandler = createIndexHandler();
