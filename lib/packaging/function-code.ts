import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { type NodeVersion } from './function-bundler';
import { buildFunctionPackage, type BuildFunctionPackageOptions } from './package-builder';
import { packageCacheKey, readCachedPackage, writeCachedPackage } from './package-cache';
import { deriveEventRouting, type DeclaredEventRouting, type RegisteredFunction } from './function-registration-recorder';
import { writeFileAtomic } from './reproducible-zip';

/**
 * Properties of {@link FunctionCode}.
 */
export interface FunctionCodeProps {
  /**
   * Entry files (TypeScript or JavaScript) of an Azure Functions Node.js v4 programming-model app. Each must
   * register at least one function when imported (`app.http(...)`, `app.webPubSub(...)`, `app.generic(...)`...).
   * Absolute, or relative to `projectDir`. They are bundled, in this order, into one CommonJS file.
   */
  readonly entryPoints: string[];

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
  readonly nodeVersion?: NodeVersion;

  /**
   * Additional files to ship, as zip path → source file or directory (absolute or relative to `projectDir`),
   * e.g. `{ 'index.html': 'src/index.html' }`. Directories are added recursively.
   * @default - no extra files
   */
  readonly extraFiles?: Record<string, string>;

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
   * Directory the zip is staged in before cdktf copies it into the outdir at synth (as
   * `<stagingDirectory>/<contentHash>/<packageFileName>`, written atomically). Must outlive the synth.
   * @default - `cdktf-azure-webpubsub` under the OS temp dir (`os.tmpdir()`)
   */
  readonly stagingDirectory?: string;

  /**
   * Reuse the previous build when no input changed: every file esbuild read, the extra files and externals have the
   * same content, the directories holding them list the same names, and the options and packaging code are the
   * same. A synth then skips bundling and the registration recorder. Entries live in `<stagingDirectory>/cache`.
   * @default true
   */
  readonly cache?: boolean;

  /**
   * Suppress the one-line progress report on stderr (it is always suppressed under Jest, i.e. when
   * `JEST_WORKER_ID` is set).
   * @default false
   */
  readonly quiet?: boolean;
}

const PROGRESS_PREFIX = '[cdktf-azure-webpubsub]';

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
export class FunctionCode extends Construct {
  /** The project directory (absolute): entry points, extra files and externals are resolved from it. */
  public readonly projectDir: string;
  /** The Terraform file asset (copied into the stack's asset folder at synth). */
  public readonly asset: TerraformAsset;
  /** sha256 (lower-case hex) of the zip bytes; the zip embeds entry names, contents and fixed metadata only. */
  public readonly contentHash: string;
  /** Content-addressed file name for the upload, `functions-<first 16 hex of contentHash>.zip`. */
  public readonly packageFileName: string;
  /** Path of the zip relative to the Terraform working directory (`asset.path`), e.g. for a blob's `source`. */
  public readonly assetPath: string;
  /** Absolute path of the staged zip (outside cdktf.out, under the OS temp dir). */
  public readonly stagedZipPath: string;
  /** Zip size in bytes. */
  public readonly sizeBytes: number;
  /** Functions the app registers at import, in registration order. */
  public readonly registrations: RegisteredFunction[];
  /** The final host.json written to the package. */
  public readonly hostJson: Record<string, unknown>;
  /** Zip entry names, sorted. */
  public readonly fileNames: string[];
  /** True when no input changed since a previous build and that build was reused (see `cache`). */
  public readonly reusedCachedBuild: boolean;

  constructor(scope: Construct, id: string, props: FunctionCodeProps) {
    super(scope, id);
    const started = Date.now();

    const options = packageBuildOptions(props);
    this.projectDir = path.resolve(options.projectDir);
    // one directory per full hash: the asset file name stays short, distinct packages never share a path
    const stagingDirectory = path.resolve(props.stagingDirectory ?? path.join(os.tmpdir(), 'cdktf-azure-webpubsub'));
    const fileNameOf = (hash: string): string => `functions-${hash.slice(0, 16)}.zip`;
    const stagedPathOf = (hash: string): string => path.join(stagingDirectory, hash, fileNameOf(hash));
    const useCache = props.cache ?? true;
    const cacheFile = useCache ? path.join(stagingDirectory, 'cache', `${packageCacheKey(options)}.json`) : undefined;

    const cached = cacheFile !== undefined ? readCachedPackage(cacheFile, stagedPathOf) : undefined;
    this.reusedCachedBuild = cached !== undefined;
    if (cached) {
      this.contentHash = cached.contentHash;
      this.registrations = cached.registrations;
      this.hostJson = cached.hostJson;
      this.fileNames = cached.fileNames;
      this.stagedZipPath = stagedPathOf(cached.contentHash);
      this.sizeBytes = fs.statSync(this.stagedZipPath).size;
    } else {
      let pkg;
      try {
        pkg = buildFunctionPackage(options);
      } catch (err) {
        throw new Error(`FunctionCode ${this.node.path}: ${err instanceof Error ? err.message : String(err)}`);
      }
      this.contentHash = pkg.contentHash;
      this.registrations = pkg.registrations;
      this.hostJson = pkg.hostJson;
      this.fileNames = pkg.fileNames;
      this.sizeBytes = pkg.zip.byteLength;
      this.stagedZipPath = stagedPathOf(pkg.contentHash);
      writeFileAtomic(this.stagedZipPath, pkg.zip);
      if (cacheFile !== undefined) writeCachedPackage(cacheFile, pkg);
    }
    this.packageFileName = fileNameOf(this.contentHash);

    this.asset = new TerraformAsset(this, 'Package', {
      path: this.stagedZipPath,
      type: AssetType.FILE,
      assetHash: this.contentHash,
    });
    this.assetPath = this.asset.path;

    if (props.quiet !== true && process.env.JEST_WORKER_ID === undefined) {
      process.stderr.write(
        `${PROGRESS_PREFIX} packaged ${this.node.path}: ${this.fileNames.length} files, ` +
          `${(this.sizeBytes / 1024).toFixed(1)} kB in ${Date.now() - started} ms${cached ? ' (unchanged, cached build)' : ''}\n`,
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
