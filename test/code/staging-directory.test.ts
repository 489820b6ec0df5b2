import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { FunctionCode } from '../../lib/code/function-code';
import { defaultStagingDirectory, isOwnPrivateGroup, prepareStagingDirectory, pruneStagingDirectory, STAGING_DIRECTORY_NAME } from '../../lib/code/private/staging-directory';
import { REGISTERING_ENTRY, REPO_ROOT, cleanupTempDirs, makeProject, synthWith, tempDir } from './helpers';

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

(posix ? describe : describe.skip)('every directory on the way to the staging directory is checked', () => {
  const isRoot = process.getuid?.() === 0;
  const rootOnly = isRoot ? test : test.skip;
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const construct = (stagingDirectory: string) => () =>
    new FunctionCode(new TerraformStack(Testing.app(), 's'), 'Code', {
      projectDir: makeProject({ 'src/index.ts': REGISTERING_ENTRY }),
      entryPoints: ['src/index.ts'],
      stagingDirectory,
    });

  rootOnly('a group-writable directory above it, without the sticky bit, is refused (another gid; chown as root)', () => {
    const shared = tempDir('shared');
    fs.chownSync(shared, 0, 4242);
    fs.chmodSync(shared, 0o775);
    const staging = path.join(shared, 'deep', 'staging');
    expect(() => prepareStagingDirectory(staging)).toThrow(
      new RegExp(`\`stagingDirectory\` ${escape(staging)} is inside ${escape(shared)}, which its group \\(gid 4242\\) can write \\(mode 775, no sticky bit\\).*run chmod g-w`),
    );
    fs.chmodSync(shared, 0o1775); // sticky: group members cannot rename what is ours
    expect(() => prepareStagingDirectory(staging)).not.toThrow();
  });

  rootOnly("group-writable by the user's own private group (umask 002 on Debian, Ubuntu, Fedora) is fine", () => {
    expect(isOwnPrivateGroup(0)).toBe(true); // root's group "root": no members, no other user's primary group
    expect(isOwnPrivateGroup(4242)).toBe(false);
    const mine = tempDir('mine');
    fs.chownSync(mine, 0, 0);
    fs.chmodSync(mine, 0o775);
    expect(() => prepareStagingDirectory(path.join(mine, 'staging'))).not.toThrow();
  });

  rootOnly('a directory above it owned by another user is refused (chown as root)', () => {
    const theirs = tempDir('theirs');
    fs.chownSync(theirs, 4242, 4242);
    fs.chmodSync(theirs, 0o755); // not writable by us: its owner can still rename what we put in it
    const staging = path.join(theirs, 'staging');
    expect(() => prepareStagingDirectory(staging)).toThrow(
      new RegExp(`\`stagingDirectory\` ${escape(staging)} is inside ${escape(theirs)}, owned by uid 4242 \\(neither you, uid 0, nor root\\)`),
    );
  });

  test('a symbolic link above it is refused, naming the link and the real path', () => {
    const real = tempDir('real');
    fs.chmodSync(real, 0o700);
    const link = path.join(tempDir(), 'linked');
    fs.symlinkSync(real, link);
    const staging = path.join(link, 'cache', 'staging');
    expect(() => prepareStagingDirectory(staging)).toThrow(
      new RegExp(`\`stagingDirectory\` ${escape(staging)} is reached through ${escape(link)}, a symbolic link \\(to ${escape(real)}\\).*use the real path \\(${escape(path.join(real, 'cache', 'staging'))}\\)`),
    );
    expect(() => prepareStagingDirectory(path.join(real, 'cache', 'staging'))).not.toThrow();
  });

  test('through FunctionCode: a linked node_modules still gets its default staging directory (resolved once, then checked)', () => {
    const dir = makeProject({ 'src/index.ts': REGISTERING_ENTRY });
    const elsewhere = tempDir('modules');
    fs.renameSync(path.join(dir, 'node_modules'), path.join(elsewhere, 'node_modules'));
    fs.symlinkSync(path.join(elsewhere, 'node_modules'), path.join(dir, 'node_modules'));
    const { code } = synthWith({ projectDir: dir, entryPoints: ['src/index.ts'] });
    expect(code.stagedZipPath.startsWith(path.join(fs.realpathSync(elsewhere), 'node_modules', '.cache', STAGING_DIRECTORY_NAME))).toBe(true);
  });

  (isRoot && canBindMountReadOnly() ? test : test.skip)('a read-only location (EROFS: a read-only bind mount) is named with the real cause', () => {
    const source = tempDir('ro-source');
    fs.mkdirSync(path.join(source, 'existing'), { mode: 0o700 });
    const mountPoint = tempDir('ro');
    execFileSync('mount', ['--bind', '-o', 'ro', source, mountPoint]);
    execFileSync('mount', ['-o', 'remount,bind,ro', mountPoint]); // older util-linux ignore ro on the first call
    try {
      const missing = path.join(mountPoint, 'staging');
      expect(construct(missing)).toThrow(
        new RegExp(`FunctionCode s/Code: \`stagingDirectory\` ${escape(missing)} cannot be created: mkdir ${escape(missing)} failed with EROFS \\(the file system is read-only\\)`),
      );
      const existing = path.join(mountPoint, 'existing');
      expect(construct(existing)).toThrow(new RegExp(`\`stagingDirectory\` ${escape(existing)} is not writable: EROFS \\(the file system is read-only\\)`));
    } finally {
      execFileSync('umount', [mountPoint]);
    }
  });

  test('an unwritable location (EACCES: a chmod 500 directory, checked by a non-root user) is named with the real cause', () => {
    // root bypasses permission bits, so as root the check runs in a child process as uid 4242
    const base = tempDir('eacces');
    fs.chmodSync(path.dirname(base), 0o755);
    fs.chmodSync(base, 0o755);
    const locked = path.join(base, 'locked');
    fs.mkdirSync(locked);
    const staging = path.join(locked, 'staging');
    const script = path.join(base, 'check.ts');
    fs.writeFileSync(
      script,
      `import { prepareStagingDirectory } from ${JSON.stringify(path.join(REPO_ROOT, 'lib/code/private/staging-directory'))};\n` +
        'try { prepareStagingDirectory(process.argv[2]); console.log("created"); } catch (err) { console.log((err as Error).message); }\n',
    );
    let message: string;
    if (isRoot) {
      fs.chownSync(locked, 4242, 4242);
      fs.chmodSync(locked, 0o500);
      message = execFileSync(process.execPath, ['--import', 'tsx', script, staging], { uid: 4242, gid: 4242, cwd: REPO_ROOT, encoding: 'utf8' }); // tsx resolves from the repo
    } else {
      fs.chmodSync(locked, 0o500);
      try {
        prepareStagingDirectory(staging);
        message = 'created';
      } catch (err) {
        message = (err as Error).message;
      }
    }
    expect(message).toMatch(
      new RegExp(`^\`stagingDirectory\` ${escape(staging)} cannot be created: mkdir ${escape(staging)} failed with EACCES \\(permission denied\\).*check who may write ${escape(locked)}`),
    );
  });
});

