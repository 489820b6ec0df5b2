/**
 * `local-settings`: writes a function project's `local.settings.json` so `func start` runs the functions on the
 * developer's machine against the deployed Web PubSub service.
 *
 * The Web PubSub bindings use an identity-based connection: `<prefix>:serviceUri` only. Local files take `:` where app
 * settings take `__` (https://learn.microsoft.com/azure/azure-functions/functions-reference#local-development-with-identity-based-connections).
 * There is deliberately no `credential` / `clientId`: without them the extension uses DefaultAzureCredential, which
 * picks up the developer's `az login` — the developer's own user then needs the "Web PubSub Service Owner" role on
 * the service (see docs/local-development.md).
 */
import { DEFAULT_WEB_PUBSUB_CONNECTION } from '../common/azure-constants';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ManifestFunctionApp, ManifestService } from '../common/manifest-schema';
import {
  CliError,
  DeploymentOutputs,
  describeFsError,
  loadManifest,
  missingValueHint,
  pickByPath,
  preferStack,
  resolveValue,
} from './deployment-inputs';
import { bareHostName, checkHostName } from './host-name';

/** The parts of `local.settings.json` this command touches; everything else in the file is kept as is. */
export interface LocalSettingsFile {
  IsEncrypted?: boolean;
  Values?: Record<string, string>;
  [key: string]: unknown;
}

/** A value the file already had that differs from the generated one. */
export interface LocalSettingsConflict {
  readonly key: string;
  readonly existing: string;
  readonly generated: string;
}

export interface LocalSettingsMergeResult {
  readonly settings: LocalSettingsFile;
  /** Keys that were not in the file and were added. */
  readonly added: readonly string[];
  /** Keys whose existing value differs from the generated one: kept (or replaced with `force`). */
  readonly conflicts: readonly LocalSettingsConflict[];
  /** Warnings about values that would stop the local run from using the developer's Azure CLI login. */
  readonly warnings: readonly string[];
}

/** One binding connection prefix and the host name of the service it reaches. */
export interface LocalSettingsConnection {
  /** Setting prefix the bindings' `connection` names. */
  readonly prefix: string;
  /** The deployed service host name, e.g. `chat-wps-1a2b.webpubsub.azure.com` (a URL is accepted too). */
  readonly hostname: string;
}

export interface LocalSettingsValuesInput {
  /** One per connection of the app. */
  readonly connections: readonly LocalSettingsConnection[];
  /** The `WebPubSubHub` setting, when the app has one. */
  readonly defaultHubName: string | null;
}

/**
 * The `Values` the project needs to run locally against the deployed service.
 */
export function localSettingsValues(input: LocalSettingsValuesInput): Record<string, string> {
  const values: Record<string, string> = {
    FUNCTIONS_WORKER_RUNTIME: 'node',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  };
  for (const connection of input.connections) {
    const host = bareHostName(connection.hostname);
    if (!host) throw new CliError(`the Web PubSub host name for ${connection.prefix} is empty: deploy the stack first or pass --web-pubsub-hostname`);
    // Checked before it becomes a URL: a connection string or URL with a path pasted here must not end up in the file.
    checkHostName(host, `the Web PubSub host name for ${connection.prefix}`, ': pass --web-pubsub-hostname <name>.webpubsub.azure.com, or check the outputs file');
    values[`${connection.prefix}:serviceUri`] = `https://${host}`;
  }
  if (input.defaultHubName) values.WebPubSubHub = input.defaultHubName;
  return values;
}

const SECRET_PATTERN = /(AccountKey|AccessKey|SharedAccessSignature|SharedAccessKey|sig)=/i;

/** A value fit to print: connection strings with keys are not echoed. */
export function printableValue(value: string): string {
  return SECRET_PATTERN.test(value) ? '<value with a key, not shown>' : JSON.stringify(value);
}

/**
 * Merges generated values into an existing file (or a new one). Existing values win unless `force`; every difference
 * is reported so nothing is overwritten (or kept) silently.
 */
export function mergeLocalSettings(
  existing: LocalSettingsFile | undefined,
  generated: Record<string, string>,
  force: boolean,
): LocalSettingsMergeResult {
  if (existing?.IsEncrypted === true) {
    throw new CliError('local.settings.json is encrypted (IsEncrypted: true): run `func settings decrypt` first, then re-run this command');
  }
  if (existing?.Values !== undefined && (typeof existing.Values !== 'object' || existing.Values === null || Array.isArray(existing.Values))) {
    throw new CliError('local.settings.json has a `Values` that is not an object: fix or remove the file, then re-run this command');
  }
  const values: Record<string, string> = { ...(existing?.Values ?? {}) };
  const added: string[] = [];
  const conflicts: LocalSettingsConflict[] = [];
  for (const [key, value] of Object.entries(generated)) {
    if (!(key in values)) {
      values[key] = value;
      added.push(key);
    } else if (values[key] !== value) {
      conflicts.push({ key, existing: String(values[key]), generated: value });
      if (force) values[key] = value;
    }
  }
  const warnings: string[] = [];
  for (const key of Object.keys(generated)) {
    const match = /^(.+):serviceUri$/.exec(key);
    if (!match) continue;
    const prefix = match[1];
    for (const sep of [':', '__']) {
      for (const setting of ['credential', 'clientId', 'managedIdentityResourceId']) {
        const name = `${prefix}${sep}${setting}`;
        if (name in values) {
          warnings.push(
            `${name} is set: locally there is no managed identity, so remove it to let DefaultAzureCredential use your \`az login\``,
          );
        }
      }
    }
    if (prefix in values) {
      warnings.push(
        `${prefix} holds a connection string, which takes precedence over ${key}: remove it (the service has local auth disabled, so keys do not work anyway)`,
      );
    }
  }
  const settings: LocalSettingsFile = { IsEncrypted: false, ...(existing ?? {}), Values: values };
  settings.IsEncrypted = false;
  return { settings, added, conflicts, warnings };
}

