/**
 * What an esbuild bundle depended on, recorded as a list of probes of the file system, so that a later synth can
 * tell, by repeating the probes, whether esbuild would read the same bytes and resolve every import the same way.
 *
 * esbuild's metafile lists the files it bundled and, for each import, the specifier as written (`original`) and the
 * file it resolved to. It does not list what resolution consulted: package.json files (`exports`, `main`, `imports`,
 * `type`, `sideEffects`), tsconfig.json / jsconfig.json files and their `extends` chains (`paths`, `baseUrl`, JSX and
 * decorator settings), and the places it looked in and found nothing. Those are reconstructed here, erring on the side
 * of probing more than esbuild looked at (a spurious difference only costs a rebundle):
 * - `content`: every bundled file; package.json, tsconfig.json and jsconfig.json in every directory from each bundled
 *   file up to the file system root (present or absent: a new one closer to a file takes over); every file a
 *   tsconfig `extends`;
 * - `listing`: the directory a relative import points into (names, types and link targets: a new `foo.ts` next to an
 *   imported `foo/index.ts`, a `foo.js` that now matches `./foo.js` before `foo.ts`), and the imported path itself
 *   when it is a directory (its index files and package.json); the same for every candidate a tsconfig `paths` or
 *   `baseUrl` maps a bare import to, and for a package subpath;
 * - `node`: for a bare import, `node_modules` and `node_modules/<package>` in every directory from the importer up to
 *   the root (a package installed closer, or a link retargeted, changes the resolution).
 * - `listing` too: every directory below the fixed part of a glob import (esbuild bundles `require(`./locale/${x}.js`)`
 *   as every file matching `./locale/**\/*.js`; a new match is seen).
 * Globs of entry points are not probed here: they are expanded again on every synth and their matches are part of the
 * cache key (the generated main).
 *
 * Where the record cannot be sure, it refuses (the bundle is then built on every synth, never reused): a tsconfig
 * outside node_modules that does not parse here or whose `extends` is not found where this looks (a base config
 * reached through a package's `exports`), a metafile path that is not a file (`data:`, `(disabled):`), a glob import
 * spanning more than 1000 directories. Known gaps: `paths` are applied to bare specifiers only (not to `#imports`);
 * and a change made while esbuild runs is caught through modification times (see package-builder.ts), so a tool that
 * writes a file during the synth and then sets its mtime back more than 2 s is not seen. esbuild reads no environment
 * here (`nodePaths` is unset, so NODE_PATH is not consulted).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Metafile } from 'esbuild';
import { packageNameOf } from './function-bundler';

/** One probe: what is looked at, where, and what was seen. */
export type BundleInputProbe = readonly [kind: 'content' | 'listing' | 'node', path: string, value: string];

/** Raised while recording when an input cannot be described; the bundle is then not cached. */
export class UnrecordableBundleInput extends Error {}

const CONFIG_NAMES = ['package.json', 'tsconfig.json', 'jsconfig.json'];

/** `content`: sha256 of a regular file's bytes, or what is there instead (`absent`, `directory`, `other`). */
function contentOf(file: string): string {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat === undefined) return 'absent';
  if (stat.isDirectory()) return 'directory';
  // a FIFO or device would block or never end: never read, and a different value than any file's hash
  if (!stat.isFile()) return 'other';
  return 'sha256:' + createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** `listing`: sha256 of the sorted names with their types (and link targets), or `absent` / `not-a-directory`. */
function listingOf(dir: string): string {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'absent';
    if (code === 'ENOTDIR') return 'not-a-directory';
    throw err;
  }
  const lines = entries
    .map((e) => {
      const type = e.isSymbolicLink() ? `link:${safeReadlink(path.join(dir, e.name))}` : e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other';
      return `${e.name}\0${type}`;
    })
    .sort();
  return 'sha256:' + createHash('sha256').update(lines.join('\n')).digest('hex');
}

