/**
 * Bundling of an Azure Functions Node.js v4 programming-model app with esbuild (pure functions, no constructs).
 *
 * All entry points go into ONE CommonJS bundle (`dist/index.js`) through a generated main that requires them in
 * order. One bundle means one copy of `@azure/functions` (and of shared modules) in the process, a single
 * `package.json#main`, and one file to load at cold start.
 *
 * @see https://esbuild.github.io/api/
 * @see https://learn.microsoft.com/azure/azure-functions/functions-reference-node?pivots=nodejs-model-v4
 */
import type { FunctionsNodeVersion } from '../../common/azure-constants';
import * as fs from 'fs';
import * as path from 'path';
import { buildSync, type BuildOptions, type Message, type Metafile } from 'esbuild';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { ENTRY_HOOK_GLOBAL } from './functions-core-stand-in';
import { compareNames } from './reproducible-zip';

/** Provided by the Functions Node.js worker at runtime; never bundled. */
export const FUNCTIONS_CORE_MODULE = '@azure/functions-core';

/** The name esbuild gives the generated main (stdin) in messages and the metafile. */
export const GENERATED_MAIN_NAME = 'cdktf-azure-webpubsub-main.js';

/** Path of the bundle inside the package (also `package.json#main`). */
export const BUNDLE_PATH = 'dist/index.js';

/** An entry point resolved against the project directory. */
export interface ResolvedEntryPoint {
  /** As given by the user, or the matched file (relative, `/` separators) for a glob (used in messages and registrations). */
  readonly spec: string;
  readonly absolutePath: string;
  /** Relative to the project directory, `/` separators. */
  readonly relativePath: string;
  /** For a file matched by a glob: the prop and the glob, e.g. `` `package.json main` "src/functions/*.js" ``. */
  readonly matchedBy?: string;
}

/** Input of {@link bundleFunctionApp}. */
export interface BundleOptions {
  readonly projectDir: string;
  readonly entryPoints: readonly ResolvedEntryPoint[];
  readonly nodeVersion: FunctionsNodeVersion;
  readonly externals: readonly string[];
  readonly minify: boolean;
  readonly sourceMap: boolean;
  readonly define: Readonly<Record<string, string>>;
}

/** Output of {@link bundleFunctionApp}. */
export interface BundleResult {
  /** Bundle JavaScript, to be stored at {@link BUNDLE_PATH}. */
  readonly code: string;
  /** Source map JSON (stored next to the bundle) when requested. */
  readonly sourceMap?: string;
  /** Formatted esbuild warnings (not fatal). */
  readonly warnings: string[];
  /** What esbuild read and how it resolved each import (see bundle-inputs.ts); absent for a bundle from the cache. */
  readonly metafile?: Metafile;
}

const toPosix = (p: string): string => p.split(path.sep).join('/');

/**
 * The entry points of the app: `entryPoints` when given, else the `main` field of the project's package.json, which
 * is what the Azure Functions Node.js worker loads (a file or a glob such as `src/functions/*.js`, as in Microsoft's
 * v4 samples).
 */
export function appEntryPoints(projectDir: string, entryPoints: readonly string[] | undefined): { specs: readonly string[]; prop: 'entryPoints' | 'package.json main' } {
  if (entryPoints !== undefined) return { specs: entryPoints, prop: 'entryPoints' };
  const file = path.join(projectDir, 'package.json');
  let manifest: unknown;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${err instanceof Error ? err.message : String(err)})`;
    throw new Error(`\`entryPoints\` is not set and ${file} ${reason}: set \`entryPoints\`, or \`main\` in the project's package.json (the file or glob the Functions worker loads)`, { cause: err });
  }
  const main = (manifest as { main?: unknown } | null)?.main;
  if (typeof main !== 'string' || main.trim() === '') {
    throw new Error(
      `\`entryPoints\` is not set and ${file} has no \`main\`${main === undefined ? '' : ` string (got ${JSON.stringify(main)})`}: ` +
        'set `entryPoints`, or `main` to the file or glob the Functions worker loads (e.g. "src/functions/*.js")',
    );
  }
  return { specs: [main], prop: 'package.json main' };
}

