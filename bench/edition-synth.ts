/**
 * P6 editions: the P1 synth (fresh `node` process → cdk.tf.json of the example's ChatStack) on CDK Terrain vs CDK for
 * Terraform, in the same run. The cdktn side is a second compiled mirror whose specifiers are rewritten as in the
 * published cdktn edition (compiled-programs.ts, build/module-specifiers.ts). Informational: no goal; the check is
 * that both synthesize the same resource types and counts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BenchCheckFailure, formatSummary, runNode, verdict, type BenchContext, type MetricResult } from './bench-context';
import { BENCH_CACHE, compileMirror } from './compiled-programs';
import { runAlternating, summarize } from './sample-statistics';
import { countDifferences, resourceTypeCounts } from './synth-time';

export function measureEditionSynth(ctx: BenchContext): MetricResult {
  const cdktnMirror = compileMirror(path.join(BENCH_CACHE, 'build-cdktn'), 'cdktn');
  ctx.log(`P6 compiled the cdktn mirror to ${path.relative(process.cwd(), cdktnMirror.root)}`);
  const mirrors = { cdktf: ctx.mirror, cdktn: cdktnMirror };
  const args = ['--stack', ctx.app === 'example' ? 'chat' : 'replica', '--app', ctx.app];
  const run = (edition: 'cdktf' | 'cdktn', name: string) => {
    const outdir = path.join(ctx.workDir, 'p6', `${edition}-${name}`);
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(outdir), { recursive: true });
    const mirror = mirrors[edition];
    return runNode(mirror.js('bench/programs/synth-chat.ts'), ['--root', mirror.root, ...args, '--outdir', outdir], { cwd: ctx.workDir });
  };

  // Warm-up doubling as the check: the same resources from both cores, and each run really on its core.
  const warm = { cdktf: run('cdktf', 'warmup'), cdktn: run('cdktn', 'warmup') };
  const differences = countDifferences(resourceTypeCounts(String(warm.cdktn.output.cdkTfJson)), resourceTypeCounts(String(warm.cdktf.output.cdkTfJson)));
  if (differences.length > 0) throw new BenchCheckFailure(`P6: cdktn and cdktf synthesize different resources (ours = cdktn):\n  ${differences.join('\n  ')}`);
  const manifestVersion = (r: typeof warm.cdktf): string =>
    String((JSON.parse(fs.readFileSync(path.join(path.dirname(String(r.output.cdkTfJson)), '..', '..', 'manifest.json'), 'utf8')) as { version: string }).version);
  const versions = { cdktf: manifestVersion(warm.cdktf), cdktn: manifestVersion(warm.cdktn) };
  if (versions.cdktf === versions.cdktn) throw new BenchCheckFailure(`P6: both runs report core version ${versions.cdktf}: the cdktn mirror is not on cdktn`);

  const runs = runAlternating(
    [
      { name: 'cdktn', run: (r: number) => run('cdktn', String(r)) },
      { name: 'cdktf', run: (r: number) => run('cdktf', String(r)) },
    ],
    ctx.repetitions,
  );
  const cdktn = summarize(runs.cdktn.map((r) => r.ms));
  const cdktf = summarize(runs.cdktf.map((r) => r.ms));
  const importsMs = (list: typeof runs.cdktn): number => summarize(list.map((r) => Number((r.output.phasesMs as Record<string, number>).imports))).median;
  const ratio = cdktn.median / cdktf.median;
  return {
    id: 'P6',
    title: 'synth on cdktn vs cdktf (same example, fresh process → cdk.tf.json)',
    unit: 'ms',
    candidate: cdktn,
    baseline: cdktf,
    ratio,
    ratioLabel: 'cdktn / cdktf',
    goal: 'none (info)',
    met: null,
    lines: [
      `P6 editions     cdktn ${versions.cdktn} ${formatSummary(cdktn, 's')}  cdktf ${versions.cdktf} ${formatSummary(cdktf, 's')}  ` +
        `ratio cdktn/cdktf ${ratio.toFixed(2)}x  (imports ${importsMs(runs.cdktn).toFixed(0)} vs ${importsMs(runs.cdktf).toFixed(0)} ms; same resources): ${verdict(null)}`,
    ],
    details: { coreVersions: versions, importsMedianMs: { cdktn: importsMs(runs.cdktn), cdktf: importsMs(runs.cdktf) } },
  };
}