function safeReadlink(p: string): string {
  try {
    return fs.readlinkSync(p);
  } catch {
    return '?';
  }
}

/** `node`: whether a path exists (through links), its type, and its real path. */
function nodeOf(p: string): string {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (stat === undefined) return 'absent';
  const type = stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
  return `${type}:${fs.realpathSync.native(p)}`;
}

/** The value of a probe now. */
export function probeValue(kind: BundleInputProbe[0], p: string): string {
  switch (kind) {
    case 'content':
      return contentOf(p);
    case 'listing':
      return listingOf(p);
    case 'node':
      return nodeOf(p);
  }
}

/**
 * True when every probe still sees what it saw. Any error reading is a difference.
 */
export function probesUnchanged(probes: readonly BundleInputProbe[]): boolean {
  try {
    return probes.every(([kind, p, value]) => probeValue(kind, p) === value);
  } catch {
    return false;
  }
}

/** Directories from `dir` up to the file system root. */
function ancestors(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    out.push(d);
    if (path.dirname(d) === d) return out;
  }
}

const insideNodeModules = (p: string): boolean => p.split(path.sep).includes('node_modules');

const isRelativeSpecifier = (s: string): boolean => s === '.' || s === '..' || s.startsWith('./') || s.startsWith('../') || path.isAbsolute(s);

/** `@scope/name/sub` → [`@scope/name`, `sub`]; `name/sub` → [`name`, `sub`]. */
function splitPackageSpecifier(s: string): [string, string] {
  const pkg = packageNameOf(s);
  return [pkg, s.slice(pkg.length + 1)];
}

/** A tsconfig's path mapping after its `extends` chain: `baseUrl` and `paths` with the directory targets resolve from. */
interface PathMapping {
  readonly baseUrl?: string;
  readonly paths?: Record<string, unknown>;
  readonly pathsBase: string;
}

/** JSON with comments and trailing commas, as tsconfig.json allows. */
export function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      out += ' ';
    } else {
      out += c;
    }
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1').replace(/^\uFEFF/, ''));
}

/**
 * Records the probes of a bundle from its metafile (`stdinName`: the name of the generated main, which is no file).
 * Throws {@link UnrecordableBundleInput} when it cannot.
 */
