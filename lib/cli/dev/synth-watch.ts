/**
 * `dev --watch`: rebuilds the package the way the deploy builds it, by synthesizing the app again, when a file of the
 * code's project changes. Re-running the synth (rather than bundling here) keeps one build: the same esbuild options,
 * externals, extra files and host.json as the deployed package, and the manifest that says where it is. The command
 * is the `app` of cdktf.json (what `cdktf synth` runs) with `CDKTF_OUTDIR` set to the project's output directory, or
 * `--synth-command`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError, readJson } from '../deployment-inputs';
import { DEV_DIRECTORY } from './dev-project';

/** Directory names whose changes never trigger a rebuild (outputs, dependencies, VCS, the dev directory). */
const IGNORED = new Set(['node_modules', '.git', 'cdktf.out', DEV_DIRECTORY, '.terraform', 'dist', '.azurite']);

/** The synth command of the project: `app` from cdktf.json. */
export function defaultSynthCommand(cdktfProjectDir: string): string {
  const raw = readJson(path.join(cdktfProjectDir, 'cdktf.json'), 'cdktf.json', 'pass --synth-command <command>') as { app?: unknown };
  if (typeof raw?.app !== 'string' || raw.app.trim() === '') throw new CliError('cdktf.json has no "app" command: pass --synth-command <command>');
  return raw.app;
}

/** Runs the synth command in the cdktf project; resolves with its exit code (its output is prefixed with `synth`). */
export function runSynth(command: string, cdktfProjectDir: string, outDir: string, log: (line: string) => void): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(command, { cwd: cdktfProjectDir, shell: true, env: { ...process.env, CDKTF_OUTDIR: outDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        for (const line of chunk.split(/\r?\n/)) if (line.trim() !== '') log(`[synth] ${line}`);
      });
    }
    child.once('error', (err) => {
      log(`[synth] could not run ${command}: ${err.message}`);
      resolve(null);
    });
    child.once('exit', (code) => resolve(code));
  });
}

/**
 * Calls `onChange` (debounced by `delayMs`) when a file under `dir` changes, ignoring {@link IGNORED} directories and
 * local.settings.json. Uses `fs.watch` with `recursive` (Node.js 20 on Linux, macOS and Windows). Returns a stop function.
 */
export function watchSources(dir: string, onChange: (file: string) => void, delayMs = 300): () => void {
  let timer: NodeJS.Timeout | undefined;
  let last = '';
  const watcher = fs.watch(dir, { recursive: true }, (_event, filename) => {
    const name = filename ? String(filename) : '';
    if (name !== '' && (name.split(/[\\/]/).some((p) => IGNORED.has(p)) || path.basename(name).startsWith('local.settings.json'))) return;
    last = name;
    clearTimeout(timer);
    timer = setTimeout(() => onChange(last), delayMs);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
