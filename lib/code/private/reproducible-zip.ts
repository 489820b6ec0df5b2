/**
 * Byte-for-byte reproducible zip archives (fflate's streaming `Zip`/`ZipDeflate`), written to disk as they are
 * produced so that large files never sit whole in memory.
 *
 * Reproducibility rules: entries sorted by name, no directory entries, fixed mtime (1980-01-01 00:00), Unix file
 * mode 0644 for every entry, fixed deflate level, and every entry's bytes fed to the compressor in chunks of
 * {@link ZIP_CHUNK_BYTES} (deflate output depends on how input is chunked, so in-memory and on-disk sources are
 * chunked alike). The same entries therefore always produce the same bytes, and the sha256 of those bytes
 * identifies the package. Entries are streamed (sizes and CRC in a data descriptor after the data).
 *
 * Limits: fflate writes no Zip64 extensions, so every entry and the archive itself must stay below 4 GiB
 * ({@link ZIP32_MAX_BYTES}); {@link checkZipLimits} fails before anything is read, naming the file.
 */
import { createHash, randomBytes, type Hash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Zip, ZipDeflate } from 'fflate';

/** A file to put in a zip: archive path (forward slashes, relative) → content. */
export type ZipEntries = ReadonlyMap<string, Uint8Array>;

/** One entry of a streamed zip: in-memory bytes or a file read in chunks. */
export interface ZipSource {
  /** Archive path (forward slashes, relative). */
  readonly name: string;
  /** Content, when in memory. */
  readonly data?: Uint8Array;
  /** Absolute path of the content, when on disk. */
  readonly file?: string;
  /** Where the entry comes from, for messages (e.g. `extraFiles["www"]`). */
  readonly origin: string;
}

/**
 * DOS timestamps are local time and cannot precede 1980; fflate reads the Date's local fields,
 * so building the Date from local components gives 1980-01-01 00:00:00 in every time zone.
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const UNIX_OS = 3;
const FILE_MODE_0644 = 0o100644 << 16; // regular file, rw-r--r--
const DEFLATE_LEVEL = 6;

/** Size of the pieces every entry is compressed in (part of the format: changing it changes the bytes). */
export const ZIP_CHUNK_BYTES = 1024 * 1024;

/** Largest entry and archive size of a zip without Zip64 extensions (0xFFFFFFFF means "see Zip64"). */
export const ZIP32_MAX_BYTES = 0xfffffffe;

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

/** Byte-wise (code unit) name order, independent of locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Lower-case hex sha256 of `data` (a string is hashed as its UTF-8 bytes, as `Buffer.from(data)` holds them). */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Size of a source's content in bytes. */
export function sourceSize(source: ZipSource): number {
  return source.data !== undefined ? source.data.byteLength : fs.statSync(source.file!).size;
}

const formatSize = (bytes: number): string =>
  bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

/**
 * Fails, before any content is read, when an entry or the sum of all entries reaches the zip limit of 4 GiB
 * (deflate can only make the archive a little larger than its content, and rarely does for a whole package).
 * `sizes` are the entries' sizes, in the order of `sources`.
 */