export function recordBundleInputs(projectDir: string, metafile: Metafile, stdinName: string): BundleInputProbe[] {
  const probes = new Map<string, BundleInputProbe>();
  const probe = (kind: BundleInputProbe[0], p: string): string => {
    const id = `${kind}\0${p}`;
    const known = probes.get(id);
    if (known !== undefined) return known[2];
    const value = probeValue(kind, p);
    probes.set(id, [kind, p, value]);
    return value;
  };
  const mappings: PathMapping[] = [];
  const configsSeen = new Set<string>();
  const ancestorsSeen = new Set<string>();

  // A directory and everything above it: the config files there, and whether node_modules is there.
  const watchAncestors = (dir: string): void => {
    for (const a of ancestors(dir)) {
      if (ancestorsSeen.has(a)) return; // everything above was watched too
      ancestorsSeen.add(a);
      for (const name of CONFIG_NAMES) {
        const file = path.join(a, name);
        if (probe('content', file).startsWith('sha256:') && name !== 'package.json') mappings.push(...readTsconfig(file));
      }
      probe('node', path.join(a, 'node_modules'));
    }
  };

  // A path an import may resolve to: the directory it is in, and its own entries when it is a directory.
  const watchCandidate = (candidate: string): void => {
    const found = probe('node', candidate);
    let dir = path.dirname(candidate);
    // the nearest existing directory: a file created below it changes its listing one level at a time
    while (probe('listing', dir) === 'absent' && path.dirname(dir) !== dir) dir = path.dirname(dir);
    if (found.startsWith('dir:')) {
      probe('listing', candidate);
      probe('content', path.join(candidate, 'package.json'));
    }
  };

  // A `require(`./locale/${name}.js`)` is bundled as every file matching `./locale/**/*.js` (the metafile lists the
  // glob, not the files): every directory below its fixed part is listed, so a new match is seen.
  const watchGlobImport = (from: string, glob: string): void => {
    const segments = glob.split('/');
    const fixed = segments.slice(0, segments.findIndex((segment) => segment.includes('*')));
    if (fixed.length === 0 || !isRelativeSpecifier(fixed.join('/'))) throw new UnrecordableBundleInput(`a glob import "${glob}" in ${from}`);
    const pending = [path.resolve(from, fixed.join('/'))];
    for (let listed = 0; pending.length > 0; listed++) {
      if (listed > 1000) throw new UnrecordableBundleInput(`the glob import "${glob}" in ${from} spans more than 1000 directories`);
      const dir = pending.pop()!;
      if (!probe('listing', dir).startsWith('sha256:')) continue;
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory() || (entry.isSymbolicLink() && fs.statSync(path.join(dir, entry.name), { throwIfNoEntry: false })?.isDirectory())) {
          pending.push(path.join(dir, entry.name));
        }
      }
    }
  };

  // tsconfig.json: its `extends` chain, recorded, and its effective path mapping.
  const readTsconfig = (file: string, depth = 0): PathMapping[] => {
    if (depth > 32) throw new UnrecordableBundleInput(`${file}: \`extends\` chain deeper than 32`);
    const key = `${depth}\0${file}`;
    if (configsSeen.has(key)) return [];
    configsSeen.add(key);
    let config: { extends?: unknown; compilerOptions?: { baseUrl?: unknown; paths?: unknown } };
    try {
      config = parseJsonc(fs.readFileSync(file, 'utf8')) as typeof config;
    } catch (err) {
      // a package's own tsconfig.json is not ours to parse (esbuild ignores a broken one too); its bytes are watched
      if (insideNodeModules(file)) return [];
      throw new UnrecordableBundleInput(`${file} does not parse: ${err instanceof Error ? err.message : String(err)}`);
    }
    const dir = path.dirname(file);
    const parents = (Array.isArray(config.extends) ? config.extends : config.extends === undefined ? [] : [config.extends]).map((spec) =>
      resolveExtends(dir, spec, depth),
    );
    // The last base wins, then this file (TypeScript's order); baseUrl and paths are each taken where defined.
    let baseUrl: string | undefined;
    let paths: Record<string, unknown> | undefined;
    let pathsBase = dir;
    for (const base of parents.flat()) {
      if (base.baseUrl !== undefined) baseUrl = base.baseUrl;
      if (base.paths !== undefined) [paths, pathsBase] = [base.paths, base.pathsBase];
    }
    const options = config.compilerOptions ?? {};
    if (typeof options.baseUrl === 'string') baseUrl = path.resolve(dir, options.baseUrl);
    if (typeof options.paths === 'object' && options.paths !== null) [paths, pathsBase] = [options.paths as Record<string, unknown>, dir];
    if (baseUrl !== undefined && paths !== undefined) pathsBase = baseUrl;
    return baseUrl === undefined && paths === undefined ? [] : [{ baseUrl, paths, pathsBase }];
  };

  const resolveExtends = (dir: string, spec: unknown, depth: number): PathMapping[] => {
    if (typeof spec !== 'string' || spec === '') throw new UnrecordableBundleInput(`a tsconfig in ${dir} has an \`extends\` that is not a path`);
    const candidates: string[] = [];
    if (isRelativeSpecifier(spec)) {
      const p = path.resolve(dir, spec);
      candidates.push(p, ...(p.endsWith('.json') ? [] : [`${p}.json`]));
    } else {
      const [pkg] = splitPackageSpecifier(spec);
      for (const a of ancestors(dir)) {
        if (!probe('node', path.join(a, 'node_modules')).startsWith('dir:')) continue;
        const pkgDir = path.join(a, 'node_modules', pkg);
        probe('node', pkgDir);
        probe('content', path.join(pkgDir, 'package.json'));
        const p = path.join(a, 'node_modules', spec);
        candidates.push(p, `${p}.json`, path.join(p, 'tsconfig.json'));
      }
    }
    for (const c of candidates) {
      if (probe('content', c).startsWith('sha256:')) return readTsconfig(c, depth + 1);
    }
    // packages often ship a tsconfig.json extending a file of their repository: the candidates are watched (absent)
    if (insideNodeModules(dir)) return [];
    throw new UnrecordableBundleInput(`the tsconfig \`extends\` "${spec}" in ${dir} was not found where it is looked for here`);
  };

  const files = new Map<string, string>(); // metafile key → absolute path
  for (const key of Object.keys(metafile.inputs)) {
    if (key === stdinName) continue;
    const abs = path.resolve(projectDir, key);
    if (/^[a-z-]+:/i.test(key) && !path.isAbsolute(key)) throw new UnrecordableBundleInput(`esbuild read "${key}", which is not a file`);
    if (!probe('content', abs).startsWith('sha256:')) throw new UnrecordableBundleInput(`esbuild read ${abs}, which is no longer a file`);
    files.set(key, abs);
    watchAncestors(path.dirname(abs));
  }
  watchAncestors(projectDir); // the generated main resolves from there

  const bareImports: Array<{ from: string; specifier: string }> = [];
  for (const [key, input] of Object.entries(metafile.inputs)) {
    const from = key === stdinName ? projectDir : path.dirname(files.get(key)!);
    for (const imp of input.imports) {
      const specifier = imp.original;
      if (imp.original === undefined && imp.path.includes('*')) {
        watchGlobImport(from, imp.path);
        continue;
      }
      if (imp.external === true || specifier === undefined) continue; // marked external by name: never looked up
      if (isRelativeSpecifier(specifier)) watchCandidate(path.resolve(from, specifier));
      else if (!specifier.startsWith('#')) bareImports.push({ from, specifier }); // `#imports`: package.json, watched above
    }
  }
  for (const { from, specifier } of bareImports) {
    const [pkg, sub] = splitPackageSpecifier(specifier);
    for (const a of ancestors(from)) {
      if (!probe('node', path.join(a, 'node_modules')).startsWith('dir:')) continue;
      const pkgDir = path.join(a, 'node_modules', pkg);
      if (probe('node', pkgDir).startsWith('dir:')) {
        probe('content', path.join(pkgDir, 'package.json'));
        if (sub !== '') watchCandidate(path.join(pkgDir, sub));
      }
    }
    // tsconfig `baseUrl` and `paths` of any config seen (more than esbuild applies to this importer: a superset)
    for (const mapping of mappings) {
      if (mapping.baseUrl !== undefined) watchCandidate(path.resolve(mapping.baseUrl, specifier));
      for (const [pattern, targets] of Object.entries(mapping.paths ?? {})) {
        const star = pattern.indexOf('*');
        let match: string | undefined;
        if (star < 0) match = pattern === specifier ? '' : undefined;
        else if (specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1)) && specifier.length >= pattern.length - 1) {
          match = specifier.slice(star, specifier.length - (pattern.length - star - 1));
        }
        if (match === undefined || !Array.isArray(targets)) continue;
        for (const target of targets) {
          if (typeof target === 'string') watchCandidate(path.resolve(mapping.pathsBase, target.replace('*', match)));
        }
      }
    }
  }
  return [...probes.values()].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * The newest modification time among what the probes looked at (files read, directories listed, paths found), to
 * tell whether any of it changed while esbuild was running: then the record may describe newer bytes than the
 * bundle holds, and it is not stored (ccache refuses to cache a compilation whose include files are "too new" for
 * the same reason).
 */
export function newestModification(probes: readonly BundleInputProbe[]): number {
  let newest = 0;
  for (const [, p, value] of probes) {
    if (value === 'absent') continue;
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (stat !== undefined && stat.mtimeMs > newest) newest = stat.mtimeMs;
  }
  return newest;
}
