/**
 * Where code packages are staged and the build cache lives, and why it can be trusted.
 *
 * What lies here is deployed: a staged zip is copied into the outdir at synth and uploaded by `cdktf deploy`, and
 * a cache entry decides which zip and which function registrations a synth reuses. So the directory must be
 * writable by the user running the synth only. It is per project by default (`node_modules/.cache/<name>`, the
 * convention of babel-loader, ESLint, Terser and others), never the shared OS temp directory, where any local user
 * can create `/tmp/<name>` first and plant packages.
 *
 * A directory that fails the checks is an error, not a cache miss: the zip this synth builds has to be staged
 * somewhere until `app.synth()` copies it, and a directory others can write lets them swap it in between. The
 * message names the directory, the problem and the fix.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Directory name used under `node_modules/.cache` and the per-user cache directory. */
export const STAGING_DIRECTORY_NAME = 'cdktf-azure-webpubsub';

/**
 * The default staging directory for a project: `node_modules/.cache/cdktf-azure-webpubsub` in the nearest
 * directory at or above `projectDir` that has a `node_modules` folder (where the app's dependencies are installed,
 * so it exists in every project that bundles `@azure/functions`); without one, the per-user cache directory
 * (`%LOCALAPPDATA%` on Windows, else `$XDG_CACHE_HOME` or `~/.cache`). Returned with the links in its existing part
 * resolved (a linked node_modules, macOS's /var -> /private/var): {@link prepareStagingDirectory} refuses links on the
 * path, and resolving our own default once, before the checks, lets them look at the real directories.
 */
export function defaultStagingDirectory(
  projectDir: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  homeDir: string = os.homedir(),
): string {
  for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
    if (fs.statSync(path.join(dir, 'node_modules'), { throwIfNoEntry: false })?.isDirectory()) {
      return resolveExistingPart(path.join(dir, 'node_modules', '.cache', STAGING_DIRECTORY_NAME));
    }
    if (path.dirname(dir) === dir) break;
  }
  if (platform === 'win32' && env.LOCALAPPDATA && path.isAbsolute(env.LOCALAPPDATA)) {
    return path.join(env.LOCALAPPDATA, STAGING_DIRECTORY_NAME);
  }
  const xdg = env.XDG_CACHE_HOME;
  return resolveExistingPart(path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(homeDir, '.cache'), STAGING_DIRECTORY_NAME));
}

/** `p` with its deepest existing ancestor (or itself) replaced by its real path. */
function resolveExistingPart(p: string): string {
  for (let existing = p, rest = ''; ; rest = path.join(path.basename(existing), rest), existing = path.dirname(existing)) {
    try {
      return path.join(fs.realpathSync(existing), rest);
    } catch {
      if (path.dirname(existing) === existing) return p;
    }
  }
}

/**
 * Creates `dir` (and missing parents, each with mode 0700) if needed and checks it can be trusted (POSIX; on Windows,
 * where modes do not describe access, the default directories sit in the user's profile or project). Every directory
 * from the file system root down to `dir` is looked at with lstat, in that order, never through a link:
 * - none is a symbolic link: a link is a path someone chose, and its target is not what the checks below looked at;
 * - every one above `dir` is owned by the user running the synth or root, and writable by no one else, unless it has
 *   the sticky bit (like /tmp: others cannot rename or remove what is ours) or its group is the user's private group
 *   (see {@link isOwnPrivateGroup}): whoever can write a directory can rename what is below it and put another tree in
 *   its place;
 * - `dir` itself is owned by the user and not writable by group or others, and is writable (not on a read-only
 *   file system).
 * A checked directory can only be changed by its owner (us or root), so the path stays what was checked: there is no
 * link to re-resolve and no window in which another user can swap a component. (The staged zip is hashed again
 * after cdktf copied it into the outdir, see function-code.ts.)
 * Throws an Error naming `stagingDirectory`, the directory, the problem and the fix.
 */
