/**
 * The example's chat page in a real headless browser (Debian `chromium`, driven by playwright-core) against the
 * LOCAL STAND-INS of test/cli/stand-ins/web-pubsub-stand-in.ts — a stand-in Function App (`/api/index`,
 * `/api/negotiate`) and a stand-in Web PubSub WebSocket endpoint that runs the example's `message` handler
 * behaviour. Nothing here talks to Azure.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, Browser, Page } from 'playwright-core';
import { buildChatPageFiles, bundleChatPage } from '../../examples/chat/static/chat-page-files';
import { DataPlaneStandIn, startDataPlaneStandIn } from '../cli/stand-ins/web-pubsub-stand-in';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) {
  // CI installs Debian chromium (.ci/run); on a machine without it this browser test cannot run.
  console.warn(`SKIPPED chat page browser test: ${CHROMIUM} is missing (apt-get install -y chromium)`);
}
const browserTest = hasChromium ? test : test.skip;

let outDir: string;
let files: Record<string, string>;

beforeAll(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-page-'));
  files = buildChatPageFiles(outDir);
});
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

describe('chat page files', () => {
  test('zip paths map to the built files; the page inlines its script', () => {
    expect(files).toEqual({ 'index.html': path.join(outDir, 'index.html'), 'chat-page.js': path.join(outDir, 'chat-page.js') });
    const html = fs.readFileSync(files['index.html'], 'utf8');
    expect(html).not.toContain('<script src=');
    expect(html).toContain(fs.readFileSync(files['chat-page.js'], 'utf8').slice(0, 200));
  });

  test('bundling is deterministic (same input, same bytes)', () => {
    const again = bundleChatPage();
    expect(again.script).toBe(fs.readFileSync(files['chat-page.js'], 'utf8'));
    expect(again.html).toBe(fs.readFileSync(files['index.html'], 'utf8'));
  });
});

describe('chat page in headless chromium against the stand-ins', () => {
  let standIn: DataPlaneStandIn;
  let browser: Browser | undefined;

  beforeAll(async () => {
    standIn = await startDataPlaneStandIn({ staticFiles: { index: { file: files['index.html'], contentType: 'text/html; charset=utf-8' } } });
  });
  afterAll(async () => {
    await browser?.close();
    await standIn?.close();
  });

  async function openAs(name: string): Promise<Page> {
    const context = await browser!.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${standIn.baseUrl}/api/index`);
    await page.fill('#name', name);
    await page.click('#connect');
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await page
      .locator('#status', { hasText: new RegExp(`^Connected as ${escaped}$`) })
      .waitFor({ timeout: 5000 })
      .catch(async (err: Error) => {
        throw new Error(`${name} did not connect: status "${await page.textContent('#status')}", page errors: ${errors.join('; ')} (${err.message})`);
      });
    return page;
  }

  browserTest('negotiates, connects, sends a message, shows the ack and the other user sees it', async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const alice = await openAs('alice');
    const bob = await openAs('bob');

    await bob.fill('#text', 'hello from bob');
    await bob.click('#send-button');

    // Bob's own line gets the handler's ack; Alice receives the broadcast.
    await bob.waitForSelector('li.mine .ack.acked', { timeout: 5000 });
    expect(await bob.textContent('li.mine')).toBe('bob (you): hello from bob ✓ delivered');
    await alice.waitForSelector('li.message', { timeout: 5000 });
    expect(await alice.textContent('li.message')).toBe('bob: hello from bob');
    // Bob's echo of his own broadcast is not shown twice.
    expect(await bob.locator('li.message').count()).toBe(1);

    // What reached the stand-in service: negotiate per user, and a json `message` event with { text, id }.
    expect(standIn.requests.filter((r) => r === 'GET /api/negotiate')).toHaveLength(2);
    expect(standIn.requests).not.toContain('GET /api/chat-page.js');
    expect(standIn.events).toEqual([{ userId: 'bob', event: 'message', data: { text: 'hello from bob', id: expect.stringMatching(/^bob-/) } }]);
  });
});
