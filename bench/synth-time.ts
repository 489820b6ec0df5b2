/**
 * P1 synth: a fresh `node` process synthesizing the example topology (process start → cdk.tf.json written), the
 * library's deep imports vs the naive barrel-import baseline (bench/naive/). Both run precompiled (see
 * compiled-programs.ts). Goal: ours >= 5x faster than the baseline and under 1.5 s.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BenchCheckFailure, formatSummary, runNode, verdict, type BenchContext, type MetricResult } from './bench-context';
import { runAlternating, summarize } from './sample-statistics';

/** `resource.<type>` / `data.<type>` → count, from a cdk.tf.json. */
export function resourceTypeCounts(cdkTfJson: string): Record<string, number> {
  const doc = JSON.parse(fs.readFileSync(cdkTfJson, 'utf8')) as Record<string, Record<string, Record<string, unknown>> | undefined>;
  const counts: Record<string, number> = {};
  for (const block of ['resource', 'data'] as const) {
    for (const [type, instances] of Object.entries(doc[block] ?? {})) counts[`${block}.${type}`] = Object.keys(instances).length;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** Differences between two type-count maps, as readable strings (empty: equivalent). */
export function countDifferences(ours: Record<string, number>, naive: Record<string, number>): string[] {
  const types = [...new Set([...Object.keys(ours), ...Object.keys(naive)])].sort();
  return types.filter((t) => ours[t] !== naive[t]).map((t) => `${t}: ours ${ours[t] ?? 0}, naive ${naive[t] ?? 0}`);
}

export function measureSynthTime(ctx: BenchContext): MetricResult {
  const root = ctx.mirror.root;
  const oursScript = ctx.mirror.js('bench/programs/synth-chat.ts');
  const naiveScript = ctx.mirror.js('bench/naive/synth-naive.ts');
  const oursArgs = ['--root', root, '--stack', ctx.app === 'example' ? 'chat' : 'replica', '--app', ctx.app];
  const naiveArgs = ['--root', root, '--app', ctx.app];
  const outdir = (name: string): string => {
    const dir = path.join(ctx.workDir, 'p1', name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    return dir;
  };

  // Warm-up (page cache, esbuild binary) doubling as the equivalence check.
  const oursWarm = runNode(oursScript, [...oursArgs, '--outdir', outdir('ours-warmup')], { cwd: ctx.workDir });
  const naiveWarm = runNode(naiveScript, [...naiveArgs, '--outdir', outdir('naive-warmup')], { cwd: ctx.workDir });
  // Once more: the mirror was just written, and the bundle cache stores a bundle only when its inputs are more than
  // 2 s old (package-builder.ts); the timed runs are then unchanged re-synths, as a user's second `cdktf synth` is.
  runNode(oursScript, [...oursArgs, '--outdir', outdir('ours-warmup-2')], { cwd: ctx.workDir });
  const oursCounts = resourceTypeCounts(String(oursWarm.output.cdkTfJson));
  const naiveCounts = resourceTypeCounts(String(naiveWarm.output.cdkTfJson));
  const differences = countDifferences(oursCounts, naiveCounts);
  if (differences.length > 0) {
    throw new BenchCheckFailure(`P1: the naive baseline is not equivalent to the example topology:\n  ${differences.join('\n  ')}`);
  }
  const resourceCount = Object.values(oursCounts).reduce((a, b) => a + b, 0);
  ctx.log(`P1 equivalence: ${resourceCount} resources/data sources of ${Object.keys(oursCounts).length} types in both`);

  const runs = runAlternating(
    [
      { name: 'ours', run: (r: number) => runNode(oursScript, [...oursArgs, '--outdir', outdir(`ours-${r}`)], { cwd: ctx.workDir }) },
      { name: 'naive', run: (r: number) => runNode(naiveScript, [...naiveArgs, '--outdir', outdir(`naive-${r}`)], { cwd: ctx.workDir }) },
    ],
    ctx.repetitions,
  );
  const ours = summarize(runs.ours.map((r) => r.ms));
  const naive = summarize(runs.naive.map((r) => r.ms));
  const oursRss = summarize(runs.ours.map((r) => r.maxRssKb));
  const naiveRss = summarize(runs.naive.map((r) => r.maxRssKb));
  const phases = (list: typeof runs.ours): Record<string, number> => {
    const names = ['boot', 'imports', 'construct', 'synth'];
    return Object.fromEntries(names.map((n) => [n, summarize(list.map((r) => Number((r.output.phasesMs as Record<string, number>)[n]))).median]));
  };
  const oursPhases = phases(runs.ours);
  const naivePhases = phases(runs.naive);
  const showPhases = (p: Record<string, number>): string => Object.entries(p).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
  const ratio = naive.median / ours.median;
  const met = ratio >= 5 && ours.median < 1500;
  return {
    id: 'P1',
    title: 'synth (fresh process → cdk.tf.json)',
    unit: 'ms',
    candidate: ours,
    baseline: naive,
    ratio,
    ratioLabel: 'naive / ours',
    goal: 'ours >= 5x faster and < 1.5 s',
    met,
    lines: [
      `P1 synth        ours ${formatSummary(ours, 's')}  naive(barrel) ${formatSummary(naive, 's')}  ratio ${ratio.toFixed(1)}x faster  ` +
        `goal >= 5x and < 1.5 s: ${verdict(met)}`,
      `   phases (ms)  ours ${showPhases(oursPhases)}  |  naive ${showPhases(naivePhases)}  (medians; construct includes packaging the code; imports alone ${(naivePhases.imports / oursPhases.imports).toFixed(1)}x, info)`,
      `   peak RSS     ours ${formatSummary(oursRss, 'MB')}  naive ${formatSummary(naiveRss, 'MB')}  (info; ${resourceCount} resources, equivalent type counts)`,
    ],
    details: { stack: ctx.app === 'example' ? 'examples/chat ChatStack' : 'replica with fixture code', resourceTypeCounts: oursCounts, peakRssKb: { ours: oursRss, naive: naiveRss }, phaseMediansMs: { ours: oursPhases, naive: naivePhases } },
  };
}