/**
 * Resolves entry points against `projectDir` (see {@link appEntryPoints}); throws naming the prop, the value and the
 * rule when one is missing or a glob matches nothing.
 *
 * A literal path is taken as given (absolute, or relative to `projectDir`; `entryPoints` may name a file outside the
 * project). A glob follows what the Functions Node.js worker does with package.json `main` (globby with the app
 * directory as cwd): matched relative to `projectDir`, files only, dot-files not matched by `*`, links followed,
 * case-sensitive, braces and extglobs. Unlike the worker, which loads its matches in the order the file system lists
 * them, the matches are sorted (byte order of their paths), so the bundle, and the package hash, are the same on every
 * machine. A glob must stay in the project (no absolute pattern, no `..` segment): what it matches is deployed as app
 * code, and the worker only ever globs inside the app. A file matched by a glob after it was already listed is kept
 * once, at its first place; naming a file literally twice is an error. `package.json main` must always stay in the
 * project: the worker resolves it inside the deployed app.
 */
export function resolveEntryPoints(projectDir: string, entryPoints: readonly string[] | undefined): ResolvedEntryPoint[] {
  const { specs, prop } = appEntryPoints(projectDir, entryPoints);
  if (!Array.isArray(specs) || specs.length === 0) {
    throw new Error('`entryPoints` must list at least one entry file of the function app');
  }
  const seen = new Map<string, { by: string; glob: boolean }>(); // absolute path → the prop item that brought it in
  const resolved: ResolvedEntryPoint[] = [];
  specs.forEach((spec, i) => {
    const what = prop === 'entryPoints' ? `\`entryPoints[${i}]\`` : '`package.json main`';
    if (typeof spec !== 'string' || spec.trim() === '') {
      throw new Error(`${what} must be a non-empty path, got ${JSON.stringify(spec)}`);
    }
    const absolutePath = path.resolve(projectDir, spec);
    const stat = fs.statSync(absolutePath, { throwIfNoEntry: false });
    // A path that exists is taken literally even if it has glob characters (`[id].js`); else tinyglobby decides
    // (`*`, `?`, `[...]`, `{...}`, extglob parentheses), as globby's hasMagic does in the worker.
    const literal = stat !== undefined || !isDynamicPattern(spec);
    const staysInProject = !path.isAbsolute(spec) && !spec.split(/[\\/]/).includes('..');
    if (!staysInProject && (prop === 'package.json main' || !literal)) {
      throw new Error(
        `${what} "${spec}" leaves the project: ${prop === 'package.json main' ? 'package.json main' : 'a glob'} must be relative to ` +
          `projectDir ${projectDir} with no ".." segment (the Functions worker resolves it inside the deployed app)`,
      );
    }
    if (literal) {
      if (!stat || !stat.isFile()) {
        throw new Error(
          `${what} "${spec}" ${stat ? 'is not a file' : 'does not exist'} (resolved to ${absolutePath} from projectDir ${projectDir})` +
            (stat?.isDirectory() ? `; to load every file of it, use a glob such as "${toPosix(spec).replace(/\/+$/, '')}/*.js"` : ''),
        );
      }
      const previous = seen.get(absolutePath);
      if (previous !== undefined) {
        throw new Error(`${what} "${spec}" is listed twice${previous.glob ? ` (already matched by ${previous.by})` : ''}`);
      }
      seen.set(absolutePath, { by: what, glob: false });
      resolved.push({ spec, absolutePath, relativePath: toPosix(path.relative(projectDir, absolutePath)) });
      return;
    }
    const matches = globSync(spec, { cwd: projectDir, onlyFiles: true, expandDirectories: false, dot: false, followSymbolicLinks: true })
      .map((match) => toPosix(path.relative(projectDir, path.resolve(projectDir, match))))
      .sort(compareNames);
    if (matches.length === 0) {
      throw new Error(
        `${what} "${spec}" matches no file in projectDir ${projectDir} (a glob matches files, not directories, relative to ` +
          'projectDir; `*` does not match names that start with "."; case-sensitive, like the Functions worker does with package.json main)',
      );
    }
    for (const relativePath of matches) {
      const matchedPath = path.resolve(projectDir, relativePath);
      if (seen.has(matchedPath)) continue; // listed before (e.g. a setup file first): loaded once, at its first place
      seen.set(matchedPath, { by: `${what} "${spec}"`, glob: true });
      resolved.push({ spec: relativePath, absolutePath: matchedPath, relativePath, matchedBy: `${what} "${spec}"` });
    }
  });
  return resolved;
}

