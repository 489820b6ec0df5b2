/**
 * BASELINE for package size (P2) and cold start (P3): the same function app deployed the way `func azure functionapp
 * publish` ships a TypeScript app without a bundler: handlers compiled file by file (esbuild, `bundle: false`), plus
 * `npm install --omit=dev` node_modules of the handlers' runtime dependencies, plus host.json, package.json and the
 * same extra files (the chat page).
 *
 * The runtime dependencies are the bare imports esbuild finds when resolving the entry points (minus
 * `@azure/functions-core`, which the worker provides, and Node built-ins), at the versions of the root lock file
 * (or, for a dependency not locked yet, the version installed in the repo).
 * The project lives under `bench/.cache/unbundled/`; npm's cache under `bench/.cache/npm/`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import { buildSync, type Metafile } from 'esbuild';
import { FUNCTIONS_CORE_MODULE } from '../lib/code/private/function-bundler';
import { collectExtraFiles, packageNameOf, resolveEntryPoints } from '../lib/code/private/function-bundler';
import { buildHostJson, serializeHostJson } from '../lib/code/private/host-json';
import { createReproducibleZip } from '../lib/code/private/reproducible-zip';
import type { FunctionCodeProps } from '../lib/code/function-code';
import { BENCH_CACHE, REPO_ROOT } from './compiled-programs';

export interface UnbundledApp {
  /** Project directory: package.json, node_modules, dist/ (compiled handlers), host.json, extra files. */
  readonly dir: string;
  /** Absolute path of the compiled main (`package.json` `main`). */
  readonly main: string;
  /** name → version installed. */
  readonly dependencies: Record<string, string>;
  /** Whether npm install ran (false: reused the cached node_modules). */
  readonly installed: boolean;
  /** Seconds npm install took (0 when reused). */
  readonly installSeconds: number;
}

const MAIN = 'dist/main.js';

/** esbuild's view of the app's own sources: every local file reached, with its imports (packages stay external). */
function scanLocalSources(projectDir: string, entryPoints: readonly string[]): Metafile {
  const entries = resolveEntryPoints(projectDir, entryPoints);
  return buildSync({
    entryPoints: entries.map((e) => e.absolutePath),
    absWorkingDir: projectDir,
    bundle: true,
    write: false,
    metafile: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    outdir: path.join(projectDir, '.bench-out'),
    logLevel: 'silent',
  }).metafile!;
}

/** Bare package imports of the app's sources (transitively through local files), with the root lock's versions. */
export function runtimeDependencies(projectDir: string, entryPoints: readonly string[]): Record<string, string> {
  const names = new Set<string>();
  for (const input of Object.values(scanLocalSources(projectDir, entryPoints).inputs)) {
    for (const imp of input.imports) {
      if (!imp.external || imp.path.startsWith('.') || imp.path.startsWith('node:') || builtinModules.includes(imp.path)) continue;
      const name = packageNameOf(imp.path);
      if (name !== FUNCTIONS_CORE_MODULE) names.add(name);
    }
  }
  const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const deps: Record<string, string> = {};
  for (const name of [...names].sort()) {
    // The lock's version; else (a dependency added but not locked yet) the installed one.
    const installed = path.join(REPO_ROOT, 'node_modules', name, 'package.json');
    const version =
      lock.packages[`node_modules/${name}`]?.version ??
      (fs.existsSync(installed) ? (JSON.parse(fs.readFileSync(installed, 'utf8')) as { version?: string }).version : undefined);
    if (version === undefined) throw new Error(`unbundled baseline: "${name}" is imported by the function app but neither locked nor installed`);
    deps[name] = version;
  }
  return deps;
}

/** Local source files the entry points reach (what a per-file compile emits). */
function localSources(projectDir: string, entryPoints: readonly string[]): string[] {
  return Object.keys(scanLocalSources(projectDir, entryPoints).inputs).map((p) => path.resolve(projectDir, p));
}

function commonDir(files: readonly string[]): string {
  let dir = path.dirname(files[0]);
  while (!files.every((f) => f.startsWith(dir + path.sep))) dir = path.dirname(dir);
  return dir;
}

/**
 * Creates (or refreshes) the unbundled project for `code`. With `reuseInstall`, node_modules is kept when it was
 * installed for the same dependency list.
 */
export function prepareUnbundledApp(code: FunctionCodeProps, options: { reuseInstall: boolean; dir?: string }): UnbundledApp {
  const projectDir = path.resolve(code.projectDir ?? process.cwd());
  const dir = options.dir ?? path.join(BENCH_CACHE, 'unbundled');
  const entryPoints = resolveEntryPoints(projectDir, code.entryPoints).map((e) => e.absolutePath); // globs and package.json main too
  const dependencies = runtimeDependencies(projectDir, entryPoints);
  const packageJson = JSON.stringify({ name: 'chat-unbundled', version: '1.0.0', private: true, main: MAIN, dependencies }, null, 2) + '\n';
  fs.mkdirSync(dir, { recursive: true });

  const stamp = path.join(dir, 'node_modules', '.bench-installed-for');
  const cached = fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === packageJson;
  let installSeconds = 0;
  const installed = !(options.reuseInstall && cached);
  fs.writeFileSync(path.join(dir, 'package.json'), packageJson);
  if (installed) {
    const started = process.hrtime.bigint();
    const npm = spawnSync(
      'npm',
      ['install', '--omit=dev', '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts', '--cache', path.join(BENCH_CACHE, 'npm')],
      { cwd: dir, encoding: 'utf8' },
    );
    if (npm.status !== 0) throw new Error(`npm install in ${dir} failed:\n${npm.stderr}`);
    installSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    fs.writeFileSync(stamp, packageJson);
  }

  // Compile every local source file on its own (no bundling), keeping the directory layout.
  fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
  const sources = localSources(projectDir, entryPoints);
  const base = commonDir(sources);
  buildSync({
    entryPoints: sources,
    outbase: base,
    outdir: path.join(dir, 'dist'),
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: `node${code.nodeVersion ?? '22'}`,
    minify: code.minify ?? false,
    logLevel: 'error',
  });
  const requires = resolveEntryPoints(projectDir, code.entryPoints).map((e) => {
    const rel = path.relative(base, e.absolutePath).replace(/\.[cm]?[jt]sx?$/, '.js');
    return `require(${JSON.stringify('./' + rel.split(path.sep).join('/'))});`;
  });
  fs.writeFileSync(path.join(dir, MAIN), `"use strict";\n${requires.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'host.json'), serializeHostJson(buildHostJson(code.hostJson ?? {})));
  for (const [name, source] of collectExtraFiles(projectDir, code.extraFiles ?? {}).files) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.copyFileSync(source, path.join(dir, name));
  }
  return { dir, main: path.join(dir, MAIN), dependencies, installed, installSeconds };
}

/** Zips the unbundled project as deployed (all regular files; symlinks such as `node_modules/.bin/*` skipped). */
export function zipUnbundledApp(app: UnbundledApp): { zip: Uint8Array; files: number } {
  const entries = new Map<string, Uint8Array>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name !== '.bench-installed-for') {
        entries.set(path.relative(app.dir, full).split(path.sep).join('/'), fs.readFileSync(full));
      }
    }
  };
  walk(app.dir);
  return { zip: createReproducibleZip(entries), files: entries.size };
}
