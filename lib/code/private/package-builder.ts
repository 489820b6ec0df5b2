/**
 * Builds the code package of a function app (no constructs): resolve → bundle → collect files → record
 * registrations → reproducible zip, streamed into the staging directory. `FunctionCode` wraps the staged zip in a
 * Terraform asset. The bundle, recorder and zip steps reuse cached results when what each consumed is unchanged
 * (package-cache.ts; the bundle's inputs are recorded in bundle-inputs.ts).
 */
import { FUNCTIONS_NODE_VERSIONS, type FunctionsNodeVersion } from '../../common/azure-constants';
import * as fs from 'fs';
import * as path from 'path';
import { newestModification, recordBundleInputs, type BundleInputProbe } from './bundle-inputs';
import {
  BUNDLE_PATH,
  bundleFunctionApp,
  esbuildOptions,
  GENERATED_MAIN_NAME,
  collectExternalFiles,
  collectExtraFiles,
  resolveEntryPoints,
  type BundleOptions,
  type BundleResult,
  type PackFilePolicy,
} from './function-bundler';
import {
  recordRegistrations,
  recorderEnvironment,
  validateRegistrations,
  type RegisteredFunction,
} from './function-registration-recorder';
import { buildHostJson, serializeHostJson } from './host-json';
import {
  bundleCacheKey,
  readCachedBundle,
  readCachedRegistrations,
  readCachedZip,
  registrationsCacheKey,
  writeCachedBundle,
  writeCachedRegistrations,
  writeCachedZip,
  zipCacheKey,
} from './package-cache';
import { checkZipLimits, fileSha256, sha256Hex, sourceSize, validateZipPath, writeReproducibleZip, type ZipSource } from './reproducible-zip';
import { defaultStagingDirectory, markUsed, prepareStagingDirectory, pruneStagingDirectory } from './staging-directory';

/** Input of {@link buildFunctionPackage}; defaults already applied. */
export interface BuildFunctionPackageOptions {
  readonly projectDir: string;
  /** Files or globs; when undefined, the project's package.json `main` (see `resolveEntryPoints`). */
  readonly entryPoints: readonly string[] | undefined;
  readonly nodeVersion: FunctionsNodeVersion;
  readonly extraFiles: Readonly<Record<string, string>>;
  readonly externals: readonly string[];
  readonly minify: boolean;
  readonly sourceMap: boolean;
  readonly hostJson: Record<string, unknown>;
  readonly define: Readonly<Record<string, string>>;
  /** Variables set while the app is loaded to record its functions (see `recordRegistrations`). */
  readonly registrationEnvironment: Readonly<Record<string, string>>;
  /** See `PackFilePolicy.followSymlinksOutsideProject`. */
  readonly followSymlinksOutsideProject: boolean;
  /** See `PackFilePolicy.includeSecretFiles`. */
  readonly includeSecretFiles: boolean;
  /** See `PackFilePolicy.allowHardLinks`. @default false */
  readonly allowHardLinks?: boolean;
}

/** Where {@link buildFunctionPackage} stages the zip and keeps its cache. */
export interface PackageStaging {
  /**
   * Private directory for staged zips (`<dir>/<contentHash>/<packageFileName>`) and the cache (`<dir>/cache`).
   * @default - `defaultStagingDirectory(projectDir)`
   */
  readonly stagingDirectory?: string;
  /**
   * Reuse bundles, recorded registrations and zips whose inputs are unchanged.
   * @default true
   */
  readonly cache?: boolean;
}

/** A built package, staged on disk. */
export interface BuiltFunctionPackage {
  /** Absolute path of the staged zip, `<stagingDirectory>/<contentHash>/<packageFileName>`. */
  readonly zipPath: string;
  /** sha256 hex of the zip bytes. */
  readonly contentHash: string;
  /** Zip size in bytes. */
  readonly sizeBytes: number;
  /** Zip entry names, sorted. */
  readonly fileNames: string[];
  readonly registrations: RegisteredFunction[];
  readonly hostJson: Record<string, unknown>;
  /** Secret files or directories (`secretFileKind`) found in `extraFiles` directories or `externals` and left out, with their kind. */
  readonly skippedSecretFiles: string[];
  /** FIFOs, sockets and device files found in `extraFiles` directories or `externals` and left out, with their type. */
  readonly skippedSpecialFiles: string[];
  /** The bundle came from the cache (esbuild did not run: every file it read or consulted was unchanged). */
  readonly reusedBundle: boolean;
  /** The registrations came from the cache (the bundle, its environment and externals were unchanged). */
  readonly reusedRegistrations: boolean;
  /** The zip came from the cache (every entry was unchanged). */
  readonly reusedZip: boolean;
}

const GENERATED_FILES = ['host.json', 'package.json', BUNDLE_PATH, `${BUNDLE_PATH}.map`];

/** Content-addressed file name of a package, `functions-<first 16 hex of contentHash>.zip`. */
export function packageFileNameOf(contentHash: string): string {
  return `functions-${contentHash.slice(0, 16)}.zip`;
}

