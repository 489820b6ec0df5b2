import * as path from 'node:path';
import * as fs from 'node:fs';
import { AssetType, TerraformAsset, TerraformStack, type IStackSynthesizer, type ISynthesisSession } from 'cdktf';
import { Construct } from 'constructs';
import type { FunctionsNodeVersion } from '../common/azure-constants';
import { buildFunctionPackage, packageFileNameOf, type BuildFunctionPackageOptions } from './private/package-builder';
import { deriveEventRouting, type DeclaredEventRouting, type RegisteredFunction } from './private/function-registration-recorder';
import { fileSha256 } from './private/reproducible-zip';
import { reportProgress, warnAtSynth } from '../core/synth-messages';
import { LibraryConstruct } from '../core/edition-guard';

/**
 * Properties of {@link FunctionCode}.
 */
export interface FunctionCodeProps {
  /**
   * Entry files (TypeScript or JavaScript) of an Azure Functions Node.js v4 programming-model app, or globs of them
   * such as `src/functions/*.js`. A file named here must register at least one function when imported
   * (`app.http(...)`, `app.webPubSub(...)`, `app.generic(...)`...); a glob must match at least one file and at least
   * one of its files must register a function. Files are absolute or relative to `projectDir`; globs are relative to
   * it and stay inside it, and match like the Functions worker matches package.json `main` (files only, `*` skips
   * dot-files), their matches sorted by path. They are bundled, in this order, into one CommonJS file.
   * @default - the `main` field of `projectDir`'s package.json (a file or a glob, as in Microsoft's v4 samples:
   * `"main": "src/functions/*.js"`), which is what the Functions worker loads
   */
  readonly entryPoints?: string[];

  /**
   * Directory entry points, `extraFiles` and `externals` are resolved from (esbuild's working directory;
   * `node_modules` and `tsconfig.json` are looked up from here).
   * @default - `process.cwd()`
   */
  readonly projectDir?: string;

  /**
   * Node.js major version of the Function App; sets the esbuild target (`node20` / `node22`).
   * @default '22' (Node 20 reached end of life in April 2026; match the function app's `nodeVersion`)
   */
  readonly nodeVersion?: FunctionsNodeVersion;

  /**
   * Additional files to ship, as zip path → source file or directory (absolute or relative to `projectDir`),
   * e.g. `{ 'index.html': 'src/index.html' }`. Directories are added recursively.
   * @default - no extra files
   */
  readonly extraFiles?: Record<string, string>;

  /**
   * Follow symbolic links that lead out of the tree being packed: out of `projectDir` for `extraFiles` sources
   * inside the project (and the links in their directories), out of the package directory for `externals`, out of
   * the listed directory for an `extraFiles` source listed outside the project. Off, such a link is an error that
   * names it: a link such as `public/shared -> ../..` would otherwise ship whatever it points to.
   * @default false
   */
  readonly followSymlinksOutsideProject?: boolean;

  /**
   * Pack files whose name marks them as secrets: `local.settings.json` (and its `.bak`, which `local-settings --force`
   * writes), `.env*`, `.git`/`.hg`/`.svn`, `.npmrc`, `.yarnrc(.yml)`, `.netrc`, `.pypirc`, `.git-credentials`,
   * `.dockerconfigjson`, `.dockercfg`, `.ssh`/`.gnupg`/`.docker`/`.aws`/`.azure` directories, SSH private keys
   * (`id_rsa`, `id_ed25519`, ...), `*.pem`, `*.key`, `*.p12`, `*.pfx`, `*.tfstate` (and backups), `.terraform`.
   * Off, they are left out of `extraFiles` directories and `externals` packages with a warning naming them, and
   * listing one in `extraFiles` is an error.
   * @default false
   */
  readonly includeSecretFiles?: boolean;

  /**
   * Pack `extraFiles` files that have hard links which are not themselves packed. Off, such a file fails the synth: a
   * hard link shares its content with a file elsewhere on the same disk (`ln ~/.ssh/id_rsa public/logo.png`), and
   * where that other link is cannot be seen. Set it when a tool that hard-links (a pnpm store, `cp -l`) produced the
   * files. `externals` are not checked (package managers such as pnpm hard-link every file from their store).
   * @default false
   */
  readonly allowHardLinks?: boolean;

