/**
 * `activate-webhook`: makes every instance of a Function App serve the `webpubsub_extension` key Terraform just wrote,
 * and waits until the Web PubSub extension webhook answers the service's validation request, so the hub that is
 * created next (the service validates its event handler URL when the hub is saved) succeeds on the first apply.
 *
 * Why a restart: the Functions host caches host keys per instance (`SecretManager`, Azure/azure-functions-host) and
 * learns of a key written elsewhere only through a file-system sentinel or a throttled reload after a failed match;
 * a restart (`POST {site}/restart`, WebApps_Restart, https://learn.microsoft.com/rest/api/appservice/web-apps/restart,
 * what `az functionapp restart` calls) makes every instance load the written key. Then the webhook is probed the way
 * the service validates it: `OPTIONS https://<app>/runtime/webhooks/webpubsub?code=<key>` with
 * `WebHook-Request-Origin: <service host>` (CloudEvents abuse protection,
 * https://learn.microsoft.com/azure/azure-web-pubsub/howto-develop-eventhandler), with the key read back from ARM
 * (`POST {site}/host/default/listkeys`, WebApps_ListHostKeys), so no secret passes through Terraform's provisioner.
 */
import { armUrl, bodyExcerpt, Deadline, elapsed, isTransient, send, StepContext, TokenCache } from './apply-step';
import { CliError } from './deployment-inputs';
import { readFunctionSite } from './function-site';
import { probeWebhook, WEBPUBSUB_EXTENSION_KEY } from './webhook-probe';

/** Input of {@link activateWebhook}. */
export interface ActivateWebhookOptions {
  /** ARM id of the Function App. */
  readonly appId: string;
  /** Host names of the Web PubSub services whose hubs call the app (the `WebHook-Request-Origin` they send). */
  readonly origins: readonly string[];
  /** Restart the app first (after a key write). @default true */
  readonly restart?: boolean;
  /** Wait until the webhook answers the service's validation. @default true */
  readonly probe?: boolean;
  /** Time allowed for the whole step. */
  readonly timeoutMs: number;
}

/** Consecutive successful probes required: more than one instance may answer. */
const REQUIRED_SUCCESSES = 3;

export async function activateWebhook(options: ActivateWebhookOptions, ctx: StepContext): Promise<void> {
  const started = Date.now();
  const deadline = new Deadline(options.timeoutMs);
  const tokens = new TokenCache(ctx.login, deadline);
  const site = await readFunctionSite(ctx, tokens, deadline, options.appId);
  const arm = ctx.armScope;

  if (options.restart ?? true) {
    await retryArm(ctx, deadline, `restarting ${site.name}`, () =>
      send(ctx, tokens, deadline, armUrl(ctx.armEndpoint, site.id, '/restart', { softRestart: 'false', synchronous: 'true' }), {
        method: 'POST',
        scope: arm,
        timeoutMs: 5 * 60_000,
      }),
    );
    ctx.log(`restarted ${site.name} so every instance loads the written ${WEBPUBSUB_EXTENSION_KEY} key`);
  }

  if (options.probe === false) {
    ctx.log(`no code with a Web PubSub trigger is packaged for ${site.name}: not waiting for its webhook (hubs validate it when they are saved)`);
    return;
  }
  const key = await readExtensionKey(ctx, tokens, deadline, site.id, site.name);
  const origins = options.origins.length > 0 ? options.origins : [''];
  let successes = 0;
  let last = '';
  for (let attempt = 0; ; attempt++) {
    let allPassed = true;
    for (const origin of origins) {
      const result = await probeWebhook(ctx.fetch, site.defaultHostName, key, origin, Math.min(30_000, Math.max(1, deadline.remainingMs())));
      if (!result.ok) {
        allPassed = false;
        if (result.summary !== last) ctx.log(`… webhook: ${result.summary}`);
        last = result.summary;
      }
    }
    successes = allPassed ? successes + 1 : 0;
    if (successes >= REQUIRED_SUCCESSES) break;
    if (!(await deadline.sleep((allPassed ? 2_000 : Math.min(15_000, 3_000 * 2 ** Math.min(attempt, 3))) * (ctx.pace ?? 1)))) {
      throw new CliError(`the Web PubSub webhook of ${site.name} did not answer the service's validation within ${deadline.totalMs / 1000} s (last: ${last}); check the app's logs (Application Insights)`);
    }
  }
  ctx.log(`the Web PubSub webhook of ${site.name} answers the service's validation${origins[0] ? ` for ${origins.join(', ')}` : ''} (${elapsed(started)})`);
}

/** Reads the `webpubsub_extension` system key, waiting while the host starts (the keys API answers errors until then). */
async function readExtensionKey(ctx: StepContext, tokens: TokenCache, deadline: Deadline, siteId: string, name: string): Promise<string> {
  let last = '';
  for (let attempt = 0; ; attempt++) {
    const { response, error } = await send(ctx, tokens, deadline, armUrl(ctx.armEndpoint, siteId, '/host/default/listkeys'), {
      method: 'POST',
      scope: ctx.armScope,
    });
    if (response?.ok) {
      const keys = (await response.json().catch(() => ({}))) as { systemKeys?: Record<string, string> };
      const key = keys.systemKeys?.[WEBPUBSUB_EXTENSION_KEY];
      if (key) return key;
      last = `no ${WEBPUBSUB_EXTENSION_KEY} system key yet`;
    } else if (response && (response.status === 401 || response.status === 403)) {
      throw new CliError(`listing the host keys of ${name} was refused (${response.status}): ${ctx.login.description} needs Microsoft.Web/sites/host/listkeys/action (Website Contributor or Contributor). ${await bodyExcerpt(response)}`);
    } else {
      last = response ? `listkeys answered ${response.status}` : `listkeys did not answer (${error})`;
      await response?.body?.cancel();
    }
    if (!(await deadline.sleep(Math.min(15_000, 3_000 * 2 ** attempt) * (ctx.pace ?? 1)))) {
      throw new CliError(`the host of ${name} did not list its ${WEBPUBSUB_EXTENSION_KEY} key within ${deadline.totalMs / 1000} s (last: ${last})`);
    }
  }
}

/** Runs an ARM call, retrying transient answers (throttling, 5xx, 409 while another operation runs) until the deadline. */
async function retryArm(
  ctx: StepContext,
  deadline: Deadline,
  what: string,
  call: () => Promise<{ response?: Response; error?: string }>,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { response, error } = await call();
    if (response?.ok) {
      await response.body?.cancel();
      return;
    }
    if (response && !isTransient(response.status) && response.status !== 409) {
      throw new CliError(`${what} failed with ${response.status}: ${await bodyExcerpt(response)}`);
    }
    const last = response ? `${response.status}` : (error ?? 'no response');
    await response?.body?.cancel();
    if (!(await deadline.sleep(Math.min(30_000, 5_000 * 2 ** attempt) * (ctx.pace ?? 1)))) {
      throw new CliError(`${what} did not succeed within ${deadline.totalMs / 1000} s (last answer: ${last})`);
    }
  }
}
