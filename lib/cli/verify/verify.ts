/**
 * `verify`: checks a deployed stack against what its code declares, then makes one real round trip through it.
 *
 * Management-plane checks read the live service with `@azure/arm-webpubsub` (service, hubs) and the ARM role
 * assignment REST API (through the same authenticated pipeline). The end-to-end check calls the app's negotiate
 * function (from the manifest), and connects a `@azure/web-pubsub-client` — which any app passes; on request it also
 * sends a user event and waits for the handler's reply.
 *
 * Everything that reaches the network comes in through {@link VerifyDeps}, so tests run it against local stand-ins.
 */
import type { Agent } from 'node:https';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { WebPubSubManagementClient } from '@azure/arm-webpubsub';
import type { EventHandler, WebPubSubHub, WebPubSubResource } from '@azure/arm-webpubsub';
import { RestError, createPipelineRequest, isRestError } from '@azure/core-rest-pipeline';
import { WebPubSubClient } from '@azure/web-pubsub-client';
import type { DeploymentManifest, ManifestEventHandler, ManifestFunctionApp, ManifestService } from '../../common/manifest-schema';
import { coreCommand } from '../cli-edition';
import {
  CliError,
  DeploymentOutputs,
  loadManifest,
  missingValueHint,
  parseResourceId,
  pickByPath,
  resolveValue,
} from '../deployment-inputs';
import { WEB_PUBSUB_SERVICE_OWNER_ROLE_ID } from '../../common/role-ids';
import { DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS } from '../timeouts';
import { VALIDATE_EVENT_NAME, WEBPUBSUB_EXTENSION_KEY_NAME, WEBPUBSUB_EXTENSION_WEBHOOK_PATH, WEBPUBSUB_UPSTREAM_KEY_NAME } from '../../common/webhook-targets';
import { isHostName, printableBadHost } from '../host-name';
import { preflightWebhook, sameHost } from '../apply/webhook-probe';

export { DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS };

/** "Web PubSub Service Owner": the one constant the constructs assign (lib/common/role-ids.ts). */
export { WEB_PUBSUB_SERVICE_OWNER_ROLE_ID };
/** The Web PubSub Functions extension's webhook path on a Function App host. */
export { WEBPUBSUB_EXTENSION_WEBHOOK_PATH as FUNCTIONS_EXTENSION_WEBHOOK_PATH };
const ROLE_ASSIGNMENTS_API_VERSION = '2022-04-01';
const PUBLIC_ARM_ENDPOINT = 'https://management.azure.com';

export interface VerifyOptions {
  /** Stack whose manifest to use. @default - the only stack of the synth output with a Web PubSub manifest */
  readonly stack?: string;
  /** Deployed values (`cdktf deploy --outputs-file`). @default 'outputs.json' in the cdktf project directory, when it exists */
  readonly outputsFile?: string;
  /** @default '<cdktf output dir>/stacks/<stack>/webpubsub-manifest.json' */
  readonly manifestFile?: string;
  /** Construct path of the service to check, when the manifest has several. @default - the only one */
  readonly servicePath?: string;
  /** Construct path of the Function App for the role check and the round trip. @default - the only one connected to the service */
  readonly functionApp?: string;
  /** Overrides the subscription of the service's resource id. */
  readonly subscriptionId?: string;
  /** Overrides the resource group of the service's resource id. */
  readonly resourceGroup?: string;
  /** Overrides the name of the service's resource id. */
  readonly serviceName?: string;
  /** Overrides the Function App's host name. */
  readonly appHost?: string;
  /** Overrides the principal id of the app identity (the one its bindings use). */
  readonly appPrincipalId?: string;
  /** Negotiate endpoint. @default - the app's anonymous negotiate function from the manifest */
  readonly negotiateUrl?: string;
  /** After connecting, send this user event (the service acknowledges it). @default - connect only */
  readonly event?: string;
  /** Payload of `event`: JSON, else sent as text. @default '{"text":"verify","id":"<unique id>"}' */
  readonly eventData?: string;
  /** Wait for the handler's reply to `event` (a message from the server). @default false */
  readonly expectReply?: boolean;
  /** Time allowed for each network step (token, ARM call, negotiate, connect, reply), at most {@link MAX_TIMEOUT_MS}. @default 20000 */
  readonly timeoutMs?: number;
  /** @default process.cwd() */
  readonly cwd?: string;
}