  /**
   * Modules kept out of the bundle and shipped as `node_modules/<name>` (the whole package directory plus,
   * transitively, its `dependencies` and installed `optionalDependencies`). Use for native modules or packages
   * that read their own files at runtime. `@azure/functions-core` is always external (the worker provides it).
   * @default - everything except `@azure/functions-core` is bundled
   */
  readonly externals?: string[];

  /**
   * Minify the bundle.
   * @default false
   * @see https://esbuild.github.io/api/#minify
   */
  readonly minify?: boolean;

  /**
   * Ship a source map (`dist/index.js.map`, linked from the bundle). Stack traces use it when the app runs
   * with `languageWorkers__node__arguments=--enable-source-maps`.
   * @default false
   * @see https://esbuild.github.io/api/#sourcemap
   */
  readonly sourceMap?: boolean;

  /**
   * Overrides deep-merged over the default `host.json` (`version: "2.0"` and the extension bundle
   * `Microsoft.Azure.Functions.ExtensionBundle` `[4.36.0, 5.0.0)`, which carries the Web PubSub extension
   * with identity-based connections). Objects merge, arrays and scalars replace.
   * @default - the default host.json
   * @see https://learn.microsoft.com/azure/azure-functions/functions-host-json
   */
  readonly hostJson?: Record<string, unknown>;

  /**
   * Global identifier replacements at bundle time, values are JS expressions
   * (e.g. `{ 'process.env.STAGE': '"prod"' }`).
   * @default - none
   * @see https://esbuild.github.io/api/#define
   */
  readonly define?: Record<string, string>;

  /**
   * Environment variables set while the app is loaded at synth (in a child process) to record the functions it
   * registers. The child's `process.env` then holds only these and `PATH`, `HOME`/`USERPROFILE`,
   * `TMPDIR`/`TMP`/`TEMP` (and `SystemRoot` on Windows) of the synth process: CI credentials such as
   * `ACTIONS_ID_TOKEN_REQUEST_*`, `GITHUB_TOKEN` or `ARM_*` are not in it, so the code and its SDKs do not use them
   * by accident. That does not keep them from code that looks for them: the child runs as the same user, and can
   * read the synth process's environment (`/proc/<pid>/environ` on Linux) and the user's files (`~/.azure`). Never
   * synthesize where credentials are present that your code and its dependencies must not have
   * (docs/deploying.md, "What a synth can read"). Set here what your code reads at import to decide what it
   * registers, e.g. `{ CHAT_HUB: 'chat' }` (mirror the app settings it gets in Azure; to pass a variable of the
   * synth environment, `{ STAGE: process.env.STAGE ?? 'dev' }`).
   * @default - none
   */
  readonly registrationEnvironment?: Record<string, string>;

  /**
   * Private directory where the zip is staged (`<stagingDirectory>/<contentHash>/<packageFileName>`, streamed and
   * renamed into place) until cdktf copies it into the outdir at synth, and where the build cache lives
   * (`<stagingDirectory>/cache`). Relative paths resolve from the working directory. It must be writable by the user running the synth only: it is created with mode
   * 0700, and the synth fails with a message naming it (what lies here gets deployed) when it is owned by another user
   * or writable by group or others, when a directory above it is owned by someone other than the user or root or is
   * writable by group or others without the sticky bit (the user's own private group excepted), when a symbolic link
   * is on its path, or when it cannot be written (read-only file system, permissions). The copy cdktf makes in the
   * outdir is hashed again at synth. Packages and cache entries not used for
   * an hour are pruned beyond the 16 (packages) / 64 (entries) most recently used, and after 30 days in any case;
   * nothing else in the directory is touched.
   * @default - `node_modules/.cache/cdktf-azure-webpubsub` in the nearest directory at or above `projectDir` that
   * has a `node_modules` folder; without one, `cdktf-azure-webpubsub` in the per-user cache directory
   * (`$XDG_CACHE_HOME` or `~/.cache`; `%LOCALAPPDATA%` on Windows). Never the shared OS temp directory.
   */
  readonly stagingDirectory?: string;

