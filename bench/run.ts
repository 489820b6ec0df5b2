/**
 * `npm run bench` (full, 7 repetitions) / `npm run bench -- --quick` (3 repetitions, reuses the cached npm install;
 * under a minute). Runs P1–P7 in one invocation, prints one line per metric with its ratio and whether it meets its
 * goal, and writes the results to `bench/results/<timestamp>.json` and `bench/results/latest.json`.
 *
 * Options: --quick, --repetitions <n>, --only P1,P3 (subset). Exit code 1 when a correctness check fails (naive
 * baseline not equivalent, churn not package-only, registrations differ) or a measurement cannot run; unmet
 * performance goals are reported, not failed (timings on a shared machine are noisy).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { BenchCheckFailure, type BenchContext, type MetricResult } from './bench-context';
import { measureChurn } from './churn';
import { measureDeployGraph } from './deploy-critical-path';
import { measureColdStart } from './cold-start';
import { measureEditionSynth } from './edition-synth';
import { BENCH_CACHE, compileMirror, REPO_ROOT } from './compiled-programs';
import { measurePackageSize } from './package-size';
import { chatAppCode, detectChatApp } from './programs/chat-app-code';
import { msSince } from './sample-statistics';
import { measureSynthScaling } from './synth-scaling';
import { measureSynthTime } from './synth-time';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    repetitions: { type: 'string' },
    only: { type: 'string' },
  },
});
const quick = values.quick ?? false;
const repetitions = values.repetitions !== undefined ? Number(values.repetitions) : quick ? 3 : 7;
if (!Number.isInteger(repetitions) || repetitions < 1) throw new Error(`--repetitions must be a positive integer, got ${values.repetitions}`);
const only = new Set((values.only ?? 'P1,P2,P3,P4,P5,P6,P7').split(',').map((s) => s.trim().toUpperCase()));

function main(): number {
  const started = process.hrtime.bigint();
  const log = (message: string): void => {
    process.stderr.write(`  [${(msSince(started) / 1000).toFixed(1)} s] ${message}\n`);
  };
  const cpus = os.cpus();
  const machine = {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemGb: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
  const app = detectChatApp(REPO_ROOT);
  console.log(`cdktf-azure-webpubsub bench (${quick ? 'quick' : 'full'}, ${repetitions} repetitions, alternating runs; medians [min–max])`);
  console.log(`machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.totalMemGb} GB, node ${machine.node}, ${machine.platform}, load ${machine.loadAverageAtStart.join(' ')}`);
  console.log(
    `app: ${app === 'example' ? 'examples/chat (ChatStack, functions/index.ts)' : 'test/code/fixtures/chat-app (examples/chat is incomplete: fallback)'}`,
  );

  const workDir = path.join(BENCH_CACHE, 'runs');
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  const mirror = compileMirror();
  log(`compiled lib, example and bench programs to ${path.relative(REPO_ROOT, mirror.root)} (esbuild, per file)`);
  const ctx: BenchContext = { quick, repetitions, mirror, app, workDir, log };

  const results: MetricResult[] = [];
  const failures: string[] = [];
  const record = (r: MetricResult): void => {
    results.push(r);
    for (const line of r.lines) console.log(line);
    if (r.unit === 'check' && r.met === false) failures.push(`${r.id}: ${r.goal}`);
  };
  const guarded = (id: string, fn: () => void): void => {
    if (!only.has(id)) return;
    try {
      fn();
    } catch (err) {
      // A failed check, or a measurement that could not run (e.g. the example does not synthesize): report it, go on.
      const message = err instanceof Error ? err.message : String(err);
      console.log(`${id} ${err instanceof BenchCheckFailure ? 'CHECK FAILED' : 'ERROR'}: ${message}`);
      failures.push(`${id}: ${message.split('\n')[0]}`);
    }
  };

  guarded('P1', () => record(measureSynthTime(ctx)));
  if (only.has('P2') || only.has('P3')) {
    guarded('P2', () => {
      const code = chatAppCode(app, REPO_ROOT, false).code;
      const size = measurePackageSize(ctx, code);
      size.results.forEach(record);
      guarded('P3', () => record(measureColdStart(ctx, new Uint8Array(fs.readFileSync(size.bundled.zipPath)), size.unbundled)));
    });
  }
  guarded('P4', () => record(measureSynthScaling(ctx)));
  guarded('P5', () => record(measureChurn(ctx)));
  guarded('P6', () => record(measureEditionSynth(ctx)));
  guarded('P7', () => record(measureDeployGraph(ctx)));

  const totalSeconds = msSince(started) / 1000;
  const goals = results.filter((r) => r.met !== null);
  console.log(
    `goals met: ${goals.filter((r) => r.met).length}/${goals.length}` +
      (failures.length > 0 ? `; CHECKS FAILED: ${failures.length}` : '; all checks passed') +
      `; ${totalSeconds.toFixed(1)} s`,
  );

  const timestamp = new Date().toISOString();
  const document = { timestamp, mode: quick ? 'quick' : 'full', repetitions, app, machine, totalSeconds, failures, results };
  const resultsDir = path.join(REPO_ROOT, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${timestamp.replace(/[:.]/g, '-')}.json`);
  const text = JSON.stringify(document, null, 2) + '\n';
  fs.writeFileSync(file, text);
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), text);
  console.log(`results: ${path.relative(process.cwd(), file)} (and bench/results/latest.json)`);
  return failures.length > 0 ? 1 : 0;
}

process.exitCode = main();