/** Everything `verify` talks to. The CLI passes the real ones; tests pass stand-ins. */
export interface VerifyDeps {
  /** Signs ARM requests (the CLI logs in as the Terraform run does, see azure-login.ts); each token request is bounded by the timeout. */
  readonly credential: TokenCredential;
  /** @default 'https://management.azure.com' */
  readonly armEndpoint?: string;
  /** HTTPS agent for ARM calls (e.g. one that trusts a test certificate). @default - Node's global agent */
  readonly armAgent?: Agent;
  /** Used for the negotiate endpoint and the webhook preflight. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** One line per finished check (secrets in URLs redacted). @default console.log */
  readonly log?: (line: string) => void;
  /** Progress while a step runs (secrets in URLs redacted). @default console.error */
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

type Report = (name: string, status: CheckStatus, message: string) => void;

/** The negotiate endpoint to call, or why there is none. */
interface NegotiateTarget {
  readonly url?: URL;
  /** Query parameter the function reads the user id from, if any. */
  readonly userIdParameter?: string;
  /** How the URL was found, for the progress line. */
  readonly source?: string;
  /** Why no URL (a failure message). */
  readonly problem?: string;
}

interface Target extends Pick<VerifyOptions, 'subscriptionId' | 'resourceGroup' | 'serviceName' | 'appPrincipalId'> {
  readonly manifest: DeploymentManifest;
  readonly outputs?: DeploymentOutputs;
  readonly service: ManifestService;
  /** Why the service cannot be named, when it cannot. */
  readonly serviceProblem?: string;
  readonly app?: ManifestFunctionApp;
  /** Why the app principal is unknown, when it is. */
  readonly principalProblem?: string;
  /** Host name of each app of the manifest, by construct path (the selected app's override applied). */
  readonly appHosts: ReadonlyMap<string, string>;
  /** Why an app's host name is unknown, by construct path. */
  readonly appHostProblems: ReadonlyMap<string, string>;
  readonly negotiate: NegotiateTarget;
}

const SYMBOL: Record<CheckStatus, string> = { pass: '✔', fail: '✘', skip: '–' };

/** The line printed for a check. */
export function formatCheck(check: VerifyCheck): string {
  return `${SYMBOL[check.status]} ${check.name}${check.message ? `: ${check.message}` : ''}`;
}

/** Query parameters whose values are secrets: function keys, SAS signatures, access tokens. */
const SECRET_QUERY = /([?&](?:code|sig|access_token|accessToken|token)=)[^&#\s"'<>]+/gi;

/** Hides secret query values (`code`, `sig`, `access_token`, `token`) in any text before it is printed. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_QUERY, '$1***');
}

/** The credential, with every token request bounded: an identity endpoint that never answers fails after `timeoutMs`. */
export function timeBoundCredential(credential: TokenCredential, timeoutMs: number): TokenCredential {
  return {
    getToken: (scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> =>
      new Promise<AccessToken | null>((resolve, reject) => {
        const timer = setTimeout(() => {
          const err = new Error(`no Azure access token within ${timeoutMs} ms`);
          err.name = 'TokenTimeoutError';
          reject(err);
        }, timeoutMs);
        credential.getToken(scopes, options).then(
          (token) => {
            clearTimeout(timer);
            resolve(token);
          },
          (err: unknown) => {
            clearTimeout(timer);
            reject(err);
          },
        );
      }),
  };
}

/** Checks `--timeout`: a positive whole number of milliseconds, at most {@link MAX_TIMEOUT_MS}. */
export function checkTimeout(ms: number): number {
  if (!Number.isInteger(ms) || ms <= 0 || ms > MAX_TIMEOUT_MS) {
    throw new CliError(`--timeout ${ms}: must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
  }
  return ms;
}

/**
 * Runs every check, printing one line per check as it finishes. Never throws for a failed check (it is reported);
 * throws {@link CliError} only when the inputs themselves are unusable (no manifest, a malformed option).
 */
export async function verify(options: VerifyOptions, deps: VerifyDeps): Promise<VerifyReport> {
  const rawLog = deps.log ?? ((line: string) => console.log(line));
  const rawProgress = deps.progress ?? ((line: string) => console.error(line));
  const log = (line: string): void => rawLog(redactSecrets(line));
  const progress = (line: string): void => rawProgress(redactSecrets(line));
  const fetchImpl = deps.fetch ?? globalThis.fetch;
  const timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const target = resolveTarget(options);
  const checks: VerifyCheck[] = [];
  const report: Report = (name, status, message) => {
    const check = { name, status, message };
    checks.push(check);
    log(formatCheck(check));
  };

  const armEndpoint = (deps.armEndpoint ?? PUBLIC_ARM_ENDPOINT).replace(/\/+$/, '');
  let live: WebPubSubResource | undefined;
  let client: WebPubSubManagementClient | undefined;
  const serviceLabel = target.serviceName ? `Web PubSub ${target.serviceName}` : 'Web PubSub service';

  if (target.serviceProblem) {
    report('read the service from ARM', 'fail', target.serviceProblem);
  } else {
    client = new WebPubSubManagementClient(timeBoundCredential(deps.credential, timeoutMs), target.subscriptionId!, {
      endpoint: armEndpoint,
      credentialScopes: [`${armEndpoint}/.default`],
      ...(deps.armAgent ? { agent: deps.armAgent } : {}),
    });
    progress(`… reading ${serviceLabel} in resource group ${target.resourceGroup}`);
    try {
      const read = await client.webPubSub.get(target.resourceGroup!, target.serviceName!, { abortSignal: AbortSignal.timeout(timeoutMs) });
      // The host name is the origin of every webhook check and is printed in URLs: a malformed one is not used.
      if (read.hostName !== undefined && !isHostName(read.hostName)) {
        report('read the service from ARM', 'fail', `ARM returned ${serviceLabel} with a hostName that is not a host name: ${printableBadHost(read.hostName)}`);
      } else {
        live = read;
        report('read the service from ARM', 'pass', `${live.name ?? target.serviceName} (${live.hostName ?? 'no host name'})`);
      }
    } catch (err) {
      report('read the service from ARM', 'fail', explainArmError(err, serviceLabel, target));
    }
  }

  checkLocalAuth(target.service.localAuthEnabled, live, report);

  // Hubs and their event handlers.
  for (const hub of target.service.hubs) {
    const hubName = resolveValue(hub.name, target.outputs);
    const hubCheck = `hub ${hubName ?? hub.path} exists`;
    if (!live || !client) {
      report(hubCheck, 'skip', 'not checked: the service could not be read');
      continue;
    }
    if (hubName === undefined) {
      report(hubCheck, 'fail', `the hub name is only known after deploy: ${missingValueHint(hub.name, target.outputs, '--outputs <file>')}`);
      continue;
    }
    progress(`… reading hub ${hubName}`);
    let liveHub: WebPubSubHub;
    try {
      liveHub = await client.webPubSubHubs.get(hubName, target.resourceGroup!, target.serviceName!, { abortSignal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      if (isRestError(err) && err.statusCode === 404) {
        const existing = await listHubNames(client, target, timeoutMs);
        report(
          hubCheck,
          'fail',
          `hub "${hubName}" is not on ${serviceLabel} (hubs there: ${existing.length ? existing.join(', ') : 'none'}): run \`${coreCommand('deploy')}\` so the hub the code uses is created`,
        );
      } else {
        report(hubCheck, 'fail', explainArmError(err, `hub ${hubName}`, target));
      }
      continue;
    }
    const liveHandlers = liveHub.properties.eventHandlers ?? [];
    report(hubCheck, 'pass', `${liveHandlers.length} event handler(s)`);
    if (liveHandlers.length !== hub.eventHandlers.length) {
      report(
        `hub ${hubName} event handlers`,
        'fail',
        `the service has ${liveHandlers.length} event handler(s), the code declares ${hub.eventHandlers.length}: run \`${coreCommand('deploy')}\` (someone may have edited the hub in the portal)`,
      );
    }
    const count = Math.min(liveHandlers.length, hub.eventHandlers.length);
    for (let i = 0; i < count; i++) {
      await checkHandler(`hub ${hubName} handler ${i + 1}`, hubName, hub.eventHandlers[i], liveHandlers[i], live, target, fetchImpl, timeoutMs, report, progress);
    }
  }

  // The app identity's data-plane role on the service.
  const roleCheck = 'app identity holds Web PubSub Service Owner';
  if (!live || !client || !live.id) {
    report(roleCheck, 'skip', 'not checked: the service could not be read');
  } else if (!target.appPrincipalId) {
    report(roleCheck, 'fail', target.principalProblem ?? 'no principal id for the app identity: pass --app-principal-id');
  } else {
    progress(`… reading role assignments of principal ${target.appPrincipalId}`);
    try {
      const assignments = await listRoleAssignments(client, armEndpoint, live.id, target.appPrincipalId, timeoutMs);
      const holds = assignments.some(
        (a) => a.roleDefinitionId.toLowerCase().endsWith(`/${WEB_PUBSUB_SERVICE_OWNER_ROLE_ID}`) && isSameOrParentScope(a.scope, live!.id!),
      );
      if (holds) {
        report(roleCheck, 'pass', `principal ${target.appPrincipalId} on ${live.name}`);
      } else {
        report(
          roleCheck,
          'fail',
          `principal ${target.appPrincipalId} has no Web PubSub Service Owner assignment on the service or above it (negotiate and send will fail with 403): run \`${coreCommand('deploy')}\`, or \`az role assignment create --assignee-object-id ${target.appPrincipalId} --assignee-principal-type ServicePrincipal --role ${WEB_PUBSUB_SERVICE_OWNER_ROLE_ID} --scope ${live.id}\``,
        );
      }
    } catch (err) {
      report(roleCheck, 'fail', explainArmError(err, 'role assignments', target, true));
    }
  }

  await roundTrip(target, options, fetchImpl, timeoutMs, report, progress);

  const ok = checks.every((c) => c.status === 'pass');
  const failed = checks.filter((c) => c.status !== 'pass').length;
  log(ok ? `all ${checks.length} checks passed` : `${failed} of ${checks.length} checks failed or could not run`);
  return { ok, checks };
}

function checkLocalAuth(declared: boolean | null, live: WebPubSubResource | undefined, report: Report): void {
  if (declared === null) {
    // An imported service: its auth settings belong to whoever manages it; say what it does, fail nothing.
    if (!live) return report('local auth (not managed by this stack)', 'skip', 'not checked: the service could not be read');
    return report(
      'local auth (not managed by this stack)',
      'pass',
      live.disableLocalAuth === true
        ? 'access keys are rejected; only Entra ID tokens work'
        : 'access keys are accepted on this service (its owner can disable local auth so only Entra ID tokens work)',
    );
  }
  if (!live) return report('local auth disabled', 'skip', 'not checked: the service could not be read');
  const liveEnabled = live.disableLocalAuth !== true;
  if (liveEnabled === declared) {
    return report(
      declared ? 'local auth enabled, as the stack declares' : 'local auth disabled',
      'pass',
      declared ? 'access keys work on this service (localAuthEnabled: true in the stack)' : 'access keys are rejected; only Entra ID tokens work',
    );
  }
  report(
    'local auth disabled',
    'fail',
    declared
      ? `the service rejects access keys but the stack declares localAuthEnabled: true: run \`${coreCommand('deploy')}\` to converge`
      : `the service accepts access keys (disableLocalAuth is not true): remove \`localAuthEnabled: true\` from the service props (or fix drift) and run \`${coreCommand('deploy')}\``,
  );
}

function resolveTarget(options: VerifyOptions): Target {
  const cwd = options.cwd ?? process.cwd();
  const { manifest, layout } = loadManifest({ stack: options.stack, manifestFile: options.manifestFile, cwd });
  // The service this stack checks: the one it adds hubs to, else the one it declares (not one it only connects to).
  const withHubs = manifest.services.filter((s) => s.hubs.length > 0);
  const declared = manifest.services.filter((s) => s.path.startsWith(`${manifest.stack}/`));
  const candidates = options.servicePath !== undefined ? manifest.services : withHubs.length > 0 ? withHubs : declared.length > 0 ? declared : manifest.services;
  const service = pickByPath(candidates, options.servicePath, 'Web PubSub service', '--service-path');

  const outputsFile = options.outputsFile !== undefined ? path.resolve(cwd, options.outputsFile) : path.join(layout.projectDir, 'outputs.json');
  const outputs = DeploymentOutputs.read(outputsFile, options.outputsFile !== undefined);

  // Subscription, resource group and name, from the service's resource id (each overridable).
  const resourceId = resolveValue(service.resourceId, outputs);
  const parts = resourceId !== undefined ? parseResourceId(resourceId) : undefined;
  const subscriptionId = options.subscriptionId ?? parts?.subscriptionId;
  const resourceGroup = options.resourceGroup ?? parts?.resourceGroup;
  const serviceName = options.serviceName ?? parts?.name;
  let serviceProblem: string | undefined;
  if (!subscriptionId || !resourceGroup || !serviceName) {
    serviceProblem =
      resourceId !== undefined && !parts
        ? `the service resource id ${JSON.stringify(resourceId)} is not an ARM resource id: pass --subscription, --resource-group and --service`
        : `don't know which service to read: ${missingValueHint(service.resourceId, outputs, '--subscription, --resource-group and --service')}`;
  }

  // The Function App for the role check and the round trip: connected to the service, else serving its hubs.
  const connected = manifest.functionApps.filter((a) => a.connections.some((c) => c.service === service.path));
  const handlerApps = new Set(service.hubs.flatMap((h) => h.eventHandlers.map((e) => e.functionApp)));
  const appCandidates = connected.length > 0 ? connected : manifest.functionApps.filter((a) => handlerApps.has(a.path));
  const app =
    options.functionApp !== undefined || appCandidates.length > 0
      ? pickByPath(options.functionApp !== undefined ? manifest.functionApps : appCandidates, options.functionApp, 'Function App', '--function-app')
      : undefined;

  const appHosts = new Map<string, string>();
  const appHostProblems = new Map<string, string>();
  for (const a of manifest.functionApps) {
    const overridden = a === app && options.appHost !== undefined;
    const host = overridden ? options.appHost : resolveValue(a.hostname, outputs);
    const normalized = host?.trim().replace(/^https?:\/\//, '').replace(/\/+$/, '');
    if (normalized === undefined) {
      appHostProblems.set(a.path, `no host name for Function App ${a.path}: ${missingValueHint(a.hostname, outputs, '--app-host')}`);
    } else if (!isHostName(normalized)) {
      // The negotiate URL and the handler check are built on this host: refuse it rather than build a URL from it.
      appHostProblems.set(
        a.path,
        `the host name of Function App ${a.path} (${overridden ? '--app-host' : 'deployed output'}) is not a host name: ${printableBadHost(normalized)}: ${overridden ? 'pass the app\'s default host name' : 'check the outputs file, or pass --app-host'}`,
      );
    } else {
      appHosts.set(a.path, normalized);
    }
  }
  const appPrincipalId = options.appPrincipalId ?? (app ? resolveValue(app.principalId, outputs) : undefined);
  const principalProblem = app
    ? `no principal id for the identity of ${app.path}: ${missingValueHint(app.principalId, outputs, '--app-principal-id')}`
    : 'the manifest has no Function App connected to the service: pass --function-app <construct path> or --app-principal-id';

  return {
    manifest,
    outputs,
    service,
    subscriptionId,
    resourceGroup,
    serviceName,
    serviceProblem,
    app,
    appPrincipalId,
    principalProblem,
    appHosts,
    appHostProblems,
    negotiate: negotiateTarget(options, app, app ? appHosts.get(app.path) : undefined, app ? appHostProblems.get(app.path) : undefined),
  };
}

/** The endpoint that returns a client URL: `--negotiate-url`, else the app's anonymous negotiate function. */
function negotiateTarget(options: VerifyOptions, app: ManifestFunctionApp | undefined, host: string | undefined, hostProblem: string | undefined): NegotiateTarget {
  if (options.negotiateUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(options.negotiateUrl);
    } catch {
      throw new CliError(`--negotiate-url ${JSON.stringify(redactSecrets(options.negotiateUrl))} is not a URL: pass an absolute https:// URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new CliError(`--negotiate-url ${JSON.stringify(redactSecrets(options.negotiateUrl))} must be an http(s):// URL`);
    }
    return { url, userIdParameter: url.searchParams.has('userid') ? undefined : 'userid', source: '--negotiate-url' };
  }
  if (!app) return { problem: 'the manifest has no Function App connected to the service: pass --negotiate-url <url> (or --function-app)' };
  let urlPath = '/api/negotiate';
  let userIdParameter: string | undefined = 'userid';
  let source = `${app.path} (the conventional /api/negotiate: the app's code is not packaged by the stack)`;
  if (app.code) {
    const functions = app.code.negotiateFunctions;
    if (functions.length === 0) {
      return { problem: `the code of ${app.path} has no HTTP function with a webPubSubConnection input (a negotiate endpoint): pass --negotiate-url <url>` };
    }
    const anonymous = functions.filter((f) => f.authLevel === 'anonymous');
    if (anonymous.length === 0) {
      const f = functions[0];
      return {
        problem: `negotiate function "${f.name}" needs a function key (authLevel ${f.authLevel}): pass --negotiate-url "https://${host ?? '<app host>'}${f.path}?code=<function key>"`,
      };
    }
    // A user id from the query string can be set; one from a header (App Service authentication) cannot.
    const fromQuery = (f: { userId: string | null }): string | undefined => /^\{query\.([^}]+)\}$/.exec(f.userId ?? '')?.[1];
    const chosen = anonymous.find((f) => fromQuery(f) !== undefined) ?? anonymous.find((f) => f.userId === null) ?? anonymous[0];
    urlPath = chosen.path;
    userIdParameter = fromQuery(chosen);
    source = `function "${chosen.name}" of ${app.path}`;
  }
  if (!host) return { problem: hostProblem ?? `no host name for ${app.path}: pass --app-host` };
  try {
    return { url: new URL(`https://${host}${urlPath}`), userIdParameter, source };
  } catch {
    return { problem: `the app host name ${JSON.stringify(host)} does not make a URL: check the outputs file, or pass --app-host` };
  }
}

/** What went wrong talking to ARM, and what to do about it. */
export function explainArmError(err: unknown, what: string, target: Pick<Target, 'resourceGroup' | 'subscriptionId'>, roleAssignments = false): string {
  const name = (err as { name?: string } | undefined)?.name;
  if (name === 'TokenTimeoutError') {
    return `${firstLine(err)} for ${what}: the sign-in endpoint did not answer — check the network / proxy to Microsoft Entra ID, \`az login\`, or retry with a larger --timeout`;
  }
  if (name === 'CredentialUnavailableError' || name === 'AuthenticationRequiredError' || name === 'AggregateAuthenticationError') {
    return `no Azure sign-in available (${firstLine(err)}): run \`az login\` (in CI: the same ARM_USE_OIDC / ARM_CLIENT_ID / ARM_TENANT_ID variables the azurerm provider reads)`;
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
  if (name === 'AbortError' || name === 'TimeoutError') return `ARM did not answer for ${what} within the timeout: retry with a larger --timeout`;
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
    let body: Record<string, unknown>;
    try {
      body = response.bodyAsText ? (JSON.parse(response.bodyAsText) as Record<string, unknown>) : {};
    } catch {
      throw new RestError(`ARM answered ${response.status} with a body that is not JSON`, { statusCode: response.status });
    }
    if (response.status !== 200) {
      const error = (body.error ?? {}) as { code?: string; message?: string };
      throw new RestError(error.message ?? `HTTP ${response.status}`, { statusCode: response.status, code: error.code });
    }
    for (const item of (body.value ?? []) as Array<{ properties?: { scope?: string; roleDefinitionId?: string } }>) {
      if (item.properties?.scope && item.properties.roleDefinitionId) {
        result.push({ scope: item.properties.scope, roleDefinitionId: item.properties.roleDefinitionId });
      }
    }
    url = typeof body.nextLink === 'string' && body.nextLink !== '' ? body.nextLink : undefined;
    // The pipeline signs every request with the ARM token: a nextLink is followed only on the ARM endpoint's own host
    // over https, so an answer cannot send the token elsewhere.
    if (url !== undefined && !isArmUrl(url, armEndpoint)) {
      throw new Error(`ARM's nextLink points at ${urlWithoutQuery(url)}, not at ${armEndpoint}: not followed (the ARM token goes only to the ARM endpoint)`);
    }
  }
  return result;
}

/** True when `url` is https on exactly the host (and port) of the ARM endpoint. */
function isArmUrl(url: string, armEndpoint: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.host === new URL(armEndpoint).host && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

/** Scheme, host and path of a URL for a message (its query may hold a token or key). */
function urlWithoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return JSON.stringify(redactSecrets(url.slice(0, 100)));
  }
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

/** A URL template with its placeholders filled as the service fills them for one event. */
function fillTemplate(template: string, hubName: string, event = 'message'): string {
  return template.replace(/\{hub\}/g, hubName).replace(/\{event\}/g, event);
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
  report: Report,
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
    report(`${name} events`, 'fail', `${problems.join('; ')}: synthesize and run \`${coreCommand('deploy')}\` so the hub matches the code`);
  } else {
    report(`${name} events`, 'pass', `system [${liveSystem.join(', ')}], user ${JSON.stringify(livePattern)}`);
  }

