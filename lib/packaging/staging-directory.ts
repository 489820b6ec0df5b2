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
 * (`%LOCALAPPDATA%` on Windows, else `$XDG_CACHE_HOME` or `~/.cache`).
 */
export function defaultStagingDirectory(
  projectDir: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  homeDir: string = os.homedir(),
): string {
  for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
    if (fs.statSync(path.join(dir, 'node_modules'), { throwIfNoEntry: false })?.isDirectory()) {
      return path.join(dir, 'node_modules', '.cache', STAGING_DIRECTORY_NAME);
    }
    if (path.dirname(dir) === dir) break;
  }
  if (platform === 'win32' && env.LOCALAPPDATA && path.isAbsolute(env.LOCALAPPDATA)) {
    return path.join(env.LOCALAPPDATA, STAGING_DIRECTORY_NAME);
  }
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(homeDir, '.cache'), STAGING_DIRECTORY_NAME);
}

/**
 * Creates `dir` (and missing parents) with mode 0700 if needed and checks it can be trusted (POSIX; on Windows,
 * where modes do not describe access, the default directories sit in the user's profile or project):
 * - `dir` itself is a real directory, not a symbolic link;
 * - it is owned by the user running the synth and not writable by group or others;
 * - no directory above it is writable by others without the sticky bit (anyone could rename it away).
 * Throws an Error naming `stagingDirectory`, the directory, the problem and the fix.
 */
export function prepareStagingDirectory(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return;
  const uid = process.getuid();
  const fail = (problem: string, fix: string): never => {
    throw new Error(
      `\`stagingDirectory\` ${dir} ${problem}. Staged zips are deployed and cache entries are trusted, so it must be ` +
        `writable by you only: ${fix}, or pass another \`stagingDirectory\` (the default is node_modules/.cache/${STAGING_DIRECTORY_NAME} of the project)`,
    );
  };
  const stat = fs.lstatSync(dir);
  if (stat.isSymbolicLink()) fail(`is a symbolic link (to ${fs.realpathSync(dir)})`, 'replace the link by a directory');
  if (!stat.isDirectory()) fail('is not a directory', 'remove it');
  if (stat.uid !== uid) fail(`is owned by uid ${stat.uid}, not by the user running the synth (uid ${uid})`, 'remove it');
  if ((stat.mode & 0o022) !== 0) {
    const who = [stat.mode & 0o020 ? 'its group' : '', stat.mode & 0o002 ? 'others' : ''].filter((w) => w !== '').join(' and ');
    fail(`is writable by ${who} (mode ${(stat.mode & 0o777).toString(8)})`, `run chmod 700 ${dir}`);
  }
  const real = fs.realpathSync(dir);
  for (let above = path.dirname(real); ; above = path.dirname(above)) {
    const mode = fs.statSync(above).mode;
    if ((mode & 0o002) !== 0 && (mode & 0o1000) === 0) {
      fail(`is inside ${above}, which anyone can write (mode ${(mode & 0o7777).toString(8)}, no sticky bit)`, `run chmod o-w ${above}`);
    }
    if (path.dirname(above) === above) break;
  }
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
const CACHE_ENTRY = /^(registrations|zip)-[0-9a-f]{64}\.json$/;
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
