import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { FunctionCode, type FunctionCodeProps } from '../../lib/code/function-code';
import { printSynthMessagesInTests } from '../../lib/core/synth-messages';

export { REPO_ROOT, CHAT_APP, CHAT_ENTRIES, CHAT_EXTRA, tempDir, cleanupTempDirs, makeProject, copyChatApp } from './project-helpers';

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
