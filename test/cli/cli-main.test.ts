import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const BIN = path.resolve(__dirname, '../../bin/cdktf-azure-webpubsub.js');

// The real CLI entry (bin -> commander -> local-settings), as a user runs it, in a temp working directory.
describe('cdktf-azure-webpubsub CLI wiring', () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-wps-cli-'));
  afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

  test('local-settings takes --web-pubsub-hostname instead of an outputs file', () => {
    const manifestDir = path.join(cwd, 'cdktf.out', 'stacks', 'chat');
    fs.mkdirSync(manifestDir, { recursive: true });
    fs.mkdirSync(path.join(cwd, 'app'));
    fs.writeFileSync(
      path.join(manifestDir, 'webpubsub-manifest.json'),
      JSON.stringify({ version: 1, stack: 'chat', services: [], functionApps: [{ path: 'chat/Chat/FunctionApp', connectionPrefixes: ['ChatPubSub'], defaultHubName: 'chat' }] }),
    );
    const run = spawnSync(process.execPath, [BIN, 'local-settings', '--project', 'app', '--web-pubsub-hostname', 'wps-1.webpubsub.azure.com'], { cwd, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const written = JSON.parse(fs.readFileSync(path.join(cwd, 'app', 'local.settings.json'), 'utf8'));
    expect(written.Values).toMatchObject({ 'ChatPubSub:serviceUri': 'https://wps-1.webpubsub.azure.com', WebPubSubHub: 'chat' });
  });

  test('an unknown command fails with usage help and a non-zero exit', () => {
    const run = spawnSync(process.execPath, [BIN, 'deploy-everything'], { cwd, encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/unknown command 'deploy-everything'/);
  });
});