export function prepareStagingDirectory(dir: string): void {
  const target = path.resolve(dir);
  if (process.platform === 'win32' || typeof process.getuid !== 'function') {
    fs.mkdirSync(target, { recursive: true, mode: 0o700 });
    return;
  }
  const uid = process.getuid();
  const fail = (problem: string, fix: string): never => {
    throw new Error(
      `\`stagingDirectory\` ${target} ${problem}. Staged zips are deployed and cache entries are trusted, so it must be ` +
        `writable by you only: ${fix}, or pass another \`stagingDirectory\` (the default is node_modules/.cache/${STAGING_DIRECTORY_NAME} of the project)`,
    );
  };
  const components: string[] = [];
  for (let p = target; ; p = path.dirname(p)) {
    components.unshift(p);
    if (path.dirname(p) === p) break;
  }
  for (const component of components) {
    const isTarget = component === target;
    let stat = fs.lstatSync(component, { throwIfNoEntry: false });
    if (stat === undefined) {
      try {
        fs.mkdirSync(component, { mode: 0o700 }); // one level at a time: the parent was just checked
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST') {
          fail(
            `cannot be created: mkdir ${component} failed with ${code ?? 'an error'} (${describeErrno(code)})`,
            code === 'EROFS' ? 'choose a directory on a writable file system' : `check who may write ${path.dirname(component)}`,
          );
        }
      }
      stat = fs.lstatSync(component);
    }
    if (stat.isSymbolicLink()) {
      const where = isTarget ? 'is a symbolic link' : `is reached through ${component}, a symbolic link`;
      fail(`${where} (to ${fs.readlinkSync(component)})`, `use the real path (${resolveExistingPart(target)}) or replace the link by a directory`);
    }
    if (!stat.isDirectory()) fail(isTarget ? 'is not a directory' : `is below ${component}, which is not a directory`, 'remove it');
    const mode = stat.mode & 0o7777;
    if (isTarget) {
      if (stat.uid !== uid) fail(`is owned by uid ${stat.uid}, not by the user running the synth (uid ${uid})`, 'remove it');
      if ((mode & 0o022) !== 0) {
        const who = [mode & 0o020 ? 'its group' : '', mode & 0o002 ? 'others' : ''].filter((w) => w !== '').join(' and ');
        fail(`is writable by ${who} (mode ${(mode & 0o777).toString(8)})`, `run chmod 700 ${target}`);
      }
      continue;
    }
    if (stat.uid !== uid && stat.uid !== 0) {
      fail(`is inside ${component}, owned by uid ${stat.uid} (neither you, uid ${uid}, nor root), who can replace anything below it`, 'move it elsewhere');
    }
    const sticky = (mode & 0o1000) !== 0;
    if (!sticky && (mode & 0o002) !== 0) {
      fail(`is inside ${component}, which anyone can write (mode ${mode.toString(8)}, no sticky bit)`, `run chmod o-w ${component}`);
    }
    if (!sticky && (mode & 0o020) !== 0 && !isOwnPrivateGroup(stat.gid)) {
      fail(
        `is inside ${component}, which its group (gid ${stat.gid}) can write (mode ${mode.toString(8)}, no sticky bit)`,
        `run chmod g-w ${component}`,
      );
    }
  }
  try {
    fs.accessSync(target, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail(`is not writable: ${code ?? 'an error'} (${describeErrno(code)})`, code === 'EROFS' ? 'choose a directory on a writable file system' : `run chmod 700 ${target}`);
  }
}

/** What the errno codes a staging directory meets mean, for messages. */
function describeErrno(code: string | undefined): string {
  switch (code) {
    case 'EROFS':
      return 'the file system is read-only';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ENOTDIR':
      return 'a component of the path is not a directory';
    default:
      return 'see the code';
  }
}

let privateGroups: Map<number, boolean> | undefined;
/**
 * True when `gid` is the user's private group (Debian, Ubuntu and Fedora give each user a group of their own and a
 * umask of 002 for it, so project directories are group-writable by default): the user's primary group, named like
 * the user, with no listed members in /etc/group and no other user in /etc/passwd having it as primary group.
 * Anything not provable from those files (a group from LDAP, unreadable files) is not private.
 */
