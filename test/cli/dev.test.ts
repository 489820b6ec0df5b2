/**
 * `cdktf-azure-webpubsub dev`, run through the real bin as users run it, on a synthesized project whose hub uses the
 * development tunnel (Premium, the packaging fixture's webPubSubTrigger functions, connection prefix
 * `WebPubSubConnection`). The programs dev starts are STAND-INS on PATH (test/cli/stand-ins/dev-tools-stand-in.js):
 * Azure Functions Core Tools, the tunnel tool and the emulator cannot run here (no Azure, no .NET 10). The emulator's
 * appsettings.json is checked against its documented contract (Azure/azure-webpubsub tools/emulator README and
 * EmulatorOptions.cs), not against the emulator itself.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { withoutCredentials } from '../../lib/cli/dev/child-environment';
import { TSX_EDITION_ARGS } from '../edition';
import { libImport, REPO_ROOT, synthesizeProject, UserProject } from './user-project';

const BIN = path.join(REPO_ROOT, 'bin', 'cdktf-azure-webpubsub.js');
const STAND_IN = path.join(__dirname, 'stand-ins', 'dev-tools-stand-in.js');
const HOST = 'chat-dev.webpubsub.azure.com';
const EMULATOR_KEY = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH';

const PROGRAM = `import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { AzapiProvider } from ${libImport('azapi/azapi-provider')};
import { FunctionCode } from ${libImport('code/function-code')};
import { FunctionAppHosting } from ${libImport('functions/function-app-hosting')};
import { ServerlessWebPubSub } from ${libImport('patterns/serverless-web-pubsub')};

const app = new App();
const stack = new TerraformStack(app, 'dev');
new AzurermProvider(stack, 'azurerm', { features: [{}], storageUseAzuread: true });
new RandomProvider(stack, 'random');
new AzapiProvider(stack, 'azapi');
const code = new FunctionCode(stack, 'Code', { projectDir: 'functions', entryPoints: ['src/functions/negotiate.ts', 'src/functions/chat.ts'], quiet: true });
new ServerlessWebPubSub(stack, 'Chat', {
  resourceGroupProps: { location: 'westeurope' },
  hubs: [{ name: 'chat', developmentTunnel: true }],
  connectionSettingPrefix: 'WebPubSubConnection',
  functionAppProps: { code, hosting: FunctionAppHosting.elasticPremium() },
});
app.synth();
`;

let project: UserProject;
let dir: string;
let standIns: string;
let logFile: string;

beforeAll(() => {
  project = synthesizeProject(PROGRAM);
}, 120_000);
afterAll(() => project?.remove());

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-'));
  fs.cpSync(project.dir, dir, { recursive: true, verbatimSymlinks: true });
  standIns = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-stand-ins-'));
  for (const tool of ['func', 'awps-tunnel', 'awps-emulator']) fs.symlinkSync(STAND_IN, path.join(standIns, tool));
  logFile = path.join(standIns, 'log.jsonl');
  fs.writeFileSync(logFile, '');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(standIns, { recursive: true, force: true });
});

interface Record {
  name: string;
  event: string;
  pid: number;
  args?: string[];
  cwd?: string;
  [key: string]: unknown;
}
const records = (): Record[] => fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));

function env(pathDirs: string[], extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { JEST_WORKER_ID: _jest, ...rest } = process.env;
  void _jest;
  return { ...rest, PATH: pathDirs.join(path.delimiter), STAND_IN_LOG: logFile, ...extra };
}

function runDev(args: string[], pathDirs: string[], extra: NodeJS.ProcessEnv = {}): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, 'dev', ...args], { cwd: dir, env: env(pathDirs, extra) });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

async function until(what: string, ok: () => boolean, output: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; dev printed:\n${output()}\nstand-ins recorded:\n${fs.readFileSync(logFile, 'utf8')}`);
}

const devDir = (): string => path.join(dir, '.webpubsub-dev', 'dev', 'Chat-FunctionApp');
const nodeDir = path.dirname(process.execPath);

describe('the prepared project', () => {
  test('is the synthesized package unpacked (host.json, package.json main, bundle), with identity-based local.settings.json and no key', () => {
    const run = spawnSync(process.execPath, [BIN, 'dev', '--web-pubsub-hostname', HOST, '--prepare-only'], { cwd: dir, env: env([fs.mkdtempSync(path.join(os.tmpdir(), 'empty-path-'))]), encoding: 'utf8' });
    expect(run.status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'dev', 'webpubsub-manifest.json'), 'utf8'));
    const zip = path.join(dir, 'cdktf.out', 'stacks', 'dev', manifest.functionApps[0].code.packagePath);
    expect(createHash('sha256').update(fs.readFileSync(zip)).digest('hex')).toBe(manifest.functionApps[0].code.contentHash);

    const files = fs.readdirSync(devDir());
    expect(files).toEqual(expect.arrayContaining(['host.json', 'package.json', 'dist', 'local.settings.json', '.cdktf-azure-webpubsub-dev']));
    expect(JSON.parse(fs.readFileSync(path.join(devDir(), 'host.json'), 'utf8'))).toMatchObject({ version: '2.0', extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle' } });
    const main = JSON.parse(fs.readFileSync(path.join(devDir(), 'package.json'), 'utf8')).main;
    expect(main).toBe('dist/index.js');
    // The bundle is the code: it registers the fixture's functions.
    expect(fs.readFileSync(path.join(devDir(), main), 'utf8')).toMatch(/webPubSub|negotiate/);

    const settings = JSON.parse(fs.readFileSync(path.join(devDir(), 'local.settings.json'), 'utf8'));
    expect(settings).toEqual({
      IsEncrypted: false,
      Values: { FUNCTIONS_WORKER_RUNTIME: 'node', AzureWebJobsStorage: 'UseDevelopmentStorage=true', 'WebPubSubConnection:serviceUri': `https://${HOST}`, WebPubSubHub: 'chat' },
    });
    expect(JSON.stringify(settings)).not.toMatch(/AccessKey|__|credential|clientId/);
    expect(fs.statSync(path.join(devDir(), 'local.settings.json')).mode & 0o077).toBe(0);
    // The directory keeps itself out of git, whatever the project's own .gitignore says (it carries the user's values).
    expect(fs.readFileSync(path.join(dir, '.webpubsub-dev', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    fs.rmSync(path.join(dir, '.gitignore'), { force: true });
    // git alone, without this machine's global or system excludes
    const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir } });
    expect(git('init', '-q').status).toBe(0);
    const ignored = git('check-ignore', '-v', '.webpubsub-dev/dev/Chat-FunctionApp/local.settings.json');
    expect(ignored.stdout).toContain('.webpubsub-dev/.gitignore');

    // Tools missing: one line each with the install command and the exact command line.
    expect(run.stdout).toContain('func is not on PATH: install Azure Functions Core Tools v4: `npm install -g azure-functions-core-tools@4`');
    expect(run.stdout).toContain('func start --port 7071');
    expect(run.stdout).toContain('awps-tunnel is not on PATH: install the Web PubSub tunnel tool: `npm install -g @azure/web-pubsub-tunnel-tool`');
    expect(run.stdout).toContain(`awps-tunnel run --hub chat --endpoint https://${HOST} --upstream http://localhost:7071 --noWebview`);
  });

  test('a directory dev did not create is never emptied', () => {
    fs.mkdirSync(devDir(), { recursive: true });
    fs.writeFileSync(path.join(devDir(), 'mine.txt'), 'keep');
    const run = spawnSync(process.execPath, [BIN, 'dev', '--web-pubsub-hostname', HOST, '--prepare-only'], { cwd: dir, env: env([]), encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/exists and was not created by dev/);
    expect(fs.readFileSync(path.join(devDir(), 'mine.txt'), 'utf8')).toBe('keep');
  });

  test('the user\'s own local.settings.json values are carried over, its connection settings are not', () => {
    fs.writeFileSync(
      path.join(dir, 'functions', 'local.settings.json'),
      JSON.stringify({ IsEncrypted: false, Values: { CHAT_DEV_HUB: 'chat_dev', WebPubSubConnection: 'Endpoint=https://x;AccessKey=secret;Version=1.0;', 'WebPubSubConnection:serviceUri': 'https://old' } }),
    );
    const run = spawnSync(process.execPath, [BIN, 'dev', '--web-pubsub-hostname', HOST, '--prepare-only'], { cwd: dir, env: env([]), encoding: 'utf8' });
    expect(run.status).toBe(0);
    const values = JSON.parse(fs.readFileSync(path.join(devDir(), 'local.settings.json'), 'utf8')).Values;
    expect(values).toMatchObject({ CHAT_DEV_HUB: 'chat_dev', 'WebPubSubConnection:serviceUri': `https://${HOST}` });
    expect(values).not.toHaveProperty('WebPubSubConnection');
  });
});

describe('dev with the tunnel', () => {
  test('starts func and one awps-tunnel per tunnel hub in their own process groups; Ctrl-C stops both and the worker func started', async () => {
    const dev = runDev(['--web-pubsub-hostname', HOST], [standIns, nodeDir]);
    await until('func, its worker and the tunnel', () => ['func', 'func-worker', 'awps-tunnel'].every((n) => records().some((r) => r.name === n && r.event === 'start')), dev.output);
    await until('the running line', () => dev.output().includes('dev: running: Ctrl-C stops everything'), dev.output);

    const started = records().filter((r) => r.event === 'start');
    const func = started.find((r) => r.name === 'func')!;
    const tunnel = started.find((r) => r.name === 'awps-tunnel')!;
    expect(func.args).toEqual(['start', '--port', '7071']);
    expect(fs.realpathSync(func.cwd!)).toBe(fs.realpathSync(devDir()));
    expect((func.localSettings as any).Values['WebPubSubConnection:serviceUri']).toBe(`https://${HOST}`);
    expect(tunnel.args).toEqual(['run', '--hub', 'chat', '--endpoint', `https://${HOST}`, '--upstream', 'http://localhost:7071', '--noWebview']);
    // Each child leads a process group of its own (detached), so the group can be signalled as a whole.
    for (const r of [func, tunnel]) expect(groupOf(r.pid)).toBe(r.pid);
    expect(dev.output()).toContain('[func] func stand-in running');

    dev.child.kill('SIGINT');
    expect(await dev.exited).toBe(0);
    const signals = records().filter((r) => r.event === 'SIGTERM').map((r) => r.name).sort();
    expect(signals).toEqual(['awps-tunnel', 'func', 'func-worker']);
    expect(dev.output()).toMatch(/dev: SIGINT received: stopping func, tunnel chat\n/);
    expect(dev.output()).toContain('dev: stopped');
    for (const r of records().filter((x) => x.event === 'start')) expect(alive(r.pid)).toBe(false);
  }, 90_000);

  test('SIGTERM stops them too; a child that exits on its own stops the others, and dev exits 1', async () => {
    const dev = runDev(['--web-pubsub-hostname', HOST], [standIns, nodeDir], { STAND_IN_EXIT: 'awps-tunnel' });
    expect(await dev.exited).toBe(1);
    expect(dev.output()).toMatch(/dev: tunnel chat exited with code 3: stopping func/);
    expect(records().filter((r) => r.event === 'SIGTERM').map((r) => r.name).sort()).toEqual(['func', 'func-worker']);

    fs.writeFileSync(logFile, '');
    const again = runDev(['--web-pubsub-hostname', HOST, '--webview'], [standIns, nodeDir]);
    await until('the tunnel', () => records().some((r) => r.name === 'awps-tunnel' && r.event === 'start'), again.output);
    expect(records().find((r) => r.name === 'awps-tunnel')!.args).toEqual(['run', '--hub', 'chat', '--endpoint', `https://${HOST}`, '--upstream', 'http://localhost:7071', '--webviewPort', '8071']);
    await until('func', () => records().some((r) => r.name === 'func-worker' && r.event === 'start'), again.output);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    expect(records().filter((r) => r.event === 'SIGTERM').map((r) => r.name).sort()).toEqual(['awps-tunnel', 'func', 'func-worker']);
  }, 90_000);
});

describe('dev and the sign-in variables of the shell', () => {
  const principal = { AZURE_CLIENT_ID: 'sp-id', AZURE_CLIENT_SECRET: 'sp-secret', AZURE_TENANT_ID: 'tenant', ARM_CLIENT_ID: 'sp-id', ARM_CLIENT_SECRET: 'sp-secret', ARM_OIDC_TOKEN: 'token', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'gh' };

  test('func and awps-tunnel get no service principal by default (they sign in as az login), and dev says which it kept back', async () => {
    const dev = runDev(['--web-pubsub-hostname', HOST, '--prepare-only'], [standIns, nodeDir], principal);
    expect(await dev.exited).toBe(0);
    expect(dev.output()).toContain('dev: not passing ACTIONS_ID_TOKEN_REQUEST_TOKEN, ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_OIDC_TOKEN, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET to func and the tools');
    expect(dev.output()).not.toContain('sp-secret');

    fs.writeFileSync(logFile, '');
    const running = runDev(['--web-pubsub-hostname', HOST], [standIns, nodeDir], principal);
    await until('func and the tunnel', () => ['func', 'awps-tunnel'].every((n) => records().some((r) => r.name === n && r.event === 'start')), running.output);
    for (const name of ['func', 'awps-tunnel']) {
      const started = records().find((r) => r.name === name && r.event === 'start')!;
      expect(started.credentialVariables).toEqual([]);
      // The tenant alone signs nobody in; az login's credential may use it.
      expect(started.tenant).toBe('tenant');
    }
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
  }, 90_000);

  test('every sign-in variable is kept back (Azure Identity, GitHub OIDC, the azurerm provider), whatever its case; nothing else is', () => {
    const credentials = [
      'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_CLIENT_CERTIFICATE_PASSWORD', 'AZURE_CLIENT_SEND_CERTIFICATE_CHAIN',
      'AZURE_USERNAME', 'AZURE_PASSWORD', 'AZURE_FEDERATED_TOKEN_FILE', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_URL',
      'ARM_CLIENT_ID', 'ARM_CLIENT_SECRET', 'ARM_CLIENT_CERTIFICATE_PATH', 'ARM_OIDC_TOKEN', 'ARM_OIDC_REQUEST_TOKEN', 'ARM_USE_OIDC', 'ARM_USE_MSI', 'ARM_MSI_ENDPOINT',
      'ARM_USE_AKS_WORKLOAD_IDENTITY', 'azure_client_secret',
    ];
    const others = { PATH: '/bin', AZURE_TENANT_ID: 'tenant', ARM_SUBSCRIPTION_ID: 'sub', ARM_TENANT_ID: 'tenant', ARM_ENVIRONMENT: 'public', AZURE_AUTHORITY_HOST: 'https://login' };
    const { env: kept, removed } = withoutCredentials({ ...Object.fromEntries(credentials.map((n) => [n, 'x'])), ...others });
    expect(removed).toEqual([...credentials].sort());
    expect(kept).toEqual(others);
  });

  test('--pass-credentials hands them over', async () => {
    const dev = runDev(['--web-pubsub-hostname', HOST, '--pass-credentials'], [standIns, nodeDir], principal);
    await until('func', () => records().some((r) => r.name === 'func' && r.event === 'start'), dev.output);
    expect(records().find((r) => r.name === 'func' && r.event === 'start')!.credentialVariables).toEqual(['ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'ARM_CLIENT_ID', 'ARM_CLIENT_SECRET', 'ARM_OIDC_TOKEN', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET']);
    expect(dev.output()).not.toContain('not passing');
    dev.child.kill('SIGINT');
    expect(await dev.exited).toBe(0);
  }, 90_000);
});

describe('dev --watch', () => {
  test('a changed handler re-runs the synth and restarts func on the new package; an unchanged bundle restarts nothing', async () => {
    const tsx = path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const synth = [process.execPath, tsx, ...TSX_EDITION_ARGS, 'main.ts'].map((a) => JSON.stringify(a)).join(' ');
    const dev = runDev(['--web-pubsub-hostname', HOST, '--watch', '--synth-command', synth], [standIns, nodeDir]);
    await until('watching', () => dev.output().includes('dev: watching functions'), dev.output);
    const firstHash = createHash('sha256').update(fs.readFileSync(path.join(devDir(), 'dist', 'index.js'))).digest('hex');

    // A real change to the code: the bundle changes, so func is stopped and started on the new package.
    const chat = path.join(dir, 'functions', 'src', 'functions', 'chat.ts');
    fs.appendFileSync(chat, '\nexport const devWatchMarker = "changed-by-the-watch-test";\n');
    await until('func restarted', () => records().filter((r) => r.name === 'func' && r.event === 'start').length === 2, dev.output);
    expect(dev.output()).toMatch(/dev: src[\\/]functions[\\/]chat\.ts changed: synthesizing/);
    expect(fs.readFileSync(path.join(devDir(), 'dist', 'index.js'), 'utf8')).toContain('changed-by-the-watch-test');
    expect(createHash('sha256').update(fs.readFileSync(path.join(devDir(), 'dist', 'index.js'))).digest('hex')).not.toBe(firstHash);
    const funcEvents = records().filter((r) => r.name === 'func').map((r) => r.event);
    expect(funcEvents).toEqual(['start', 'SIGTERM', 'start']);
    // The tunnel stays up across the restart.
    expect(records().filter((r) => r.name === 'awps-tunnel').map((r) => r.event)).toEqual(['start']);

    // A comment only: the synth runs, the bundle is the same bytes, func keeps running.
    fs.appendFileSync(chat, '// a comment esbuild drops\n');
    await until('the unchanged package', () => dev.output().includes('dev: the package is unchanged: nothing to restart'), dev.output);
    expect(records().filter((r) => r.name === 'func').map((r) => r.event)).toEqual(['start', 'SIGTERM', 'start']);

    dev.child.kill('SIGINT');
    expect(await dev.exited).toBe(0);
    expect(records().filter((r) => r.name === 'awps-tunnel').map((r) => r.event)).toEqual(['start', 'SIGTERM']);
  }, 120_000);
});

describe('dev --emulator', () => {
  test('writes the emulator appsettings.json and the emulator connection string, waits for HEAD /api/health, then starts func; Ctrl-C stops both', async () => {
    const port = 18000 + (process.pid % 1000);
    const dev = runDev(['--emulator', '--emulator-port', String(port), '--port', '7171'], [standIns, nodeDir]);
    await until('func after the emulator', () => records().some((r) => r.name === 'func-worker' && r.event === 'start'), dev.output);

    const emulator = records().find((r) => r.name === 'awps-emulator' && r.event === 'start')!;
    expect(emulator.args).toEqual([]);
    expect(emulator.urls).toBe(`http://localhost:${port}`);
    expect(fs.realpathSync(emulator.cwd!)).toBe(fs.realpathSync(path.join(dir, '.webpubsub-dev', 'dev', 'emulator')));
    // The documented schema: WebPubSub:Hubs:<hub>:EventHandlers[] of UrlTemplate, SystemEvents, EventPattern; no Auth,
    // no tunnel:// URL, no Key Vault reference. The handler is the trigger style's extension webhook on the local host.
    expect(emulator.appsettings).toEqual({
      WebPubSub: { Hubs: { chat: { EventHandlers: [{ UrlTemplate: 'http://localhost:7171/runtime/webhooks/webpubsub', SystemEvents: ['connect'], EventPattern: 'message' }] } } },
    });
    for (const handler of (emulator.appsettings as any).WebPubSub.Hubs.chat.EventHandlers) {
      expect(Object.keys(handler).every((k) => ['UrlTemplate', 'SystemEvents', 'EventPattern'].includes(k))).toBe(true);
      expect(handler.UrlTemplate).not.toMatch(/^tunnel:|@Microsoft\.KeyVault|code=/);
    }
    // The health check came before func started.
    const order = records().map((r) => `${r.name}:${r.event}:${r.method ?? ''}`);
    expect(order.indexOf('awps-emulator:request:HEAD')).toBeGreaterThan(-1);
    expect(order.indexOf('awps-emulator:request:HEAD')).toBeLessThan(order.indexOf('func:start:'));
    expect(records().find((r) => r.event === 'request')).toMatchObject({ method: 'HEAD', url: '/api/health' });

    const func = records().find((r) => r.name === 'func' && r.event === 'start')!;
    expect(func.args).toEqual(['start', '--port', '7171']);
    expect((func.localSettings as any).Values).toEqual({
      FUNCTIONS_WORKER_RUNTIME: 'node',
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      WebPubSubConnection: `Endpoint=http://localhost:${port};AccessKey=${EMULATOR_KEY};Version=1.0;`,
      WebPubSubHub: 'chat',
    });
    expect(records().some((r) => r.name === 'awps-tunnel')).toBe(false);

    dev.child.kill('SIGINT');
    expect(await dev.exited).toBe(0);
    expect(records().filter((r) => r.event === 'SIGTERM').map((r) => r.name).sort()).toEqual(['awps-emulator', 'func', 'func-worker']);
  }, 90_000);

  test('without the emulator on PATH: how to build it from source, and the command', () => {
    const run = spawnSync(process.execPath, [BIN, 'dev', '--emulator', '--emulator-port', '8090'], { cwd: dir, env: env([fs.mkdtempSync(path.join(os.tmpdir(), 'empty-path-'))]), encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('awps-emulator is not on PATH: build the Web PubSub emulator from source (not on NuGet yet');
    expect(run.stdout).toContain('dotnet pack tools/emulator/src/Microsoft.Azure.WebPubSub.Emulator');
    expect(run.stdout).toContain('dotnet tool install --global Microsoft.Azure.WebPubSub.Emulator');
    expect(run.stdout).toContain('then run, in .webpubsub-dev/dev/emulator: Urls=http://localhost:8090 awps-emulator');
    expect(run.stdout).toContain('dev: nothing to start');
  });
});

function groupOf(pid: number): number {
  const out = spawnSync('ps', ['-o', 'pgid=', '-p', String(pid)], { encoding: 'utf8' });
  return Number(out.stdout.trim());
}

/** Whether `pid` still runs (a zombie waiting for a reaper does not: a container's init may never reap it). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
