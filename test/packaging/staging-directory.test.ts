import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { FunctionCode } from '../../lib/packaging/function-code';
import { defaultStagingDirectory, prepareStagingDirectory, pruneStagingDirectory, STAGING_DIRECTORY_NAME } from '../../lib/packaging/staging-directory';
import { REGISTERING_ENTRY, cleanupTempDirs, makeProject, synthWith, tempDir } from './helpers';

afterAll(cleanupTempDirs);

const posix = process.platform !== 'win32';
const modeOf = (p: string): number => fs.statSync(p).mode & 0o777;

describe('where packages are staged by default', () => {
  test('in the project: node_modules/.cache/cdktf-azure-webpubsub, created 0700, not under the shared temp directory', () => {
    const dir = makeProject({ 'src/index.ts': REGISTERING_ENTRY });
    const { code } = synthWith({ projectDir: dir, entryPoints: ['src/index.ts'] });
    const staging = path.join(dir, 'node_modules', '.cache', STAGING_DIRECTORY_NAME);
    expect(code.stagedZipPath).toBe(path.join(staging, code.contentHash, code.packageFileName));
    expect(path.dirname(path.dirname(code.stagedZipPath)).startsWith(path.join(os.tmpdir(), STAGING_DIRECTORY_NAME))).toBe(false);
    if (posix) expect(modeOf(staging)).toBe(0o700);
  });

  test('the nearest node_modules above the project dir (a monorepo package, the example)', () => {
    const root = makeProject({ 'packages/api/src/index.ts': REGISTERING_ENTRY });
    expect(defaultStagingDirectory(path.join(root, 'packages', 'api'))).toBe(path.join(root, 'node_modules', '.cache', STAGING_DIRECTORY_NAME));
  });

  test('without node_modules: the per-user cache directory', () => {
    const dir = tempDir();
    // (assumes no node_modules folder above the OS temp directory)
    expect(defaultStagingDirectory(dir, { XDG_CACHE_HOME: '/xdg/cache' }, 'linux', '/home/u')).toBe(path.join('/xdg/cache', STAGING_DIRECTORY_NAME));
    expect(defaultStagingDirectory(dir, { XDG_CACHE_HOME: 'relative' }, 'linux', '/home/u')).toBe(path.join('/home/u', '.cache', STAGING_DIRECTORY_NAME));
    expect(defaultStagingDirectory(dir, { LOCALAPPDATA: path.resolve('/appdata') }, 'win32', '/home/u')).toBe(path.join(path.resolve('/appdata'), STAGING_DIRECTORY_NAME));
  });
});

(posix ? describe : describe.skip)('a staging directory others could write is refused', () => {
  const construct = (stagingDirectory: string) => () =>
    new FunctionCode(new TerraformStack(Testing.app(), 's'), 'Code', {
      projectDir: makeProject({ 'src/index.ts': REGISTERING_ENTRY }),
      entryPoints: ['src/index.ts'],
      stagingDirectory,
    });

  test('the old shared location, planted by another user: group/world-writable', () => {
    // what anyone could create first under the shared temp directory
    const planted = path.join(tempDir(), STAGING_DIRECTORY_NAME);
    fs.mkdirSync(planted, { mode: 0o777 });
    fs.chmodSync(planted, 0o777);
    expect(construct(planted)).toThrow(
      new RegExp(`FunctionCode s/Code: \`stagingDirectory\` ${planted} is writable by its group and others \\(mode 777\\)\\. .*run chmod 700`),
    );
    fs.chmodSync(planted, 0o770);
    expect(construct(planted)).toThrow(/is writable by its group \(mode 770\)/);
    fs.chmodSync(planted, 0o700);
    expect(construct(planted)).not.toThrow();
  });

  test('a symbolic link', () => {
    const real = tempDir('real');
    fs.chmodSync(real, 0o700);
    const link = path.join(tempDir(), 'link');
    fs.symlinkSync(real, link);
    expect(construct(link)).toThrow(/`stagingDirectory` .*link is a symbolic link \(to .*real\)/);
  });

  test('owned by another user', () => {
    let dir: string;
    if (process.getuid!() === 0) {
      dir = tempDir('theirs');
      fs.chmodSync(dir, 0o700);
      fs.chownSync(dir, 4242, 4242);
    } else {
      dir = '/'; // owned by root, not by this user
    }
    expect(construct(dir)).toThrow(new RegExp(`is owned by uid ${fs.statSync(dir).uid}, not by the user running the synth \\(uid ${process.getuid!()}\\)`));
  });

  test('inside a directory anyone can write without the sticky bit', () => {
    const open = tempDir('open');
    fs.chmodSync(open, 0o777);
    const staging = path.join(open, 'staging');
    expect(() => prepareStagingDirectory(staging)).toThrow(/is inside .*open, which anyone can write \(mode 777, no sticky bit\)/);
    fs.chmodSync(open, 0o1777); // like /tmp: others cannot rename what is ours
    expect(() => prepareStagingDirectory(staging)).not.toThrow();
  });
});

