/**
 * `verify`: checks a deployed stack against what its code declares, then makes one real round trip through it.
 *
 * Management-plane checks read the live service with `@azure/arm-webpubsub` (service, hubs) and the ARM role
 * assignment REST API (through the same authenticated pipeline). The end-to-end check calls the negotiate function,
 * connects a `@azure/web-pubsub-client`, sends a `message` event and waits for the example handler's ack.
 *
 * Everything that reaches the network comes in through {@link VerifyDeps}, so tests run it against local stand-ins.
 */
import type { Agent } from 'node:https';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { WebPubSubManagementClient } from '@azure/arm-webpubsub';
import type { EventHandler, WebPubSubHub, WebPubSubResource } from '@azure/arm-webpubsub';
import { RestError, createPipelineRequest, isRestError } from '@azure/core-rest-pipeline';
import { WebPubSubClient } from '@azure/web-pubsub-client';
import {
  CliError,
  ManifestEventHandler,
  ManifestService,
  StackOutputs,
  WebPubSubManifest,
  defaultManifestPath,
  pickByPath,
  readManifest,
  readStackOutputsIfPresent,
} from './deployment-inputs';

/** "Web PubSub Service Owner" built-in role (data plane `Microsoft.SignalRService/WebPubSub/*`). */
export const WEB_PUBSUB_SERVICE_OWNER_ROLE_ID = '12cf5a90-567b-43ae-8102-96cf46c7d9b4';
/** The Web PubSub Functions extension's webhook path on a Function App host. */
export const FUNCTIONS_EXTENSION_WEBHOOK_PATH = '/runtime/webhooks/webpubsub';
const ROLE_ASSIGNMENTS_API_VERSION = '2022-04-01';
const PUBLIC_ARM_ENDPOINT = 'https://management.azure.com';

export interface VerifyOptions {
  /** Stack name (outputs file key and manifest directory). @default 'chat' */
  readonly stack?: string;
  /** `cdktf deploy --outputs-file` file. @default 'outputs.json' in `cwd`, when it exists */
  readonly outputsFile?: string;
  /** @default 'cdktf.out/stacks/<stack>/webpubsub-manifest.json' in `cwd` */
  readonly manifestFile?: string;
  /** Construct path of the service to check, when the manifest has several. @default - the only one */
  readonly servicePath?: string;
  /** Override `subscription_id` from the outputs. */
  readonly subscriptionId?: string;
  /** Override `resource_group_name`. */
  readonly resourceGroup?: string;
  /** Override `web_pubsub_name`. */
  readonly serviceName?: string;
  /** Override `function_app_hostname`. */
  readonly appHost?: string;
  /** Override `function_app_principal_id` (the identity the app's bindings use). */
  readonly appPrincipalId?: string;
  /** Override `negotiate_url`. @default 'https://<app host>/api/negotiate' */
  readonly negotiateUrl?: string;
  /** Time allowed for each network step and for the whole round trip. @default 20000 */
  readonly timeoutMs?: number;
  /** @default process.cwd() */
  readonly cwd?: string;
}

/** Everything `verify` talks to. The CLI passes the real ones; tests pass stand-ins. */
export interface VerifyDeps {
  /** Signs ARM requests (the CLI uses DefaultAzureCredential). */
  readonly credential: TokenCredential;
  /** @default 'https://management.azure.com' */
  readonly armEndpoint?: string;
  /** HTTPS agent for ARM calls (e.g. one that trusts a test certificate). @default - Node's global agent */
  readonly armAgent?: Agent;
  /** Used for the negotiate endpoint and the webhook preflight. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** One line per finished check. @default console.log */
  readonly log?: (line: string) => void;
  /** Progress while a step runs. @default console.error */
  readonly progress?: (line: string) => void;
}

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface VerifyCheck {
  readonly name: string;
  readonly status: CheckStatus;
  /** For a pass: what was found; for a failure: what is wrong and what to do; for a skip: why it did not run. */
  readonly message: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly checks: readonly VerifyCheck[];
}