  // URL.
  const urlCheck = `${name} URL`;
  if (declared.kind === 'url' || declared.functionApp === null) {
    report(urlCheck, 'pass', 'a URL outside the stack: not checked');
    return;
  }
  const appHost = target.appHosts.get(declared.functionApp);
  if (!appHost) {
    report(urlCheck, 'fail', target.appHostProblems.get(declared.functionApp) ?? `the manifest does not list Function App ${declared.functionApp}: pass --app-host`);
    return;
  }
  const extension = declared.kind === 'functionsExtension';
  // The key in `code`: the extension webhook checks a system key; the library's HTTP-function handlers are
  // key-protected (authLevel function) with an app key, a host-level function key (lib/common/webhook-targets.ts).
  const keyName = extension ? `the ${WEBPUBSUB_EXTENSION_KEY_NAME} system key` : `the ${WEBPUBSUB_UPSTREAM_KEY_NAME} app key`;
  const expectedPath = (extension ? WEBPUBSUB_EXTENSION_WEBHOOK_PATH : fillTemplate(declared.urlPath ?? '', hubName)).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(fillTemplate(live.urlTemplate, hubName));
  } catch {
    report(urlCheck, 'fail', `the handler URL ${JSON.stringify(live.urlTemplate)} is not a URL: run \`${coreCommand('deploy')}\``);
    return;
  }
  const actualPath = url.pathname.replace(/\/+$/, '');
  // Host names compare case-insensitively (service and app names may be mixed case; URL lower-cases); Functions
  // routes match case-insensitively too.
  if (url.protocol !== 'https:' || !sameHost(url.host, appHost) || actualPath.toLowerCase() !== expectedPath.toLowerCase()) {
    report(
      urlCheck,
      'fail',
      `the handler points at ${url.protocol}//${url.host}${actualPath}, not at the app's ${extension ? 'Web PubSub webhook' : 'function'} https://${appHost}${expectedPath}: run \`${coreCommand('deploy')}\` (was the app renamed or the hub edited by hand?)`,
    );
    return;
  }
  const code = url.searchParams.get('code');
  if (!code) {
    report(
      urlCheck,
      'fail',
      `the handler URL has ${code === null ? 'no' : 'an empty'} \`code\` query parameter, so the Functions host answers 401: redeploy so ${keyName} is written into the URL`,
    );
    return;
  }
  report(urlCheck, 'pass', url.toString());

  // Reachability: the abuse-protection preflight the service itself sends (CloudEvents webhook validation), to the
  // URL it validates: the template with `{event}` = `validate`.
  const reachCheck = `${name} webhook answers`;
  const origin = service.hostName ?? '';
  const probeUrl = new URL(fillTemplate(live.urlTemplate, hubName, VALIDATE_EVENT_NAME));
  progress(`… preflight OPTIONS ${probeUrl.toString()}`);
  const result = await preflightWebhook(fetchImpl, probeUrl.toString(), origin, timeoutMs);
  switch (result.kind) {
    case 'unreachable':
      report(reachCheck, 'fail', `could not reach ${url.host} (${result.error}): is the Function App running? (\`az functionapp show\`)`);
      break;
    case 'unauthorized':
      report(
        reachCheck,
        'fail',
        `the ${extension ? 'webhook' : 'function'} answered ${result.status}: wrong or missing key — the \`code\` in the handler URL is not ${keyName} of the app; run \`${coreCommand('deploy')}\` to rewrite both (compare with \`az functionapp keys list\`)`,
      );
      break;
    case 'notFound':
      report(
        reachCheck,
        'fail',
        extension
          ? 'the webhook answered 404: the app has no function with a Web PubSub trigger loaded — check the code package was deployed and the host started (`az functionapp function list`, Application Insights)'
          : `the function answered 404 at ${probeUrl.pathname}: route not found — is an HTTP function registered with that route and authLevel function (registerWebPubSubHandlers from cdktf-azure-webpubsub/runtime), and was the code package deployed? (\`az functionapp function list\`)`,
      );
      break;
    case 'failed':
      report(
        reachCheck,
        'fail',
        extension && result.status === 400
          ? `the webhook answered 400 to the abuse-protection preflight: no Web PubSub trigger listener accepts it — none loaded (on Flex Consumption the trigger webhook is not served, Azure/azure-functions-host#11493: use HTTP-function handlers, README "Which handler style on which plan"), or ${origin} is not a service host the extension allows (its <prefix>__serviceUri)`
          : `the ${extension ? 'webhook' : 'function'} answered ${result.status} to the abuse-protection preflight: check the app's logs (Application Insights)`,
      );
      break;
    case 'wrongOrigin':
      report(reachCheck, 'fail', `the app allows events from ${result.allowed}, not from ${origin}: the app's <prefix>__serviceUri setting must be https://${origin}`);
      break;
    case 'ok':
      report(reachCheck, 'pass', `${result.status}${result.allowed ? `, allowed origin ${result.allowed}` : ''}`);
  }
}

