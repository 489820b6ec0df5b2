/**
 * The check the Web PubSub service makes of an event handler URL before it saves a hub (CloudEvents abuse protection:
 * `OPTIONS <url>` with `WebHook-Request-Origin: <service host>`, answered with `WebHook-Allowed-Origin`;
 * https://learn.microsoft.com/azure/azure-web-pubsub/howto-develop-eventhandler), made against the Functions
 * extension webhook `https://<app>/runtime/webhooks/webpubsub?code=<webpubsub_extension key>`.
 */
import { firstLine, redactUrl } from './apply-step';

/** The system key the Web PubSub extension webhook checks (`<extension>_extension`, azure-functions-host `DefaultScriptWebHookProvider`). */
export const WEBPUBSUB_EXTENSION_KEY = 'webpubsub_extension';
/** The extension webhook's path on a Function App host. */
export const WEBPUBSUB_WEBHOOK_PATH = '/runtime/webhooks/webpubsub';

/** What one validation request found. */
export type PreflightResult =
  | { readonly kind: 'unreachable'; readonly error: string }
  | { readonly kind: 'unauthorized' | 'notFound' | 'failed'; readonly status: number }
  | { readonly kind: 'wrongOrigin'; readonly status: number; readonly allowed: string }
  | { readonly kind: 'ok'; readonly status: number; readonly allowed: string | null };

/**
 * Sends the service's validation request (`OPTIONS <url>` with `WebHook-Request-Origin: <origin>`) once and
 * classifies the answer; `verify` and `activate-webhook` word the outcome for their moment.
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
    return { kind: 'unreachable', error: firstLine(err) };
  }
  await response.body?.cancel();
  const status = response.status;
  if (status === 401 || status === 403) return { kind: 'unauthorized', status };
  if (status === 404) return { kind: 'notFound', status };
  if (!response.ok) return { kind: 'failed', status };
  const allowed = response.headers.get('webhook-allowed-origin');
  if (origin && allowed && allowed !== '*' && !allowed.toLowerCase().split(',').map((s) => s.trim()).includes(origin.toLowerCase())) {
    return { kind: 'wrongOrigin', status, allowed };
  }
  return { kind: 'ok', status, allowed };
}

/** The outcome of one probe of the extension webhook, with a line that says what to do (the key never appears in it). */
export interface WebhookProbeResult {
  readonly ok: boolean;
  readonly status?: number;
  readonly summary: string;
}

/** Probes the Functions extension webhook of `appHost` with `key` once. */
export async function probeWebhook(
  fetchImpl: typeof fetch,
  appHost: string,
  key: string,
  origin: string,
  timeoutMs: number,
): Promise<WebhookProbeResult> {
  const url = `https://${appHost}${WEBPUBSUB_WEBHOOK_PATH}?code=${encodeURIComponent(key)}`;
  const result = await preflightWebhook(fetchImpl, url, origin, timeoutMs);
  switch (result.kind) {
    case 'unreachable':
      return { ok: false, summary: `${redactUrl(url)} did not answer (${result.error}): is the app running?` };
    case 'unauthorized':
      return { ok: false, status: result.status, summary: `answered ${result.status}: the host does not accept the ${WEBPUBSUB_EXTENSION_KEY} key (yet)` };
    case 'notFound':
      return { ok: false, status: result.status, summary: 'answered 404: no function with a Web PubSub trigger is loaded (yet): was the code deployed and did the host start?' };
    case 'failed':
      return { ok: false, status: result.status, summary: `answered ${result.status} to the validation request` };
    case 'wrongOrigin':
      return { ok: false, status: result.status, summary: `allows events from ${result.allowed}, not from ${origin}: the app's <prefix>__serviceUri must be https://${origin}` };
    case 'ok':
      return { ok: true, status: result.status, summary: `${result.status}${result.allowed ? `, allowed origin ${result.allowed}` : ''}` };
  }
}
