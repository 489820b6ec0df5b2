import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { printSynthMessagesInTests, reportProgress, synthRunner, warnAtSynth } from '../../lib/core/synth-messages';
import { EDITION_PACKAGE, TEST_EDITION, TSX_EDITION_ARGS } from '../edition';
import { REPO_ROOT, captureOutputPerTest, cleanupTempDirs, tempDir, written } from './helpers';

afterAll(cleanupTempDirs);

// A tiny app run the documented way (`tsx main.ts`) in a child process, on this Jest project's edition: a warning
// reported twice at construction, one reported by a validation, a progress line, and app.synth() called twice.
const APP_SOURCE = `
import { App, TerraformStack } from ${JSON.stringify(path.join(REPO_ROOT, 'node_modules', TEST_EDITION))};
import { reportProgress, warnAtSynth } from ${JSON.stringify(path.join(REPO_ROOT, 'lib', 'core/synth-messages'))};

const app = new App();
const stack = new TerraformStack(app, 'demo');
reportProgress('built the demo');
warnAtSynth(stack, 'demo warning: look at this');
warnAtSynth(stack, 'demo warning: look at this');
stack.node.addValidation({ validate: () => { warnAtSynth(stack, 'validation warning'); return []; } });
app.synth();
app.synth();
`;

interface AppRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly annotations: Array<{ level: string; message: string; constructPath: string }>;
}

/** Runs the app with tsx; `cdktfCliEnvironment` adds the variables the cdktf CLI sets for the app it synthesizes. */
function runApp(cdktfCliEnvironment: boolean): AppRun {
  const dir = tempDir('app');
  fs.writeFileSync(path.join(dir, 'main.ts'), APP_SOURCE);
  const outdir = path.join(dir, 'cdktf.out');
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name === 'JEST_WORKER_ID' || name.startsWith('CDKTF_')) delete env[name];
  if (cdktfCliEnvironment) {
    // as @cdktf/cli-core 0.21 synth-stack.js does (cdktn-cli 0.24 sets the same three)
    Object.assign(env, {
      CDKTF_OUTDIR: outdir,
      CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true',
      CDKTF_CONTEXT_JSON: JSON.stringify({ cdktfRelativeModules: [] }),
    });
  }
  const child = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [...TSX_EDITION_ARGS, 'main.ts'], { cwd: dir, env, encoding: 'utf8' });
  expect(child.status).toBe(0);
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  expect(manifest.version).toBe(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', TEST_EDITION, 'package.json'), 'utf8')).version);
  return { stdout: child.stdout, stderr: child.stderr, annotations: manifest.stacks.demo.annotations };
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

describe('synth messages of an app run with tsx (child process)', () => {
  test('run directly: each warning is printed once on stderr, progress on stdout, and both warnings are annotations', () => {
    const run = runApp(false);
    expect(lines(run.stderr)).toEqual(['WARN [demo]: demo warning: look at this', 'WARN [demo]: validation warning']);
    expect(lines(run.stdout)).toEqual([`[${EDITION_PACKAGE}] built the demo`]);
    expect(run.annotations.map((a) => [a.level, a.constructPath, a.message])).toEqual([
      ['@cdktf/warn', 'demo', 'demo warning: look at this'],
      ['@cdktf/warn', 'demo', 'validation warning'],
    ]);
  });

  test('run by the cdktf CLI: nothing on stderr (the CLI shows stderr as [ERROR]) and no WARN line of ours (the CLI prints the annotations)', () => {
    const run = runApp(true);
    expect(run.stderr).toBe('');
    expect(lines(run.stdout)).toEqual([`[${EDITION_PACKAGE}] built the demo`]);
    // what the CLI prints after the app exits, one line each: WARN [demo]: <message>
    expect(run.annotations.map((a) => [a.level, a.constructPath, a.message])).toEqual([
      ['@cdktf/warn', 'demo', 'demo warning: look at this'],
      ['@cdktf/warn', 'demo', 'validation warning'],
    ]);
  });
});

describe('synth messages in process', () => {
  const output = captureOutputPerTest();

  test('silent under Jest, but the warning is still an annotation', () => {
    const stack = new TerraformStack(Testing.app(), 'quiet');
    reportProgress('progress');
    warnAtSynth(stack, 'still recorded');
    expect(written(output.stdout) + written(output.stderr)).toBe('');
    expect(stack.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data)).toEqual(['still recorded']);
  });

  test('a test can opt in; separate apps each print their warning', () => {
    printSynthMessagesInTests(true);
    for (const app of [Testing.app(), Testing.app()]) warnAtSynth(new TerraformStack(app, 's'), 'twice, once per app');
    reportProgress('shown');
    expect(written(output.stderr)).toBe('WARN [s]: twice, once per app\n'.repeat(2));
    expect(written(output.stdout)).toBe(`[${EDITION_PACKAGE}] shown\n`);
  });

  test('a warning on a construct outside any stack goes to stdout under the CLI (it is not in the manifest)', () => {
    printSynthMessagesInTests(true);
    const saved = { ...process.env };
    Object.assign(process.env, { CDKTF_OUTDIR: tempDir(), CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true', CDKTF_CONTEXT_JSON: '{}' });
    try {
      const app = new App({ outdir: process.env.CDKTF_OUTDIR });
      warnAtSynth(app, 'app-level');
      warnAtSynth(new TerraformStack(app, 'in'), 'stack-level');
    } finally {
      for (const name of ['CDKTF_OUTDIR', 'CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS', 'CDKTF_CONTEXT_JSON']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
    expect(written(output.stdout)).toBe('WARN []: app-level\n');
    expect(written(output.stderr)).toBe('');
  });

  test('synthRunner recognises the cdktf CLI only by all three variables it sets', () => {
    const cli = { CDKTF_OUTDIR: 'out', CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true', CDKTF_CONTEXT_JSON: '{}' };
    expect(synthRunner(cli)).toBe('cdktf-cli');
    expect(synthRunner({ ...cli, CDKTF_CONTEXT_JSON: undefined })).toBe('direct');
    expect(synthRunner({ CDKTF_OUTDIR: 'out' })).toBe('direct');
    expect(synthRunner({})).toBe('direct');
  });
});
