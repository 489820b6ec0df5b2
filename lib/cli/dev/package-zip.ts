/**
 * Unpacks the code package synth built (the zip `cdktf deploy` uploads) into a directory, so `dev` runs exactly
 * what the deploy ships. Reads the zip format the library writes (lib/code/private/reproducible-zip.ts: stored or
 * deflated entries, no ZIP64, no encryption) with Node's zlib; anything else is refused with the entry's name.
 * PKWARE APPNOTE.TXT sections 4.3.7 (local header), 4.3.12 (central directory), 4.3.16 (end of central directory).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { CliError } from '../deployment-inputs';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/** One file of the package. */
export interface PackageEntry {
  /** `/`-separated path inside the package. */
  readonly name: string;
  readonly data: Buffer;
}

/** The files of a zip (directories are implied by the paths). */
export function readPackageZip(file: string): PackageEntry[] {
  const zip = fs.readFileSync(file);
  const bad = (why: string): never => {
    throw new CliError(`${file} is not a code package this version reads (${why}): synthesize again`);
  };
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) bad('no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries: PackageEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== CENTRAL_SIGNATURE) bad(`central directory entry ${n} is damaged`);
    const flags = zip.readUInt16LE(offset + 8);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    checkEntryName(name, file);
    if ((flags & 0x1) !== 0) bad(`${name} is encrypted`);
    if (zip.readUInt32LE(localOffset) !== LOCAL_SIGNATURE) bad(`${name} has no local header`);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    const data = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : bad(`${name} uses compression method ${method}`);
    if (data.length !== size) bad(`${name} unpacks to ${data.length} bytes, not ${size}`);
    entries.push({ name, data });
  }
  return entries;
}

/** Refuses names that would land outside the target directory (the library never writes them; a swapped file might). */
function checkEntryName(name: string, file: string): void {
  const parts = name.split('/');
  if (name.startsWith('/') || name.includes('\\') || /^[A-Za-z]:/.test(name) || parts.some((p) => p === '..' || p === '.' || p === '' || p.includes('\0'))) {
    throw new CliError(`${file} has an entry named ${JSON.stringify(name)}, which would be written outside its directory: refusing to unpack it`);
  }
}

/** Writes the entries under `dir` (which must exist), creating subdirectories. */
export function writePackage(entries: readonly PackageEntry[], dir: string): void {
  for (const entry of entries) {
    const target = path.join(dir, ...entry.name.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, entry.data);
  }
}
