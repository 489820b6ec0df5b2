/**
 * `activate-webhook`: makes every instance of a Function App serve the keys Terraform just wrote, and waits until
 * each upstream the app's hubs will call (lib/common/webhook-targets.ts: the Web PubSub extension webhook, or HTTP functions
 * with the `webPubSubContext` input) answers the service's validation request, so the hub that is created next (the
 * service validates its event handler URLs when the hub is saved) succeeds on the first apply.
 *
 * Why a restart: the Functions host caches host keys per instance (`SecretManager`, Azure/azure-functions-host) and
 * learns of a key written elsewhere only through a file-system sentinel or a reload after a failed match, throttled
 * to once a minute; a restart (`POST {site}/restart`, WebApps_Restart,
 * https://learn.microsoft.com/rest/api/appservice/web-apps/restart, what `az functionapp restart` calls) makes every
 * instance load the written keys at once. It is best effort: without it the throttled reload still gets there.
 * Then each target is probed the way the service validates it: `OPTIONS https://<app><path>?code=<key>` with
 * `WebHook-Request-Origin: <service host>` (CloudEvents abuse protection,
 * https://learn.microsoft.com/azure/azure-web-pubsub/howto-develop-eventhandler), with the key read back from ARM
 * (`POST {site}/host/default/listkeys`, WebApps_ListHostKeys, what `az functionapp keys list` calls: `list_host_keys`
 * in Azure/azure-cli `appservice`), so no secret passes through Terraform's provisioner.
 */
import { EXTENSION_WEBHOOK_TARGET, WebhookHostingKind, WebhookTarget } from '../../common/webhook-targets';
import { armAuth, armUrl, bodyExcerpt, Deadline, elapsed, isTransient, send, StepContext, TokenCache } from './apply-step';
import { CliError } from '../deployment-inputs';
import { FunctionSite, readFunctionSite } from './function-site';
import { keyLabel, probeWebhook } from './webhook-probe';
import { serviceHostMismatch } from '../service-host';
import { assertHostReachable } from './reachability';

/** Input of {@link activateWebhook}. */
export interface ActivateWebhookOptions {
  /** ARM id of the Function App. */
  readonly appId: string;
  /** Host names of the Web PubSub services whose hubs call the app (the `WebHook-Request-Origin` they send). */
  readonly origins: readonly string[];
  /**
   * The `serviceUri` settings the app was given, index-aligned with `origins`: each must name its service's host
   * (checked before anything is sent, so a wrong one stops the deploy before any hub is created).
   * @default - not checked (stacks synthesized before the URI was built from the service name)
   */
  readonly serviceUris?: readonly string[];
  /**
   * What to probe; an empty list probes nothing (the app serves no hub).
   * @default [EXTENSION_WEBHOOK_TARGET] (what stacks synthesized before webhook targets existed probe)
   */
  readonly targets?: readonly WebhookTarget[];
  /** The app's plan, for the diagnosis. @default - Flex Consumption when ARM says so, else not known */
  readonly hosting?: WebhookHostingKind;
  /** Restart the app first (after a key write). @default true */
  readonly restart?: boolean;
  /** Wait until the upstreams answer the service's validation. @default true */
  readonly probe?: boolean;
  /** Time allowed for the whole step. */
  readonly timeoutMs: number;
}

/** Consecutive successful probes required: more than one instance may answer. */
const REQUIRED_SUCCESSES = 3;

/**
 * When an extension webhook that keeps answering 404 or 400 is a verdict rather than a host still starting: this many
 * answers in a row, with nothing else in between, spanning at least {@link NOT_SERVED_SPAN_MS} (times the step's pace).
 * 401/403 never count: a new key can take up to a minute to be honoured on every instance (the reload throttle above).
 */
export const NOT_SERVED_ANSWERS = 4;
export const NOT_SERVED_SPAN_MS = 30_000;

/** Tracks one extension webhook's run of "not served" answers (404, or 400 to the validation request). */
export class NotServedStreak {
  private count = 0;
  private since = 0;
  private readonly statuses = new Set<number>();

