/**
 * The build cache: the slow steps of a package, each reused only when what it consumed is unchanged, so a reused
 * result is the one the step would produce again.
 *
 * - The bundle, keyed by esbuild's version, the exact options (the generated main with every entry point, globs
 *   expanded again on each synth, the project directory, target, define, externals, minify, source map) and the
 *   packaging code; reused only when every probe recorded from the build's metafile sees the same thing again: the
 *   content of every file esbuild read, every package.json / tsconfig.json / jsconfig.json on the way from those files
 *   to the root (present or absent) and the files tsconfigs extend, the listing of every directory a relative,
 *   `paths` or `baseUrl` import points into, and every `node_modules/<package>` a bare import could resolve to (see
 *   bundle-inputs.ts for exactly what and what not). A build during which any of it changed is not stored.
 * - Recorded registrations, keyed by the bundle's bytes, the path it is evaluated at (externals resolve from
 *   there), the entry point names, the exact environment the recorder child gets, the content of every
 *   `externals` file it can load, the Node.js executable and the recorder code.
 * - The zip, keyed by every entry's name and content hash and the zip code; the staged zip's own sha256 is checked
 *   before reuse.
 *
 * Entries are JSON in `<stagingDirectory>/cache/`, each holding its own key; anything malformed or mismatched is a
 * miss. The directory is trusted only after `prepareStagingDirectory` checked it.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { version as esbuildVersion } from 'esbuild';
import { probesUnchanged, type BundleInputProbe } from './bundle-inputs';
import type { BundleResult } from './function-bundler';
import type { RegisteredFunction } from './function-registration-recorder';
import { compareNames, fileSha256, sha256Hex, writeFileAtomic } from './reproducible-zip';

// 2: registrations carry what registerWebPubSubHandlers declared (entries of version 1 lack it).
const ENTRY_VERSION = 2;

// The packaging code is part of every key: a library upgrade never reuses an older result.
let ownSourceHash: string | undefined;
function packagingSourceHash(): string {
  if (ownSourceHash === undefined) {
    const hash = createHash('sha256');
    for (const name of fs.readdirSync(__dirname).sort()) {
      if (/\.(ts|js)$/.test(name) && !name.endsWith('.d.ts')) hash.update(name).update(fs.readFileSync(path.join(__dirname, name)));
    }
    ownSourceHash = hash.digest('hex');
  }
  return ownSourceHash;
}

const keyOf = (kind: string, input: unknown): string =>
  createHash('sha256').update(JSON.stringify({ kind, version: ENTRY_VERSION, packaging: packagingSourceHash(), input })).digest('hex');

/** Everything the recorder's output depends on. */
export interface RegistrationsKeyInput {
  /** sha256 of the bundle code. */
  readonly bundleSha256: string;
  readonly bundleFilename: string;
  readonly entryPoints: readonly string[];
  /** The exact environment of the recorder child. */
  readonly environment: Readonly<Record<string, string>>;
  /** `externals` files the bundle can require at import: zip path → sha256. */
  readonly externals: Readonly<Record<string, string>>;
}

export function registrationsCacheKey(input: RegistrationsKeyInput): string {
  return keyOf('registrations', { ...input, node: process.version, execPath: process.execPath });
}

/** Zip entries as name → sha256 of the content. */
export function zipCacheKey(entries: Readonly<Record<string, string>>): string {
  return keyOf('zip', Object.entries(entries).sort(([a], [b]) => compareNames(a, b)));
}

const entryFile = (cacheDir: string, kind: 'bundle' | 'registrations' | 'zip', key: string): string => path.join(cacheDir, `${kind}-${key}.json`);

function readEntry(file: string, key: string): Record<string, unknown> | undefined {
  try {
    if (!fs.lstatSync(file).isFile()) return undefined; // a FIFO would block the read; a link is not ours
    const entry = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (typeof entry !== 'object' || entry === null) return undefined;
    const e = entry as Record<string, unknown>;
    return e.version === ENTRY_VERSION && e.key === key ? e : undefined;
  } catch {
    return undefined; // none yet, or unreadable
  }
}

const isRegistration = (r: unknown): r is RegisteredFunction => {
  const f = r as Partial<RegisteredFunction> | null;
  return (
    typeof f === 'object' &&
    f !== null &&
    typeof f.name === 'string' &&
    typeof f.entryPoint === 'string' &&
    typeof f.bindings === 'object' &&
    f.bindings !== null
  );
};