interface Target
  extends Pick<VerifyOptions, 'subscriptionId' | 'resourceGroup' | 'serviceName' | 'appHost' | 'appPrincipalId' | 'negotiateUrl'> {
  readonly manifest: WebPubSubManifest;
  readonly service: ManifestService;
}

const SYMBOL: Record<CheckStatus, string> = { pass: '✔', fail: '✘', skip: '–' };

/** The line printed for a check. */
export function formatCheck(check: VerifyCheck): string {
  return `${SYMBOL[check.status]} ${check.name}${check.message ? `: ${check.message}` : ''}`;
}

/**
 * Runs every check, printing one line per check as it finishes. Never throws for a failed check (it is reported);
 * throws {@link CliError} only when the inputs themselves are missing (no manifest, no way to name the service).
 */
export async function verify(options: VerifyOptions, deps: VerifyDeps): Promise<VerifyReport> {
  const log = deps.log ?? ((line: string) => console.log(line));
  const progress = deps.progress ?? ((line: string) => console.error(line));
  const fetchImpl = deps.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 20000;
  const target = resolveTarget(options);
  const checks: VerifyCheck[] = [];
  const report = (name: string, status: CheckStatus, message: string): void => {
    const check = { name, status, message };
    checks.push(check);
    log(formatCheck(check));
  };

  const armEndpoint = (deps.armEndpoint ?? PUBLIC_ARM_ENDPOINT).replace(/\/+$/, '');
  let live: WebPubSubResource | undefined;
  let client: WebPubSubManagementClient | undefined;
  const serviceLabel = target.serviceName ? `Web PubSub ${target.serviceName}` : 'Web PubSub service';

  if (!target.subscriptionId || !target.resourceGroup || !target.serviceName) {
    const missing = [
      !target.subscriptionId && '--subscription',
      !target.resourceGroup && '--resource-group',
      !target.serviceName && '--service',
    ].filter(Boolean);
    report('read the service from ARM', 'fail', `don't know which service to read: pass ${missing.join(', ')} or --outputs <cdktf outputs file>`);
  } else {
    client = new WebPubSubManagementClient(deps.credential, target.subscriptionId, {
      endpoint: armEndpoint,
      credentialScopes: [`${armEndpoint}/.default`],
      ...(deps.armAgent ? { agent: deps.armAgent } : {}),
    });
    progress(`… reading ${serviceLabel} in resource group ${target.resourceGroup}`);
    try {
      live = await client.webPubSub.get(target.resourceGroup, target.serviceName, { abortSignal: AbortSignal.timeout(timeoutMs) });
      report('read the service from ARM', 'pass', `${live.name ?? target.serviceName} (${live.hostName ?? 'no host name'})`);
    } catch (err) {
      report('read the service from ARM', 'fail', explainArmError(err, `${serviceLabel}`, target));
    }
  }

  // 1. Local auth.
  const expectLocalAuth = target.service.localAuthEnabled;
  if (!live) {
    report('local auth disabled', 'skip', 'not checked: the service could not be read');
  } else {
    const localAuthEnabled = live.disableLocalAuth !== true;
    if (localAuthEnabled === expectLocalAuth) {
      report(
        expectLocalAuth ? 'local auth enabled, as the stack declares' : 'local auth disabled',
        'pass',
        expectLocalAuth ? 'access keys work on this service (localAuthEnabled: true in the stack)' : 'access keys are rejected; only Entra ID tokens work',
      );
    } else {
      report(
        'local auth disabled',
        'fail',
        expectLocalAuth
          ? 'the service rejects access keys but the stack declares localAuthEnabled: true: run `cdktf deploy` to converge'
          : 'the service accepts access keys (disableLocalAuth is not true): remove `localAuthEnabled: true` from the service props (or fix drift) and run `cdktf deploy`',
      );
    }
  }

  // 2. Hubs and their event handlers.
  for (const hub of target.service.hubs) {
    const hubCheck = `hub ${hub.name} exists`;
    if (!live || !client) {
      report(hubCheck, 'skip', 'not checked: the service could not be read');
      continue;
    }
    progress(`… reading hub ${hub.name}`);
    let liveHub: WebPubSubHub | undefined;
    try {
      liveHub = await client.webPubSubHubs.get(hub.name, target.resourceGroup!, target.serviceName!, {
        abortSignal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      if (isRestError(err) && err.statusCode === 404) {
        const existing = await listHubNames(client, target, timeoutMs);
        report(
          hubCheck,
          'fail',
          `hub "${hub.name}" is not on ${serviceLabel} (hubs there: ${existing.length ? existing.join(', ') : 'none'}): run \`cdktf deploy\` so the hub the code uses is created`,
        );
      } else {
        report(hubCheck, 'fail', explainArmError(err, `hub ${hub.name}`, target));
      }
      continue;
    }
    const liveHandlers = liveHub.properties.eventHandlers ?? [];
    report(hubCheck, 'pass', `${liveHandlers.length} event handler(s)`);
    if (liveHandlers.length !== hub.eventHandlers.length) {
      report(
        `hub ${hub.name} event handlers`,
        'fail',
        `the service has ${liveHandlers.length} event handler(s), the code declares ${hub.eventHandlers.length}: run \`cdktf deploy\` (someone may have edited the hub in the portal)`,
      );
    }
    const count = Math.min(liveHandlers.length, hub.eventHandlers.length);
    for (let i = 0; i < count; i++) {
      const name = `hub ${hub.name} handler ${i + 1}`;
      await checkHandler(name, hub.name, hub.eventHandlers[i], liveHandlers[i], live, target, fetchImpl, timeoutMs, report, progress);
    }
  }

  // 3. The app identity's data-plane role on the service.
  const roleCheck = 'app identity holds Web PubSub Service Owner';
  if (!live || !client || !live.id) {
    report(roleCheck, 'skip', 'not checked: the service could not be read');
  } else if (!target.appPrincipalId) {
    report(roleCheck, 'fail', 'no principal id for the app identity: pass --app-principal-id or use an outputs file with function_app_principal_id');
  } else {
    progress(`… reading role assignments of principal ${target.appPrincipalId}`);
    try {
      const assignments = await listRoleAssignments(client, armEndpoint, live.id, target.appPrincipalId, timeoutMs);
      const holds = assignments.some(
        (a) =>
          a.roleDefinitionId.toLowerCase().endsWith(`/${WEB_PUBSUB_SERVICE_OWNER_ROLE_ID}`) &&
          isSameOrParentScope(a.scope, live!.id!),
      );
      if (holds) {
        report(roleCheck, 'pass', `principal ${target.appPrincipalId} on ${live.name}`);
      } else {
        report(
          roleCheck,
          'fail',
          `principal ${target.appPrincipalId} has no Web PubSub Service Owner assignment on the service or above it (negotiate and send will fail with 403): run \`cdktf deploy\`, or \`az role assignment create --assignee-object-id ${target.appPrincipalId} --assignee-principal-type ServicePrincipal --role ${WEB_PUBSUB_SERVICE_OWNER_ROLE_ID} --scope ${live.id}\``,
        );
      }
    } catch (err) {
      report(roleCheck, 'fail', explainArmError(err, 'role assignments', target, true));
    }
  }

  // 4. End to end.
  await roundTrip(target, fetchImpl, timeoutMs, report, progress);

  const ok = checks.every((c) => c.status === 'pass');
  const failed = checks.filter((c) => c.status !== 'pass').length;
  log(ok ? `all ${checks.length} checks passed` : `${failed} of ${checks.length} checks failed or could not run`);
  return { ok, checks };
}

function resolveTarget(options: VerifyOptions): Target {
  const cwd = options.cwd ?? process.cwd();
  const stack = options.stack ?? 'chat';
  const manifestFile = options.manifestFile ? path.resolve(cwd, options.manifestFile) : defaultManifestPath(stack, cwd);
  const manifest = readManifest(manifestFile);
  const service = pickByPath(manifest.services, options.servicePath, 'Web PubSub service', '--service-path');
  const outputsFile = path.resolve(cwd, options.outputsFile ?? 'outputs.json');
  const outputs: StackOutputs = readStackOutputsIfPresent(outputsFile, stack, options.outputsFile !== undefined) ?? {};
  const appHost = (options.appHost ?? outputs.function_app_hostname)?.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  return {
    manifest,
    service,
    subscriptionId: options.subscriptionId ?? outputs.subscription_id,
    resourceGroup: options.resourceGroup ?? outputs.resource_group_name,
    serviceName: options.serviceName ?? outputs.web_pubsub_name,
    appHost,
    appPrincipalId: options.appPrincipalId ?? outputs.function_app_principal_id,
    negotiateUrl: options.negotiateUrl ?? outputs.negotiate_url ?? (appHost ? `https://${appHost}/api/negotiate` : undefined),
  };
}

/** What went wrong talking to ARM, and what to do about it. */
export function explainArmError(err: unknown, what: string, target: Pick<Target, 'resourceGroup' | 'subscriptionId'>, roleAssignments = false): string {
  const name = (err as { name?: string } | undefined)?.name;
  if (name === 'CredentialUnavailableError' || name === 'AuthenticationRequiredError' || name === 'AggregateAuthenticationError') {
    return `no Azure sign-in available (${firstLine(err)}): run \`az login\` (or set AZURE_CLIENT_ID/AZURE_TENANT_ID with OIDC in CI)`;
  }
  if (name === 'AuthenticationError') {
    return `signing in to Azure failed (${firstLine(err)}): run \`az login\` again`;
  }
  if (isRestError(err)) {
    const status = err.statusCode;
    if (status === 401) return `ARM returned 401 reading ${what}: the token was rejected — run \`az login\` (right tenant?) and retry`;
    if (status === 403) {
      return roleAssignments
        ? `ARM returned 403 listing ${what}: the signed-in principal lacks Microsoft.Authorization/roleAssignments/read — assign it Reader on resource group ${target.resourceGroup}`
        : `ARM returned 403 reading ${what}: the signed-in principal lacks Reader on resource group ${target.resourceGroup} — assign Reader (or run as the deploying principal)`;
    }
    if (status === 404) {
      return `ARM returned 404 for ${what}: check the subscription (${target.subscriptionId}), resource group (${target.resourceGroup}) and name, or deploy the stack first`;
    }
    if (status === undefined) return `could not reach ARM for ${what} (${firstLine(err)}): check the network / proxy`;
    return `ARM returned ${status} reading ${what} (${firstLine(err)}): retry; if it persists check https://status.azure.com`;
  }
  if ((err as { name?: string } | undefined)?.name === 'AbortError') return `ARM did not answer for ${what} within the timeout: retry with a larger --timeout`;
  return `reading ${what} failed: ${firstLine(err)}`;
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0];
}

async function listHubNames(client: WebPubSubManagementClient, target: Target, timeoutMs: number): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const hub of client.webPubSubHubs.list(target.resourceGroup!, target.serviceName!, { abortSignal: AbortSignal.timeout(timeoutMs) })) {
      if (hub.name) names.push(hub.name);
    }
  } catch {
    // The list only improves the message.
  }
  return names;
}