  /**
   * Reuse, across synths, the result of each packaging step when what it consumes is unchanged: the bundle when
   * esbuild's version and options are the same and every file it read or consulted is too (the sources and
   * dependencies it bundled, by content; every package.json, tsconfig.json and jsconfig.json from them up to the
   * root, and the configs they extend; the directories and `node_modules` folders where a new file would change how
   * an import resolves), the functions recorded from a bundle with the same bytes (same `registrationEnvironment`,
   * same `externals` files) and the zip of the same files. Entries live in `<stagingDirectory>/cache`.
   * @default true
   */
  readonly cache?: boolean;

  /**
   * Suppress the one-line progress report (`[cdktf-azure-webpubsub] packaged ...` on stdout, which the cdktf CLI
   * prints as is; it is always suppressed under Jest, i.e. when `JEST_WORKER_ID` is set).
   * @default false
   */
  readonly quiet?: boolean;
}

/** The build options `FunctionCode` uses for `props`: its defaults applied. */
export function packageBuildOptions(props: FunctionCodeProps): BuildFunctionPackageOptions {
  return {
    projectDir: props.projectDir ?? process.cwd(),
    entryPoints: props.entryPoints,
    nodeVersion: props.nodeVersion ?? '22',
    extraFiles: props.extraFiles ?? {},
    externals: props.externals ?? [],
    minify: props.minify ?? false,
    sourceMap: props.sourceMap ?? false,
    hostJson: props.hostJson ?? {},
    define: props.define ?? {},
    registrationEnvironment: props.registrationEnvironment ?? {},
    followSymlinksOutsideProject: props.followSymlinksOutsideProject ?? false,
    includeSecretFiles: props.includeSecretFiles ?? false,
    allowHardLinks: props.allowHardLinks ?? false,
  };
}

/**
 * The code package of an Azure Functions Node.js v4 app: bundles the entry points with esbuild into one CommonJS
 * file, records the functions they register, zips bundle + host.json + package.json (+ extra files, externals)
 * reproducibly and exposes the zip as a Terraform file asset whose hash is the sha256 of the zip bytes.
 *
 * All work happens synchronously in the constructor, so any error (missing entry, compile error, unresolved
 * import, an entry registering no function) is thrown at synth time, before anything is written to the outdir.
 * The construct creates no cloud resources: upload the zip (`asset`, `packageFileName`) with a storage blob.
 */
export class FunctionCode extends LibraryConstruct {
  /** The project directory (absolute): entry points, extra files and externals are resolved from it. */
  public readonly projectDir: string;
  /** The Node.js major version the code is bundled for (the function app must run the same). */
  public readonly nodeVersion: FunctionsNodeVersion;
  /** The Terraform file asset (copied into the stack's asset folder at synth). */
  public readonly asset: TerraformAsset;
  /** sha256 (lower-case hex) of the zip bytes; the zip embeds entry names, contents and fixed metadata only. */
  public readonly contentHash: string;
  /** Content-addressed file name for the upload, `functions-<first 16 hex of contentHash>.zip`. */
  public readonly packageFileName: string;
  /** Path of the zip relative to the Terraform working directory (`asset.path`), e.g. for a blob's `source`. */
  public readonly assetPath: string;
  /** Absolute path of the staged zip (outside cdktf.out, under `stagingDirectory`). */
  public readonly stagedZipPath: string;
  /** Zip size in bytes. */
  public readonly sizeBytes: number;
  /** Functions the app registers at import, in registration order. */
  public readonly registrations: RegisteredFunction[];
  /** The final host.json written to the package. */
  public readonly hostJson: Record<string, unknown>;
  /** Zip entry names, sorted. */
  public readonly fileNames: string[];
  /**
   * True when the bundle, the registration environment and every packaged file were unchanged since a previous
   * synth, so its recorded functions and zip were reused (see `cache`).
   */
  public readonly reusedCachedBuild: boolean;

