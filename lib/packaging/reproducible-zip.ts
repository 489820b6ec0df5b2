/**
 * Byte-for-byte reproducible zip archives (fflate) and their atomic staging on disk.
 *
 * Reproducibility rules: entries sorted by name, no directory entries, fixed mtime (1980-01-01 00:00),
 * Unix file mode 0644 for every entry, fixed deflate level. The same input entries therefore always
 * produce the same bytes, and the sha256 of those bytes identifies the package.
 */
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { zipSync, type Zippable } from 'fflate';

/** A file to put in a zip: archive path (forward slashes, relative) → content. */
export type ZipEntries = ReadonlyMap<string, Uint8Array>;

/**
 * DOS timestamps are local time and cannot precede 1980; fflate reads the Date's local fields,
 * so building the Date from local components gives 1980-01-01 00:00:00 in every time zone.
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const UNIX_OS = 3;
const FILE_MODE_0644 = 0o100644 << 16; // regular file, rw-r--r--
const DEFLATE_LEVEL = 6;

/** Checks an archive path: relative, forward slashes, no `.`/`..`/empty segments. Returns it unchanged. */
export function validateZipPath(name: string): string {
  if (
    name.length === 0 ||
    name.includes('\\') ||
    name.startsWith('/') ||
    /^[A-Za-z]:/.test(name) ||
    name.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')
  ) {
    throw new Error(`invalid zip entry path ${JSON.stringify(name)}: must be relative, use "/" separators and contain no empty, "." or ".." segments`);
  }
  return name;
}

/** Creates a reproducible zip of `entries` (see module doc). */
export function createReproducibleZip(entries: ZipEntries): Uint8Array {
  const names = [...entries.keys()].map(validateZipPath).sort(compareNames);
  const zippable: Zippable = {};
  for (const name of names) {
    zippable[name] = [entries.get(name)!, { level: DEFLATE_LEVEL, mtime: FIXED_MTIME, os: UNIX_OS, attrs: FILE_MODE_0644 }];
  }
  // Note: JS objects iterate integer-like keys (e.g. a root file named "1") first in numeric order;
  // that order is still fully deterministic, so reproducibility holds.
  return zipSync(zippable, { level: DEFLATE_LEVEL, mtime: FIXED_MTIME, os: UNIX_OS, attrs: FILE_MODE_0644 });
}

/** Byte-wise (code unit) name order, independent of locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Lower-case hex sha256 of `data`. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Writes `data` to `targetPath` atomically: a unique temp file in the same directory, then rename.
 * If the target already exists with identical bytes it is left untouched.
 */
export function writeFileAtomic(targetPath: string, data: Uint8Array): void {
  const dir = path.dirname(targetPath);
  fs.mkdirSync(dir, { recursive: true });
  try {
    const existing = fs.statSync(targetPath);
    if (existing.isFile() && existing.size === data.byteLength && Buffer.from(data).equals(fs.readFileSync(targetPath))) {
      return;
    }
  } catch {
    // does not exist yet
  }
  const tmp = path.join(dir, `.${path.basename(targetPath)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, data, { mode: 0o644 });
    fs.renameSync(tmp, targetPath);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
