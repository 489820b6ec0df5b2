/**
 * What every measurement gets from the orchestrator, the child-process runner they share, and the result shape
 * written to `bench/results/*.json`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { ChatAppKind } from './programs/chat-app-code';
import type { CompiledMirror } from './compiled-programs';
import type { SampleSummary } from './sample-statistics';

export interface BenchContext {
  readonly quick: boolean;
  readonly repetitions: number;
  readonly mirror: CompiledMirror;
  readonly app: ChatAppKind;
  /** Scratch directory of this run (outdirs, extracted packages). */
  readonly workDir: string;
  /** Prints a progress line (stderr). */
  log(message: string): void;
}

/** One benchmark line: what was measured, the figures, and whether the goal is met. */
export interface MetricResult {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly candidate?: SampleSummary;
  readonly baseline?: SampleSummary;
  /** The compared ratio, as stated by `ratioLabel`. */
  readonly ratio?: number;
  readonly ratioLabel?: string;
  readonly goal: string;
  /** `null`: informational, no goal. */
  readonly met: boolean | null;
  /** The printed line(s). */
  readonly lines: string[];
  readonly details?: Record<string, unknown>;
}

/** A correctness check of the benchmark failed (e.g. the baseline is not equivalent): the run exits non-zero. */
export class BenchCheckFailure extends Error {}

export interface ChildRun {
  /** Wall time of the child (`process.hrtime` around `spawnSync`), ms. */
  readonly ms: number;
  /** The child's last stdout line, parsed. */
  readonly output: Record<string, unknown>;
  /** Peak RSS of the child in kB: GNU time's `%M` when `measureWithTime` and available, else the child's own report. */
  readonly maxRssKb: number;
}

const GNU_TIME = '/usr/bin/time';
export const HAS_GNU_TIME = fs.existsSync(GNU_TIME);

/** Runs `node <script> ...args` and times it; throws with the child's stderr when it fails. */
export function runNode(script: string, args: readonly string[], options: { cwd?: string; measureWithTime?: boolean; rssFile?: string } = {}): ChildRun {
  const useTime = options.measureWithTime === true && HAS_GNU_TIME && options.rssFile !== undefined;
  const command = useTime ? GNU_TIME : process.execPath;
  const argv = useTime ? ['-f', '%M', '-o', options.rssFile!, process.execPath, script, ...args] : [script, ...args];
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // tsx's loader hooks must not leak into the precompiled children
  const started = process.hrtime.bigint();
  const child = spawnSync(command, argv, { cwd: options.cwd, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) {
    throw new Error(`${path.basename(script)} ${args.join(' ')} exited with ${child.status ?? child.signal}:\n${child.stderr}`);
  }
  const lines = child.stdout.trim().split('\n');
  const output = JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
  let maxRssKb = Number(output.maxRssKb);
  if (useTime) {
    const reported = Number(fs.readFileSync(options.rssFile!, 'utf8').trim().split('\n').pop());
    if (Number.isFinite(reported) && reported > 0) maxRssKb = reported;
  }
  return { ms, output, maxRssKb };
}

/** `1.23 s [1.10–1.40]` style rendering of a summary. */
export function formatSummary(s: SampleSummary, unit: 'ms' | 's' | 'MB' | 'kB'): string {
  const f = (v: number): string => (unit === 's' ? (v / 1000).toFixed(2) : unit === 'MB' ? (v / 1024).toFixed(0) : v.toFixed(unit === 'ms' ? 0 : 1));
  return `${f(s.median)} ${unit} [${f(s.min)}–${f(s.max)}]`;
}

export function verdict(met: boolean | null): string {
  return met === null ? 'info' : met ? 'MET' : 'NOT MET';
}

/** Byte size as kB/MB. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
}