export function isOwnPrivateGroup(gid: number): boolean {
  privateGroups ??= new Map();
  const known = privateGroups.get(gid);
  if (known !== undefined) return known;
  let result = false;
  try {
    const user = os.userInfo();
    if (typeof process.getgid === 'function' && process.getgid() === gid && user.gid === gid) {
      const group = fs.readFileSync('/etc/group', 'utf8').split('\n').map((l) => l.split(':')).find((f) => f.length >= 4 && Number(f[2]) === gid);
      const others = fs.readFileSync('/etc/passwd', 'utf8').split('\n').map((l) => l.split(':'))
        .filter((f) => f.length >= 4 && Number(f[3]) === gid && f[0] !== user.username);
      result = group !== undefined && group[0] === user.username && (group[3] ?? '').trim() === '' && others.length === 0;
    }
  } catch {
    result = false;
  }
  privateGroups.set(gid, result);
  return result;
}

/** Pruning policy of {@link pruneStagingDirectory}. */
export interface PrunePolicy {
  /** Staged packages (`<contentHash>/` directories) kept, most recently used first. */
  readonly keepPackages: number;
  /** Cache entries (`cache/*.json`) kept, most recently used first. */
  readonly keepCacheEntries: number;
  /** Anything unused for longer is removed. */
  readonly maxAgeMs: number;
  /** Anything used more recently is kept whatever the counts: another synth may be using it right now. */
  readonly minAgeMs: number;
}

export const DEFAULT_PRUNE_POLICY: PrunePolicy = {
  keepPackages: 16,
  keepCacheEntries: 64,
  maxAgeMs: 30 * 24 * 3600 * 1000,
  minAgeMs: 3600 * 1000,
};

const PACKAGE_DIR = /^[0-9a-f]{64}$/;
const CACHE_ENTRY = /^(bundle|registrations|zip)-[0-9a-f]{64}\.json$/;
const TEMP_FILE = /^\..*\.tmp$/;

/**
 * Removes old packages, cache entries and leftover temp files from a staging directory, touching nothing else
 * (a user-chosen directory may hold other files). "Used" is the mtime, refreshed by {@link markUsed} on reuse.
 */
export function pruneStagingDirectory(dir: string, now = Date.now(), policy: PrunePolicy = DEFAULT_PRUNE_POLICY): void {
  const prune = (parent: string, pattern: RegExp, keep: number): void => {
    let names: string[];
    try {
      names = fs.readdirSync(parent).filter((n) => pattern.test(n) || TEMP_FILE.test(n));
    } catch {
      return;
    }
    const items = names
      .map((name) => ({ name, mtime: fs.lstatSync(path.join(parent, name), { throwIfNoEntry: false })?.mtimeMs }))
      .filter((i): i is { name: string; mtime: number } => i.mtime !== undefined)
      .sort((a, b) => b.mtime - a.mtime);
    let kept = 0;
    for (const item of items) {
      const age = now - item.mtime;
      const temp = TEMP_FILE.test(item.name);
      const keepIt = age < policy.minAgeMs || (!temp && kept < keep && age <= policy.maxAgeMs);
      if (keepIt) {
        if (!temp) kept++;
        continue;
      }
      fs.rmSync(path.join(parent, item.name), { recursive: true, force: true });
    }
  };
  prune(dir, PACKAGE_DIR, policy.keepPackages);
  prune(path.join(dir, 'cache'), CACHE_ENTRY, policy.keepCacheEntries);
}

/** Refreshes the mtime of reused files or directories (the pruning clock). */
export function markUsed(...paths: string[]): void {
  const now = new Date();
  for (const p of paths) {
    try {
      fs.utimesSync(p, now, now);
    } catch {
      // gone meanwhile: the next synth rebuilds it
    }
  }
}