// Staging directories pruned by this process: once each is enough.
const pruned = new Set<string>();

/** Builds and stages the package; throws an Error describing the first problem. */
export function buildFunctionPackage(options: BuildFunctionPackageOptions, staging: PackageStaging = {}): BuiltFunctionPackage {
  if (!(FUNCTIONS_NODE_VERSIONS as readonly string[]).includes(options.nodeVersion)) {
    throw new Error(`\`nodeVersion\` must be ${FUNCTIONS_NODE_VERSIONS.map((v) => `"${v}"`).join(' or ')}, got ${JSON.stringify(options.nodeVersion)}`);
  }
  const projectDir = path.resolve(options.projectDir);
  validateEnvironment(options.registrationEnvironment);
  const entryPoints = resolveEntryPoints(projectDir, options.entryPoints);
  const hostJson = buildHostJson(options.hostJson);
  const stagingDirectory = path.resolve(staging.stagingDirectory ?? defaultStagingDirectory(projectDir));
  const useCache = staging.cache ?? true;
  prepareStagingDirectory(stagingDirectory); // before the cache is read: it is trusted only once checked
  const cacheDir = path.join(stagingDirectory, 'cache');
  const { bundle, codeSha256, reusedBundle } = bundleWithCache(
    {
      projectDir,
      entryPoints,
      nodeVersion: options.nodeVersion,
      externals: options.externals,
      minify: options.minify,
      sourceMap: options.sourceMap,
      define: options.define,
    },
    useCache ? cacheDir : undefined,
  );

  // The package's files, checked before anything is read.
  const sources: ZipSource[] = [];
  const names = new Set<string>();
  const add = (source: ZipSource): void => {
    validateZipPath(source.name);
    if (names.has(source.name)) throw new Error(`zip entry "${source.name}" from ${source.origin} collides with another file of the package`);
    names.add(source.name);
    sources.push(source);
  };
  add({ name: 'host.json', data: Buffer.from(serializeHostJson(hostJson)), origin: 'host.json' });
  add({ name: 'package.json', data: Buffer.from(deploymentPackageJson(projectDir)), origin: 'package.json' });
  add({ name: BUNDLE_PATH, data: Buffer.from(bundle.code), origin: 'the bundle' });
  if (bundle.sourceMap !== undefined) add({ name: `${BUNDLE_PATH}.map`, data: Buffer.from(bundle.sourceMap), origin: 'the source map' });
  const policy: PackFilePolicy = {
    followSymlinksOutsideProject: options.followSymlinksOutsideProject,
    includeSecretFiles: options.includeSecretFiles,
    allowHardLinks: options.allowHardLinks ?? false,
  };
  const extra = collectExtraFiles(projectDir, options.extraFiles, policy);
  const external = collectExternalFiles(projectDir, options.externals, policy);
  for (const [name, file] of extra.files) {
    if (GENERATED_FILES.includes(name)) throw new Error(`\`extraFiles["${name}"]\` would overwrite a generated file`);
    add({ name, file, origin: extra.origins.get(name)! });
  }
  for (const [name, file] of external.files) add({ name, file, origin: external.origins.get(name)! });
  checkZipLimits(sources, sources.map(sourceSize));

  const stagedPathOf = (hash: string): string => path.join(stagingDirectory, hash, packageFileNameOf(hash));
  const digests: Record<string, string> = { [BUNDLE_PATH]: codeSha256 };
  for (const source of sources) digests[source.name] ??= source.data !== undefined ? sha256Hex(source.data) : fileSha256(source.file!);

  // Registrations: keyed by what the recorder child consumes.
  const entryNames = entryPoints.map((e) => e.spec);
  const bundleFilename = path.join(projectDir, BUNDLE_PATH);
  const registrationsKey = registrationsCacheKey({
    bundleSha256: digests[BUNDLE_PATH],
    bundleFilename,
    entryPoints: entryNames,
    environment: recorderEnvironment(options.registrationEnvironment),
    externals: Object.fromEntries([...external.files.keys()].map((name) => [name, digests[name]])),
  });
  const cachedRegistrations = useCache ? readCachedRegistrations(cacheDir, registrationsKey) : undefined;
  const registrations =
    cachedRegistrations?.registrations ??
    recordRegistrations({ bundleCode: bundle.code, bundleFilename, entryPoints: entryNames, environment: options.registrationEnvironment });
  // A file named as an entry must register a function; files matched by a glob need not (the worker loads helpers
  // next to the functions just as well), but each glob must bring in at least one function.
  validateRegistrations(registrations, entryPoints.filter((e) => e.matchedBy === undefined).map((e) => e.spec));
  for (const glob of new Set(entryPoints.map((e) => e.matchedBy).filter((g): g is string => g !== undefined))) {
    const matched = entryPoints.filter((e) => e.matchedBy === glob).map((e) => e.spec);
    if (!registrations.some((r) => matched.includes(r.entryPoint))) {
      throw new Error(
        `${glob} matches ${matched.join(', ')}, and none of them registers a function: the files it matches must call ` +
          "app.http(), app.webPubSub(), app.generic() ... from '@azure/functions' (v4 programming model) when imported",
      );
    }
  }

  // Zip: keyed by every entry's name and content.
  const zipKey = zipCacheKey(digests);
  const cachedZip = useCache ? readCachedZip(cacheDir, zipKey, stagedPathOf) : undefined;
  const zip = cachedZip ?? writeReproducibleZip(sources, stagingDirectory, stagedPathOf);

  if (useCache) {
    if (cachedRegistrations) markUsed(cachedRegistrations.file);
    else writeCachedRegistrations(cacheDir, registrationsKey, registrations);
    if (cachedZip) markUsed(cachedZip.file, path.dirname(cachedZip.zipPath));
    else writeCachedZip(cacheDir, zipKey, zip.contentHash);
  }
  if (!cachedZip) markUsed(path.dirname(zip.zipPath)); // a package rebuilt over an existing one is used now too
  if (!pruned.has(stagingDirectory)) {
    pruned.add(stagingDirectory);
    pruneStagingDirectory(stagingDirectory);
  }
  return {
    zipPath: zip.zipPath,
    contentHash: zip.contentHash,
    sizeBytes: zip.sizeBytes,
    fileNames: [...names].sort(),
    registrations,
    hostJson,
    skippedSecretFiles: [...extra.skippedSecretFiles, ...external.skippedSecretFiles],
    skippedSpecialFiles: [...extra.skippedSpecialFiles, ...external.skippedSpecialFiles],
    reusedBundle,
    reusedRegistrations: cachedRegistrations !== undefined,
    reusedZip: cachedZip !== undefined,
  };
}

