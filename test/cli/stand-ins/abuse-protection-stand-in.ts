/**
 * LOCAL STAND-IN for the Web PubSub Functions extension's abuse-protection check — NOT the extension. It answers the
 * service's validation request (`OPTIONS` with `WebHook-Request-Origin`) the way Microsoft.Azure.WebJobs.Extensions.
 * WebPubSub 1.10.x does, as its public source reads (Azure/azure-sdk-for-net, sdk/webpubsub/
 * Microsoft.Azure.WebJobs.Extensions.WebPubSub: `Constants.HeaderSeparator` is `{ ',' }`; `RequestValidator` and
 * `Utilities.IsValidationRequest` split the header on "," with RemoveEmptyEntries and do not trim; the allowed hosts
 * are the `Uri.Host` (lower-cased) of each configured connection's endpoint, looked up exactly):
 *  - the `webPubSubContext` input (HTTP path): a valid origin gives a pre-built 200 with `WebHook-Allowed-Origin: *`,
 *    an invalid one a pre-built 400 (`WebPubSubContextBinding`);
 *  - the extension webhook `/runtime/webhooks/webpubsub` (trigger path): 200 echoing the first allowed host as
 *    `WebHook-Allowed-Origin`, else 400 (`WebPubSubTriggerDispatcher.RespondToServiceAbuseCheck`).
 * Multiple origins arrive comma-separated, with a space after each comma (azure-webpubsub#598), when a service has
 * replicas or custom domains.
 */

/** The allowed hosts of connections given by their `serviceUri` (.NET `Uri.Host` is lower-case). */
export function allowedHostsOf(serviceUris: readonly string[]): Set<string> {
  return new Set(serviceUris.map((uri) => new URL(uri).host.toLowerCase()));
}

/** The request hosts as the extension reads them: split on ",", empty entries dropped, NOT trimmed. */
export function requestHostsOf(originHeader: string): string[] {
  return originHeader.split(',').filter((h) => h !== '');
}

/** The first request host the extension allows, if any. */
export function allowedRequestHost(originHeader: string, serviceUris: readonly string[]): string | undefined {
  const allowed = allowedHostsOf(serviceUris);
  return requestHostsOf(originHeader).find((h) => allowed.has(h));
}

/** The `webPubSubContext` input the binding hands the HTTP function for a validation request. */
export function contextInputForPreflight(originHeader: string, serviceUris: readonly string[]) {
  const valid = allowedRequestHost(originHeader, serviceUris) !== undefined;
  return {
    isPreflight: true,
    hasError: false,
    response: valid ? { status: 200, headers: { 'WebHook-Allowed-Origin': ['*'] } } : { status: 400, headers: {} },
  };
}

/** A `fetch` that answers `OPTIONS` on the extension webhook as the trigger dispatcher does. */
export function triggerWebhookFetch(serviceUris: readonly string[]): typeof fetch {
  return (async (_url: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const origin = headers.get('webhook-request-origin');
    if (init?.method !== 'OPTIONS' || origin === null) return new Response(null, { status: 400 });
    const host = allowedRequestHost(origin, serviceUris);
    return host === undefined ? new Response(null, { status: 400 }) : new Response(null, { status: 200, headers: { 'WebHook-Allowed-Origin': host } });
  }) as typeof fetch;
}
