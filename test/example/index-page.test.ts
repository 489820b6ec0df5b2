import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HttpRequest, HttpResponse } from '@azure/functions';
import { CHAT_PAGE_FILES, createIndexHandler } from '../../examples/chat/functions/handlers/index-page';
import { invocation } from './helpers';

// The package root as deployed: dist/index.js (the bundle) plus the page files at the zip root.
let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-index-'));
  fs.mkdirSync(path.join(root, 'dist'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>chat</title><script src="index/chat-page.js"></script>');
  fs.writeFileSync(path.join(root, 'chat-page.js'), 'console.log("chat");\n');
  fs.writeFileSync(path.join(root, 'host.json'), '{"version":"2.0"}');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function get(url: string, params: Record<string, string> = {}): HttpRequest {
  const query = Object.fromEntries(new URL(url).searchParams);
  return new HttpRequest({ method: 'GET', url, params, query });
}

describe('index (serves the chat page)', () => {
  test('GET /api/index serves index.html as text/html', async () => {
    const handler = createIndexHandler({ rootDir: root });
    const response = new HttpResponse(await handler(get('https://app.example/api/index'), invocation('index').context));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('<title>chat</title>');
  });

  test.each([
    ['route parameter', 'https://app.example/api/index/chat-page.js', { file: 'chat-page.js' }],
    ['?file= query', 'https://app.example/api/index?file=chat-page.js', {}],
  ])('serves chat-page.js as JavaScript via the %s', async (_how, url, params) => {
    const response = new HttpResponse(await createIndexHandler({ rootDir: root })(get(url, params), invocation('index').context));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('console.log("chat");\n');
  });

  test.each(['host.json', '../host.json', 'dist/index.js', '__proto__', 'toString'])('refuses %s (not on the whitelist)', async (file) => {
    const response = new HttpResponse(
      await createIndexHandler({ rootDir: root })(get('https://app.example/api/index', { file }), invocation('index').context),
    );
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('version');
  });

  test('a whitelisted file that was not packaged is a 404 with the cause logged', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-index-empty-'));
    try {
      const { context, logs } = invocation('index');
      const response = await createIndexHandler({ rootDir: empty })(get('https://app.example/api/index'), context);
      expect(response.status).toBe(404);
      expect(logs).toEqual([{ level: 'error', message: expect.stringContaining('index.html') }]);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  test('the whitelist is exactly the two page files', () => {
    expect(Object.keys(CHAT_PAGE_FILES).sort()).toEqual(['chat-page.js', 'index.html']);
  });
});