(posix ? describe : describe.skip)('the package in the outdir is the one built', () => {
  test('a staged zip changed between construction and synth fails the synth, and its copy is removed', () => {
    const dir = makeProject({ 'src/index.ts': REGISTERING_ENTRY });
    const app = Testing.app();
    const stack = new TerraformStack(app, 'stack');
    const code = new FunctionCode(stack, 'Code', { projectDir: dir, entryPoints: ['src/index.ts'], cache: false });
    fs.writeFileSync(code.stagedZipPath, 'PK backdoored'); // what a writer of the staging directory could do
    expect(() => app.synth()).toThrow(
      new RegExp(`FunctionCode stack/Code: the package copied into the outdir \\(${code.assetPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\) has sha256 [0-9a-f]{64}, not ${code.contentHash} as built: the staged zip in \`stagingDirectory\``),
    );
    expect(fs.existsSync(path.join(app.outdir, 'stacks', 'stack', code.assetPath))).toBe(false);
  });

  test('an unchanged one passes, with two packages in the stack', () => {
    const dir = makeProject({ 'src/a.ts': REGISTERING_ENTRY, 'src/b.ts': REGISTERING_ENTRY.replace(`'ok'`, `'ok2'`) });
    const app = Testing.app();
    const stack = new TerraformStack(app, 'stack');
    const a = new FunctionCode(stack, 'A', { projectDir: dir, entryPoints: ['src/a.ts'] });
    const b = new FunctionCode(stack, 'B', { projectDir: dir, entryPoints: ['src/b.ts'] });
    app.synth();
    for (const code of [a, b]) expect(fs.existsSync(path.join(app.outdir, 'stacks', 'stack', code.assetPath))).toBe(true);
  });
});

function canBindMountReadOnly(): boolean {
  const source = tempDir('probe-source');
  const mountPoint = tempDir('probe');
  try {
    execFileSync('mount', ['--bind', '-o', 'ro', source, mountPoint], { stdio: 'ignore' });
  } catch {
    return false;
  }
  try {
    execFileSync('mount', ['-o', 'remount,bind,ro', mountPoint], { stdio: 'ignore' });
    fs.writeFileSync(path.join(mountPoint, 'x'), '');
    return false; // mounted but writable
  } catch {
    return true;
  } finally {
    execFileSync('umount', [mountPoint], { stdio: 'ignore' });
  }
}
