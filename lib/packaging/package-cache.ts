/**
 * A cache of built packages, so a synth whose function code did not change skips bundling and the registration
 * recorder (most of a synth's time). An entry is reused only when every input file has the same content and every
 * directory holding an input lists the same names (a new file there could change how imports resolve).
 * Anything unexpected is a miss: the package is rebuilt.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { version as esbuildVersion } from 'esbuild';
import type { RegisteredFunction } from './function-registration-recorder';
import type { BuildFunctionPackageOptions, BuiltFunctionPackage } from './package-builder';
import { sha256Hex, writeFileAtomic } from './reproducible-zip';

/** What a cache entry holds; the zip itself stays in the staging directory, addressed by its hash. */
export interface CachedPackage {
  readonly contentHash: string;
  readonly fileNames: string[];
  readonly registrations: RegisteredFunction[];
  readonly hostJson: Record<string, unknown>;
  readonly skippedSecretFiles: string[];
  /** sha256 of each input file's content. */
  readonly inputs: Record<string, string>;
  /** sha256 of the sorted entry names of each directory holding an input. */
  readonly directories: Record<string, string>;
}

const fileHash = (file: string): string => sha256Hex(fs.readFileSync(file));
const listingHash = (dir: string): string => sha256Hex(Buffer.from(fs.readdirSync(dir).sort().join('\n')));

// The packaging code itself is part of the key: a library upgrade never reuses an older build.
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

/** The cache key of a build: its options (with the project path), the esbuild version and the packaging code. */
export function packageCacheKey(options: BuildFunctionPackageOptions): string {
  const key = JSON.stringify({
    options: { ...options, projectDir: path.resolve(options.projectDir) },
    esbuild: esbuildVersion,
    node: process.version,
    packaging: packagingSourceHash(),
  });
  return createHash('sha256').update(key).digest('hex');
}

/** Returns the cached package when it is still valid and its staged zip is intact; otherwise undefined. */
export function readCachedPackage(cacheFile: string, stagedZipPath: (contentHash: string) => string): CachedPackage | undefined {
  try {
    const entry = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as CachedPackage;
    for (const [file, hash] of Object.entries(entry.inputs)) if (fileHash(file) !== hash) return undefined;
    for (const [dir, hash] of Object.entries(entry.directories)) if (listingHash(dir) !== hash) return undefined;
    if (fileHash(stagedZipPath(entry.contentHash)) !== entry.contentHash) return undefined;
    return entry;
  } catch {
    return undefined; // no entry, an input or the zip is gone, or the entry is unreadable
  }
}

/** Records a fresh build (written atomically, so concurrent synths never read half an entry). */
export function writeCachedPackage(cacheFile: string, pkg: BuiltFunctionPackage): void {
  const inputs: Record<string, string> = {};
  const directories: Record<string, string> = {};
  for (const file of pkg.inputFiles) {
    inputs[file] = fileHash(file);
    const dir = path.dirname(file);
    directories[dir] ??= listingHash(dir);
  }
  const entry: CachedPackage = {
    contentHash: pkg.contentHash,
    fileNames: pkg.fileNames,
    registrations: pkg.registrations,
    hostJson: pkg.hostJson,
    skippedSecretFiles: pkg.skippedSecretFiles,
    inputs,
    directories,
  };
  writeFileAtomic(cacheFile, Buffer.from(JSON.stringify(entry)));
}
