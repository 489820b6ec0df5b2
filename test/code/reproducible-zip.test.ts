import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { strFromU8, strToU8, unzipSync } from 'fflate';
import {
  ZIP_CHUNK_BYTES,
  checkZipLimits,
  createReproducibleZip,
  fileSha256,
  sha256Hex,
  validateZipPath,
  writeFileAtomic,
  writeReproducibleZip,
} from '../../lib/code/private/reproducible-zip';
import { REGISTERING_ENTRY, cleanupTempDirs, makeProject, synthWith, tempDir } from './helpers';

afterAll(cleanupTempDirs);

/** Central directory records of a zip: name, version made by (os), external attributes, DOS time/date. */
function centralDirectory(zip: Uint8Array): Array<{ name: string; os: number; attrs: number; time: number; date: number }> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  const count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  const out = [];
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(offset, true)).toBe(0x02014b50);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    out.push({
      name: strFromU8(zip.subarray(offset + 46, offset + 46 + nameLength)),
      os: view.getUint8(offset + 5),
      attrs: view.getUint32(offset + 38, true),
      time: view.getUint16(offset + 12, true),
      date: view.getUint16(offset + 14, true),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

describe('createReproducibleZip', () => {
  const entries = new Map<string, Uint8Array>([
    ['package.json', strToU8('{"main":"dist/index.js"}')],
    ['dist/index.js', strToU8('console.log(1)')],
    ['Zeta.txt', strToU8('upper case sorts first')],
    ['host.json', strToU8('{}')],
  ]);

  test('entries are sorted by name, unix 0644, dated 1980-01-01 00:00, with no directory entries', () => {
    const records = centralDirectory(createReproducibleZip(entries));
    expect(records.map((r) => r.name)).toEqual(['Zeta.txt', 'dist/index.js', 'host.json', 'package.json']);
    for (const r of records) {
      expect(r.os).toBe(3);
      expect(r.attrs >>> 16).toBe(0o100644);
      expect(r.time).toBe(0);
      expect(r.date).toBe((0 << 9) | (1 << 5) | 1); // year 1980 + 0, January, 1st
    }
  });

  test('same entries in any insertion order give identical bytes; contents round-trip', () => {
    const reversed = new Map([...entries].reverse());
    const a = createReproducibleZip(entries);
    const b = createReproducibleZip(reversed);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(strFromU8(unzipSync(a)['dist/index.js'])).toBe('console.log(1)');
  });

  test('the hash covers names and bytes', () => {
    const base = sha256Hex(createReproducibleZip(entries));
    const renamed = new Map(entries);
    renamed.set('host2.json', renamed.get('host.json')!);
    renamed.delete('host.json');
    const edited = new Map(entries);
    edited.set('dist/index.js', strToU8('console.log(2)'));
    expect(sha256Hex(createReproducibleZip(renamed))).not.toBe(base);
    expect(sha256Hex(createReproducibleZip(edited))).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });

  test.each(['', '/abs.js', 'a//b', './a', 'a/../b', 'a\\b', 'C:/x'])('rejects the path %p', (name) => {
    expect(() => validateZipPath(name)).toThrow(/invalid zip entry path/);
  });
});

describe('writeFileAtomic', () => {
  test('writes through a temp file and leaves no temp files behind', () => {
    const dir = tempDir();
    const target = path.join(dir, 'nested', 'a.zip');
    writeFileAtomic(target, strToU8('one'));
    writeFileAtomic(target, strToU8('one')); // identical: untouched
    writeFileAtomic(target, strToU8('two'));
    expect(fs.readFileSync(target, 'utf8')).toBe('two');
    expect(fs.readdirSync(path.dirname(target))).toEqual(['a.zip']);
  });
});

describe('writeReproducibleZip (streamed to disk)', () => {
  // Content larger than one chunk, exactly two chunks, and empty: the chunking is part of the format.
  const content = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7919) % 251));
  const contents = new Map<string, Buffer>([
    ['big.bin', content(ZIP_CHUNK_BYTES * 2 + 12345)],
    ['exact.bin', content(ZIP_CHUNK_BYTES * 2)],
    ['empty.txt', Buffer.alloc(0)],
    ['small.txt', Buffer.from('hello')],
  ]);

  test('files read in chunks give the same bytes as in-memory entries; the file is renamed to its hash', () => {
    const dir = tempDir();
    for (const [name, data] of contents) fs.writeFileSync(path.join(dir, name), data);
    const staging = tempDir('staging');
    const written = writeReproducibleZip(
      [...contents.keys()].map((name) => ({ name: `files/${name}`, file: path.join(dir, name), origin: name })),
      staging,
      (hash) => path.join(staging, hash, 'package.zip'),
    );
    const inMemory = createReproducibleZip(new Map([...contents].map(([name, data]) => [`files/${name}`, new Uint8Array(data)])));
    const onDisk = fs.readFileSync(written.zipPath);
    expect(onDisk.equals(Buffer.from(inMemory))).toBe(true);
    expect(written.contentHash).toBe(sha256Hex(onDisk));
    expect(fileSha256(written.zipPath)).toBe(written.contentHash);
    expect(written.sizeBytes).toBe(onDisk.length);
    expect(written.zipPath).toBe(path.join(staging, written.contentHash, 'package.zip'));
    expect(fs.readdirSync(staging)).toEqual([written.contentHash]); // no temp file left
    const files = unzipSync(new Uint8Array(onDisk));
    for (const [name, data] of contents) expect(Buffer.from(files[`files/${name}`]).equals(data)).toBe(true);
  });

  // Sparse files: huge to the file system, instant to create, no disk space used; nothing of them is read.
  const sparse = (dir: string, name: string, bytes: number): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, '');
    fs.truncateSync(file, bytes);
    return file;
  };

  test('a file over 4 GiB fails before it is read, naming the file and the limit', () => {
    const file = sparse(tempDir(), 'video.mp4', 5 * 1024 ** 3);
    expect(() => checkZipLimits([{ name: 'video.mp4', file, origin: 'extraFiles["video.mp4"]' }])).toThrow(
      `extraFiles["video.mp4"]: ${file} is 5.0 GiB (5368709120 bytes); a code package zip holds files and a total of up to 4 GiB (the ZIP format without Zip64 extensions)`,
    );
  });

  test('through FunctionCode: the prop, the file and the limit are named; files adding up to over 4 GiB too', () => {
    const dir = makeProject({ 'src/index.ts': REGISTERING_ENTRY });
    fs.mkdirSync(path.join(dir, 'media'));
    const big = sparse(path.join(dir, 'media'), 'big.bin', 4 * 1024 ** 3 + 1);
    const props = { projectDir: dir, entryPoints: ['src/index.ts'], stagingDirectory: path.join(path.dirname(dir), 'staging') };
    expect(() => synthWith({ ...props, extraFiles: { media: 'media' } })).toThrow(
      new RegExp(`FunctionCode stack/Code: \`extraFiles\\["media"\\]\`: ${big} is 4\\.0 GiB \\(4294967297 bytes\\); a code package zip holds files and a total of up to 4 GiB`),
    );
    fs.rmSync(big);
    sparse(path.join(dir, 'media'), 'a.bin', 2.5 * 1024 ** 3);
    sparse(path.join(dir, 'media'), 'b.bin', 2 * 1024 ** 3);
    expect(() => synthWith({ ...props, extraFiles: { media: 'media' } })).toThrow(
      /the package's files add up to 4\.5 GiB; a code package zip holds .* Largest: .*a\.bin \(2\.5 GiB\), .*b\.bin \(2\.0 GiB\)/,
    );
  });
});