/** Until `signal` aborts: rejects with its reason. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

async function roundTrip(
  target: Target,
  options: VerifyOptions,
  fetchImpl: typeof fetch,
  timeoutMs: number,
  report: Report,
  progress: (line: string) => void,
): Promise<void> {
  const negotiateCheck = 'negotiate returns a client URL';
  const connectCheck = 'client connects to the service';
  const eventCheck = options.event !== undefined ? `round trip: event "${options.event}"` : undefined;
  const skipRest = (why: string): void => {
    report(connectCheck, 'skip', `not checked: ${why}`);
    if (eventCheck) report(eventCheck, 'skip', `not checked: ${why}`);
  };
  const { url: negotiateBase, userIdParameter, source, problem } = target.negotiate;
  if (!negotiateBase) {
    report(negotiateCheck, 'fail', problem ?? 'no negotiate endpoint: pass --negotiate-url');
    return skipRest('no client URL');
  }
  const userId = `verify-${randomUUID().slice(0, 8)}`;
  const negotiateUrl = new URL(negotiateBase.toString());
  if (userIdParameter) negotiateUrl.searchParams.set(userIdParameter, userId);
  progress(`… GET ${negotiateUrl.toString()} (${source})`);
  let clientUrl: URL;
  try {
    const response = await fetchImpl(negotiateUrl.toString(), { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    if (!response.ok) {
      report(negotiateCheck, 'fail', explainNegotiateStatus(response.status, negotiateUrl.pathname));
      return skipRest('negotiate failed');
    }
    let body: { url?: unknown };
    try {
      body = JSON.parse(text) as { url?: unknown };
    } catch {
      body = {};
    }
    const parsed = typeof body.url === 'string' && /^wss?:\/\//.test(body.url) ? tryUrl(body.url) : undefined;
    if (!parsed) {
      report(negotiateCheck, 'fail', 'negotiate answered 200 without a ws(s):// `url` in JSON: the function must return the webPubSubConnection input as JSON ({ baseUrl, url, accessToken })');
      return skipRest('negotiate failed');
    }
    clientUrl = parsed;
  } catch (err) {
    const timedOut = (err as { name?: string }).name === 'TimeoutError';
    report(
      negotiateCheck,
      'fail',
      timedOut
        ? `${negotiateUrl.host} did not answer within ${timeoutMs} ms: is the Function App running? (a cold start can take longer: retry with a larger --timeout)`
        : `could not call ${negotiateUrl.host} (${firstLine(err)}): is the Function App running and the URL right?`,
    );
    return skipRest('negotiate failed');
  }
  const hubFromUrl = /\/client\/hubs\/([^/?]+)/.exec(clientUrl.pathname)?.[1];
  report(negotiateCheck, 'pass', `as user ${userId}${hubFromUrl ? `, hub ${hubFromUrl}` : ''} on ${clientUrl.host}`);

  const client = new WebPubSubClient(clientUrl.toString(), {
    autoReconnect: false,
    autoRejoinGroups: false,
    messageRetryOptions: { maxRetries: 0 },
    // A short-lived check: no keep-alive pings or idle monitor timers to outlive it.
    keepAliveIntervalInMs: 0,
    keepAliveTimeoutInMs: 0,
  });
  const stopped = new Promise<void>((resolve) => client.on('stopped', () => resolve()));
  const replies: unknown[] = [];
  let onReply: (() => void) | undefined;
  client.on('server-message', (event) => {
    replies.push(event.message.data);
    onReply?.();
  });
  let step: 'connect' | 'send' | 'reply' = 'connect';
  let opened = false;
  try {
    progress(`… connecting to ${clientUrl.host}`);
    let connection: { connectionId: string; userId: string } | undefined;
    client.on('connected', (e) => (connection = e));
    // The client passes its abortSignal only to the URL lookup, not to the WebSocket handshake: an endpoint that
    // accepts TCP and never answers would hold `start` forever. The race bounds it by the timeout.
    const connectDeadline = AbortSignal.timeout(timeoutMs);
    await Promise.race([client.start({ abortSignal: connectDeadline }), untilAborted(connectDeadline)]);
    opened = true;
    report(connectCheck, 'pass', `connected${connection ? ` as ${connection.userId || '(anonymous)'}, connection ${connection.connectionId}` : ''}`);
    if (!eventCheck) return;

    step = 'send';
    const { data, dataType } = eventPayload(options.eventData);
    progress(`… sending event "${options.event}"`);
    const deadline = AbortSignal.timeout(timeoutMs);
    const before = replies.length;
    await client.sendEvent(options.event!, data, dataType, { abortSignal: deadline });
    if (!options.expectReply) {
      report(eventCheck, 'pass', 'accepted by the service');
      return;
    }
    step = 'reply';
    progress('… waiting for the reply');
    await Promise.race([
      new Promise<void>((resolve) => {
        onReply = () => resolve();
        if (replies.length > before) resolve();
      }),
      untilAborted(deadline),
    ]);
    report(eventCheck, 'pass', `accepted by the service, reply ${preview(replies[before])}`);
  } catch (err) {
    if (step === 'connect') {
      report(connectCheck, 'fail', explainRoundTripFailure(step, err, timeoutMs, options.event));
      if (eventCheck) report(eventCheck, 'skip', 'not checked: the client did not connect');
    } else {
      report(eventCheck!, 'fail', explainRoundTripFailure(step, err, timeoutMs, options.event));
    }
  } finally {
    try {
      client.stop();
      if (opened) {
        // Let the socket close so nothing keeps the process alive; bounded in case the close handshake never
        // completes. The timer stays referenced: were it the only thing pending (unref'd), Node would exit here,
        // with status 0, before the report is complete.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([stopped, new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
        clearTimeout(timer);
      } else {
        // No connection: no `stopped` will come. `stop` leaves a socket still in its handshake open; close it.
        abandonHandshake(client);
      }
    } catch {
      // already stopped
    }
  }
}

/**
 * Closes the WebSocket of a client whose handshake did not finish (`ws` aborts the handshake on `close`). The client
 * keeps it in a private field and its `stop` closes only open sockets; without this a silent endpoint keeps a socket
 * (and the process) alive after the check has failed.
 */
