import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WebPubSubManifest } from '../../lib/cli/deployment-inputs';
import { localSettingsValues, mergeLocalSettings, printableValue, writeLocalSettings } from '../../lib/cli/local-settings';

const manifest: WebPubSubManifest = {
  version: 1,
  stack: 'chat',
  services: [{ path: 'chat/Chat/Service', localAuthEnabled: false, hubs: [{ name: 'chat', eventHandlers: [] }] }],
  functionApps: [{ path: 'chat/Chat/FunctionApp', connectionPrefixes: ['WebPubSubConnectionString'], defaultHubName: 'chat' }],
};

let dir: string;
let lines: string[];

function setUp(m: WebPubSubManifest = manifest, outputs: unknown = { chat: { web_pubsub_hostname: 'chat-wps.webpubsub.azure.com' } }): void {
  // `null` outputs: no outputs file at all.
  const stackDir = path.join(dir, 'cdktf.out', 'stacks', 'chat');
  fs.mkdirSync(stackDir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'examples', 'chat'), { recursive: true });
  fs.writeFileSync(path.join(stackDir, 'webpubsub-manifest.json'), JSON.stringify(m));
  if (outputs !== null) fs.writeFileSync(path.join(dir, 'outputs.json'), JSON.stringify(outputs));
}

function settingsFile(): string {
  return path.join(dir, 'examples', 'chat', 'local.settings.json');
}

