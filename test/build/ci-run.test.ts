/**
 * .ci/run's summary: the node script it runs on Jest's --json results, extracted verbatim and fed synthetic results
 * (running .ci/run itself would run the whole suite). Skips are counted; a skipped browser test fails the run; skipped
 * Terraform-dependent tests are announced loudly.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO_ROOT = path.join(__dirname, '..', '..');
const ciRun = fs.readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8');
const script = /\n {2}node -e '\n([\s\S]*?)\n {2}' "\$results" \|\| status=1\n/.exec(ciRun)?.[1];

function summarize(results: object): { code: number; lines: string[] } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ci-run-')), 'jest.json');
  fs.writeFileSync(file, JSON.stringify(results));
  const r = spawnSync(process.execPath, ['-e', script!, file], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { code: r.status ?? 1, lines: `${r.stdout}${r.stderr}`.trimEnd().split('\n') };
}
const suite = (file: string, ...statuses: string[]) => ({
  name: path.join(REPO_ROOT, file),
  assertionResults: statuses.map((status, i) => ({ status, fullName: `${file} #${i}` })),
});
const results = (...testResults: object[]) => ({ numPassedTests: 5, numFailedTests: 0, numRuntimeErrorTestSuites: 0, testResults });

test('.ci/run still summarizes with the script this test extracts, and keeps its commands', () => {
  expect(script).toBeDefined();
  for (const cmd of ['npm ci', 'npm test', 'npm run lint', 'npm run api:check', 'npm run synth', 'npm run synth:cdktn', 'npm run synth:premium', 'npm run synth:private']) expect(ciRun).toContain(cmd);
});

test('the final line counts passed, failed and skipped tests; nothing skipped, nothing announced', () => {
  expect(summarize(results(suite('test/a.test.ts', 'passed')))).toEqual({ code: 0, lines: ['5 passed, 0 failed, 0 skipped'] });
  const some = summarize({ ...results(suite('test/code/staging-directory.test.ts', 'pending', 'passed')), numFailedTests: 2, numRuntimeErrorTestSuites: 1 });
  expect(some).toEqual({ code: 0, lines: ['5 passed, 3 failed, 1 skipped'] });
});

test('a skipped browser test (no chromium) fails the run and counts as failed', () => {
  const r = summarize(results(suite('test/chat-page/chat-page.test.ts', 'pending', 'pending')));
  expect(r.code).toBe(1);
  expect(r.lines.at(-2)).toMatch(/^FAILED: the chat page browser test skipped 2 test\(s\)/);
  expect(r.lines.at(-1)).toBe('5 passed, 2 failed, 0 skipped');
});

test('skipped Terraform-dependent tests are announced loudly, naming each, without failing the run', () => {
  const r = summarize(results(suite('test/core/terraform-config.test.ts', 'pending', 'pending'), suite('test/cli/workflow.test.ts', 'passed', 'pending')));
  expect(r.code).toBe(0);
  expect(r.lines).toContain('!!! 3 Terraform-dependent test(s) SKIPPED: no terraform on PATH. Not verified by Terraform here:');
  expect(r.lines).toContain('!!!   test/core/terraform-config.test.ts: test/core/terraform-config.test.ts #0');
  expect(r.lines).toContain('!!!   test/cli/workflow.test.ts: test/cli/workflow.test.ts #1');
  expect(r.lines.at(-1)).toBe('5 passed, 0 failed, 3 skipped');
});
