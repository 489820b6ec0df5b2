/**
 * The real CLI entry (bin -> commander -> command), run as a user runs it: a child process in a synthesized user
 * project (test/cli/user-project.ts). Exit codes, messages, and that the process ends on its own.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_TIMEOUT_MS } from '../../lib/cli/verify/verify';
import { DataPlaneStandIn, refusedWebSocketUrl, startDataPlaneStandIn, startSilentTcpServer } from './stand-ins/web-pubsub-stand-in';
import { HangingTokenEndpoint, startHangingTokenEndpoint } from './stand-ins/token-endpoint-stand-in';
import { cdktfOutputsFile, REPO_ROOT, synthesizeUserProject, UserProject } from './user-project';

const BIN = path.join(REPO_ROOT, 'bin', 'cdktf-azure-webpubsub.js');

interface BinRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** When stderr first matched `options.watch`, in ms since the start. */
  readonly watchedAt?: number;
}

/**
 * Runs the bin without blocking this process (the stand-ins answer from it); kills it after `killAfterMs` — a run
 * that needs killing fails the test through `signal`.
 */
function runBin(args: string[], options: { cwd: string; env?: Record<string, string>; command?: string[]; killAfterMs?: number; watch?: RegExp }): Promise<BinRun> {
  const started = Date.now();
  const [command, ...prefix] = options.command ?? [process.execPath];
  const child = spawn(command, [...prefix, BIN, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  let watchedAt: number | undefined;
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (watchedAt === undefined && options.watch?.test(stderr)) watchedAt = Date.now() - started;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 60_000);
  return new Promise((resolve) => {
    child.on('close', (status, signal) => {
      clearTimeout(killer);
      resolve({ status, signal, stdout, stderr, ms: Date.now() - started, watchedAt });
    });
  });
}

/** The error contract: exactly one line on stderr, starting with `error:`, no stack frame; exit code 1. */
function expectOneLineError(run: BinRun, pattern: RegExp): void {
  const lines = run.stderr.split('\n').filter((l) => l.length > 0);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.status).toBe(1);
}

let synthesized: UserProject;
let dir: string;

