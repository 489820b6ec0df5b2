/**
 * The Web PubSub emulator's configuration for `dev --emulator`: its `appsettings.json` (read from the emulator's
 * working directory) with the synthesized hubs' handlers pointed at the local Functions host, and the connection
 * string the app's bindings use to reach it.
 *
 * Source: Azure/azure-webpubsub `tools/emulator` (Microsoft.Azure.WebPubSub.Emulator, a .NET tool `awps-emulator`):
 * README "HTTP lifecycle notifications" (`WebPubSub:Hubs:<hub>:EventHandlers[]` with `UrlTemplate` using `{hub}` and
 * `{event}`, `SystemEvents`, `EventPattern`; "Outbound handler authentication is not supported ... Omit `Auth`
 * entirely"; "Key Vault URL references and `tunnel://` handler URLs are unsupported"), "Run from source" (listens on
 * `http://localhost:8080`, `HEAD /api/health` answers 200), "Configure the endpoint and access key" (`Urls`);
 * `EmulatorOptions.cs` (`DefaultAccessKey`, the connection string `Endpoint=<scheme://host:port>;AccessKey=<key>;Version=1.0;`);
 * `getting-started/appsettings.json`. Not run here (no .NET 10 SDK on CI): checked against that documented contract.
 */
import type { ManifestFunctionApp, ManifestService } from '../../common/manifest-schema';
import { DeploymentOutputs, resolveValue } from '../deployment-inputs';

/**
 * The emulator's default access key (`EmulatorOptions.DefaultAccessKey`). Public by design ("the default access key is
 * public and must not be used to protect real data", README): it signs the emulator's requests to the local app, whose
 * Web PubSub extension checks the signature against the connection string's key, so both must be this one.
 */
export const EMULATOR_DEFAULT_ACCESS_KEY = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH';

/** The emulator's default port (`http://localhost:8080`). */
export const EMULATOR_DEFAULT_PORT = 8080;

/** The path the emulator answers `HEAD` with 200 when it is ready. */
export const EMULATOR_HEALTH_PATH = '/api/health';

/** The connection string of an emulator on `port` with the default key (what it prints at startup). */
export function emulatorConnectionString(port: number): string {
  return `Endpoint=http://localhost:${port};AccessKey=${EMULATOR_DEFAULT_ACCESS_KEY};Version=1.0;`;
}

/** One handler as the emulator reads it. No `Auth`: the emulator refuses it. */
export interface EmulatorEventHandler {
  readonly UrlTemplate: string;
  readonly SystemEvents?: string[];
  readonly EventPattern?: string;
}

/** The `appsettings.json` the emulator reads from its working directory. */
export interface EmulatorAppSettings {
  readonly WebPubSub: { readonly Hubs: Record<string, { readonly EventHandlers: EmulatorEventHandler[] }> };
}

/** The settings, and what could not be carried over (one line each). */
export interface EmulatorSettingsResult {
  readonly settings: EmulatorAppSettings;
  readonly skipped: string[];
}

/**
 * The hubs of the services the app connects to, each with the handlers that target this app, at
 * `http://localhost:<funcPort><the handler's path on the app>` (the extension webhook, or the HTTP route of
 * `registerWebPubSubHandlers`, as the deployed hub calls them, without the key: the local host checks none). Handlers
 * to other URLs or apps are left out (reported), as are hubs whose name is known only after deploy.
 */
export function emulatorAppSettings(
  app: ManifestFunctionApp,
  services: readonly ManifestService[],
  funcPort: number,
  outputs: DeploymentOutputs | undefined,
): EmulatorSettingsResult {
  const hubs: Record<string, { EventHandlers: EmulatorEventHandler[] }> = {};
  const skipped: string[] = [];
  const connected = new Set(app.connections.map((c) => c.service));
  for (const service of services) {
    const serves = service.hubs.some((h) => h.eventHandlers.some((e) => e.functionApp === app.path));
    if (!connected.has(service.path) && !serves) continue;
    for (const hub of service.hubs) {
      const name = resolveValue(hub.name, outputs);
      if (name === undefined) {
        skipped.push(`hub ${hub.path}: its name is known only after deploy (a Terraform output): give it a literal name to use it with the emulator`);
        continue;
      }
      const handlers: EmulatorEventHandler[] = [];
      hub.eventHandlers.forEach((e, i) => {
        if (e.functionApp !== app.path || e.urlPath === null || e.kind === 'url') {
          skipped.push(`hub ${name} handler ${i + 1}: ${e.kind === 'url' ? 'a URL outside the stack' : `served by ${e.functionApp ?? 'another app'}`}, not by this app: left out`);
          return;
        }
        handlers.push({
          UrlTemplate: `http://localhost:${funcPort}${e.urlPath.startsWith('/') ? '' : '/'}${e.urlPath}`,
          ...(e.systemEvents.length > 0 ? { SystemEvents: [...e.systemEvents] } : {}),
          ...(e.userEventPattern !== null ? { EventPattern: e.userEventPattern } : {}),
        });
      });
      if (hubs[name] !== undefined) skipped.push(`hub ${name} is declared twice: the emulator gets the first`);
      else hubs[name] = { EventHandlers: handlers };
    }
  }
  return { settings: { WebPubSub: { Hubs: hubs } }, skipped };
}
