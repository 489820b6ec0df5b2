/**
 * P3 cold start: a fresh `node` process `require`s the function app's entry with a stand-in for
 * `@azure/functions-core` (bench/programs/require-entry.ts); the time is taken inside the child around `require`.
 * Bundled: the zip of P2 extracted, `dist/index.js`. Unbundled: the compiled entry with its node_modules.
 * Goal: bundled <= 1/5 of unbundled.
 */
import * as fs from 'fs';
import * as path from 'path';
import { unzipSync } from 'fflate';
import { BUNDLE_PATH } from '../lib/code/private/function-bundler';
import { BenchCheckFailure, formatSummary, runNode, verdict, type BenchContext, type MetricResult } from './bench-context';
import type { UnbundledApp } from './unbundled-baseline';
import { runAlternating, summarize } from './sample-statistics';

/** Extracts a zip into `dir` (emptied first). */
export function extractZip(zip: Uint8Array, dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [name, data] of Object.entries(unzipSync(zip))) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
  }
}

export function measureColdStart(ctx: BenchContext, bundledZip: Uint8Array, unbundled: UnbundledApp): MetricResult {
  const bundledDir = path.join(ctx.workDir, 'p3', 'bundled');
  extractZip(bundledZip, bundledDir);
  const bundledEntry = path.join(bundledDir, BUNDLE_PATH);
  const script = ctx.mirror.js('bench/programs/require-entry.ts');

  const warmBundled = runNode(script, [bundledEntry]);
  const warmUnbundled = runNode(script, [unbundled.main]);
  if (warmBundled.output.registrations !== warmUnbundled.output.registrations || Number(warmBundled.output.registrations) === 0) {
    throw new BenchCheckFailure(
      `P3: bundled and unbundled entries register different functions (${String(warmBundled.output.registrations)} vs ${String(warmUnbundled.output.registrations)})`,
    );
  }
  const runs = runAlternating(
    [
      { name: 'bundled', run: () => runNode(script, [bundledEntry]) },
      { name: 'unbundled', run: () => runNode(script, [unbundled.main]) },
    ],
    ctx.repetitions,
  );
  const bundled = summarize(runs.bundled.map((r) => Number(r.output.requireMs)));
  const baseline = summarize(runs.unbundled.map((r) => Number(r.output.requireMs)));
  const bundledWall = summarize(runs.bundled.map((r) => r.ms));
  const baselineWall = summarize(runs.unbundled.map((r) => r.ms));
  const ratio = bundled.median / baseline.median;
  const met = ratio <= 1 / 5;
  return {
    id: 'P3',
    title: 'cold require of the entry (in-child hrtime)',
    unit: 'ms',
    candidate: bundled,
    baseline,
    ratio,
    ratioLabel: 'bundled / unbundled',
    goal: 'bundled <= 1/5 of unbundled',
    met,
    lines: [
      `P3 cold require bundled ${formatSummary(bundled, 'ms')}  unbundled ${formatSummary(baseline, 'ms')}  ratio 1/${(1 / ratio).toFixed(1)}  ` +
        `goal <= 1/5: ${verdict(met)}  (${String(warmBundled.output.registrations)} functions registered by both)`,
      `   process wall bundled ${formatSummary(bundledWall, 'ms')}  unbundled ${formatSummary(baselineWall, 'ms')}  (info: node start + require + exit)`,
    ],
    details: { registrations: warmBundled.output.registrations, processWallMs: { bundled: bundledWall, unbundled: baselineWall } },
  };
}