beforeAll(() => {
  synthesized = synthesizeUserProject();
}, 60_000);
afterAll(() => synthesized?.remove());

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-bin-'));
  fs.cpSync(synthesized.dir, dir, { recursive: true, verbatimSymlinks: true });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('cdktf-azure-webpubsub bin', () => {
  test('--version prints the version from package.json', async () => {
    const run = await runBin(['--version'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version);
  });

  test('an unknown command: one line and a non-zero exit', async () => {
    const run = await runBin(['deploy-everything'], { cwd: dir });
    expectOneLineError(run, /unknown command 'deploy-everything' \(see --help\)$/);
  });

  test('local-settings with no options: the only stack with a manifest, the code project directory, the --web-pubsub-hostname value', async () => {
    fs.rmSync(path.join(dir, 'cdktf.out', 'stacks', 'existing'), { recursive: true });
    const run = await runBin(['local-settings', '--web-pubsub-hostname', 'wps-1.webpubsub.azure.com'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('+ WebPubSubConnection:serviceUri = "https://wps-1.webpubsub.azure.com"');
    const written = JSON.parse(fs.readFileSync(path.join(dir, 'functions', 'local.settings.json'), 'utf8'));
    expect(written.Values).toMatchObject({ 'WebPubSubConnection:serviceUri': 'https://wps-1.webpubsub.azure.com', WebPubSubHub: 'chat' });
  });

  test('the CLI loads neither cdktf nor constructs nor the providers (JSON files only)', async () => {
    // Runs the bin in-process of a small probe that lists every module loaded when the command exits.
    const probe = [
      "process.on('exit', () => {",
      "  const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](cdktf|constructs|@cdktf)[\\\\/]/.test(f));",
      "  process.stderr.write('LOADED ' + JSON.stringify(loaded) + '\\n');",
      '});',
      `process.argv = [process.execPath, ${JSON.stringify(BIN)}, 'local-settings', '--stack', 'chat', '--web-pubsub-hostname', 'h.webpubsub.azure.com'];`,
      `require(${JSON.stringify(BIN)});`,
    ].join('\n');
    const run = await runBin([], { cwd: dir, command: [process.execPath, '-e', probe, '--'] });
    expect(run.status).toBe(0);
    expect(run.stderr.trim()).toBe('LOADED []');
    expect(fs.existsSync(path.join(dir, 'functions', 'local.settings.json'))).toBe(true);
  });

  describe('verify with a token endpoint that never answers (stand-in)', () => {
    let tokenEndpoint: HangingTokenEndpoint;
    let dataPlane: DataPlaneStandIn;
    beforeAll(async () => {
      tokenEndpoint = await startHangingTokenEndpoint();
      dataPlane = await startDataPlaneStandIn();
    });
    afterAll(async () => Promise.all([tokenEndpoint?.close(), dataPlane?.close()]));

    test('the token wait is bounded by --timeout, the report completes, the process exits on its own, no key is printed', async () => {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'chat', 'webpubsub-manifest.json'), 'utf8'));
      const serviceId = manifest.services[0].resourceId.output.name;
      const serviceIdValue = '/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-chat/providers/Microsoft.SignalRService/webPubSub/chat-wps';
      fs.writeFileSync(path.join(dir, 'outputs.json'), JSON.stringify(cdktfOutputsFile(dir, (name) => (name === serviceId ? serviceIdValue : undefined))));
      const run = await runBin(
        ['verify', '--stack', 'chat', '--timeout', '3000', '--arm-endpoint', 'https://127.0.0.1:9', '--negotiate-url', `${dataPlane.baseUrl}/api/negotiate?code=function-key-SECRET`],
        { cwd: dir, env: tokenEndpoint.env },
      );
      // Before: the SDK waited 139 s on such an endpoint; then the open request kept the process alive.
      expect(run.signal).toBeNull();
      expect(run.ms).toBeLessThan(20_000);
      expect(tokenEndpoint.requests.some((r) => r.startsWith('GET /msi/token'))).toBe(true);
      expect(run.status).toBe(1);
      const lines = run.stdout.split('\n').filter((l) => l.length > 0);
      expect(lines[0]).toMatch(/^✘ read the service from ARM: no Azure access token within 3000 ms for Web PubSub chat-wps: the sign-in endpoint did not answer/);
      expect(lines).toEqual(expect.arrayContaining(['– local auth disabled: not checked: the service could not be read']));
      expect(lines.find((l) => l.startsWith('✔ negotiate returns a client URL'))).toBeDefined();
      expect(lines.find((l) => l.startsWith('✔ client connects to the service'))).toBeDefined();
      expect(lines.at(-1)).toMatch(/checks failed or could not run$/);
      expect(`${run.stdout}${run.stderr}`).not.toContain('SECRET');
      expect(run.stderr).toContain('/api/negotiate?code=***');
      expect(run.stderr).not.toMatch(/^\s+at /m);
    }, 60_000);
  });

  describe('verify whose client cannot connect exits non-zero within --timeout (stand-in data plane)', () => {
    let dataPlane: DataPlaneStandIn;
    beforeAll(async () => {
      dataPlane = await startDataPlaneStandIn();
    });
    afterAll(async () => dataPlane?.close());

    const TIMEOUT_MS = 1500;
    /** Time allowed after the timeout for the report, the exit and a loaded machine. */
    const MARGIN_MS = 2500;

    /**
     * No outputs file, so no ARM call and no token is needed: the checks that need ARM fail at once, and the round
     * trip goes to the negotiate stand-in, which hands out `clientUrl`.
     */
    async function verifyWithClientUrl(clientUrl: string): Promise<BinRun> {
      dataPlane.state.clientUrl = clientUrl;
      return runBin(['verify', '--stack', 'chat', '--timeout', String(TIMEOUT_MS), '--negotiate-url', `${dataPlane.baseUrl}/api/negotiate`], {
        cwd: dir,
        killAfterMs: 20_000,
        watch: /… connecting to /,
      });
    }

    test('connection refused: exit 1 (before: the process ended with status 0 while waiting for a "stopped" that never came)', async () => {
      const run = await verifyWithClientUrl(await refusedWebSocketUrl());
      expect(run.signal).toBeNull();
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/^✘ client connects to the service: the WebSocket connection failed \(.*ECONNREFUSED.*\)/m);
      expect(run.stdout.trim().split('\n').at(-1)).toMatch(/checks failed or could not run$/);
      expect(run.watchedAt).toBeDefined();
      expect(run.ms - run.watchedAt!).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    }, 30_000);

    test('an endpoint that accepts TCP and never answers: exit 1 once --timeout has passed, not later', async () => {
      const silent = await startSilentTcpServer();
      try {
        const run = await verifyWithClientUrl(silent.url);
        expect(run.signal).toBeNull();
        expect(run.status).toBe(1);
        expect(silent.accepted()).toBeGreaterThan(0);
        expect(run.stdout).toMatch(new RegExp(`^✘ client connects to the service: the WebSocket did not connect within ${TIMEOUT_MS} ms`, 'm'));
        expect(run.watchedAt).toBeDefined();
        const connectMs = run.ms - run.watchedAt!;
        expect(connectMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
        expect(connectMs).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
      } finally {
        await silent.close();
      }
    }, 30_000);
  });

  describe('every error is one line and exit 1, never a stack trace', () => {
    test('--outputs pointing at a directory (EISDIR)', async () => {
      expectOneLineError(await runBin(['verify', '--stack', 'chat', '--outputs', 'functions'], { cwd: dir }), /cannot read outputs file at .*functions: it is a directory, not a file \(EISDIR\)$/);
    });

    test('a path through a file (ENOTDIR)', async () => {
      expectOneLineError(await runBin(['local-settings', '--manifest', 'cdktf.json/manifest.json'], { cwd: dir }), /a part of the path is a file, not a directory \(ENOTDIR\)$/);
    });

    test('local.settings.json is a directory (EISDIR)', async () => {
      fs.mkdirSync(path.join(dir, 'functions', 'local.settings.json'));
      expectOneLineError(
        await runBin(['local-settings', '--stack', 'chat', '--web-pubsub-hostname', 'h.webpubsub.azure.com'], { cwd: dir }),
        /cannot read .*local\.settings\.json: it is a directory, not a file \(EISDIR\)$/,
      );
    });

    test('two stacks with a manifest and no --stack: names them', async () => {
      expectOneLineError(await runBin(['local-settings'], { cwd: dir }), /2 stacks have a Web PubSub manifest \(chat, existing\): pass --stack <name>$/);
    });

    test('a manifest for another stack is refused', async () => {
      const chat = path.join('cdktf.out', 'stacks', 'chat', 'webpubsub-manifest.json');
      expectOneLineError(await runBin(['verify', '--stack', 'existing', '--manifest', chat], { cwd: dir }), /is the manifest of stack "chat", not "existing"/);
    });

    test(`--timeout above ${MAX_TIMEOUT_MS}`, async () => {
      expectOneLineError(await runBin(['verify', '--timeout', '3600000'], { cwd: dir }), new RegExp(`from 1 to ${MAX_TIMEOUT_MS} \\(see --help\\)$`));
    });

    test('a malformed --negotiate-url', async () => {
      expectOneLineError(await runBin(['verify', '--stack', 'chat', '--negotiate-url', 'not a url'], { cwd: dir }), /--negotiate-url "not a url" is not a URL/);
    });

    test('--expect-reply without --event', async () => {
      expectOneLineError(await runBin(['verify', '--stack', 'chat', '--expect-reply'], { cwd: dir }), /--expect-reply needs --event <name>/);
    });

    // A read-only project directory needs a private mount namespace (root or user namespaces): run where available.
    const canMountReadOnly = spawnSync('unshare', ['-m', 'sh', '-c', `mount --bind -o ro "${os.tmpdir()}" "${os.tmpdir()}"`]).status === 0;
    (canMountReadOnly ? test : test.skip)('the function project on a read-only file system (EROFS)', async () => {
      const functions = path.join(dir, 'functions');
      const run = await runBin(['local-settings', '--stack', 'chat', '--web-pubsub-hostname', 'h.webpubsub.azure.com'], {
        cwd: dir,
        command: ['unshare', '-m', 'sh', '-c', 'mount --bind -o ro "$1" "$1" && shift && exec "$@"', 'sh', functions, process.execPath],
      });
      expectOneLineError(run, /cannot write .*local\.settings\.json: the file system is read-only \(EROFS\)$/);
    });
  });
});
