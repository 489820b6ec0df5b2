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

/** The outcome of one probe, with a line that says what to do (the key never appears in it). */
export interface WebhookProbeResult {
  readonly ok: boolean;
  readonly status?: number;
  readonly summary: string;
}

/** Probes the webhook once. */
export async function probeWebhook(
  fetchImpl: typeof fetch,
  appHost: string,
  key: string,
  origin: string,
  timeoutMs: number,
): Promise<WebhookProbeResult> {
  const url = `https://${appHost}${WEBPUBSUB_WEBHOOK_PATH}?code=${encodeURIComponent(key)}`;
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'OPTIONS',
      headers: origin ? { 'WebHook-Request-Origin': origin } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    return { ok: false, summary: `${redactUrl(url)} did not answer (${firstLine(err)}): is the app running?` };
  }
  await response.body?.cancel();
  const status = response.status;
  if (status === 401 || status === 403) {
    return { ok: false, status, summary: `answered ${status}: the host does not accept the ${WEBPUBSUB_EXTENSION_KEY} key (yet)` };
  }
  if (status === 404) {
    return { ok: false, status, summary: 'answered 404: no function with a Web PubSub trigger is loaded (yet): was the code deployed and did the host start?' };
  }
  if (!response.ok) return { ok: false, status, summary: `answered ${status} to the validation request` };
  const allowed = response.headers.get('webhook-allowed-origin');
  if (origin && allowed && allowed !== '*' && !allowed.toLowerCase().split(',').map((s) => s.trim()).includes(origin.toLowerCase())) {
    return { ok: false, status, summary: `allows events from ${allowed}, not from ${origin}: the app's <prefix>__serviceUri must be https://${origin}` };
  }
  return { ok: true, status, summary: `${status}${allowed ? `, allowed origin ${allowed}` : ''}` };
}
