/**
 * The deployment manifest (`cdktf.out/stacks/<stack>/webpubsub-manifest.json`): what a synthesized stack declares
 * for the tools that check and use the live deployment (`cdktf-azure-webpubsub verify`, `local-settings`, `dev`).
 *
 * ONE module for both sides: the constructs write it at synth (lib/core/deployment-manifest.ts) and the CLI reads it
 * (lib/cli/). It holds only types, a validator and path rules — no cdktf or constructs import — so the CLI loads it
 * without the infrastructure libraries.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** File name of the manifest, next to the stack's `cdk.tf.json`. */
export const DEPLOYMENT_MANIFEST_FILE = 'webpubsub-manifest.json';

/** Version of the manifest schema this library writes and reads. */
export const DEPLOYMENT_MANIFEST_VERSION = 2;

/**
 * A Terraform output of a stack. Outputs are declared in the stack that owns the resource, so the reference names
 * that stack, which may differ from the manifest's stack.
 */
export interface ManifestOutputRef {
  /** Stack that declares the output (its key in a `cdktf deploy --outputs-file` file). */
  readonly stack: string;
  /**
   * Construct path of the `TerraformOutput`, e.g. `chat/Chat/WebPubSub/DeploymentOutputs/Hostname`: where
   * `cdktf deploy --outputs-file` puts the value (nested by construct id, the stack first).
   */
  readonly path: string;
  /** Terraform output name (`terraform output`), derived by cdktf from the construct path. */
  readonly name: string;
}

/** A value the tools need: known at synth (`value`) or held by a Terraform output after deploy (`output`). */
export type ManifestValue = { readonly value: string } | { readonly output: ManifestOutputRef };

/** How the Web PubSub service reaches the code for one hub event handler. */
export type ManifestEventHandlerKind = 'functionsExtension' | 'httpFunction' | 'url';

/** One event handler of a hub, as the code declares it. */
export interface ManifestEventHandler {
  readonly kind: ManifestEventHandlerKind;
  /** Construct path of the Function App that serves the handler; `null` for a plain URL. */
  readonly functionApp: string | null;
  /** Path on the Function App host (`/runtime/webhooks/webpubsub` or `/api/...`); `null` for a plain URL. */
  readonly urlPath: string | null;
  /** System events the handler receives. */
  readonly systemEvents: readonly string[];
  /** User event pattern; `null` when there is none or it is not known at synth (a token). */
  readonly userEventPattern: string | null;
  /**
   * The handler sends events through the Web PubSub tunnel (`tunnel:///<urlPath>`, a development hub) to the app's
   * code running where `cdktf-azure-webpubsub dev` runs, not to the deployed app.
   * @default false (absent in manifests written before the tunnel choice existed)
   */
  readonly tunnel?: boolean;
}

/** A hub declared in the manifest's stack. */
export interface ManifestHub {
  /** Construct path of the hub. */
  readonly path: string;
  /** Hub name (an output when the name is a token). */
  readonly name: ManifestValue;
  /** Event handlers, in the order the service tries them. */
  readonly eventHandlers: readonly ManifestEventHandler[];
}

/** A Web PubSub service the stack creates, imports, adds hubs to, or connects a Function App to. */
export interface ManifestService {
  /** Construct path of the service. */
  readonly path: string;
  /** ARM resource id: subscription, resource group and name are read from it. */
  readonly resourceId: ManifestValue;
  /** Host name, e.g. `<name>.webpubsub.azure.com`. */
  readonly hostname: ManifestValue;
  /** Whether the stack enables access keys; `null` when the stack does not manage it (imported service, token). */
  readonly localAuthEnabled: boolean | null;
  /** Hubs of this service declared in the manifest's stack. */
  readonly hubs: readonly ManifestHub[];
}

/** One identity-based Web PubSub connection of a Function App. */
export interface ManifestConnection {
  /** Setting prefix the bindings' `connection` names (`<prefix>__serviceUri`...). */
  readonly prefix: string;
  /** Construct path of the service (an entry of `services`). */
  readonly service: string;
  /**
   * The `<prefix>__serviceUri` setting the app was given (built at synth from the service name, or the service's
   * host name): `verify` checks it names the host ARM reports. Absent in manifests written before it was recorded.
   */
  readonly serviceUri?: ManifestValue;
}