export interface WriteLocalSettingsOptions {
  /** Stack whose manifest to use. @default - the only stack of the synth output with a Web PubSub manifest */
  readonly stack?: string;
  /** Deployed values (`cdktf deploy --outputs-file`). @default 'outputs.json' in the cdktf project directory, when it exists */
  readonly outputsFile?: string;
  /** @default '<cdktf output dir>/stacks/<stack>/webpubsub-manifest.json' */
  readonly manifestFile?: string;
  /**
   * The function project directory (where `host.json` lives).
   * @default - the packaged code's `projectDir` recorded in the manifest, else `cwd`
   */
  readonly projectDir?: string;
  /** Construct path of the Function App, when the stack has several. @default - the only one */
  readonly functionApp?: string;
  /** Use this service host name instead of the deployed outputs (an app with one connection only). */
  readonly webPubSubHostname?: string;
  /** Replace existing values that differ (each is still reported; the previous file is kept as `.bak`). @default false */
  readonly force?: boolean;
  /** @default process.cwd() */
  readonly cwd?: string;
  /** Where report lines go. @default console.log */
  readonly log?: (line: string) => void;
}

export interface WriteLocalSettingsResult extends LocalSettingsMergeResult {
  readonly file: string;
  /** False when the file already held exactly these settings. */
  readonly written: boolean;
  /** The copy of the previous file, when `force` replaced values in it. */
  readonly backup?: string;
}

export const LOCAL_SETTINGS_FILE = 'local.settings.json';

/** Reads the manifest and outputs, merges into `<project>/local.settings.json`, writes it and reports what changed. */
export function writeLocalSettings(options: WriteLocalSettingsOptions = {}): WriteLocalSettingsResult {
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? ((line: string) => console.log(line));
  const { manifest, layout } = loadManifest({ stack: options.stack, manifestFile: options.manifestFile, cwd });
  const app: ManifestFunctionApp = pickByPath(preferStack(manifest.functionApps, manifest.stack), options.functionApp, 'Function App', '--function-app');

  const outputsFile = options.outputsFile !== undefined ? path.resolve(cwd, options.outputsFile) : path.join(layout.projectDir, 'outputs.json');
  const outputs = options.webPubSubHostname !== undefined ? undefined : DeploymentOutputs.read(outputsFile, options.outputsFile !== undefined);
  const connections = hostnames(app, manifest.services, outputs, options.webPubSubHostname);

  const projectDir = resolveProjectDir(app, layout.projectDir, cwd, options.projectDir);
  const file = path.join(projectDir, LOCAL_SETTINGS_FILE);
  const { existing, existingText } = readExisting(file);

  const generated = localSettingsValues({ connections, defaultHubName: app.defaultHubName });
  const force = options.force ?? false;
  const result = mergeLocalSettings(existing, generated, force);
  const text = `${JSON.stringify(result.settings, null, 2)}\n`;
  const written = text !== existingText;
  let backup: string | undefined;
  if (written) {
    if (force && existingText !== undefined && result.conflicts.length > 0) {
      backup = `${file}.bak`;
      writeFileAtomic(backup, existingText);
    }
    writeFileAtomic(file, text);
  }

  const shown = path.relative(cwd, file) || file;
  for (const key of result.added) log(`+ ${key} = ${printableValue(generated[key])}`);
  for (const conflict of result.conflicts) {
    if (force) {
      log(`! ${conflict.key}: replaced ${printableValue(conflict.existing)} with ${printableValue(conflict.generated)} (--force)`);
    } else {
      log(
        `warning: ${conflict.key} keeps your value ${printableValue(conflict.existing)}; the deployment says ${printableValue(conflict.generated)} (re-run with --force to replace it)`,
      );
    }
  }
  for (const warning of result.warnings) log(`warning: ${warning}`);
  if (!fs.existsSync(path.join(projectDir, 'host.json'))) {
    // `func start` runs a Functions project: the packaged app's host.json and package.json `main` live in the zip,
    // not necessarily next to the sources (docs/local-development.md).
    log(
      `warning: ${path.relative(cwd, projectDir) || '.'} has no host.json, so \`func start\` cannot run there as it is: add a host.json and a package.json whose "main" is your compiled entry, or pass --project <dir> of a Functions project; \`dev\` runs the synthesized package instead, with its own settings`,
    );
  }
  if (backup) log(`kept your previous file as ${path.relative(cwd, backup) || backup} (it may hold secrets: do not commit it)`);
  log(written ? `wrote ${shown}` : `${shown} is up to date`);
  return { ...result, file, written, backup };
}