/** Cached registrations for `key`, if any; the entry file path is returned to mark it used. */
export function readCachedRegistrations(cacheDir: string, key: string): { registrations: RegisteredFunction[]; file: string } | undefined {
  const file = entryFile(cacheDir, 'registrations', key);
  const entry = readEntry(file, key);
  const registrations = entry?.registrations;
  if (!Array.isArray(registrations) || registrations.length === 0 || !registrations.every(isRegistration)) return undefined;
  return { registrations, file };
}

export function writeCachedRegistrations(cacheDir: string, key: string, registrations: readonly RegisteredFunction[]): void {
  writeFileAtomic(entryFile(cacheDir, 'registrations', key), Buffer.from(JSON.stringify({ version: ENTRY_VERSION, key, registrations })));
}

/**
 * The staged zip cached for `key`, if its entry is valid and the file at `stagedPathOf(contentHash)` still has that
 * sha256; the entry file path is returned to mark it used.
 */
export function readCachedZip(
  cacheDir: string,
  key: string,
  stagedPathOf: (contentHash: string) => string,
): { contentHash: string; zipPath: string; sizeBytes: number; file: string } | undefined {
  const file = entryFile(cacheDir, 'zip', key);
  const contentHash = readEntry(file, key)?.contentHash;
  if (typeof contentHash !== 'string' || !/^[0-9a-f]{64}$/.test(contentHash)) return undefined;
  const zipPath = stagedPathOf(contentHash);
  try {
    const stat = fs.lstatSync(zipPath);
    if (!stat.isFile() || fileSha256(zipPath) !== contentHash) return undefined;
    return { contentHash, zipPath, sizeBytes: stat.size, file };
  } catch {
    return undefined; // pruned or removed
  }
}

export function writeCachedZip(cacheDir: string, key: string, contentHash: string): void {
  writeFileAtomic(entryFile(cacheDir, 'zip', key), Buffer.from(JSON.stringify({ version: ENTRY_VERSION, key, contentHash })));
}

/** The cache key of a bundle: esbuild's version and the exact options it is called with (functions excluded). */
export function bundleCacheKey(esbuildOptions: unknown): string {
  return keyOf('bundle', { esbuild: esbuildVersion, options: esbuildOptions });
}

const PROBE_KINDS = new Set(['content', 'listing', 'node']);
const isProbe = (p: unknown): p is BundleInputProbe =>
  Array.isArray(p) && p.length === 3 && PROBE_KINDS.has(p[0] as string) && typeof p[1] === 'string' && path.isAbsolute(p[1]) && typeof p[2] === 'string';

/**
 * The cached bundle for `key`, if its entry is well formed, its code has the sha256 it records (returned, so the
 * package is keyed without hashing the code again), and every probe of its inputs sees what it saw when it was built;
 * the entry file path is returned to mark it used.
 */
export function readCachedBundle(cacheDir: string, key: string): { bundle: BundleResult; codeSha256: string; file: string } | undefined {
  const file = entryFile(cacheDir, 'bundle', key);
  const entry = readEntry(file, key);
  if (entry === undefined) return undefined;
  const { code, codeSha256, sourceMap, warnings, inputs } = entry;
  if (typeof code !== 'string' || code === '' || typeof codeSha256 !== 'string' || sha256Hex(code) !== codeSha256) return undefined;
  if (sourceMap !== undefined && typeof sourceMap !== 'string') return undefined;
  if (!Array.isArray(warnings) || !warnings.every((w) => typeof w === 'string')) return undefined;
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every(isProbe) || !probesUnchanged(inputs)) return undefined;
  return { bundle: { code, ...(sourceMap !== undefined ? { sourceMap } : {}), warnings }, codeSha256, file };
}

/** Stores a bundle; `codeSha256` is the sha256 of `bundle.code` (hashed once by the caller). */
export function writeCachedBundle(cacheDir: string, key: string, bundle: BundleResult, codeSha256: string, inputs: readonly BundleInputProbe[]): void {
  const { code, sourceMap, warnings } = bundle;
  writeFileAtomic(
    entryFile(cacheDir, 'bundle', key),
    Buffer.from(JSON.stringify({ version: ENTRY_VERSION, key, codeSha256, code, sourceMap, warnings, inputs })),
  );
}