/** An HTTP function of the packaged code with a `webPubSubConnection` input: it returns a client URL. */
export interface ManifestNegotiateFunction {
  /** Function name. */
  readonly name: string;
  /** URL path on the app host, route prefix included, e.g. `/api/negotiate`. */
  readonly path: string;
  /** HTTP trigger auth level (`anonymous`, `function`, `admin`). */
  readonly authLevel: string;
  /** The binding's `userId` (e.g. `{query.userid}`); `null` when it sets none. */
  readonly userId: string | null;
  /** The binding's hub; `null` when it uses the `WebPubSubHub` setting. */
  readonly hub: string | null;
}

/** What the manifest knows about a Function App's packaged code. */
export interface ManifestFunctionCode {
  /**
   * The code's project directory (where `host.json` and `local.settings.json` live for `func start`), relative to
   * the cdktf project directory (see {@link findCdktfProjectDir}), `/`-separated; `.` for the same directory.
   */
  readonly projectDir: string | null;
  /** HTTP functions that return a client URL and can be called with a GET (no route parameters), in registration order. */
  readonly negotiateFunctions: readonly ManifestNegotiateFunction[];
  /**
   * The code package the deploy uploads (host.json, package.json whose `main` is the bundle, the bundle), relative to
   * the stack's directory in the synth output (where this manifest is), `/`-separated: what `dev` runs locally.
   * @default null (absent in manifests written before `dev` existed)
   */
  readonly packagePath?: string | null;
  /** sha256 (hex) of that package. @default null */
  readonly contentHash?: string | null;
}

/** A Function App the stack creates, or one a hub of the stack sends events to. */
export interface ManifestFunctionApp {
  /** Construct path of the app. */
  readonly path: string;
  /** ARM resource id of the app. */
  readonly resourceId: ManifestValue;
  /** The app's default host name. */
  readonly hostname: ManifestValue;
  /** Principal id of the identity the app's bindings use. */
  readonly principalId: ManifestValue;
  /** Identity-based Web PubSub connections. */
  readonly connections: readonly ManifestConnection[];
  /** The hub the code's bindings default to (`WebPubSubHub` setting), if any. */
  readonly defaultHubName: string | null;
  /** The packaged code, when the stack packages it. */
  readonly code: ManifestFunctionCode | null;
}

/** `cdktf.out/stacks/<stack>/webpubsub-manifest.json`, written on every synth of a stack using these constructs. */
export interface DeploymentManifest {
  readonly version: typeof DEPLOYMENT_MANIFEST_VERSION;
  /** The stack's name (its directory under `cdktf.out/stacks`, its key in the outputs file). */
  readonly stack: string;
  /** Sorted by construct path. */
  readonly services: readonly ManifestService[];
  /** Sorted by construct path. */
  readonly functionApps: readonly ManifestFunctionApp[];
}

/** The manifest does not have the shape this version reads; the message names the field. */
export class ManifestShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestShapeError';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks that `raw` (parsed JSON) is a manifest this version reads, and returns it typed.
 * @throws ManifestShapeError naming the first field that is wrong
 */