/**
 * Source of the generated main: before requiring entry `i` it calls the optional global hook
 * `globalThis.__cdktfAzureWebPubSubEntry(i)`, which only the registration recorder defines (a no-op in Azure),
 * so registrations and import errors can be attributed to their entry point.
 */
export function generateMainSource(entryPoints: readonly ResolvedEntryPoint[]): string {
  const lines = ['"use strict";', `var hook = globalThis[${JSON.stringify(ENTRY_HOOK_GLOBAL)}];`];
  entryPoints.forEach((entry, i) => {
    const request = entry.relativePath.startsWith('../../') ? entry.relativePath : `./${entry.relativePath}`;
    lines.push(`if (typeof hook === "function") hook(${i});`);
    lines.push(`require(${JSON.stringify(request)});`);
  });
  return lines.join('\n') + '\n';
}

/** The esbuild options used for the bundle (exposed for tests and debugging). */
export function esbuildOptions(options: BundleOptions): BuildOptions {
  return {
    stdin: {
      contents: generateMainSource(options.entryPoints),
      resolveDir: options.projectDir,
      sourcefile: GENERATED_MAIN_NAME,
      loader: 'js',
    },
    absWorkingDir: options.projectDir, // all paths esbuild prints (comments, source map sources) are relative to it
    outfile: path.join(options.projectDir, BUNDLE_PATH), // virtual: write is false
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${options.nodeVersion}`,
    external: [FUNCTIONS_CORE_MODULE, ...options.externals],
    minify: options.minify,
    sourcemap: options.sourceMap ? 'linked' : false,
    sourcesContent: true,
    define: { ...options.define },
    charset: 'utf8',
    metafile: true, // the inputs the bundle cache is keyed on (bundle-inputs.ts); does not change the output
    logLevel: 'silent',
    color: false,
  };
}

/**
 * Bundles the app synchronously. Throws an Error listing esbuild's errors as `file:line:column: message`.
 */
export function bundleFunctionApp(options: BundleOptions): BundleResult {
  let result;
  esbuildRuns++;
  try {
    result = buildSync(esbuildOptions(options));
  } catch (err) {
    throw new Error(formatBuildFailure(err), { cause: err });
  }
  const outputs = result.outputFiles ?? [];
  const js = outputs.find((f) => f.path.endsWith('.js'));
  const map = outputs.find((f) => f.path.endsWith('.js.map'));
  if (!js) throw new Error('esbuild produced no JavaScript output');
  return {
    code: js.text,
    ...(map ? { sourceMap: map.text } : {}),
    warnings: result.warnings.map(formatMessage),
    ...(result.metafile ? { metafile: result.metafile } : {}),
  };
}

let esbuildRuns = 0;
/** How many times this process has run esbuild (the bundle cache's tests observe reuse through it). */
export function esbuildRunCount(): number {
  return esbuildRuns;
}

/** Formats one esbuild message as `file:line:column: text` (plus the offending source line). */
export function formatMessage(message: Message): string {
  const loc = message.location;
  const head = loc ? `${loc.file}:${loc.line}:${loc.column + 1}: ${message.text}` : message.text;
  const notes = message.notes.map((n) => `  note: ${n.text}`).join('\n');
  const source = loc?.lineText ? `\n    ${loc.lineText.trim()}` : '';
  return `${head}${source}${notes ? `\n${notes}` : ''}`;
}

function formatBuildFailure(err: unknown): string {
  const errors = (err as { errors?: Message[] }).errors;
  if (Array.isArray(errors) && errors.length > 0) {
    return `esbuild failed with ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${errors.map(formatMessage).join('\n')}`;
  }
  return `esbuild failed: ${err instanceof Error ? err.message : String(err)}`;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(request: string): string {
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function findPackageDir(fromDir: string, name: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    if (path.basename(dir) !== 'node_modules') {
      const candidate = path.join(dir, 'node_modules', name);
      if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** What the walks of `extraFiles` directories and `externals` packages may pack. */
export interface PackFilePolicy {
  /**
   * Follow symbolic links whose target lies outside the tree being packed (the project directory for `extraFiles`,
   * the package directory for `externals`). Off, such a link is an error naming it.
   */
  readonly followSymlinksOutsideProject: boolean;
  /** Pack files whose name marks them as secrets (see {@link secretFileKind}). Off, they are skipped in walks and an error when listed. */
  readonly includeSecretFiles: boolean;
  /**
   * Pack `extraFiles` files that have other hard links than the ones packed. Off, such a file is an error: a hard link
   * shares its content with a file elsewhere on the disk (e.g. `~/.ssh/id_rsa`), and where is not visible from here.
   * @default false
   */
  readonly allowHardLinks?: boolean;
}

/** The secure defaults of {@link PackFilePolicy}. */
export const DEFAULT_PACK_FILE_POLICY: PackFilePolicy = { followSymlinksOutsideProject: false, includeSecretFiles: false, allowHardLinks: false };

/** Files to pack (zip path → absolute source file) and what a walk left out. */
export interface CollectedFiles {
  readonly files: Map<string, string>;
  /** Zip path → the prop entry it comes from, for messages (e.g. `` `extraFiles["www"]` ``). */
  readonly origins: Map<string, string>;
  /** Skipped secret files or directories with their kind (see {@link secretFileKind}), e.g. `public/.git (version-control metadata)`; relative to the project when inside it. */
  readonly skippedSecretFiles: string[];
  /** Skipped FIFOs, sockets and device files found in walked directories, with their type. */
  readonly skippedSpecialFiles: string[];
}

// Names that hold credentials wherever they appear: found in a project, an `extraFiles` folder or a package, they are
// left out (or refused when listed) unless `includeSecretFiles`. What each kind is, for the messages.
const SECRET_NAMES: ReadonlyArray<readonly [RegExp, string]> = [
  // `local-settings --force` of this library keeps the previous file as local.settings.json.bak; editors add ~ or .orig
  [/^local\.settings\.json(\.(bak|old|orig|backup)|~)?$/, 'local app settings'],
  [/^\.env/, 'dotenv file'],
  // a remote URL in .git/config can carry a token (https://x-access-token:...@github.com/...); history holds old secrets
  [/^\.(git|hg|svn)$/, 'version-control metadata'],
  [/^(\.npmrc|\.yarnrc|\.yarnrc\.yml|\.netrc|_netrc|\.pypirc|\.git-credentials)$/, 'credentials file'],
  [/^(\.dockerconfigjson|\.dockercfg)$/, 'container registry credentials'],
  [/^(\.ssh|\.gnupg|\.docker|\.aws|\.azure)$/, 'credentials directory'],
  [/^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$|\.ppk$/, 'SSH private key'],
  [/\.(pem|key|p12|pfx)$/, 'private key or certificate'],
  // state holds every resource attribute, secrets included; .terraform/ holds the backend configuration
  [/\.tfstate(\.[^/]*)?$|^\.terraform$/, 'Terraform state'],
];

/**
 * What secret a file or directory name marks (see {@link SECRET_NAMES}: local settings and dotenv files, VCS metadata,
 * npm/netrc/registry credentials, SSH and TLS private keys, Terraform state), or `undefined`. Case-insensitive.
 */
export function secretFileKind(name: string): string | undefined {
  const lower = name.toLowerCase();
  return SECRET_NAMES.find(([pattern]) => pattern.test(lower))?.[1];
}

/** The type of a file that is neither regular nor a directory, for messages. */
function specialFileType(stat: fs.Stats): string | undefined {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return undefined;
}

/** True when `child` is `parent` or below it (both absolute). */
export function isPathInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel));
}

/**
 * Hard-linked files among the collected ones: every link of such a file must be among them (then its content is in
 * the package anyway); otherwise its other link is somewhere on the same disk, inside the project or not, and a file
 * such as `public/logo.png` could be `~/.ssh/id_rsa` under another name. There is no way to find the other link short
 * of scanning the disk, so the file is refused unless `allowHardLinks`.
 */
class HardLinks {
  private readonly byInode = new Map<string, { nlink: number; paths: Set<string>; shown: string; what: string }>();
  note(file: string, stat: fs.Stats, shown: string, what: string): void {
    if (stat.nlink <= 1) return;
    const key = `${stat.dev}:${stat.ino}`;
    const entry = this.byInode.get(key) ?? { nlink: stat.nlink, paths: new Set<string>(), shown, what };
    entry.paths.add(fs.realpathSync(file));
    this.byInode.set(key, entry);
  }
  check(policy: PackFilePolicy): void {
    if (policy.allowHardLinks === true) return;
    for (const { nlink, paths, shown, what } of this.byInode.values()) {
      if (paths.size >= nlink) continue;
      throw new Error(
        `${what}: ${shown} has ${nlink} hard links and ${nlink - paths.size === 1 ? 'the other one is' : `${nlink - paths.size} of them are`} not ` +
          'among the packed files. A hard link shares its content with a file elsewhere on this disk (possibly outside the ' +
          'project, e.g. a key under ~/.ssh) and where cannot be seen from here; pack a copy (cp, not ln), or set ' +
          '`allowHardLinks: true` if the file comes from a tool that hard-links (e.g. a pnpm store)',
      );
    }
  }
}

interface WalkContext {
  readonly policy: PackFilePolicy;
  /** Real path of the tree links must stay in. */
  readonly root: string;
  /** e.g. "the project directory". */
  readonly rootLabel: string;
  /** e.g. '`extraFiles["www"]`'. */
  readonly what: string;
  readonly display: (file: string) => string;
  /** Where found files, their origins and what was left out are recorded. */
  readonly collected: CollectedFiles;
  /** Hard-linked files are noted here (`extraFiles` only; see `collectExternalFiles` for why not `externals`). */
  readonly hardLinks?: HardLinks;
}

/** Regular files under `dir` (sorted walk) as zip path (`zipDir/...`) → source, following the policy. */
function walkFiles(dir: string, zipDir: string, ctx: WalkContext, visited = new Set<string>()): void {
  const real = fs.realpathSync(dir);
  if (visited.has(real)) return; // a link back up the tree
  visited.add(real);
  for (const name of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const lstat = fs.lstatSync(full);
    let stat: fs.Stats = lstat;
    let target: string | undefined;
    if (lstat.isSymbolicLink()) {
      try {
        target = fs.realpathSync(full);
      } catch {
        continue; // dangling link
      }
      if (!ctx.policy.followSymlinksOutsideProject && !isPathInside(target, ctx.root)) {
        throw new Error(
          `${ctx.what}: ${ctx.display(full)} is a symbolic link to ${target}, outside ${ctx.rootLabel} (${ctx.root}); ` +
            'links out of it are not followed, they can pull in unrelated files such as credentials. ' +
            'Remove the link, list its target explicitly, or set `followSymlinksOutsideProject: true`',
        );
      }
      stat = fs.statSync(full);
    }
    // By name, and for a link by its target's name too (`public/cfg -> ../.git` is the .git directory).
    const secret = secretFileKind(name) ?? (target !== undefined ? secretFileKind(path.basename(target)) : undefined);
    if (!ctx.policy.includeSecretFiles && secret !== undefined) {
      ctx.collected.skippedSecretFiles.push(`${ctx.display(full)} (${secret})`);
      continue;
    }
    const special = specialFileType(stat);
    if (special !== undefined) {
      // reading a FIFO blocks until someone writes, a device never ends: only regular files are packed
      ctx.collected.skippedSpecialFiles.push(`${ctx.display(full)} (${special})`);
      continue;
    }
    if (stat.isDirectory()) walkFiles(full, `${zipDir}/${name}`, ctx, visited);
    else if (stat.isFile()) {
      ctx.collected.files.set(`${zipDir}/${name}`, full);
      ctx.collected.origins.set(`${zipDir}/${name}`, ctx.what);
      ctx.hardLinks?.note(full, stat, ctx.display(full), ctx.what);
    }
  }
}

/**
 * Files of the `externals` packages and of their transitive `dependencies` / `optionalDependencies`
 * (missing optional ones are skipped), as zip path (`node_modules/...`) → absolute source file.
 * Packages are looked up like Node.js does (`node_modules` folders from `projectDir` upward, nested
 * `node_modules` of a dependent first); each package directory is copied whole.
 */
export function collectExternalFiles(
  projectDir: string,
  externals: readonly string[],
  policy: PackFilePolicy = DEFAULT_PACK_FILE_POLICY,
): CollectedFiles {
  const collected = noFilesCollected();
  const placed = new Map<string, string>(); // zip dir → real dir
  const visit = (name: string, fromDir: string, parentZipDir: string | undefined, optional: boolean, requiredBy: string): void => {
    const realDir = findPackageDir(fromDir, name);
    if (!realDir) {
      if (optional) return;
      throw new Error(`\`externals\`: package "${name}" (${requiredBy}) was not found in any node_modules folder above ${fromDir}`);
    }
    const nested = parentZipDir !== undefined && realDir.startsWith(fromDir + path.sep);
    let zipDir = nested ? `${parentZipDir}/${toPosix(path.relative(fromDir, realDir))}` : `node_modules/${name}`;
    if (!nested && placed.has(zipDir) && placed.get(zipDir) !== realDir && parentZipDir !== undefined) {
      zipDir = `${parentZipDir}/node_modules/${name}`; // version conflict with a hoisted copy: nest it
    }
    if (placed.get(zipDir) === realDir) return;
    placed.set(zipDir, realDir);
    walkFiles(realDir, zipDir, {
      policy,
      root: realDir,
      rootLabel: `the package directory of "${name}"`,
      what: `\`externals\` ("${name}")`,
      display: (file) => displayPath(projectDir, file),
      collected,
      // no hard-link check: pnpm (and yarn's hardlinks-global) hard-link every package file from their store, so
      // nlink > 1 is the norm here, and a package's files are its registry content, not files picked by hand
    });
    const pkg = JSON.parse(fs.readFileSync(path.join(realDir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dep of Object.keys(pkg.dependencies ?? {}).sort()) visit(dep, realDir, zipDir, false, `dependency of ${name}`);
    for (const dep of Object.keys(pkg.optionalDependencies ?? {}).sort()) visit(dep, realDir, zipDir, true, `optional dependency of ${name}`);
  };
  for (const request of externals) {
    if (request.includes('*')) {
      throw new Error(`\`externals\`: wildcards are not supported ("${request}"); list package names`);
    }
    if (request === FUNCTIONS_CORE_MODULE) continue; // provided by the worker
    visit(packageNameOf(request), projectDir, undefined, false, 'listed in externals');
  }
  return collected;
}

