/**
 * The hooks the constructs call so `cdktf-azure-webpubsub verify` and `local-settings` work for any app with no
 * wiring: each declares the Terraform outputs the tools read and records the construct for the deployment manifest
 * (lib/core/deployment-manifest.ts), which says which output holds what.
 *
 * Output rule: a value known at synth goes into the manifest as is; a token becomes a `TerraformOutput` in a
 * `DeploymentOutputs` child of the construct that owns the resource — so it lives in that resource's stack, its id
 * comes from the construct path (two topologies in one stack never collide; no id comes from a token value), and
 * `cdktf deploy --outputs-file` nests it under that path.
 *
 * One call per construct, at the end of its constructor:
 *  - WebPubSubService (and `fromWebPubSubServiceAttributes`): {@link recordWebPubSubService}
 *  - WebPubSubHub: {@link recordWebPubSubHub}
 *  - WebPubSubFunctionApp (and an imported app, so hubs that target it can be checked): {@link recordWebPubSubFunctionApp}
 */
import { functionsRoutePrefix } from '../code/private/host-json';
import { TerraformOutput, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { isFunctionAppRecorded, isServiceRecorded, recordFunctionApp, recordHub, recordService, RecordedValue } from './deployment-manifest';
import type { BoundEventHandler } from '../webpubsub/event-handler';
import { findCdktfProjectDir, ManifestFunctionCode, ManifestNegotiateFunction, manifestRelativePath } from '../common/manifest-schema';
import type { RegisteredFunction } from '../code/private/function-registration-recorder';

/** Id of the child construct that holds a construct's deployment outputs. */
export const DEPLOYMENT_OUTPUTS_ID = 'DeploymentOutputs';

/** What the tools need from a Web PubSub service (`IWebPubSubService` has it). */
export interface RecordableService extends IConstruct {
  readonly serviceId: string;
  readonly hostname: string;
  /** `https://<host name>` as connected apps are given it. @default - `https://<hostname>` */
  readonly serviceUri?: string;
}

/** What the tools need from a hub (`WebPubSubHub` has it). */
export interface RecordableHub extends IConstruct {
  readonly hubName: string;
  readonly service: RecordableService;
  readonly eventHandlers: readonly BoundEventHandler[];
}

/** What the tools need from a Function App (`WebPubSubFunctionApp` has it; an imported app has the first three). */
export interface RecordableFunctionApp extends IConstruct {
  readonly appId: string;
  readonly defaultHostname: string;
  readonly principalId: string;
  /** Setting prefixes, index-aligned with `connectedServices`. @default - none */
  readonly connectionPrefixes?: readonly string[];
  /** @default - none */
  readonly connectedServices?: readonly RecordableService[];
  readonly defaultHubName?: string;
}

function recorded(owner: IConstruct, id: string, value: string, description: string): RecordedValue {
  if (!Token.isUnresolved(value)) return { value };
  const container = owner.node.tryFindChild(DEPLOYMENT_OUTPUTS_ID) ?? new Construct(owner, DEPLOYMENT_OUTPUTS_ID);
  return { output: new TerraformOutput(container, id, { value, description: `${description} (read by cdktf-azure-webpubsub verify / local-settings)` }) };
}

function literal<T>(value: T | undefined): T | null {
  return value === undefined || Token.isUnresolved(value) ? null : value;
}

/**
 * Hook of a Web PubSub service (created or imported): outputs for its resource id and host name.
 * @param facts.localAuthEnabled what the stack sets; omit when the stack does not manage the service (imported)
 */
export function recordWebPubSubService(service: RecordableService, facts: { readonly localAuthEnabled?: boolean } = {}): void {
  if (isServiceRecorded(service)) return;
  recordService({
    construct: service,
    resourceId: recorded(service, 'ResourceId', service.serviceId, 'Web PubSub service resource id'),
    hostname: recorded(service, 'Hostname', service.hostname, 'Web PubSub service host name'),
    localAuthEnabled: literal(facts.localAuthEnabled),
  });
}

/** Hook of a hub: its name (an output when it is a token) and event handlers. */
export function recordWebPubSubHub(hub: RecordableHub): void {
  // A service this library did not create (a custom IWebPubSubService) is recorded on first use.
  recordWebPubSubService(hub.service);
  recordHub({
    construct: hub,
    service: hub.service,
    name: recorded(hub, 'HubName', hub.hubName, 'Web PubSub hub name'),
    eventHandlers: hub.eventHandlers.map((e) => ({
      kind: e.kind,
      functionAppPath: e.functionAppPath,
      urlPath: e.urlPath,
      systemEvents: e.systemEvents.filter((s) => !Token.isUnresolved(s)),
      userEventPattern: literal(e.userEventPattern) ?? undefined,
      tunnel: e.tunnel,
    })),
  });
}

/**
 * Hook of a Function App: outputs for its resource id, host name and the principal id of the identity its bindings
 * use; its Web PubSub connections; and, from packaged code (`FunctionCode`), the project directory and the
 * negotiate functions.
 */
export function recordWebPubSubFunctionApp(app: RecordableFunctionApp, facts: { readonly code?: object } = {}): void {
  if (isFunctionAppRecorded(app)) return;
  const connections = (app.connectedServices ?? []).map((service, i) => {
    recordWebPubSubService(service);
    const prefix = (app.connectionPrefixes ?? [])[i];
    // The setting the app was given, for verify's host-name check; an output when it holds tokens.
    const outputId = Token.isUnresolved(prefix) ? `ServiceUri${i + 1}` : `ServiceUri-${prefix}`;
    const serviceUri = service.serviceUri !== undefined ? recorded(app, outputId, service.serviceUri, `serviceUri setting ${Token.isUnresolved(prefix) ? i + 1 : prefix}`) : undefined;
    return { prefix, service, serviceUri };
  });
  recordFunctionApp({
    construct: app,
    resourceId: recorded(app, 'ResourceId', app.appId, 'Function App resource id'),
    hostname: recorded(app, 'Hostname', app.defaultHostname, 'Function App default host name'),
    principalId: recorded(app, 'PrincipalId', app.principalId, 'Principal id of the Function App identity'),
    connections,
    defaultHubName: literal(app.defaultHubName),
    code: codeFacts(facts.code),
  });
}

interface CodeLike {
  readonly projectDir?: unknown;
  readonly registrations?: readonly RegisteredFunction[];
  readonly hostJson?: Record<string, unknown>;
  /** `FunctionCode.assetPath`: the zip, relative to the stack's directory in the synth output. */
  readonly assetPath?: unknown;
  readonly contentHash?: unknown;
}

function codeFacts(code: object | undefined): ManifestFunctionCode | null {
  const c = code as CodeLike | undefined;
  if (!c || !Array.isArray(c.registrations)) return null;
  return {
    projectDir: typeof c.projectDir === 'string' ? manifestRelativePath(findCdktfProjectDir(), c.projectDir) : null,
    negotiateFunctions: negotiateFunctions(c.registrations, functionsRoutePrefix(c.hostJson)),
    // What `dev` unpacks and runs: the package the deploy uploads (cdktf copies the asset next to the manifest).
    packagePath: typeof c.assetPath === 'string' && !Token.isUnresolved(c.assetPath) ? c.assetPath.split(/[\\/]+/).join('/') : null,
    contentHash: typeof c.contentHash === 'string' ? c.contentHash : null,
  };
}

/** HTTP functions with a `webPubSubConnection` input that a GET without route parameters reaches. */
function negotiateFunctions(registrations: readonly RegisteredFunction[], prefix: string): ManifestNegotiateFunction[] {
  const found: ManifestNegotiateFunction[] = [];
  for (const fn of registrations) {
    const bindings = Object.values(fn.bindings);
    const trigger = bindings.find((b) => b.type === 'httpTrigger');
    const connection = bindings.find((b) => b.type === 'webPubSubConnection' && b.direction === 'in');
    if (!trigger || !connection) continue;
    const route = typeof trigger.route === 'string' ? trigger.route : fn.name;
    if (route.includes('{')) continue;
    const methods = Array.isArray(trigger.methods) ? trigger.methods.map((m) => String(m).toUpperCase()) : undefined;
    if (methods && !methods.includes('GET')) continue;
    const segments = [prefix, route].map((s) => s.replace(/^\/+|\/+$/g, '')).filter((s) => s.length > 0);
    found.push({
      name: fn.name,
      path: `/${segments.join('/')}`,
      authLevel: typeof trigger.authLevel === 'string' ? trigger.authLevel : 'anonymous',
      userId: typeof connection.userId === 'string' ? connection.userId : null,
      hub: typeof connection.hub === 'string' ? connection.hub : null,
    });
  }
  return found;
}