interface RoleAssignment {
  readonly scope: string;
  readonly roleDefinitionId: string;
}

async function listRoleAssignments(
  client: WebPubSubManagementClient,
  armEndpoint: string,
  scope: string,
  principalId: string,
  timeoutMs: number,
): Promise<RoleAssignment[]> {
  const filter = encodeURIComponent(`principalId eq '${principalId}'`);
  let url: string | undefined = `${armEndpoint}${scope}/providers/Microsoft.Authorization/roleAssignments?api-version=${ROLE_ASSIGNMENTS_API_VERSION}&$filter=${filter}`;
  const result: RoleAssignment[] = [];
  while (url) {
    // Sent through the management client's pipeline: same credential, retries and agent as the SDK calls.
    const response = await client.sendRequest(createPipelineRequest({ url, method: 'GET', abortSignal: AbortSignal.timeout(timeoutMs) }));
    const body = response.bodyAsText ? (JSON.parse(response.bodyAsText) as Record<string, unknown>) : {};
    if (response.status !== 200) {
      const error = (body.error ?? {}) as { code?: string; message?: string };
      throw new RestError(error.message ?? `HTTP ${response.status}`, { statusCode: response.status, code: error.code });
    }
    for (const item of (body.value ?? []) as Array<{ properties?: { scope?: string; roleDefinitionId?: string } }>) {
      if (item.properties?.scope && item.properties.roleDefinitionId) {
        result.push({ scope: item.properties.scope, roleDefinitionId: item.properties.roleDefinitionId });
      }
    }
    url = typeof body.nextLink === 'string' ? body.nextLink : undefined;
  }
  return result;
}

