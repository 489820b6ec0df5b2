/**
 * `local-settings`: writes a function project's `local.settings.json` so `func start` runs the functions on the
 * developer's machine against the deployed Web PubSub service.
 *
 * The Web PubSub bindings use an identity-based connection: `<prefix>:serviceUri` only. Local files take `:` where app
 * settings take `__` (https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub,
 * "Identity-based connections"). There is deliberately no `credential` / `clientId`: without them the extension uses
 * DefaultAzureCredential, which picks up the developer's `az login` — the developer's own user then needs the
 * "Web PubSub Service Owner" role on the service (see docs/local-development.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CliError,
  ManifestFunctionApp,
  StackOutputs,
  WebPubSubManifest,
  pickByPath,
  readManifest,
  readStackOutputsIfPresent,
} from './deployment-inputs';

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

export interface LocalSettingsValuesInput {
  /** The deployed service host name, e.g. `chat-wps-1a2b.webpubsub.azure.com`. */
  readonly webPubSubHostname: string;
  readonly connectionPrefixes: readonly string[];
  readonly defaultHubName: string | null;
}

/**
 * The `Values` the project needs to run locally against the deployed service.
 */
export function localSettingsValues(input: LocalSettingsValuesInput): Record<string, string> {
  const host = input.webPubSubHostname.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  if (!host) throw new CliError('the Web PubSub host name is empty: deploy the stack first or pass --web-pubsub-hostname');
  const values: Record<string, string> = {
    FUNCTIONS_WORKER_RUNTIME: 'node',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  };
  const prefixes = input.connectionPrefixes.length ? input.connectionPrefixes : ['WebPubSubConnectionString'];
  for (const prefix of prefixes) {
    values[`${prefix}:serviceUri`] = `https://${host}`;
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
  /** Stack name in the outputs file and the manifest directory. @default 'chat' */
  readonly stack?: string;
  /** `cdktf deploy --outputs-file` file. @default 'outputs.json' in `cwd` */
  readonly outputsFile?: string;
  /** @default 'cdktf.out/stacks/<stack>/webpubsub-manifest.json' in `cwd` */
  readonly manifestFile?: string;
  /** The function project directory (where `host.json` lives). @default 'examples/chat' in `cwd` */
  readonly projectDir?: string;
  /** Construct path of the Function App, when the stack has several. @default - the only one */
  readonly functionApp?: string;
  /** Overrides `web_pubsub_hostname` from the outputs file. */
  readonly webPubSubHostname?: string;
  /** Replace existing values that differ (each is still reported). @default false */
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
}

/** Reads the manifest and outputs, merges into `<project>/local.settings.json`, writes it and reports what changed. */
export function writeLocalSettings(options: WriteLocalSettingsOptions = {}): WriteLocalSettingsResult {
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? ((line: string) => console.log(line));
  const stack = options.stack ?? 'chat';
  const manifestFile = path.resolve(cwd, options.manifestFile ?? path.join('cdktf.out', 'stacks', stack, 'webpubsub-manifest.json'));
  const manifest: WebPubSubManifest = readManifest(manifestFile);
  const app: ManifestFunctionApp = pickByPath(manifest.functionApps, options.functionApp, 'Function App', '--function-app');

  const outputsFile = path.resolve(cwd, options.outputsFile ?? 'outputs.json');
  const outputs: StackOutputs | undefined = options.webPubSubHostname
    ? undefined
    : readStackOutputsIfPresent(outputsFile, stack, options.outputsFile !== undefined);
  const hostname = options.webPubSubHostname ?? outputs?.web_pubsub_hostname;
  if (!hostname) {
    throw new CliError(
      outputs
        ? `${outputsFile} has no web_pubsub_hostname for stack "${stack}": pass --web-pubsub-hostname <name>.webpubsub.azure.com`
        : `no deployment outputs at ${outputsFile}: deploy with \`cdktf deploy --outputs-file outputs.json\` or pass --web-pubsub-hostname`,
    );
  }

  const projectDir = path.resolve(cwd, options.projectDir ?? path.join('examples', 'chat'));
  if (!fs.existsSync(projectDir)) throw new CliError(`function project directory ${projectDir} does not exist: pass --project <dir>`);
  const file = path.join(projectDir, 'local.settings.json');
  let existing: LocalSettingsFile | undefined;
  let existingText: string | undefined;
  if (fs.existsSync(file)) {
    existingText = fs.readFileSync(file, 'utf8');
    try {
      existing = JSON.parse(existingText) as LocalSettingsFile;
    } catch (err) {
      throw new CliError(`${file} is not valid JSON (${(err as Error).message}): fix it or move it away, then re-run`);
    }
    if (typeof existing !== 'object' || existing === null || Array.isArray(existing)) {
      throw new CliError(`${file} must hold a JSON object: fix it or move it away, then re-run`);
    }
  }

  const generated = localSettingsValues({
    webPubSubHostname: hostname,
    connectionPrefixes: app.connectionPrefixes,
    defaultHubName: app.defaultHubName,
  });
  const force = options.force ?? false;
  const result = mergeLocalSettings(existing, generated, force);
  const text = `${JSON.stringify(result.settings, null, 2)}\n`;
  const written = text !== existingText;
  if (written) fs.writeFileSync(file, text);

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
  log(written ? `wrote ${shown}` : `${shown} is up to date`);
  return { ...result, file, written };
}