  constructor(scope: Construct, id: string, props: FunctionCodeProps) {
    super(scope, id);
    const started = Date.now();

    const options = packageBuildOptions(props);
    this.projectDir = path.resolve(options.projectDir);
    this.nodeVersion = options.nodeVersion;
    let pkg;
    try {
      pkg = buildFunctionPackage(options, { stagingDirectory: props.stagingDirectory, cache: props.cache });
    } catch (err) {
      throw new Error(`FunctionCode ${this.node.path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    this.contentHash = pkg.contentHash;
    this.registrations = pkg.registrations;
    this.hostJson = pkg.hostJson;
    this.fileNames = pkg.fileNames;
    this.sizeBytes = pkg.sizeBytes;
    this.stagedZipPath = pkg.zipPath;
    this.packageFileName = packageFileNameOf(pkg.contentHash);
    this.reusedCachedBuild = pkg.reusedRegistrations && pkg.reusedZip;
    if (pkg.skippedSecretFiles.length > 0) {
      warnAtSynth(
        this,
        `left out of the code package: ${pkg.skippedSecretFiles.join(', ')}. Files named like these hold keys, tokens or connection ` +
          'strings; set includeSecretFiles: true to pack them',
      );
    }
    if (pkg.skippedSpecialFiles.length > 0) {
      warnAtSynth(this, `left out of the code package: ${pkg.skippedSpecialFiles.join(', ')}. Only regular files are packed`);
    }

    this.asset = new TerraformAsset(this, 'Package', {
      path: this.stagedZipPath,
      type: AssetType.FILE,
      assetHash: this.contentHash,
    });
    this.assetPath = this.asset.path;
    verifyCopyOnSynth(this);

    if (props.quiet !== true) {
      reportProgress(
        `packaged ${this.node.path}: ${this.fileNames.length} files, ` +
          `${(this.sizeBytes / 1024).toFixed(1)} kB in ${Date.now() - started} ms${reuseNote(pkg)}`,
      );
    }
  }

  /**
   * Event routing the app's `webPubSubTrigger` functions declare for `hub` (system events and user event
   * pattern); `undefined` when no trigger names the hub or a trigger's hub is a runtime expression.
   */
  public declaredRouting(hub: string): DeclaredEventRouting | undefined {
    return deriveEventRouting(this.registrations, hub);
  }
}

/** What the progress line says was reused. */
function reuseNote(pkg: { reusedBundle: boolean; reusedRegistrations: boolean; reusedZip: boolean }): string {
  if (pkg.reusedBundle && pkg.reusedRegistrations && pkg.reusedZip) return ' (unchanged: bundle, recorded functions and zip reused)';
  if (pkg.reusedRegistrations && pkg.reusedZip) return ' (bundle unchanged: recorded functions and zip reused)';
  return pkg.reusedBundle ? ' (bundle reused)' : '';
}

// The zip is staged at construction and copied into the outdir by cdktf at synth; the staging directory was checked
// (private, on a path only we or root can change), and the copy is what `cdktf deploy` uploads. Hashing the copy once
// more after cdktf wrote it closes whatever gap remains between the two: a package that is not the one built is never
// left in the outdir.
const verifiedStacks = new WeakMap<TerraformStack, FunctionCode[]>();

function verifyCopyOnSynth(code: FunctionCode): void {
  const stack = TerraformStack.of(code);
  const codes = verifiedStacks.get(stack);
  if (codes !== undefined) {
    codes.push(code);
    return;
  }
  verifiedStacks.set(stack, [code]);
  stack.synthesizer = new PackageVerifyingSynthesizer(stack, stack.synthesizer, verifiedStacks.get(stack)!);
}

class PackageVerifyingSynthesizer implements IStackSynthesizer {
  public constructor(
    private readonly stack: TerraformStack,
    private readonly inner: IStackSynthesizer,
    private readonly codes: readonly FunctionCode[],
  ) {}

  public synthesize(session: ISynthesisSession): void {
    this.inner.synthesize(session);
    const dir = path.join(session.outdir, session.manifest.forStack(this.stack).workingDirectory);
    for (const code of this.codes) {
      const copy = path.join(dir, code.assetPath);
      let actual: string;
      try {
        actual = fileSha256(copy);
      } catch (err) {
        actual = `unreadable (${err instanceof Error ? err.message : String(err)})`;
      }
      if (actual === code.contentHash) continue;
      fs.rmSync(copy, { force: true });
      throw new Error(
        `FunctionCode ${code.node.path}: the package copied into the outdir (${code.assetPath}) has sha256 ${actual}, not ` +
          `${code.contentHash} as built: the staged zip in \`stagingDirectory\` ${path.dirname(path.dirname(code.stagedZipPath))} ` +
          'was changed after it was built. The copy was removed; check who else can write there and synthesize again',
      );
    }
  }
}