function abandonHandshake(client: WebPubSubClient): void {
  const socket = (client as unknown as { _wsClient?: { close?: () => void } })._wsClient;
  try {
    socket?.close?.();
  } catch {
    // already closed
  }
}

function tryUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** `--event-data`: JSON when it parses, else text; by default a small JSON object with a unique id. */
function eventPayload(eventData: string | undefined): { data: string | Record<string, unknown>; dataType: 'json' | 'text' } {
  if (eventData === undefined) return { data: { text: 'verify', id: `verify-${randomUUID()}` }, dataType: 'json' };
  try {
    return { data: JSON.parse(eventData) as Record<string, unknown>, dataType: 'json' };
  } catch {
    return { data: eventData, dataType: 'text' };
  }
}

function preview(data: unknown): string {
  const text = typeof data === 'string' ? JSON.stringify(data) : JSON.stringify(data) ?? String(data);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function explainNegotiateStatus(status: number, pathname: string): string {
  if (status === 404) return `negotiate answered 404: no function at ${pathname} — check the code package was deployed (\`az functionapp function list\`)`;
  if (status === 401 || status === 403) {
    return `negotiate answered ${status}: the function requires a key or a signed-in user — pass --negotiate-url with ?code=<function key>`;
  }
  if (status >= 500) {
    return `negotiate answered ${status}: the function failed — usually the app identity cannot get a Web PubSub token (missing Web PubSub Service Owner, or wrong <prefix>__serviceUri/__credential/__clientId app settings); see Application Insights`;
  }
  return `negotiate answered ${status}: expected 200 with { baseUrl, url, accessToken }`;
}

function explainRoundTripFailure(step: 'connect' | 'send' | 'reply', err: unknown, timeoutMs: number, event: string | undefined): string {
  const timedOut = (err as { name?: string } | undefined)?.name === 'TimeoutError' || /abort/i.test(firstLine(err));
  if (step === 'connect') {
    return timedOut
      ? `the WebSocket did not connect within ${timeoutMs} ms: check the network allows wss:// to the service`
      : `the WebSocket connection failed (${firstLine(err)}): the access token may be for another hub or expired, or the app's connect handler rejected the connection`;
  }
  if (step === 'send') {
    const detail = (err as { errorDetail?: { name?: string; message?: string } }).errorDetail;
    return timedOut
      ? `the service did not acknowledge the event within ${timeoutMs} ms: retry with a larger --timeout`
      : `the service rejected the event (${detail?.name ?? firstLine(err)}${detail?.message ? `: ${detail.message}` : ''})`;
  }
  return `no reply to "${event}" within ${timeoutMs} ms: the service accepted the event but no handler answered — check the hub's event handler URL and key (checks above), that its user event pattern covers "${event}", and the function's logs (Application Insights)`;
}

export { CliError };