(process.platform === 'win32' ? describe.skip : describe)('only regular files are read', () => {
  test('a file that became a FIFO after it was collected fails at once instead of waiting for a writer', () => {
    const fifo = path.join(tempDir(), 'swapped');
    execFileSync('mkfifo', [fifo]);
    // A writer that opens the FIFO only after 2 s: a blocking open would wait for it (and the test bounds that wait
    // instead of hanging); with O_NONBLOCK and the type check the FIFO is refused at once.
    const writer = spawn('sh', ['-c', 'sleep 2; exec 3>"$0"; sleep 1', fifo], { stdio: 'ignore' });
    try {
      const started = Date.now();
      expect(() => fileSha256(fifo)).toThrow(/swapped is not a regular file \(a FIFO, socket or device\?\); only regular files are packed/);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(() => writeReproducibleZip([{ name: 'x', file: fifo, origin: '`extraFiles["x"]`' }], path.dirname(fifo), (h) => path.join(path.dirname(fifo), h))).toThrow(
        /`extraFiles\["x"\]`: .*swapped is not a regular file/,
      );
    } finally {
      writer.kill('SIGKILL');
    }
  });

  test('a character device fails instead of being read (/dev/zero would never end)', () => {
    expect(() => fileSha256('/dev/null')).toThrow(/^\/dev\/null is not a regular file/);
  });
});