export function checkZipLimits(sources: readonly ZipSource[], sizes: readonly number[] = sources.map(sourceSize)): void {
  const limit = 'a code package zip holds files and a total of up to 4 GiB (the ZIP format without Zip64 extensions)';
  sources.forEach((source, i) => {
    if (sizes[i] > ZIP32_MAX_BYTES) {
      throw new Error(`${source.origin}: ${source.file ?? source.name} is ${formatSize(sizes[i])} (${sizes[i]} bytes); ${limit}`);
    }
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total > ZIP32_MAX_BYTES) {
    const largest = sources
      .map((source, i) => ({ source, size: sizes[i] }))
      .sort((a, b) => b.size - a.size)
      .slice(0, 3)
      .map(({ source, size }) => `${source.file ?? source.name} (${formatSize(size)})`);
    throw new Error(`the package's files add up to ${formatSize(total)}; ${limit}. Largest: ${largest.join(', ')}`);
  }
}

// O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer, forever; it changes nothing for regular files.
// (Not defined on Windows, which has no FIFOs or device files in the file system.)
const OPEN_READ_NONBLOCK = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/**
 * Opens `file` for reading, refusing anything but a regular file. The collectors checked the type already; checking
 * the opened descriptor again covers a file replaced by a FIFO or device since (reading a device never ends).
 */
function openRegularFile(file: string, origin: string): number {
  const fd = fs.openSync(file, OPEN_READ_NONBLOCK);
  try {
    if (!fs.fstatSync(fd).isFile()) throw new Error(`${origin === file ? '' : `${origin}: `}${file} is not a regular file (a FIFO, socket or device?); only regular files are packed`);
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
  return fd;
}

/** Calls `chunk(piece, final)` for `source`'s content in {@link ZIP_CHUNK_BYTES} pieces (one empty piece if empty). */
function readInChunks(source: ZipSource, chunk: (piece: Uint8Array, final: boolean) => void): void {
  if (source.data !== undefined) {
    const data = source.data;
    if (data.byteLength === 0) return chunk(data, true);
    for (let offset = 0; offset < data.byteLength; offset += ZIP_CHUNK_BYTES) {
      chunk(data.subarray(offset, offset + ZIP_CHUNK_BYTES), offset + ZIP_CHUNK_BYTES >= data.byteLength);
    }
    return;
  }
  const fd = openRegularFile(source.file!, source.origin);
  try {
    const fill = (): Uint8Array => {
      const buffer = Buffer.allocUnsafe(ZIP_CHUNK_BYTES);
      let filled = 0;
      for (;;) {
        const n = fs.readSync(fd, buffer, filled, ZIP_CHUNK_BYTES - filled, null);
        if (n === 0) break;
        filled += n;
        if (filled === ZIP_CHUNK_BYTES) break;
      }
      return buffer.subarray(0, filled);
    };
    // Read one piece ahead: a piece is final when the next one is empty.
    let current = fill();
    for (;;) {
      if (current.byteLength < ZIP_CHUNK_BYTES) return chunk(current, true);
      const next = fill();
      if (next.byteLength === 0) return chunk(current, true);
      chunk(current, false);
      current = next;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Streams the reproducible zip of `sources` to `sink`, in order. */
function streamZip(sources: readonly ZipSource[], sink: (chunk: Uint8Array) => void): void {
  const ordered = [...sources].sort((a, b) => compareNames(a.name, b.name));
  ordered.forEach((s, i) => {
    validateZipPath(s.name);
    if (i > 0 && ordered[i - 1].name === s.name) throw new Error(`zip entry "${s.name}" is listed twice`);
  });
  let written = 0;
  let current = '';
  let failure: Error | undefined;
  const zip = new Zip((err, data) => {
    if (err) {
      failure ??= err;
      return;
    }
    written += data.byteLength;
    if (written > ZIP32_MAX_BYTES) {
      failure ??= new Error(`the code package zip grew past 4 GiB while adding ${current} (the ZIP format without Zip64 extensions)`);
      return;
    }
    if (failure === undefined) sink(data);
  });
  const fail = (): void => {
    if (failure !== undefined) throw failure;
  };
  for (const source of ordered) {
    current = source.file ?? source.name;
    const entry = new ZipDeflate(source.name, { level: DEFLATE_LEVEL });
    entry.mtime = FIXED_MTIME;
    entry.os = UNIX_OS;
    entry.attrs = FILE_MODE_0644;
    zip.add(entry);
    readInChunks(source, (piece, final) => {
      entry.push(piece, final);
      fail();
    });
  }
  zip.end();
  fail();
}

/** Creates a reproducible zip of `entries` in memory (same bytes as {@link writeReproducibleZip}). */
export function createReproducibleZip(entries: ZipEntries): Uint8Array {
  const chunks: Uint8Array[] = [];
  streamZip(
    [...entries].map(([name, data]) => ({ name, data, origin: name })),
    (chunk) => chunks.push(chunk),
  );
  return Buffer.concat(chunks);
}

/** A zip written to disk. */
export interface WrittenZip {
  readonly zipPath: string;
  /** sha256 hex of the zip bytes. */
  readonly contentHash: string;
  readonly sizeBytes: number;
}

/**
 * Streams the reproducible zip of `sources` into a temp file in `tempDir` while hashing it, then renames it to
 * `finalPath(contentHash)` (same file system as `tempDir`; its directory is created private). Memory stays at a few
 * chunks whatever the sizes. Checks {@link checkZipLimits} first.
 */
export function writeReproducibleZip(sources: readonly ZipSource[], tempDir: string, finalPath: (contentHash: string) => string): WrittenZip {
  checkZipLimits(sources);
  const tmp = path.join(tempDir, `.zip.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const hash: Hash = createHash('sha256');
  let sizeBytes = 0;
  const fd = fs.openSync(tmp, 'wx', 0o644);
  try {
    try {
      streamZip(sources, (chunk) => {
        hash.update(chunk);
        sizeBytes += chunk.byteLength;
        for (let offset = 0; offset < chunk.byteLength; ) offset += fs.writeSync(fd, chunk, offset);
      });
    } finally {
      fs.closeSync(fd);
    }
    const contentHash = hash.digest('hex');
    const target = finalPath(contentHash);
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    fs.renameSync(tmp, target);
    return { zipPath: target, contentHash, sizeBytes };
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Lower-case hex sha256 of a file's content, read in chunks. */
export function fileSha256(file: string): string {
  const hash = createHash('sha256');
  readInChunks({ name: file, file, origin: file }, (piece) => hash.update(piece));
  return hash.digest('hex');
}

/**
 * Writes `data` to `targetPath` atomically: a unique temp file in the same directory, then rename.
 * If the target already exists with identical bytes it is left untouched.
 */
export function writeFileAtomic(targetPath: string, data: Uint8Array): void {
  const dir = path.dirname(targetPath);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    const existing = fs.lstatSync(targetPath);
    if (existing.isFile() && existing.size === data.byteLength && Buffer.from(data).equals(fs.readFileSync(targetPath))) {
      return;
    }
  } catch {
    // does not exist yet
  }
  const tmp = path.join(dir, `.${path.basename(targetPath)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, data, { mode: 0o644, flag: 'wx' });
    fs.renameSync(tmp, targetPath);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