function noFilesCollected(): CollectedFiles {
  return { files: new Map(), origins: new Map(), skippedSecretFiles: [], skippedSpecialFiles: [] };
}

/** `file` relative to the project (forward slashes) when inside it, else absolute. */
function displayPath(projectDir: string, file: string): string {
  return isPathInside(file, projectDir) ? toPosix(path.relative(projectDir, file)) : file;
}

/**
 * Resolves `extraFiles` (zip path → file or directory, relative to `projectDir` or absolute) to
 * zip path → absolute source file. Directories are added recursively under their zip path.
 *
 * A source inside the project must really be there: it and every link in its directory tree must resolve inside
 * the project directory. A source listed outside the project is taken as asked for; links in its tree must stay
 * in it. (`policy.followSymlinksOutsideProject` lifts both.) Secret files (see {@link secretFileKind}) are skipped
 * in directories and rejected when listed, unless `policy.includeSecretFiles`: a listed name is what the user asked
 * for, so dropping it silently would ship a package without it; a directory is a bulk of files, where leaving the
 * secret out (with a warning) is what was meant. Only regular files are packed: a listed FIFO, socket or device is an
 * error (reading one blocks or never ends), one found in a directory is skipped and reported. A hard-linked file whose
 * other links are not all packed is an error unless `policy.allowHardLinks`.
 */
