/**
 * `dev` unpacks the code package with its own zip reader (lib/cli/dev/package-zip.ts, no dependency): it reads back what
 * the library's reproducible zip writer produces, byte for byte, and refuses entries that would land outside the
 * target directory or that it cannot read.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { readPackageZip, writePackage } from '../../lib/cli/dev/package-zip';
import { writeReproducibleZip } from '../../lib/code/private/reproducible-zip';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-package-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A zip with one entry, written by hand (so the name can be one the library's writer refuses). */
function handMadeZip(name: string, data: Buffer, method: 0 | 8 = 0): string {
  const body = method === 8 ? deflateRawSync(data) : data;
  const nameBytes = Buffer.from(name, 'utf8');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(method, 8);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(method, 10);
  central.writeUInt32LE(body.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(0, 42);
  const centralOffset = local.length + nameBytes.length + body.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(central.length + nameBytes.length, 12);
  eocd.writeUInt32LE(centralOffset, 16);
  const file = path.join(dir, 'hand.zip');
  fs.writeFileSync(file, Buffer.concat([local, nameBytes, body, central, nameBytes, eocd]));
  return file;
}

test("reads back the library's reproducible zip (deflated entries, nested paths) byte for byte", () => {
  const sources = [
    { name: 'host.json', data: Buffer.from('{ "version": "2.0" }\n'), origin: 'host.json' },
    { name: 'package.json', data: Buffer.from('{ "main": "dist/index.js" }\n'), origin: 'package.json' },
    { name: 'dist/index.js', data: Buffer.from('module.exports = 1;\n'.repeat(500)), origin: 'bundle' },
    { name: 'public/a b/ü.txt', data: Buffer.from([0, 1, 2, 255]), origin: 'extra' },
  ];
  const zip = writeReproducibleZip(sources, dir, (hash) => path.join(dir, `${hash}.zip`));
  const entries = readPackageZip(zip.zipPath);
  expect(entries.map((e) => e.name).sort()).toEqual(sources.map((s) => s.name).sort());
  for (const s of sources) expect(entries.find((e) => e.name === s.name)!.data.equals(s.data)).toBe(true);

  const out = path.join(dir, 'out');
  fs.mkdirSync(out);
  writePackage(entries, out);
  expect(fs.readFileSync(path.join(out, 'public', 'a b', 'ü.txt'))).toEqual(Buffer.from([0, 1, 2, 255]));
});

test('a hand-made stored or deflated entry unpacks', () => {
  expect(readPackageZip(handMadeZip('x.txt', Buffer.from('stored')))[0].data.toString()).toBe('stored');
  expect(readPackageZip(handMadeZip('x.txt', Buffer.from('deflated'.repeat(20)), 8))[0].data.toString()).toBe('deflated'.repeat(20));
});

test.each(['../escape.txt', '/etc/passwd', 'a/../../b', 'C:/x', 'a\\\\b', './x'])('an entry named %j is refused before anything is written', (name) => {
  expect(() => readPackageZip(handMadeZip(name, Buffer.from('x')))).toThrow(/would be written outside its directory: refusing to unpack it/);
});

test('not a zip: one line saying to synthesize again', () => {
  const file = path.join(dir, 'not.zip');
  fs.writeFileSync(file, 'hello');
  expect(() => readPackageZip(file)).toThrow(/is not a code package this version reads \(no end of central directory\): synthesize again/);
});