  public constructor(
    private readonly spanMs: number = NOT_SERVED_SPAN_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one answer (`undefined`: no answer); true once the run is long enough to conclude. */
  public record(status: number | undefined): boolean {
    if (status !== 404 && status !== 400) {
      this.count = 0;
      this.statuses.clear();
      return false;
    }
    if (this.count === 0) this.since = this.now();
    this.count++;
    this.statuses.add(status);
    return this.conclusive();
  }

  public conclusive(): boolean {
    return this.count >= NOT_SERVED_ANSWERS && this.now() - this.since >= this.spanMs;
  }

  /** "404 and 400 answered 5 times over 36 s", for the message. */
  public describe(): string {
    return `answered ${[...this.statuses].sort().join(' and ')} ${this.count} times in a row over ${Math.round((this.now() - this.since) / 1000)} s`;
  }
}

export async function activateWebhook(options: ActivateWebhookOptions, ctx: StepContext): Promise<void> {
  const started = Date.now();
  checkServiceUris(options);
  const deadline = new Deadline(options.timeoutMs);
  const tokens = new TokenCache(ctx.login, deadline);
  const targets = options.targets ?? [EXTENSION_WEBHOOK_TARGET];
  const site = await readFunctionSite(ctx, tokens, deadline, options.appId);
  const hosting = options.hosting ?? (site.flexConsumption ? 'FlexConsumption' : undefined);
  const keyNames = [...new Set(targets.map((t) => t.keyName))];
  if (options.probe !== false && targets.length > 0) {
    // The probe goes to the app's own host: for an app closed to the public network, fail now if this machine cannot
    // reach its private endpoint, rather than after the whole deadline of 403s.
    await assertHostReachable(
      { host: site.defaultHostName, role: 'host', app: site.name, publicNetworkAccess: site.publicNetworkAccess, skip: ctx.skipReachabilityCheck },
      ctx.log,
      ctx.reachability,
    );
  }

  if (options.restart ?? true) await restartBestEffort(ctx, tokens, deadline, site, keyNames);

  if (options.probe === false) {
    ctx.log(`no code with Web PubSub handlers is packaged for ${site.name}: not waiting for its webhook (hubs validate it when they are saved)`);
    return;
  }
  if (targets.length === 0) {
    ctx.log(`no Web PubSub upstream of ${site.name} to wait for`);
    return;
  }
  const keys = await readHostKeys(ctx, tokens, deadline, site, targets);
  const origins = options.origins.length > 0 ? options.origins : [''];
  const pace = ctx.pace ?? 1;
  const state = targets.map((target) => ({ target, successes: 0, last: '', streak: new NotServedStreak(NOT_SERVED_SPAN_MS * pace) }));
  let last = '';
  for (let attempt = 0; ; attempt++) {
    let allPassed = true;
    for (const [i, s] of state.entries()) {
      if (s.successes >= REQUIRED_SUCCESSES) continue;
      let passed = true;
      for (const origin of origins) {
        let result;
        try {
          result = await probeWebhook(ctx.fetch, site.defaultHostName, s.target, keys[i], origin, Math.min(30_000, Math.max(1, deadline.remainingMs())));
        } catch (err) {
          throw new CliError(`cannot probe ${site.name}: ${(err as Error).message}`);
        }
        if (result.ok) continue;
        passed = false;
        const line = `${s.target.path}: ${result.summary}`;
        if (line !== s.last) ctx.log(`… ${line}`);
        s.last = line;
        last = line;
        if (s.target.kind === 'extensionWebhook' && s.streak.record(result.status)) {
          throw new CliError(notServedMessage(site, s.target, s.streak, hosting));
        }
      }
      if (passed) s.streak.record(200);
      s.successes = passed ? s.successes + 1 : 0;
      if (s.successes < REQUIRED_SUCCESSES) allPassed = false;
    }
    if (allPassed) break;
    const anyFailed = state.some((s) => s.successes === 0);
    if (!(await deadline.sleep((anyFailed ? Math.min(15_000, 3_000 * 2 ** Math.min(attempt, 3)) : 2_000) * pace))) {
      const failing = state.filter((s) => s.successes < REQUIRED_SUCCESSES).map((s) => s.target.path);
      throw new CliError(
        `the Web PubSub upstream${failing.length > 1 ? 's' : ''} ${failing.join(', ')} of ${site.name} did not answer the service's validation within ${deadline.totalMs / 1000} s (last: ${last || 'no answer yet'}); check the app's logs (Application Insights)`,
      );
    }
  }
  const what = targets.length === 1 ? `the Web PubSub ${targets[0].kind === 'extensionWebhook' ? 'webhook' : `upstream ${targets[0].path}`}` : `the Web PubSub upstreams (${targets.map((t) => t.path).join(', ')})`;
  ctx.log(`${what} of ${site.name} ${targets.length === 1 ? 'answers' : 'answer'} the service's validation${origins[0] ? ` for ${origins.join(', ')}` : ''} (${elapsed(started)})`);
}

/** Fails when a `serviceUri` the app was given does not name the host ARM reports for its service. */
function checkServiceUris(options: ActivateWebhookOptions): void {
  const uris = options.serviceUris ?? [];
  if (uris.length === 0) return;
  if (uris.length !== options.origins.length) {
    throw new CliError(`got ${uris.length} service URIs for ${options.origins.length} origins: they must be index-aligned (one per Web PubSub service the app connects to)`);
  }
  const problems = uris.map((uri, i) => serviceHostMismatch(uri, options.origins[i], `the app ${options.appId.split('/').pop()}`)).filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new CliError(problems.join('; '));
}

/** The diagnosis once an extension webhook has kept answering 404/400: why, and what to change. */
function notServedMessage(site: FunctionSite, target: WebhookTarget, streak: NotServedStreak, hosting: WebhookHostingKind | undefined): string {
  const hubs = target.hubs && target.hubs.length > 0 ? ` (hub${target.hubs.length > 1 ? 's' : ''} ${target.hubs.join(', ')})` : '';
  const head = `the Web PubSub trigger webhook ${target.path} of ${site.name}${hubs} ${streak.describe()}`;
  if (hosting === 'FlexConsumption') {
    return (
      `${head}: on the Flex Consumption plan the Functions host does not serve the Web PubSub trigger webhook from the instances that receive HTTP traffic ` +
      `(Azure/azure-functions-host#11493), so the service can never validate it. Register the hub's handlers as HTTP functions with ` +
      `registerWebPubSubHandlers from 'cdktf-azure-webpubsub/runtime' (README, "Which handler style on which plan"), or host the app on an ` +
      `Elastic Premium or Dedicated plan, where Web PubSub triggers work`
    );
  }
  return (
    `${head}: no Web PubSub trigger is loaded on the app: was the code with the webPubSubTrigger functions deployed, and did the host start? ` +
    `(\`az functionapp function list\`, Application Insights; a 400 also means the service host is not an origin the extension allows: the app's <prefix>__serviceUri must be https://<service host>)`
  );
}

/**
 * Restarts the app so every instance loads the written keys. Best effort: a failed restart is a warning, because each
 * instance also reloads its keys when a request carries one it does not know, at most once a minute (azure-functions-host
 * `SecretManager`), which the probe then waits for. Asynchronous (no `synchronous=true`: no Microsoft source shows it
 * on Flex Consumption); the probe that follows is what tells when the instances serve the keys.
 */
async function restartBestEffort(ctx: StepContext, tokens: TokenCache, deadline: Deadline, site: FunctionSite, keyNames: readonly string[]): Promise<void> {
  let last = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const { response, error } = await send(ctx, tokens, deadline, armUrl(ctx.armEndpoint, site.id, '/restart', { softRestart: 'false' }), {
      method: 'POST',
      auth: armAuth(ctx),
      timeoutMs: 60_000,
    });
    if (response?.ok) {
      await response.body?.cancel();
      ctx.log(keyNames.length > 0 ? `restarted ${site.name} so every instance loads the written ${keyNames.join(', ')} key${keyNames.length > 1 ? 's' : ''}` : `restarted ${site.name}`);
      return;
    }
    if (response && (response.status === 401 || response.status === 403)) {
      last = `${response.status}: ${ctx.login.description} needs Microsoft.Web/sites/restart/action (Website Contributor or Contributor). ${await bodyExcerpt(response)}`;
      break;
    }
    last = response ? `${response.status}: ${await bodyExcerpt(response)}` : (error ?? 'no response');
    // Throttling, server errors and 409 (another operation on the site) may pass; anything else will not.
    if (response && !isTransient(response.status) && response.status !== 409) break;
    if (!(await deadline.sleep(5_000 * 2 ** attempt * (ctx.pace ?? 1)))) break;
  }
  ctx.log(
    `warning: restarting ${site.name} failed (${last.trim()}); going on without it: instances that have not loaded the written key reload their keys on an unknown key at most once a minute, so the check below may take a minute longer`,
  );
}

