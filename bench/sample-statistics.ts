/** Summary statistics of repeated measurements and the alternating (ABBA) runner the benchmarks share. */

/** Median, extremes and count of a sample. */
export interface SampleSummary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
  readonly samples: number[];
}

/** Summarizes a non-empty sample (the median of an even count is the mean of the two middle values). */
export function summarize(samples: readonly number[]): SampleSummary {
  if (samples.length === 0) throw new Error('summarize: empty sample');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length, samples: [...samples] };
}

/**
 * Runs every variant `repetitions` times, interleaved: round r runs the variants in order when r is even and in
 * reverse order when r is odd (A B, B A, A B...), so slow drift of the machine's load hits all variants alike.
 * @returns the measurements per variant name, in run order
 */
export function runAlternating<T>(
  variants: ReadonlyArray<{ readonly name: string; readonly run: (round: number) => T }>,
  repetitions: number,
): Record<string, T[]> {
  const results: Record<string, T[]> = {};
  for (const v of variants) results[v.name] = [];
  for (let round = 0; round < repetitions; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const v of order) results[v.name].push(v.run(round));
  }
  return results;
}

/** Milliseconds elapsed since `start` (a `process.hrtime.bigint()` value). */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