/** The host name of each connection's service, from the override or the deployed outputs (also used by `dev`). */
export function hostnames(
  app: ManifestFunctionApp,
  services: readonly ManifestService[],
  outputs: DeploymentOutputs | undefined,
  override: string | undefined,
): LocalSettingsConnection[] {
  // An app without a connection still gets the bindings' default prefix when the host name is given.
  const connections = app.connections.length > 0 ? app.connections : [{ prefix: DEFAULT_WEB_PUBSUB_CONNECTION, service: undefined }];
  if (override !== undefined) {
    const distinct = new Set(connections.map((c) => c.service));
    if (distinct.size > 1) {
      throw new CliError(`${app.path} connects to ${distinct.size} services (${[...distinct].join(', ')}): --web-pubsub-hostname applies to an app with one; use the outputs file instead`);
    }
    return connections.map((c) => ({ prefix: c.prefix, hostname: override }));
  }
  return connections.map((c) => {
    const service = c.service === undefined ? undefined : services.find((s) => s.path === c.service);
    if (!service) {
      throw new CliError(`${app.path} has no Web PubSub connection in the manifest: pass --web-pubsub-hostname <name>.webpubsub.azure.com`);
    }
    const hostname = resolveValue(service.hostname, outputs);
    if (hostname === undefined) {
      throw new CliError(`no host name for the Web PubSub service ${service.path}: ${missingValueHint(service.hostname, outputs, '--web-pubsub-hostname')}`);
    }
    return { prefix: c.prefix, hostname };
  });
}

function resolveProjectDir(app: ManifestFunctionApp, cdktfProjectDir: string, cwd: string, explicit: string | undefined): string {
  const recorded = app.code?.projectDir;
  const dir = explicit !== undefined ? path.resolve(cwd, explicit) : recorded != null ? recordedProjectDir(recorded, cdktfProjectDir) : cwd;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (err) {
    const from = explicit !== undefined ? '' : recorded != null ? ` (the code's project directory in the manifest)` : '';
    throw new CliError(`cannot use the function project directory ${dir}${from}: ${describeFsError(err)}; pass --project <dir>`);
  }
  if (!stat.isDirectory()) throw new CliError(`the function project directory ${dir} is not a directory: pass --project <dir>`);
  return dir;
}

/**
 * The manifest's code project directory, kept inside the cdktf project the manifest belongs to: a manifest is a file
 * anyone can edit or hand over, and the command writes (and with --force replaces) a file where it points. Absolute
 * paths, `..` and symbolic links that lead out of the project are refused; `--project` chooses any directory.
 */
function recordedProjectDir(recorded: string, cdktfProjectDir: string): string {
  const refuse = (why: string): never => {
    throw new CliError(
      `the manifest's code project directory ${JSON.stringify(recorded.slice(0, 200))} ${why}: local-settings writes only inside the cdktf project ${cdktfProjectDir} unless you pass --project <dir>`,
    );
  };
  if (path.isAbsolute(recorded) || path.win32.isAbsolute(recorded)) refuse('is an absolute path');
  if (recorded.split(/[\\/]+/).includes('..')) refuse("goes up with '..'");
  const dir = path.resolve(cdktfProjectDir, recorded);
  let real: string;
  let realRoot: string;
  try {
    real = fs.realpathSync(dir);
    realRoot = fs.realpathSync(cdktfProjectDir);
  } catch {
    return dir; // missing: resolveProjectDir says so
  }
  const inside = path.relative(realRoot, real);
  if (inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) refuse(`leads out of it through a symbolic link (to ${real})`);
  return dir;
}

function readExisting(file: string): { existing?: LocalSettingsFile; existingText?: string } {
  let existingText: string;
  try {
    existingText = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`cannot read ${file}: ${describeFsError(err)}`);
  }
  let existing: unknown;
  try {
    existing = JSON.parse(existingText);
  } catch (err) {
    throw new CliError(`${file} is not valid JSON (${(err as Error).message}): fix it or move it away, then re-run`);
  }
  if (typeof existing !== 'object' || existing === null || Array.isArray(existing)) {
    throw new CliError(`${file} must hold a JSON object: fix it or move it away, then re-run`);
  }
  return { existing: existing as LocalSettingsFile, existingText };
}

/**
 * Writes `text` to a temp file in the same directory, then renames it over `file`: a crash or a full disk never
 * leaves a half-written settings file. The file keeps its permissions; a new one is readable by its owner only
 * (it may come to hold secrets).
 */
export function writeFileAtomic(file: string, text: string): void {
  let mode = 0o600;
  try {
    mode = fs.statSync(file).mode & 0o777;
  } catch {
    // new file
  }
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(temp, text, { mode, flag: 'wx' });
    fs.renameSync(temp, file);
  } catch (err) {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // nothing was created
    }
    throw new CliError(`cannot write ${file}: ${describeFsError(err)}`);
  }
}