/** Reads each target's key, waiting while the host starts (the keys API answers errors until then) or a key is not there yet. */
async function readHostKeys(ctx: StepContext, tokens: TokenCache, deadline: Deadline, site: FunctionSite, targets: readonly WebhookTarget[]): Promise<string[]> {
  let last: string;
  for (let attempt = 0; ; attempt++) {
    const { response, error } = await send(ctx, tokens, deadline, armUrl(ctx.armEndpoint, site.id, '/host/default/listkeys'), {
      method: 'POST',
      auth: armAuth(ctx),
    });
    if (response?.ok) {
      const keys = (await response.json().catch(() => ({}))) as Partial<Record<'systemKeys' | 'functionKeys', Record<string, string> | null>>;
      const found = targets.map((t) => keys[t.keyType]?.[t.keyName]);
      const missing = targets.filter((_, i) => !found[i]).map((t) => keyLabel(t.keyType, t.keyName));
      if (missing.length === 0) return found as string[];
      last = `no ${[...new Set(missing)].join(', ')} yet`;
    } else if (response && (response.status === 401 || response.status === 403)) {
      throw new CliError(`listing the host keys of ${site.name} was refused (${response.status}): ${ctx.login.description} needs Microsoft.Web/sites/host/listkeys/action (Website Contributor or Contributor). ${await bodyExcerpt(response)}`);
    } else {
      last = response ? `listkeys answered ${response.status}` : `listkeys did not answer (${error})`;
      await response?.body?.cancel();
    }
    if (!(await deadline.sleep(Math.min(15_000, 3_000 * 2 ** attempt) * (ctx.pace ?? 1)))) {
      throw new CliError(`the host of ${site.name} did not list its ${[...new Set(targets.map((t) => keyLabel(t.keyType, t.keyName)))].join(', ')} within ${deadline.totalMs / 1000} s (last: ${last})`);
    }
  }
}
