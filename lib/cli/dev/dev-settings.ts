/**
 * `local.settings.json` of the project `dev` runs. Two modes:
 * - against the deployed service (tunnel): the identity-based settings `local-settings` writes, `<prefix>:serviceUri`
 *   only, no key (`:` in local files where app settings use `__`:
 *   https://learn.microsoft.com/azure/azure-functions/functions-reference#local-development-with-identity-based-connections);
 *   the extension then uses DefaultAzureCredential, i.e. the developer's `az login`;
 * - against the emulator: `<prefix>` holds the emulator's connection string, whose key the extension uses to validate
 *   the signature of the emulator's requests
 *   (https://learn.microsoft.com/azure/azure-web-pubsub/reference-functions-bindings, "connection"; the key is the
 *   emulator's public default, see ./emulator-settings.ts).
 * Values of the user's own `<code project>/local.settings.json` are carried over (their app settings, e.g. a hub name
 * variable), except the connection settings this mode owns, which would otherwise take precedence.
 */
import * as fs from 'node:fs';
import { localSettingsValues, LocalSettingsConnection, LocalSettingsFile } from '../local-settings';
import { emulatorConnectionString } from './emulator-settings';

/** Generated values for one mode. */
export type DevSettingsMode = { readonly kind: 'tunnel'; readonly connections: readonly LocalSettingsConnection[] } | { readonly kind: 'emulator'; readonly prefixes: readonly string[]; readonly port: number };

const IDENTITY_SUFFIXES = ['serviceUri', 'credential', 'clientId', 'managedIdentityResourceId'];

/** The file's content: the user's values (minus the connection settings), then the generated ones. */
export function devLocalSettings(mode: DevSettingsMode, defaultHubName: string | null, userFile: LocalSettingsFile | undefined): LocalSettingsFile {
  const generated =
    mode.kind === 'tunnel'
      ? localSettingsValues({ connections: mode.connections, defaultHubName })
      : {
          FUNCTIONS_WORKER_RUNTIME: 'node',
          AzureWebJobsStorage: 'UseDevelopmentStorage=true',
          ...Object.fromEntries(mode.prefixes.map((p) => [p, emulatorConnectionString(mode.port)])),
          ...(defaultHubName ? { WebPubSubHub: defaultHubName } : {}),
        };
  const prefixes = mode.kind === 'tunnel' ? mode.connections.map((c) => c.prefix) : mode.prefixes;
  const owned = new Set<string>();
  for (const prefix of prefixes) {
    owned.add(prefix);
    for (const sep of [':', '__']) for (const suffix of IDENTITY_SUFFIXES) owned.add(`${prefix}${sep}${suffix}`);
  }
  const user = Object.fromEntries(Object.entries(userFile?.Values ?? {}).filter(([k, v]) => !owned.has(k) && typeof v === 'string'));
  return { IsEncrypted: false, Values: { ...user, ...generated } };
}

/** The user's own file, when it exists and is readable plain JSON (an encrypted or broken one is ignored, and said so). */
export function readUserLocalSettings(file: string, log: (line: string) => void): LocalSettingsFile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as LocalSettingsFile;
    if (parsed?.IsEncrypted === true) {
      log(`warning: ${file} is encrypted: its values are not carried over (run \`func settings decrypt\` to use them)`);
      return undefined;
    }
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    log(`warning: ${file} is not valid JSON: its values are not carried over`);
    return undefined;
  }
}
