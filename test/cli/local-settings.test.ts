/**
 * `local-settings` on a synthesized user project (test/cli/user-project.ts): the manifest the constructs write, the
 * outputs as `cdktf deploy --outputs-file` writes them (stand-in), and the function project under `functions/`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { printableBadHost } from '../../lib/cli/host-name';
import { localSettingsValues, mergeLocalSettings, printableValue, writeLocalSettings } from '../../lib/cli/local-settings';
import { cdktfOutputsFile, EXISTING_SERVICE_HOST, synthesizeUserProject, UserProject } from './user-project';

const SERVICE_HOST = 'chat-wps.webpubsub.azure.com';

let synthesized: UserProject;
/** A fresh copy of the synthesized project per test (outputs.json and local.settings.json change). */
let dir: string;
let lines: string[];

beforeAll(() => {
  synthesized = synthesizeUserProject();
}, 60_000);
afterAll(() => synthesized?.remove());

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-settings-'));
  fs.cpSync(synthesized.dir, dir, { recursive: true, verbatimSymlinks: true });
  lines = [];
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes outputs.json: every output of the `chat` service's host name deployed as SERVICE_HOST. */
function deploy(): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'chat', 'webpubsub-manifest.json'), 'utf8'));
  const hostOutput = manifest.services[0].hostname.output.name;
  fs.writeFileSync(path.join(dir, 'outputs.json'), JSON.stringify(cdktfOutputsFile(dir, (name) => (name === hostOutput ? SERVICE_HOST : 'x'))));
}

function settingsFile(): string {
  return path.join(dir, 'functions', 'local.settings.json');
}

function readSettings(): { IsEncrypted: boolean; Values: Record<string, string>; [k: string]: unknown } {
  return JSON.parse(fs.readFileSync(settingsFile(), 'utf8'));
}