// A file changed less than this before esbuild started may have been changed while it ran, on file systems whose
// timestamps are coarse (FAT: 2 s); such a build is used but not stored.
const MODIFICATION_MARGIN_MS = 2000;

/**
 * Bundles, or reuses the cached bundle whose recorded inputs are all unchanged (`cacheDir` undefined: no cache).
 * A fresh bundle is stored with the probes of what esbuild read, unless they cannot be recorded or something among
 * them changed while esbuild ran.
 */
function bundleWithCache(
  options: BundleOptions,
  cacheDir: string | undefined,
): { bundle: BundleResult; codeSha256: string; reusedBundle: boolean } {
  if (cacheDir === undefined) {
    const bundle = bundleFunctionApp(options);
    return { bundle, codeSha256: sha256Hex(bundle.code), reusedBundle: false };
  }
  const key = bundleCacheKey(esbuildOptions(options));
  const cached = readCachedBundle(cacheDir, key);
  if (cached !== undefined) {
    markUsed(cached.file);
    return { bundle: cached.bundle, codeSha256: cached.codeSha256, reusedBundle: true };
  }
  const started = Date.now();
  const bundle = bundleFunctionApp(options);
  const codeSha256 = sha256Hex(bundle.code);
  let inputs: BundleInputProbe[] | undefined;
  try {
    inputs = bundle.metafile !== undefined ? recordBundleInputs(options.projectDir, bundle.metafile, GENERATED_MAIN_NAME) : undefined;
  } catch {
    inputs = undefined; // not described (UnrecordableBundleInput, an unreadable directory): bundled on every synth
  }
  if (inputs !== undefined && newestModification(inputs) < started - MODIFICATION_MARGIN_MS) {
    const { metafile, ...stored } = bundle;
    void metafile;
    writeCachedBundle(cacheDir, key, stored, codeSha256, inputs);
  }
  return { bundle, codeSha256, reusedBundle: false };
}

/**
 * The package.json of the deployment: `main` points at the bundle; no `type` field (the bundle is CommonJS);
 * `name` is the project's package.json name when it has one.
 */
export function deploymentPackageJson(projectDir: string): string {
  let name = 'azure-functions-app';
  try {
    const project = JSON.parse(fs.readFileSync(path.join(projectDir, 'package.json'), 'utf8')) as { name?: unknown };
    if (typeof project.name === 'string' && project.name !== '') name = project.name;
  } catch {
    // no or unreadable package.json: keep the default name
  }
  return JSON.stringify({ name, version: '1.0.0', private: true, main: BUNDLE_PATH }, null, 2) + '\n';
}

/** Variable names a process environment can hold (no `=`, no NUL, not empty) and string values. */
function validateEnvironment(environment: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(environment)) {
    if (name === '' || /[=\0]/.test(name)) {
      throw new Error(`\`registrationEnvironment\`: ${JSON.stringify(name)} is not a valid environment variable name (non-empty, no "=" or NUL)`);
    }
    if (typeof value !== 'string' || value.includes('\0')) {
      throw new Error(`\`registrationEnvironment["${name}"]\` must be a string without NUL characters, got ${JSON.stringify(value)}`);
    }
  }
}
