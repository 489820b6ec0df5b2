/**
 * P2 package size: the library's bundled zip (buildFunctionPackage, as FunctionCode builds it) vs a zip of the
 * unbundled deployment (compiled handlers + `npm install --omit=dev` node_modules; bench/unbundled-baseline.ts),
 * both zipped with the same reproducible fflate settings. Goal: bundled <= 1/20 of the baseline.
 * Also reports the bundling time of the example app (packaging issue goal: <= 0.5 s), measured in-process.
 */
import * as path from 'path';
import { buildFunctionPackage, type BuiltFunctionPackage } from '../lib/code/private/package-builder';
import { packageBuildOptions, type FunctionCodeProps } from '../lib/code/function-code';
import { formatBytes, formatSummary, verdict, type BenchContext, type MetricResult } from './bench-context';
import { prepareUnbundledApp, zipUnbundledApp, type UnbundledApp } from './unbundled-baseline';
import { msSince, summarize } from './sample-statistics';

export interface PackageSizeOutcome {
  readonly results: MetricResult[];
  readonly bundled: BuiltFunctionPackage;
  readonly unbundled: UnbundledApp;
}

export function measurePackageSize(ctx: BenchContext, code: FunctionCodeProps): PackageSizeOutcome {
  const options = packageBuildOptions(code);
  // cache: false, so every repetition records and zips (the build cache is what P1/P5 synths use)
  const staging = { stagingDirectory: path.join(ctx.workDir, 'p2-staging'), cache: false };
  buildFunctionPackage(options, staging); // warm-up: esbuild service binary and file cache
  const times: number[] = [];
  let bundled: BuiltFunctionPackage | undefined;
  for (let i = 0; i < ctx.repetitions; i++) {
    const started = process.hrtime.bigint();
    bundled = buildFunctionPackage(options, staging);
    times.push(msSince(started));
  }
  const bundling = summarize(times);

  const unbundled = prepareUnbundledApp(code, { reuseInstall: ctx.quick });
  ctx.log(
    unbundled.installed
      ? `P2 baseline: npm install --omit=dev of ${JSON.stringify(unbundled.dependencies)} took ${unbundled.installSeconds.toFixed(1)} s`
      : `P2 baseline: reused cached node_modules for ${JSON.stringify(unbundled.dependencies)}`,
  );
  const baseline = zipUnbundledApp(unbundled);
  const ratio = bundled!.sizeBytes / baseline.zip.byteLength;
  const sizeMet = ratio <= 1 / 20;
  const bundlingMet = bundling.median <= 500;
  const sizeResult: MetricResult = {
    id: 'P2',
    title: 'package size (zip bytes)',
    unit: 'bytes',
    ratio,
    ratioLabel: 'bundled / unbundled',
    goal: 'bundled <= 1/20 of unbundled',
    met: sizeMet,
    lines: [
      `P2 package size bundled ${formatBytes(bundled!.sizeBytes)} (${bundled!.fileNames.length} files)  ` +
        `unbundled ${formatBytes(baseline.zip.byteLength)} (${baseline.files} files)  ratio 1/${(1 / ratio).toFixed(1)}  goal <= 1/20: ${verdict(sizeMet)}`,
    ],
    details: {
      bundledBytes: bundled!.sizeBytes,
      bundledFiles: bundled!.fileNames,
      unbundledBytes: baseline.zip.byteLength,
      unbundledFiles: baseline.files,
      unbundledDependencies: unbundled.dependencies,
      npmInstallRan: unbundled.installed,
    },
  };
  const bundlingResult: MetricResult = {
    id: 'P2b',
    title: 'bundling time (buildFunctionPackage, in-process)',
    unit: 'ms',
    candidate: bundling,
    goal: '<= 0.5 s',
    met: bundlingMet,
    lines: [`P2b bundling    ${formatSummary(bundling, 'ms')} (bundle + registration recorder + zip)  goal <= 0.5 s: ${verdict(bundlingMet)}`],
  };
  return { results: [sizeResult, bundlingResult], bundled: bundled!, unbundled };
}