describe('localSettingsValues', () => {
  test('identity-based connection with `:` separators and no credential or clientId', () => {
    const values = localSettingsValues({
      connections: [
        { prefix: 'WebPubSubConnectionString', hostname: 'chat-wps.webpubsub.azure.com' },
        { prefix: 'Other', hostname: 'chat-wps.webpubsub.azure.com' },
      ],
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
    const values = localSettingsValues({ connections: [{ prefix: 'WebPubSubConnectionString', hostname: 'https://x.webpubsub.azure.com/' }], defaultHubName: null });
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

describe('writeLocalSettings on a synthesized project', () => {
  test("creates the file in the code's project directory from the manifest, with the deployed host name", () => {
    deploy();
    const result = writeLocalSettings({ cwd: dir, stack: 'chat', log: (l) => lines.push(l) });
    expect(result.written).toBe(true);
    expect(result.file).toBe(settingsFile());
    expect(readSettings()).toEqual({
      IsEncrypted: false,
      Values: {
        FUNCTIONS_WORKER_RUNTIME: 'node',
        AzureWebJobsStorage: 'UseDevelopmentStorage=true',
        // The connection prefix the stack gave the app (connectionSettingPrefix), not the example's.
        'WebPubSubConnection:serviceUri': `https://${SERVICE_HOST}`,
        WebPubSubHub: 'chat',
      },
    });
    expect(lines.at(-1)).toBe(`wrote ${path.join('functions', 'local.settings.json')}`);
    // Written through a temp file in the same directory and renamed: nothing else is left behind.
    expect(fs.readdirSync(path.join(dir, 'functions')).filter((f) => f.includes('local.settings'))).toEqual(['local.settings.json']);
  });

  test('run from anywhere in the project (cdktf.json found above): same file', () => {
    deploy();
    writeLocalSettings({ cwd: path.join(dir, 'functions', 'src'), stack: 'chat', log: () => undefined });
    expect(readSettings().Values['WebPubSubConnection:serviceUri']).toBe(`https://${SERVICE_HOST}`);
  });

  test('an imported service: its host name is in the manifest, so no outputs file is needed; no code, so cwd', () => {
    const cwd = path.join(dir, 'functions');
    writeLocalSettings({ cwd, stack: 'existing', log: () => undefined });
    expect(readSettings().Values).toMatchObject({ 'WebPubSubConnectionString:serviceUri': `https://${EXISTING_SERVICE_HOST}` });
  });

  test('never overwrites a user value silently: one warning line per conflict', () => {
    deploy();
    fs.writeFileSync(settingsFile(), JSON.stringify({ IsEncrypted: false, Values: { AzureWebJobsStorage: 'UseDevelopmentStorage=false', WebPubSubHub: 'lobby', MY_SETTING: 'x' } }));
    writeLocalSettings({ cwd: dir, stack: 'chat', log: (l) => lines.push(l) });
    expect(readSettings().Values).toMatchObject({ AzureWebJobsStorage: 'UseDevelopmentStorage=false', WebPubSubHub: 'lobby', MY_SETTING: 'x' });
    expect(lines.filter((l) => l.startsWith('warning:'))).toEqual([
      'warning: AzureWebJobsStorage keeps your value "UseDevelopmentStorage=false"; the deployment says "UseDevelopmentStorage=true" (re-run with --force to replace it)',
      'warning: WebPubSubHub keeps your value "lobby"; the deployment says "chat" (re-run with --force to replace it)',
    ]);
    expect(fs.existsSync(`${settingsFile()}.bak`)).toBe(false);
  });

  test('--force replaces your values after keeping the previous file as local.settings.json.bak', () => {
    deploy();
    const previous = `${JSON.stringify({ IsEncrypted: false, Values: { WebPubSubHub: 'lobby', MY_SECRET: 'AccountKey=abc' } }, null, 4)}\n`;
    fs.writeFileSync(settingsFile(), previous);
    const result = writeLocalSettings({ cwd: dir, stack: 'chat', force: true, log: (l) => lines.push(l) });
    expect(readSettings().Values).toMatchObject({ WebPubSubHub: 'chat', MY_SECRET: 'AccountKey=abc' });
    expect(lines.filter((l) => l.startsWith('!'))).toEqual(['! WebPubSubHub: replaced "lobby" with "chat" (--force)']);
    expect(result.backup).toBe(`${settingsFile()}.bak`);
    expect(fs.readFileSync(`${settingsFile()}.bak`, 'utf8')).toBe(previous);
    expect(lines).toContain(`kept your previous file as ${path.join('functions', 'local.settings.json.bak')} (it may hold secrets: do not commit it)`);
  });

  test('the file is replaced by rename (a new inode), keeping its permissions; a new file is private to its owner', () => {
    deploy();
    fs.writeFileSync(settingsFile(), JSON.stringify({ Values: { MY_SETTING: 'x' } }));
    fs.chmodSync(settingsFile(), 0o640);
    const before = fs.statSync(settingsFile());
    writeLocalSettings({ cwd: dir, stack: 'chat', log: () => undefined });
    const after = fs.statSync(settingsFile());
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o640);
    fs.rmSync(settingsFile());
    writeLocalSettings({ cwd: dir, stack: 'chat', log: () => undefined });
    expect(fs.statSync(settingsFile()).mode & 0o077).toBe(0);
  });

  test('a second run changes nothing', () => {
    deploy();
    writeLocalSettings({ cwd: dir, stack: 'chat', log: () => undefined });
    const before = fs.readFileSync(settingsFile(), 'utf8');
    const result = writeLocalSettings({ cwd: dir, stack: 'chat', log: (l) => lines.push(l) });
    expect(result.written).toBe(false);
    expect(fs.readFileSync(settingsFile(), 'utf8')).toBe(before);
    expect(lines).toEqual([`${path.join('functions', 'local.settings.json')} is up to date`]);
  });

  test('a project directory that is not a Functions project (no host.json) is written, with a warning that says what is missing', () => {
    deploy();
    fs.rmSync(path.join(dir, 'functions', 'host.json'));
    writeLocalSettings({ cwd: dir, stack: 'chat', log: (l) => lines.push(l) });
    expect(lines).toContain(
      'warning: functions has no host.json, so `func start` cannot run there as it is: add a host.json and a package.json whose "main" is your compiled entry, or pass --project <dir> of a Functions project; `dev` runs the synthesized package instead, with its own settings',
    );
  });

  test('not deployed yet: says how to get the outputs; --web-pubsub-hostname works without them', () => {
    expect(() => writeLocalSettings({ cwd: dir, stack: 'chat', log: () => undefined })).toThrow(
      /no host name for the Web PubSub service chat\/Chat\/WebPubSub: no outputs file: deploy with `npx cdktf-cli@0\.21 deploy chat --outputs-file outputs.json`/,
    );
    expect(() => writeLocalSettings({ cwd: dir, stack: 'chat', outputsFile: 'outputs.json', log: () => undefined })).toThrow(/outputs file not found at .*`npx cdktf-cli@0\.21 deploy <stack> --outputs-file/);
    writeLocalSettings({ cwd: dir, stack: 'chat', webPubSubHostname: 'h.webpubsub.azure.com', log: () => undefined });
    expect(readSettings().Values['WebPubSubConnection:serviceUri']).toBe('https://h.webpubsub.azure.com');
  });

  test('several Function Apps in the manifest: asks which one', () => {
    deploy();
    const manifestFile = path.join(dir, 'cdktf.out', 'stacks', 'chat', 'webpubsub-manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    manifest.functionApps.push({ ...manifest.functionApps[0], path: 'chat/Other' });
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    expect(() => writeLocalSettings({ cwd: dir, stack: 'chat', log: () => undefined })).toThrow(
      'the manifest lists 2 Function Apps (chat/Chat/FunctionApp, chat/Other): pass --function-app <construct path> to pick one',
    );
    writeLocalSettings({ cwd: dir, stack: 'chat', functionApp: 'chat/Other', log: () => undefined });
    expect(fs.existsSync(settingsFile())).toBe(true);
  });

  test('--project overrides the recorded project directory', () => {
    deploy();
    fs.mkdirSync(path.join(dir, 'elsewhere'));
    writeLocalSettings({ cwd: dir, stack: 'chat', projectDir: 'elsewhere', log: () => undefined });
    expect(fs.existsSync(path.join(dir, 'elsewhere', 'local.settings.json'))).toBe(true);
    expect(() => writeLocalSettings({ cwd: dir, stack: 'chat', projectDir: 'missing', log: () => undefined })).toThrow(
      /cannot use the function project directory .*missing: no such file or directory \(ENOENT\); pass --project <dir>/,
    );
  });
});

describe('writeLocalSettings stays inside the cdktf project (a manifest is a file anyone can edit)', () => {
  /** The chat manifest with the app's code projectDir set to `projectDir`. */
  function recordProjectDir(projectDir: string): void {
    const manifestFile = path.join(dir, 'cdktf.out', 'stacks', 'chat', 'webpubsub-manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    manifest.functionApps[0].code.projectDir = projectDir;
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  }

  let outside: string;
  beforeEach(() => {
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'local-settings-outside-'));
    deploy();
  });
  afterEach(() => fs.rmSync(outside, { recursive: true, force: true }));

  const run = () => writeLocalSettings({ cwd: dir, stack: 'chat', log: (l) => lines.push(l) });

  test('an absolute projectDir is refused; nothing is written there', () => {
    recordProjectDir(outside);
    expect(run).toThrow(
      `the manifest's code project directory ${JSON.stringify(outside)} is an absolute path: local-settings writes only inside the cdktf project ${dir} unless you pass --project <dir>`,
    );
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  test("a projectDir that goes up with '..' is refused, also when it would come back in", () => {
    for (const up of [`../${path.basename(outside)}`, 'functions/../../x', 'functions\\..\\..']) {
      recordProjectDir(up);
      expect(run).toThrow(/goes up with '\.\.': local-settings writes only inside the cdktf project .* unless you pass --project <dir>$/);
    }
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  test('a projectDir that leads out through a symbolic link is refused; one that stays inside is used', () => {
    fs.symlinkSync(outside, path.join(dir, 'functions-link'), 'dir');
    recordProjectDir('functions-link');
    expect(run).toThrow(/"functions-link" leads out of it through a symbolic link \(to .*local-settings-outside-.*\)/);
    expect(fs.readdirSync(outside)).toEqual([]);
    fs.symlinkSync(path.join(dir, 'functions'), path.join(dir, 'functions-inside'), 'dir');
    recordProjectDir('functions-inside');
    run();
    expect(readSettings().Values['WebPubSubConnection:serviceUri']).toBe(`https://${SERVICE_HOST}`);
  });

  test('--project still chooses any directory (the user\'s own choice)', () => {
    recordProjectDir(outside);
    writeLocalSettings({ cwd: dir, stack: 'chat', projectDir: outside, log: () => undefined });
    expect(fs.existsSync(path.join(outside, 'local.settings.json'))).toBe(true);
  });
});

describe('writeLocalSettings checks the Web PubSub host name before it becomes a URL', () => {
  test('a connection string given as the host name: refused, the key not repeated, nothing written', () => {
    const connectionString = 'Endpoint=https://chat-wps.webpubsub.azure.com;AccessKey=c2VjcmV0LWtleS1mb3ItdGVzdGluZy1vbmx5LTEyMzQ1Njc4OTA=;Version=1.0;';
    expect(() => writeLocalSettings({ cwd: dir, stack: 'chat', webPubSubHostname: connectionString, log: () => undefined })).toThrow(
      'the Web PubSub host name for WebPubSubConnection is not a host name: "Endpoint=https://chat-wps.webpubsub.azure.com;AccessKey=***;Version=1.0;": pass --web-pubsub-hostname <name>.webpubsub.azure.com, or check the outputs file',
    );
    expect(fs.existsSync(settingsFile())).toBe(false);
  });

  test('a bare key in a malformed host name is masked too; plain malformed values are shown as they are', () => {
    // The mask errs on the side of hiding: the run it replaces may take a path segment before the key with it.
    expect(printableBadHost('wps.example/c2VjcmV0LWtleS1mb3ItdGVzdGluZy1vbmx5LTEyMzQ1Njc4OTA=')).toBe('"wps.***"');
    expect(printableBadHost('wps.example;c2VjcmV0LWtleS1mb3ItdGVzdGluZy1vbmx5LTEyMzQ1Njc4OTA=')).toBe('"wps.example;***"');
    expect(printableBadHost('evil.example/steal?x=')).toBe('"evil.example/steal?x="');
  });

  test('a deployed host name with a path or query is refused', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'chat', 'webpubsub-manifest.json'), 'utf8'));
    const hostOutput = manifest.services[0].hostname.output.name;
    fs.writeFileSync(path.join(dir, 'outputs.json'), JSON.stringify(cdktfOutputsFile(dir, (name) => (name === hostOutput ? 'evil.example/x?sig=SECRET' : 'x'))));
    const err = (() => {
      try {
        writeLocalSettings({ cwd: dir, stack: 'chat', log: () => undefined });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err?.message).toBe(
      'the Web PubSub host name for WebPubSubConnection is not a host name: "evil.example/x?sig=***": pass --web-pubsub-hostname <name>.webpubsub.azure.com, or check the outputs file',
    );
    expect(fs.existsSync(settingsFile())).toBe(false);
  });
});
