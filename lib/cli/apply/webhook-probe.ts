/**
 * The check the Web PubSub service makes of an event handler URL before it saves a hub (CloudEvents abuse protection:
 * `OPTIONS <url>` with `WebHook-Request-Origin: <service host>`, answered with `WebHook-Allowed-Origin`;
 * https://learn.microsoft.com/azure/azure-web-pubsub/howto-develop-eventhandler), made against a Function App's
 * upstreams: the extension webhook `https://<app>/runtime/webhooks/webpubsub?code=<webpubsub_extension system key>`
 * or an HTTP function `https://<app>/api/<route>?code=<webpubsub_upstream app key>` (lib/common/webhook-targets.ts).
 */
import {
  FunctionHostKeyType,
  WebhookTarget,
} from '../../common/webhook-targets';
import { firstLine } from './apply-step';
import { sameHost } from '../host-name';
import { redactSecrets } from '../url-safety';

/** How a key collection is named in messages: the portal calls host-level function keys "App keys". */
export function keyLabel(keyType: FunctionHostKeyType, keyName: string): string {
  return keyType === 'systemKeys' ? `${keyName} system key` : `${keyName} app key`;
}

/** What one validation request found. */
export type PreflightResult =
  | { readonly kind: 'unreachable'; readonly error: string }
  | { readonly kind: 'unauthorized' | 'notFound' | 'failed'; readonly status: number }
  | { readonly kind: 'wrongOrigin'; readonly status: number; readonly allowed: string }
  | { readonly kind: 'ok'; readonly status: number; readonly allowed: string | null };

/**
 * Sends the service's validation request (`OPTIONS <url>` with `WebHook-Request-Origin: <origin>`) once and
 * classifies the answer; `verify` and `activate-webhook` word the outcome for their moment. An error never carries
 * the URL's key (Node's fetch puts the URL in some errors).
 */
export async function preflightWebhook(fetchImpl: typeof fetch, url: string, origin: string, timeoutMs: number): Promise<PreflightResult> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'OPTIONS',
      headers: origin ? { 'WebHook-Request-Origin': origin } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    return { kind: 'unreachable', error: redactSecrets(firstLine(err)) };
  }
  await response.body?.cancel();
  const status = response.status;
  if (status === 401 || status === 403) return { kind: 'unauthorized', status };
  if (status === 404) return { kind: 'notFound', status };
  if (!response.ok) return { kind: 'failed', status };
  const allowed = response.headers.get('webhook-allowed-origin');
  if (origin && allowed && allowed !== '*' && !allowed.split(',').some((s) => sameHost(s, origin))) {
    return { kind: 'wrongOrigin', status, allowed };
  }
  return { kind: 'ok', status, allowed };
}

/** The outcome of one probe of a target, with a line that says what to do (the key never appears in it). */
export interface WebhookProbeResult {
  readonly ok: boolean;
  /** The HTTP status, when the app answered. */
  readonly status?: number;
  readonly summary: string;
}

/**
 * The URL the service calls for `target` on `appHost`, with `key` as `code`. Throws (without the key) when the host
 * and path do not make exactly that URL, so a malformed host name can never send the key elsewhere.
 */
export function targetUrl(appHost: string, target: WebhookTarget, key: string): URL {
  let url: URL;
  try {
    url = new URL(`https://${appHost}${target.path}`);
  } catch {
    throw new Error(`the app host name ${JSON.stringify(appHost)} and path ${target.path} do not make a URL`);
  }
  // A host name with `/`, `?`, `#` or `@` in it would move the key into another URL part, or to another host.
  if (!sameHost(url.host, appHost) || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new Error(`the app host name ${JSON.stringify(appHost)} and path ${target.path} do not make a plain https URL`);
  }
  url.searchParams.set('code', key);
  return url;
}

/** Probes one upstream of `appHost` with `key` once, as the service validates it. */
export async function probeWebhook(
  fetchImpl: typeof fetch,
  appHost: string,
  target: WebhookTarget,
  key: string,
  origin: string,
  timeoutMs: number,
): Promise<WebhookProbeResult> {
  const url = targetUrl(appHost, target, key).toString();
  const result = await preflightWebhook(fetchImpl, url, origin, timeoutMs);
  const extension = target.kind === 'extensionWebhook';
  switch (result.kind) {
    case 'unreachable':
      return { ok: false, summary: `${redactSecrets(url)} did not answer (${result.error}): is the app running?` };
    case 'unauthorized':
      return { ok: false, status: result.status, summary: `answered ${result.status}: the host does not accept the ${keyLabel(target.keyType, target.keyName)} (yet)` };
    case 'notFound':
      return {
        ok: false,
        status: result.status,
        summary: extension
          ? 'answered 404: no function with a Web PubSub trigger is loaded (yet): was the code deployed and did the host start?'
          : `answered 404: route not found: is an HTTP function registered with the route ${target.path.replace(/^\/api\//, '')} (for ${target.path}) and authLevel function, and was the code deployed? (not indexed yet, or not there)`,
      };
    case 'failed':
      return {
        ok: false,
        status: result.status,
        summary:
          extension && result.status === 400
            ? `answered 400 to the validation request: no Web PubSub trigger listener accepts it (none loaded, or ${origin || 'the origin'} is not a service host the extension allows)`
            : `answered ${result.status} to the validation request`,
      };
    case 'wrongOrigin':
      return {
        ok: false,
        status: result.status,
        summary: `allows events from ${result.allowed}, not from ${origin}: the app's <prefix>__serviceUri must be https://${origin}`,
      };
    case 'ok':
      return { ok: true, status: result.status, summary: `${result.status}${result.allowed ? `, allowed origin ${result.allowed}` : ''}` };
  }
}