/** True when `scope` is `resourceId` itself or one of its ancestors (role assignments inherit downwards). */
export function isSameOrParentScope(scope: string, resourceId: string): boolean {
  const a = scope.toLowerCase().replace(/\/+$/, '');
  const b = resourceId.toLowerCase().replace(/\/+$/, '');
  return a === '' || a === b || b.startsWith(`${a}/`);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a.map((s) => s.toLowerCase()));
  const right = new Set(b.map((s) => s.toLowerCase()));
  return left.size === right.size && [...left].every((s) => right.has(s));
}

async function checkHandler(
  name: string,
  hubName: string,
  declared: ManifestEventHandler,
  live: EventHandler,
  service: WebPubSubResource,
  target: Target,
  fetchImpl: typeof fetch,
  timeoutMs: number,
  report: (name: string, status: CheckStatus, message: string) => void,
  progress: (line: string) => void,
): Promise<void> {
  // Events.
  const liveSystem = live.systemEvents ?? [];
  const livePattern = live.userEventPattern || null;
  const problems: string[] = [];
  if (!sameSet(liveSystem, declared.systemEvents)) {
    problems.push(`system events are [${liveSystem.join(', ')}], the code handles [${declared.systemEvents.join(', ')}]`);
  }
  if (livePattern !== (declared.userEventPattern || null)) {
    problems.push(`user event pattern is ${JSON.stringify(livePattern)}, the code declares ${JSON.stringify(declared.userEventPattern || null)}`);
  }
  if (problems.length) {
    report(`${name} events`, 'fail', `${problems.join('; ')}: run \`cdktf deploy\` after \`npm run synth\` so the hub matches the code`);
  } else {
    report(`${name} events`, 'pass', `system [${liveSystem.join(', ')}], user ${JSON.stringify(livePattern)}`);
  }

  // URL.
  const urlCheck = `${name} URL`;
  if (declared.kind === 'url') {
    report(urlCheck, 'pass', 'a URL outside the stack: not checked');
    return;
  }
  if (!target.appHost) {
    report(urlCheck, 'fail', 'no Function App host name to compare with: pass --app-host or use an outputs file with function_app_hostname');
    return;
  }
  const expectedPath = declared.kind === 'functionsExtension' ? FUNCTIONS_EXTENSION_WEBHOOK_PATH : (declared.urlPath ?? '');
  const expected = `https://${target.appHost}${expectedPath}`;
  let url: URL;
  try {
    url = new URL(live.urlTemplate.replace(/\{hub\}/g, hubName).replace(/\{event\}/g, 'message'));
  } catch {
    report(urlCheck, 'fail', `the handler URL ${JSON.stringify(redactCode(live.urlTemplate))} is not a URL: run \`cdktf deploy\``);
    return;
  }
  const actual = `${url.protocol}//${url.host}${url.pathname}`.replace(/\/+$/, '');
  if (actual.toLowerCase() !== expected.toLowerCase()) {
    report(
      urlCheck,
      'fail',
      `the handler points at ${actual}, not at the app's ${declared.kind === 'functionsExtension' ? 'Web PubSub webhook' : 'function'} ${expected}: run \`cdktf deploy\` (was the app renamed or the hub edited by hand?)`,
    );
    return;
  }
  const code = url.searchParams.get('code');
  if (declared.kind === 'functionsExtension' && !code) {
    report(
      urlCheck,
      'fail',
      `the handler URL has ${code === null ? 'no' : 'an empty'} \`code\` query parameter, so the Functions host answers 401: redeploy so the webpubsub_extension system key is written into the URL`,
    );
    return;
  }
  report(urlCheck, 'pass', redactCode(url.toString()));

  // Reachability: the abuse-protection preflight the service itself sends (CloudEvents webhook validation).
  const reachCheck = `${name} webhook answers`;
  const origin = service.hostName ?? '';
  progress(`… preflight OPTIONS ${redactCode(url.toString())}`);
  let response: Response;
  try {
    response = await fetchImpl(url.toString(), {
      method: 'OPTIONS',
      headers: { 'WebHook-Request-Origin': origin },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    report(reachCheck, 'fail', `could not reach ${url.host} (${firstLine(err)}): is the Function App running? (\`az functionapp show\`)`);
    return;
  }
  await response.body?.cancel();
  if (response.status === 401 || response.status === 403) {
    report(
      reachCheck,
      'fail',
      `the webhook answered ${response.status}: wrong or missing key — the \`code\` in the handler URL is not the app's webpubsub_extension system key; run \`cdktf deploy\` to rewrite both (compare with \`az functionapp keys list\`)`,
    );
  } else if (response.status === 404) {
    report(
      reachCheck,
      'fail',
      `the webhook answered 404: the app has no ${declared.kind === 'functionsExtension' ? 'function with a Web PubSub trigger loaded' : 'function at this route'} — check the code package was deployed and the host started (\`az functionapp function list\`, Application Insights)`,
    );
  } else if (!response.ok) {
    report(reachCheck, 'fail', `the webhook answered ${response.status} to the abuse-protection preflight: check the app's logs (Application Insights)`);
  } else {
    const allowed = response.headers.get('webhook-allowed-origin');
    if (allowed && allowed !== '*' && !allowed.toLowerCase().split(',').map((s) => s.trim()).includes(origin.toLowerCase())) {
      report(
        reachCheck,
        'fail',
        `the app allows events from ${allowed}, not from ${origin}: the app's WebPubSubConnectionString__serviceUri must be https://${origin}`,
      );
    } else {
      report(reachCheck, 'pass', `${response.status}${allowed ? `, allowed origin ${allowed}` : ''}`);
    }
  }
}

/** Hides the function key in a URL before printing it. */
export function redactCode(url: string): string {
  return url.replace(/([?&]code=)[^&]+/g, '$1***');
}

async function roundTrip(
  target: Target,
  fetchImpl: typeof fetch,
  timeoutMs: number,
  report: (name: string, status: CheckStatus, message: string) => void,
  progress: (line: string) => void,
): Promise<void> {
  const negotiateCheck = 'negotiate returns a client URL';
  const roundTripCheck = 'round trip: send a message, receive the ack';
  if (!target.negotiateUrl) {
    report(negotiateCheck, 'fail', 'no negotiate URL: pass --app-host (or an outputs file with negotiate_url)');
    report(roundTripCheck, 'skip', 'not checked: no client URL');
    return;
  }
  const userId = `verify-${randomUUID().slice(0, 8)}`;
  const negotiateUrl = new URL(target.negotiateUrl);
  negotiateUrl.searchParams.set('userid', userId);
  progress(`… GET ${negotiateUrl.toString()}`);
  let clientUrl: string;
  try {
    const response = await fetchImpl(negotiateUrl.toString(), { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    if (!response.ok) {
      report(negotiateCheck, 'fail', explainNegotiateStatus(response.status, negotiateUrl.pathname));
      report(roundTripCheck, 'skip', 'not checked: negotiate failed');
      return;
    }
    let body: { url?: unknown };
    try {
      body = JSON.parse(text) as { url?: unknown };
    } catch {
      body = {};
    }
    if (typeof body.url !== 'string' || !/^wss?:\/\//.test(body.url)) {
      report(negotiateCheck, 'fail', 'negotiate answered 200 without a ws(s):// `url` in JSON: the function must return the webPubSubConnection input as JSON ({ baseUrl, url, accessToken })');
      report(roundTripCheck, 'skip', 'not checked: negotiate failed');
      return;
    }
    clientUrl = body.url;
  } catch (err) {
    report(negotiateCheck, 'fail', `could not call ${negotiateUrl.host} (${firstLine(err)}): is the Function App running and the URL right?`);
    report(roundTripCheck, 'skip', 'not checked: negotiate failed');
    return;
  }
  report(negotiateCheck, 'pass', `as user ${userId}, hub URL ${new URL(clientUrl).host}${new URL(clientUrl).pathname}`);

  const deadline = AbortSignal.timeout(timeoutMs);
  const client = new WebPubSubClient(clientUrl, {
    autoReconnect: false,
    autoRejoinGroups: false,
    messageRetryOptions: { maxRetries: 0 },
    // A short-lived check: no keep-alive pings or idle monitor timers to outlive it.
    keepAliveIntervalInMs: 0,
    keepAliveTimeoutInMs: 0,
  });
  const stopped = new Promise<void>((resolve) => client.on('stopped', () => resolve()));
  const messageId = `verify-${randomUUID()}`;
  let broadcastSeen = false;
  const ack = new Promise<void>((resolve) => {
    client.on('server-message', (event) => {
      const data = event.message.data as { ack?: unknown; id?: unknown; text?: unknown } | undefined;
      if (data && typeof data === 'object') {
        if (data.ack === true && (data.id === messageId || data.id === null || data.id === undefined)) resolve();
        if (data.text === 'verify') broadcastSeen = true;
      }
    });
  });
  let step = 'connect';
  try {
    progress(`… connecting to ${new URL(clientUrl).host}`);
    await client.start({ abortSignal: deadline });
    step = 'send';
    progress('… sending event "message"');
    await client.sendEvent('message', { text: 'verify', id: messageId }, 'json', { abortSignal: deadline });
    step = 'ack';
    progress('… waiting for the ack');
    await Promise.race([
      ack,
      new Promise<never>((_, reject) => {
        if (deadline.aborted) reject(deadline.reason);
        deadline.addEventListener('abort', () => reject(deadline.reason), { once: true });
      }),
    ]);
    report(roundTripCheck, 'pass', `ack received${broadcastSeen ? ', broadcast received' : ''}`);
  } catch (err) {
    report(roundTripCheck, 'fail', explainRoundTripFailure(step, err, timeoutMs));
  } finally {
    try {
      client.stop();
      // Let the socket close so nothing keeps the process alive; bounded in case the close handshake never completes.
      await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    } catch {
      // already stopped
    }
  }
}

function explainNegotiateStatus(status: number, pathname: string): string {
  if (status === 404) return `negotiate answered 404: no function at ${pathname} — check the code package was deployed (\`az functionapp function list\`)`;
  if (status === 401 || status === 403) {
    return `negotiate answered ${status}: the function requires a key — the example's negotiate uses authLevel 'anonymous'; pass a URL with ?code=<function key> via --negotiate-url`;
  }
  if (status >= 500) {
    return `negotiate answered ${status}: the function failed — usually the app identity cannot get a Web PubSub token (missing Web PubSub Service Owner, or wrong WebPubSubConnectionString__serviceUri/__credential/__clientId app settings); see Application Insights`;
  }
  return `negotiate answered ${status}: expected 200 with { baseUrl, url, accessToken }`;
}

function explainRoundTripFailure(step: string, err: unknown, timeoutMs: number): string {
  const timedOut = (err as { name?: string } | undefined)?.name === 'TimeoutError' || /abort/i.test(firstLine(err));
  if (step === 'connect') {
    return timedOut
      ? `the WebSocket did not connect within ${timeoutMs} ms: check the network allows wss:// to the service`
      : `the WebSocket connection failed (${firstLine(err)}): the access token may be for another hub or expired, or the service rejected the connect event (check the connect handler)`;
  }
  if (step === 'send') {
    const detail = (err as { errorDetail?: { name?: string; message?: string } }).errorDetail;
    return timedOut
      ? `the service did not acknowledge the event within ${timeoutMs} ms: retry with a larger --timeout`
      : `the service rejected the event (${detail?.name ?? firstLine(err)}${detail?.message ? `: ${detail.message}` : ''})`;
  }
  return `no ack from the \`message\` handler within ${timeoutMs} ms: the service accepted the event but the function did not answer — check the hub's event handler URL and key (checks above), that the user event pattern covers "message", and the function's logs (Application Insights)`;
}

export { CliError };