export function collectExtraFiles(
  projectDir: string,
  extraFiles: Readonly<Record<string, string>>,
  policy: PackFilePolicy = DEFAULT_PACK_FILE_POLICY,
): CollectedFiles {
  const collected = noFilesCollected();
  const hardLinks = new HardLinks();
  const projectReal = fs.realpathSync(projectDir);
  for (const [zipPath, source] of Object.entries(extraFiles)) {
    const what = `\`extraFiles["${zipPath}"]\``;
    const abs = path.resolve(projectDir, source);
    const stat = fs.statSync(abs, { throwIfNoEntry: false });
    if (!stat) {
      throw new Error(`${what}: source "${source}" does not exist (resolved to ${abs})`);
    }
    const listedInside = isPathInside(abs, projectDir);
    const real = fs.realpathSync(abs);
    if (!policy.includeSecretFiles) {
      // Every segment (`.git/config` is in .git), of the path as listed and as resolved (`public/assets -> ../.git`):
      // inside the project those below it, outside it the whole path (`~/.ssh/config`).
      const segmentsOf = (p: string, base: string): string[] =>
        (isPathInside(p, base) ? path.relative(base, p) : p).split(path.sep).filter((segment) => segment !== '');
      const segments = [...segmentsOf(abs, projectDir), ...segmentsOf(real, projectReal)];
      const secret = segments.map(secretFileKind).find((kind) => kind !== undefined);
      if (secret !== undefined) {
        throw new Error(
          `${what}: "${source}" is named like a secret (${secret}: such files hold keys, tokens or connection strings) and is ` +
            'never packed by default; set `includeSecretFiles: true` if the package really needs it',
        );
      }
    }
    const special = specialFileType(stat);
    if (special !== undefined) {
      throw new Error(`${what}: "${source}" is ${special}, not a regular file or directory; only regular files are packed (reading it would block or never end)`);
    }
    if (listedInside && !policy.followSymlinksOutsideProject && !isPathInside(real, projectReal)) {
      throw new Error(
        `${what}: "${source}" resolves through a symbolic link to ${real}, outside the project directory (${projectReal}); ` +
          'list the target explicitly or set `followSymlinksOutsideProject: true`',
      );
    }
    const target = zipPath.replace(/\/+$/, '');
    if (stat.isDirectory()) {
      walkFiles(abs, target, {
        policy,
        root: listedInside ? projectReal : real,
        rootLabel: listedInside ? 'the project directory' : `the listed directory "${source}"`,
        what,
        display: (file) => displayPath(projectDir, file),
        collected,
        hardLinks,
      });
    } else {
      collected.files.set(target, abs);
      collected.origins.set(target, what);
      hardLinks.note(abs, stat, `"${source}"`, what);
    }
  }
  hardLinks.check(policy);
  return collected;
}