export function parseDeploymentManifest(raw: unknown): DeploymentManifest {
  const bad = (field: string, expected: string): ManifestShapeError => new ManifestShapeError(`\`${field}\` must be ${expected}`);
  if (!isObject(raw)) throw bad('(root)', 'an object');
  if (raw.version !== DEPLOYMENT_MANIFEST_VERSION) {
    const older = typeof raw.version === 'number' && raw.version < DEPLOYMENT_MANIFEST_VERSION;
    throw new ManifestShapeError(
      `version ${JSON.stringify(raw.version)} is ${older ? 'from an older' : 'not one this'} version of cdktf-azure-webpubsub (this one reads ${DEPLOYMENT_MANIFEST_VERSION})` +
        (older ? ': synthesize the app again' : ': use the CLI of the library version that synthesized it'),
    );
  }
  const string = (v: unknown, field: string): void => {
    if (typeof v !== 'string') throw bad(field, 'a string');
  };
  const nullableString = (v: unknown, field: string): void => {
    if (v !== null && typeof v !== 'string') throw bad(field, 'a string or null');
  };
  const array = (v: unknown, field: string): unknown[] => {
    if (!Array.isArray(v)) throw bad(field, 'an array');
    return v;
  };
  const object = (v: unknown, field: string): Record<string, unknown> => {
    if (!isObject(v)) throw bad(field, 'an object');
    return v;
  };
  const value = (v: unknown, field: string): void => {
    const o = object(v, field);
    if ('value' in o) return string(o.value, `${field}.value`);
    const ref = object(o.output, `${field}.output`);
    string(ref.stack, `${field}.output.stack`);
    string(ref.path, `${field}.output.path`);
    string(ref.name, `${field}.output.name`);
  };

  string(raw.stack, 'stack');
  array(raw.services, 'services').forEach((s, i) => {
    const at = `services[${i}]`;
    const service = object(s, at);
    string(service.path, `${at}.path`);
    value(service.resourceId, `${at}.resourceId`);
    value(service.hostname, `${at}.hostname`);
    if (service.localAuthEnabled !== null && typeof service.localAuthEnabled !== 'boolean') {
      throw bad(`${at}.localAuthEnabled`, 'a boolean or null');
    }
    array(service.hubs, `${at}.hubs`).forEach((h, j) => {
      const hubAt = `${at}.hubs[${j}]`;
      const hub = object(h, hubAt);
      string(hub.path, `${hubAt}.path`);
      value(hub.name, `${hubAt}.name`);
      array(hub.eventHandlers, `${hubAt}.eventHandlers`).forEach((e, k) => {
        const handlerAt = `${hubAt}.eventHandlers[${k}]`;
        const handler = object(e, handlerAt);
        if (!['functionsExtension', 'httpFunction', 'url'].includes(handler.kind as string)) {
          throw bad(`${handlerAt}.kind`, 'one of functionsExtension, httpFunction, url');
        }
        nullableString(handler.functionApp, `${handlerAt}.functionApp`);
        nullableString(handler.urlPath, `${handlerAt}.urlPath`);
        array(handler.systemEvents, `${handlerAt}.systemEvents`).forEach((x, m) => string(x, `${handlerAt}.systemEvents[${m}]`));
        nullableString(handler.userEventPattern, `${handlerAt}.userEventPattern`);
        if (handler.tunnel !== undefined && typeof handler.tunnel !== 'boolean') throw bad(`${handlerAt}.tunnel`, 'a boolean');
      });
    });
  });
  array(raw.functionApps, 'functionApps').forEach((a, i) => {
    const at = `functionApps[${i}]`;
    const app = object(a, at);
    string(app.path, `${at}.path`);
    value(app.resourceId, `${at}.resourceId`);
    value(app.hostname, `${at}.hostname`);
    value(app.principalId, `${at}.principalId`);
    array(app.connections, `${at}.connections`).forEach((c, j) => {
      const connection = object(c, `${at}.connections[${j}]`);
      string(connection.prefix, `${at}.connections[${j}].prefix`);
      string(connection.service, `${at}.connections[${j}].service`);
      if (connection.serviceUri !== undefined) value(connection.serviceUri, `${at}.connections[${j}].serviceUri`);
    });
    nullableString(app.defaultHubName, `${at}.defaultHubName`);
    if (app.code !== null) {
      const code = object(app.code, `${at}.code`);
      nullableString(code.projectDir, `${at}.code.projectDir`);
      if (code.packagePath !== undefined) nullableString(code.packagePath, `${at}.code.packagePath`);
      if (code.contentHash !== undefined) nullableString(code.contentHash, `${at}.code.contentHash`);
      array(code.negotiateFunctions, `${at}.code.negotiateFunctions`).forEach((n, j) => {
        const fnAt = `${at}.code.negotiateFunctions[${j}]`;
        const fn = object(n, fnAt);
        string(fn.name, `${fnAt}.name`);
        string(fn.path, `${fnAt}.path`);
        string(fn.authLevel, `${fnAt}.authLevel`);
        nullableString(fn.userId, `${fnAt}.userId`);
        nullableString(fn.hub, `${fnAt}.hub`);
      });
    }
  });
  return raw as unknown as DeploymentManifest;
}

/**
 * The cdktf project directory: the nearest directory at or above `cwd` holding `cdktf.json` (where cdktf resolves
 * relative asset paths), else `cwd` itself. Paths in the manifest are relative to it, so the manifest holds no
 * machine-specific absolute path and the CLI, run anywhere in the project, resolves them the same way.
 */
export function findCdktfProjectDir(cwd: string = process.cwd()): string {
  let dir = path.resolve(cwd);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'cdktf.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(cwd);
    dir = parent;
  }
}

/** `target` relative to `projectDir`, `/`-separated (`.` for the directory itself). */
export function manifestRelativePath(projectDir: string, target: string): string {
  const relative = path.relative(projectDir, target).split(path.sep).join('/');
  return relative === '' ? '.' : relative;
}
