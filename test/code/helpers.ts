import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { FunctionCode, type FunctionCodeProps } from '../../lib/code/function-code';
import { printSynthMessagesInTests } from '../../lib/core/synth-messages';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const CHAT_APP = path.join(__dirname, 'fixtures', 'chat-app');
export const CHAT_ENTRIES = ['src/functions/negotiate.ts', 'src/functions/chat.ts'];
export const CHAT_EXTRA = { 'index.html': 'public/index.html' };

const created: string[] = [];

/** A fresh temp directory (removed by {@link cleanupTempDirs}); `name` may contain spaces. */
export function tempDir(name = 'project'): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-wps-pkg-test-'));
  created.push(base);
  const dir = path.join(base, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function cleanupTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Writes `files` into a new temp project whose `node_modules/@azure` links to the repo's, so
 * `@azure/functions` (and, through its real path, its dependencies) resolves.
 */
export function makeProject(files: Record<string, string>, name = 'project'): string {
  const dir = tempDir(name);
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', '@azure'), path.join(dir, 'node_modules', '@azure'), 'dir');
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

/** Copies the chat-app fixture into a new temp project (see {@link makeProject}). */
export function copyChatApp(name = 'project'): string {
  const dir = makeProject({}, name);
  fs.cpSync(CHAT_APP, dir, { recursive: true });
  return dir;
}

export function synthWith(props: FunctionCodeProps): { app: App; code: FunctionCode; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'stack');
  const code = new FunctionCode(stack, 'Code', props);
  app.synth();
  return { app, code, stack };
}

/** All files under `dir`, relative, sorted. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

export const REGISTERING_ENTRY = `import { app } from '@azure/functions';
app.http('ok', { handler: () => ({ body: 'ok' }) });
`;

/** What a describe block wrote to stdout and stderr: the two spies, and their calls joined. */
export interface CapturedOutput {
  readonly stdout: jest.SpyInstance;
  readonly stderr: jest.SpyInstance;
}

/**
 * Swallows and records process.stdout/stderr writes for each test of the calling describe block, and turns the
 * in-test printing of synth messages back off after each.
 */
export function captureOutputPerTest(): CapturedOutput {
  const captured = {} as { stdout: jest.SpyInstance; stderr: jest.SpyInstance };
  beforeEach(() => {
    captured.stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    captured.stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    captured.stdout.mockRestore();
    captured.stderr.mockRestore();
    printSynthMessagesInTests(false);
  });
  return {
    get stdout() {
      return captured.stdout;
    },
    get stderr() {
      return captured.stderr;
    },
  };
}

/** Everything a write spy received, joined. */
export const written = (spy: jest.SpyInstance): string => spy.mock.calls.map((c) => String(c[0])).join('');
