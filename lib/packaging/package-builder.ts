/**
 * Builds the code package of a function app in memory (no constructs): resolve → bundle → record registrations
 * → assemble files → reproducible zip. `FunctionCode` stages the result and wraps it in a Terraform asset.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  BUNDLE_PATH,
  bundleFunctionApp,
  collectExternalFiles,
  collectExtraFiles,
  resolveEntryPoints,
  type NodeVersion,
  type PackFilePolicy,
} from './function-bundler';
import { recordRegistrations, validateRegistrations, type RegisteredFunction } from './function-registration-recorder';
import { buildHostJson, serializeHostJson } from './host-json';
import { createReproducibleZip, sha256Hex, validateZipPath } from './reproducible-zip';

/** Input of {@link buildFunctionPackage}; defaults already applied. */
export interface BuildFunctionPackageOptions {
  readonly projectDir: string;
  readonly entryPoints: readonly string[];
  readonly nodeVersion: NodeVersion;
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
}

/** A built package. */
export interface BuiltFunctionPackage {
  readonly zip: Uint8Array;
  /** sha256 hex of `zip`. */
  readonly contentHash: string;
  /** Zip entry names, sorted. */
  readonly fileNames: string[];
  readonly registrations: RegisteredFunction[];
  readonly hostJson: Record<string, unknown>;
  /** Every file the package was built from (bundle inputs, extra files, externals, the project package.json). */
  readonly inputFiles: string[];
  /** `local.settings.json` / `.env*` files or directories found in `extraFiles` directories or `externals` and left out. */
  readonly skippedSecretFiles: string[];
}

const GENERATED_FILES = ['host.json', 'package.json', BUNDLE_PATH, `${BUNDLE_PATH}.map`];

/** Builds the package; throws an Error describing the first problem. */
export function buildFunctionPackage(options: BuildFunctionPackageOptions): BuiltFunctionPackage {
  if (options.nodeVersion !== '20' && options.nodeVersion !== '22') {
    throw new Error(`\`nodeVersion\` must be "20" or "22", got ${JSON.stringify(options.nodeVersion)}`);
  }
  const projectDir = path.resolve(options.projectDir);
  validateEnvironment(options.registrationEnvironment);
  const entryPoints = resolveEntryPoints(projectDir, options.entryPoints);
  const hostJson = buildHostJson(options.hostJson);
  const bundle = bundleFunctionApp({
    projectDir,
    entryPoints,
    nodeVersion: options.nodeVersion,
    externals: options.externals,
    minify: options.minify,
    sourceMap: options.sourceMap,
    define: options.define,
  });
  const entryNames = entryPoints.map((e) => e.spec);
  const registrations = recordRegistrations({
    bundleCode: bundle.code,
    bundleFilename: path.join(projectDir, BUNDLE_PATH),
    entryPoints: entryNames,
    environment: options.registrationEnvironment,
  });
  validateRegistrations(registrations, entryNames);

  const entries = new Map<string, Uint8Array>();
  const add = (name: string, data: Uint8Array, origin: string): void => {
    validateZipPath(name);
    if (entries.has(name)) throw new Error(`zip entry "${name}" from ${origin} collides with another file of the package`);
    entries.set(name, data);
  };
  add('host.json', Buffer.from(serializeHostJson(hostJson)), 'host.json');
  add('package.json', Buffer.from(deploymentPackageJson(projectDir)), 'package.json');
  add(BUNDLE_PATH, Buffer.from(bundle.code), 'the bundle');
  if (bundle.sourceMap !== undefined) add(`${BUNDLE_PATH}.map`, Buffer.from(bundle.sourceMap), 'the source map');
  const inputFiles = new Set(bundle.inputFiles);
  const projectPackageJson = path.join(projectDir, 'package.json');
  if (fs.existsSync(projectPackageJson)) inputFiles.add(projectPackageJson);
  const policy: PackFilePolicy = {
    followSymlinksOutsideProject: options.followSymlinksOutsideProject,
    includeSecretFiles: options.includeSecretFiles,
  };
  const extra = collectExtraFiles(projectDir, options.extraFiles, policy);
  const external = collectExternalFiles(projectDir, options.externals, policy);
  for (const [name, source] of extra.files) {
    if (GENERATED_FILES.includes(name)) throw new Error(`\`extraFiles["${name}"]\` would overwrite a generated file`);
    add(name, fs.readFileSync(source), `extraFiles (${source})`);
    inputFiles.add(source);
  }
  for (const [name, source] of external.files) {
    add(name, fs.readFileSync(source), `externals (${source})`);
    inputFiles.add(source);
  }
  const zip = createReproducibleZip(entries);
  return {
    zip,
    contentHash: sha256Hex(zip),
    fileNames: [...entries.keys()].sort(),
    registrations,
    hostJson,
    inputFiles: [...inputFiles].sort(),
    skippedSecretFiles: [...extra.skippedSecretFiles, ...external.skippedSecretFiles],
  };
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
