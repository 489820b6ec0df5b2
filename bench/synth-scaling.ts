/**
 * P4 scaling: synth time and peak memory of one stack composing 1, 5 and 20 chat topologies (Web PubSub service +
 * hub + function app with identity, storage, insights, roles, package; bench/programs/chat-topology.ts), sharing one
 * code package so the figures show the construct and synth cost per app, not repeated bundling (P2b has that).
 * Time is reported two ways: the child's wall time (spawnSync), and the in-child "topology time" = construct + synth
 * phases minus the one-time packaging (performance.now() marks in bench/programs/synth-chat.ts). The marginal cost
 * per app is computed on the topology time: the wall time carries ~1 s of fixed cost (node start, module loading,
 * packaging) whose run-to-run noise on a busy machine is larger than a few apps' cost.
 * Reports the marginal cost per app and flags worse than linear: the per-app marginal cost from 5 to 20 apps more
 * than 1.5x the one from 1 to 5, beyond the samples' noise (see `marginals`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatSummary, HAS_GNU_TIME, runNode, verdict, type BenchContext, type MetricResult } from './bench-context';
import { runAlternating, summarize, type SampleSummary } from './sample-statistics';

const COUNTS = [1, 5, 20] as const;
const SUPERLINEAR_FACTOR = 1.5;

interface Marginals {
  readonly from1to5: number;
  readonly from5to20: number;
  /** Uncertainty of `from5to20 - 1.5 * from1to5` from the samples' spread (half-ranges), per app. */
  readonly noise: number;
  readonly verdict: 'linear or better' | 'WORSE THAN LINEAR' | 'inconclusive (within noise)';
}

/**
 * Marginal cost per app between 1 and 5, and 5 and 20 apps (from medians). Worse than linear when the second exceeds
 * 1.5x the first by more than the noise the samples' spread implies (and an absolute floor); between the two,
 * inconclusive: on a busy 2-core machine the 1→5 difference (4 apps) is often within the run-to-run spread.
 */
function marginals(s: readonly SampleSummary[], floor: number): Marginals {
  const halfRange = (x: SampleSummary): number => (x.max - x.min) / 2;
  const d1 = COUNTS[1] - COUNTS[0];
  const d2 = COUNTS[2] - COUNTS[1];
  const from1to5 = (s[1].median - s[0].median) / d1;
  const from5to20 = (s[2].median - s[1].median) / d2;
  const noise = (halfRange(s[1]) + halfRange(s[2])) / d2 + (SUPERLINEAR_FACTOR * (halfRange(s[0]) + halfRange(s[1]))) / d1;
  const excess = from5to20 - SUPERLINEAR_FACTOR * Math.max(from1to5, 0);
  const verdict = excess <= 0 || excess <= floor ? 'linear or better' : excess > noise ? 'WORSE THAN LINEAR' : 'inconclusive (within noise)';
  return { from1to5, from5to20, noise, verdict };
}

export function measureSynthScaling(ctx: BenchContext): MetricResult {
  const script = ctx.mirror.js('bench/programs/synth-chat.ts');
  const run = (count: number, round: number): ReturnType<typeof runNode> => {
    const outdir = path.join(ctx.workDir, 'p4', `n${count}-${round}`);
    fs.rmSync(outdir, { recursive: true, force: true });
    return runNode(
      script,
      ['--root', ctx.mirror.root, '--stack', 'replica', '--app', ctx.app, '--topologies', String(count), '--outdir', outdir],
      { cwd: ctx.workDir, measureWithTime: true, rssFile: path.join(ctx.workDir, 'p4', `n${count}-${round}.rss`) },
    );
  };
  fs.mkdirSync(path.join(ctx.workDir, 'p4'), { recursive: true });
  run(1, -1); // warm-up
  const runs = runAlternating(
    COUNTS.map((count) => ({ name: String(count), run: (round: number) => run(count, round) })),
    ctx.repetitions,
  );
  const wall: SampleSummary[] = COUNTS.map((c) => summarize(runs[String(c)].map((r) => r.ms)));
  const topologyMs = (r: ReturnType<typeof runNode>): number => {
    const p = r.output.phasesMs as Record<string, number>;
    return p.construct - (p.packaging ?? 0) + p.synth;
  };
  const time: SampleSummary[] = COUNTS.map((c) => summarize(runs[String(c)].map(topologyMs)));
  const rss: SampleSummary[] = COUNTS.map((c) => summarize(runs[String(c)].map((r) => r.maxRssKb)));
  const t = marginals(time, 5);
  const m = marginals(rss, 2048);
  const met = t.verdict !== 'WORSE THAN LINEAR' && m.verdict !== 'WORSE THAN LINEAR';
  const flag = (x: Marginals, unit: (v: number) => string): string => `${x.verdict}${x.verdict === 'linear or better' ? '' : `, noise ±${unit(x.noise)}/app`}`;
  const ms = (v: number): string => `${v.toFixed(0)} ms`;
  const mb = (v: number): string => `${(v / 1024).toFixed(1)} MB`;
  return {
    id: 'P4',
    title: 'scaling: 1 / 5 / 20 topologies in one stack',
    unit: 'ms',
    ratio: t.from1to5 > 0 ? t.from5to20 / t.from1to5 : undefined,
    ratioLabel: 'marginal ms/app 5→20 over 1→5',
    goal: `marginal cost per app 5→20 <= ${SUPERLINEAR_FACTOR}x that of 1→5 (time and memory)`,
    met,
    lines: [
      `P4 scaling      wall ${COUNTS.map((c, i) => `${c}: ${formatSummary(wall[i], 's')}`).join('  ')}`,
      `                topology time (construct+synth, no packaging) ${COUNTS.map((c, i) => `${c}: ${formatSummary(time[i], 'ms')}`).join('  ')}`,
      `                marginal ${t.from1to5.toFixed(0)} ms/app (1→5), ${t.from5to20.toFixed(0)} ms/app (5→20)  ratio ${
        t.from1to5 > 0 ? (t.from5to20 / t.from1to5).toFixed(2) : 'n/a'
      }: ${flag(t, ms)}`,
      `                peak RSS${HAS_GNU_TIME ? ' (GNU time %M)' : ' (child maxRSS)'} ${COUNTS.map((c, i) => `${c}: ${formatSummary(rss[i], 'MB')}`).join('  ')}`,
      `                marginal ${(m.from1to5 / 1024).toFixed(1)} MB/app (1→5), ${(m.from5to20 / 1024).toFixed(1)} MB/app (5→20): ${flag(m, mb)}  ` +
        `goal <= ${SUPERLINEAR_FACTOR}x: ${verdict(met)}`,
    ],
    details: {
      counts: COUNTS,
      wallMs: Object.fromEntries(COUNTS.map((c, i) => [c, wall[i]])),
      topologyMs: Object.fromEntries(COUNTS.map((c, i) => [c, time[i]])),
      peakRssKb: Object.fromEntries(COUNTS.map((c, i) => [c, rss[i]])),
      marginalMsPerApp: t,
      marginalKbPerApp: m,
      rssSource: HAS_GNU_TIME ? '/usr/bin/time %M' : 'process.resourceUsage().maxRSS',
    },
  };
}