describe('cache entries and pruning', () => {
  test('planted or malformed cache entries are ignored (rebuilt), never trusted', () => {
    const dir = makeProject({ 'src/index.ts': REGISTERING_ENTRY });
    const staging = path.join(path.dirname(dir), 'staging');
    const props = { projectDir: dir, entryPoints: ['src/index.ts'], stagingDirectory: staging };
    const first = synthWith(props).code;
    const cacheDir = path.join(staging, 'cache');
    const entries = fs.readdirSync(cacheDir).sort();
    expect(entries).toEqual([expect.stringMatching(/^registrations-[0-9a-f]{64}\.json$/), expect.stringMatching(/^zip-[0-9a-f]{64}\.json$/)]);
    const [registrationsEntry, zipEntry] = entries.map((e) => path.join(cacheDir, e));

    // an entry with no registrations, then one whose key is not its file's key
    fs.writeFileSync(registrationsEntry, JSON.stringify({ ...JSON.parse(fs.readFileSync(registrationsEntry, 'utf8')), registrations: [] }));
    expect(synthWith(props).code.reusedCachedBuild).toBe(false);
    fs.writeFileSync(registrationsEntry, JSON.stringify({ ...JSON.parse(fs.readFileSync(registrationsEntry, 'utf8')), key: '0'.repeat(64) }));
    expect(synthWith(props).code.reusedCachedBuild).toBe(false);
    // a zip entry pointing at a planted package with a self-consistent hash
    const planted = path.join(staging, 'a'.repeat(64));
    fs.mkdirSync(planted);
    fs.writeFileSync(zipEntry, JSON.stringify({ ...JSON.parse(fs.readFileSync(zipEntry, 'utf8')), contentHash: 'a'.repeat(64) }));
    const rebuilt = synthWith(props).code;
    expect([rebuilt.reusedCachedBuild, rebuilt.contentHash]).toEqual([false, first.contentHash]);
    expect(synthWith(props).code.reusedCachedBuild).toBe(true);
  });

  test('old packages and entries are pruned by count and age; recent ones and foreign files are kept', () => {
    const dir = tempDir('staging');
    fs.mkdirSync(path.join(dir, 'cache'));
    const now = Date.now();
    const hour = 3600 * 1000;
    const make = (name: string, ageMs: number, isDir: boolean): void => {
      const p = path.join(dir, name);
      if (isDir) fs.mkdirSync(p);
      else fs.writeFileSync(p, '{}');
      fs.utimesSync(p, new Date(now - ageMs), new Date(now - ageMs));
    };
    const hash = (i: number): string => i.toString(16).padStart(64, '0');
    for (let i = 0; i < 6; i++) make(hash(i), (i + 2) * hour, true); // 2..7 hours old
    make(hash(100), 10 * 60 * 1000, true); // 10 minutes old: maybe in use by another synth
    make(hash(101), 40 * 24 * hour, true); // 40 days old
    make('cache/zip-' + hash(1) + '.json', 40 * 24 * hour, false);
    make('cache/zip-' + hash(2) + '.json', 2 * hour, false);
    make('.zip.123.abc.tmp', 2 * hour, false); // a crashed write
    make('notes.txt', 40 * 24 * hour, false); // not ours
    make('ffff', 40 * 24 * hour, true); // not a package name
    pruneStagingDirectory(dir, now, { keepPackages: 3, keepCacheEntries: 64, maxAgeMs: 30 * 24 * hour, minAgeMs: hour });
    expect(fs.readdirSync(dir).sort()).toEqual([hash(0), hash(1), hash(100), 'cache', 'ffff', 'notes.txt'].sort());
    expect(fs.readdirSync(path.join(dir, 'cache'))).toEqual(['zip-' + hash(2) + '.json']);
  });
});