function readSettings(): { IsEncrypted: boolean; Values: Record<string, string>; [k: string]: unknown } {
  return JSON.parse(fs.readFileSync(settingsFile(), 'utf8'));
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-settings-'));
  lines = [];
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('localSettingsValues', () => {
  test('identity-based connection with `:` separators and no credential or clientId', () => {
    const values = localSettingsValues({
      webPubSubHostname: 'chat-wps.webpubsub.azure.com',
      connectionPrefixes: ['WebPubSubConnectionString', 'Other'],
      defaultHubName: 'chat',
    });
    expect(values).toEqual({
      FUNCTIONS_WORKER_RUNTIME: 'node',
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      'WebPubSubConnectionString:serviceUri': 'https://chat-wps.webpubsub.azure.com',
      'Other:serviceUri': 'https://chat-wps.webpubsub.azure.com',
      WebPubSubHub: 'chat',
    });
    expect(Object.keys(values).some((k) => /__|credential|clientId/i.test(k))).toBe(false);
  });

  test('no default hub: no WebPubSubHub; a host given as URL is normalised', () => {
    const values = localSettingsValues({ webPubSubHostname: 'https://x.webpubsub.azure.com/', connectionPrefixes: [], defaultHubName: null });
    expect(values['WebPubSubConnectionString:serviceUri']).toBe('https://x.webpubsub.azure.com');
    expect(values).not.toHaveProperty('WebPubSubHub');
  });
});

describe('mergeLocalSettings', () => {
  const generated = { A: '1', B: '2' };

  test('keeps user values and other keys, reports each conflict', () => {
    const result = mergeLocalSettings({ IsEncrypted: false, Values: { A: 'mine', C: 'other' }, Host: { CORS: '*' } }, generated, false);
    expect(result.settings).toEqual({ IsEncrypted: false, Values: { A: 'mine', C: 'other', B: '2' }, Host: { CORS: '*' } });
    expect(result.added).toEqual(['B']);
    expect(result.conflicts).toEqual([{ key: 'A', existing: 'mine', generated: '1' }]);
  });

  test('force replaces differing values (and still reports them)', () => {
    const result = mergeLocalSettings({ Values: { A: 'mine' } }, generated, true);
    expect(result.settings.Values).toEqual({ A: '1', B: '2' });
    expect(result.conflicts).toHaveLength(1);
  });

  test('warns about settings that would stop DefaultAzureCredential from using az login', () => {
    const result = mergeLocalSettings(
      { Values: { 'P:credential': 'managedidentity', P__clientId: 'x', P: 'Endpoint=https://x;AccessKey=k;' } },
      { 'P:serviceUri': 'https://x' },
      false,
    );
    expect(result.warnings).toHaveLength(3);
    expect(result.warnings[0]).toMatch(/^P:credential is set.*az login/);
    expect(result.warnings[2]).toMatch(/^P holds a connection string/);
  });

  test('refuses an encrypted file', () => {
    expect(() => mergeLocalSettings({ IsEncrypted: true, Values: {} }, generated, false)).toThrow(/func settings decrypt/);
  });

  test('values with keys are not printed', () => {
    expect(printableValue('DefaultEndpointsProtocol=https;AccountName=a;AccountKey=secret')).not.toContain('secret');
    expect(printableValue('https://x')).toBe('"https://x"');
  });
});

describe('writeLocalSettings (temp dirs)', () => {
  test('creates the file from the manifest and outputs', () => {
    setUp();
    const result = writeLocalSettings({ cwd: dir, log: (l) => lines.push(l) });
    expect(result.written).toBe(true);
    expect(readSettings()).toEqual({
      IsEncrypted: false,
      Values: {
        FUNCTIONS_WORKER_RUNTIME: 'node',
        AzureWebJobsStorage: 'UseDevelopmentStorage=true',
        'WebPubSubConnectionString:serviceUri': 'https://chat-wps.webpubsub.azure.com',
        WebPubSubHub: 'chat',
      },
    });
    expect(lines.at(-1)).toBe(`wrote ${path.join('examples', 'chat', 'local.settings.json')}`);
  });

  test('never overwrites a user value silently: one warning line per conflict; --force replaces', () => {
    setUp();
    fs.writeFileSync(
      settingsFile(),
      JSON.stringify({ IsEncrypted: false, Values: { AzureWebJobsStorage: 'UseDevelopmentStorage=false', WebPubSubHub: 'lobby', MY_SETTING: 'x' } }),
    );
    writeLocalSettings({ cwd: dir, log: (l) => lines.push(l) });
    expect(readSettings().Values).toMatchObject({ AzureWebJobsStorage: 'UseDevelopmentStorage=false', WebPubSubHub: 'lobby', MY_SETTING: 'x' });
    expect(lines.filter((l) => l.startsWith('warning:'))).toEqual([
      'warning: AzureWebJobsStorage keeps your value "UseDevelopmentStorage=false"; the deployment says "UseDevelopmentStorage=true" (re-run with --force to replace it)',
      'warning: WebPubSubHub keeps your value "lobby"; the deployment says "chat" (re-run with --force to replace it)',
    ]);

    lines = [];
    writeLocalSettings({ cwd: dir, force: true, log: (l) => lines.push(l) });
    expect(readSettings().Values).toMatchObject({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', WebPubSubHub: 'chat', MY_SETTING: 'x' });
    expect(lines.filter((l) => l.startsWith('!'))).toHaveLength(2);
  });

  test('a second run changes nothing', () => {
    setUp();
    writeLocalSettings({ cwd: dir, log: () => undefined });
    const before = fs.readFileSync(settingsFile(), 'utf8');
    const result = writeLocalSettings({ cwd: dir, log: (l) => lines.push(l) });
    expect(result.written).toBe(false);
    expect(fs.readFileSync(settingsFile(), 'utf8')).toBe(before);
    expect(lines).toEqual([`${path.join('examples', 'chat', 'local.settings.json')} is up to date`]);
  });

  test('missing outputs: says how to produce them; --web-pubsub-hostname works without them', () => {
    setUp(manifest, null);
    expect(() => writeLocalSettings({ cwd: dir, outputsFile: 'outputs.json', log: () => undefined })).toThrow(/cdktf deploy --outputs-file outputs.json/);
    writeLocalSettings({ cwd: dir, webPubSubHostname: 'h.webpubsub.azure.com', log: () => undefined });
    expect(readSettings().Values['WebPubSubConnectionString:serviceUri']).toBe('https://h.webpubsub.azure.com');
  });

  test('several Function Apps: asks which one', () => {
    setUp({ ...manifest, functionApps: [manifest.functionApps[0], { ...manifest.functionApps[0], path: 'chat/Other' }] });
    expect(() => writeLocalSettings({ cwd: dir, log: () => undefined })).toThrow(/--function-app/);
    writeLocalSettings({ cwd: dir, functionApp: 'chat/Other', log: () => undefined });
    expect(fs.existsSync(settingsFile())).toBe(true);
  });

  test('the installed command (bin shim) writes the file', () => {
    setUp();
    const bin = path.resolve(__dirname, '..', '..', 'bin', 'cdktf-azure-webpubsub.js');
    const out = execFileSync(process.execPath, [bin, 'local-settings', '--project', 'examples/chat'], { cwd: dir, encoding: 'utf8' });
    expect(out).toContain('+ WebPubSubConnectionString:serviceUri = "https://chat-wps.webpubsub.azure.com"');
    expect(readSettings().Values.WebPubSubHub).toBe('chat');
  });
});
