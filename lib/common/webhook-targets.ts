/**
 * What the `activate-webhook` apply step probes on a function app: the URLs the Web PubSub service will call for the
 * app's hubs, with the host key each one checks. Written at synth (by `WebhookActivation`, as JSON in an environment
 * variable of the step) and read at apply by the CLI, so this module imports neither cdktf nor the CLI.
 *
 * Two kinds of upstream exist on a Function App
 * (https://learn.microsoft.com/azure/azure-web-pubsub/reference-functions-bindings, key concepts (3) and (4)):
 * - `extensionWebhook`: the Web PubSub extension webhook `/runtime/webhooks/webpubsub`, protected by the
 *   `webpubsub_extension` system key, serving `webPubSubTrigger` functions. Not served on Flex Consumption's HTTP
 *   instances (azure-functions-host#11493, see docs/azure-sources.md §5a);
 * - `httpFunction`: an HTTP-trigger function with the `webPubSubContext` input, protected by an app (host-level
 *   function) key, served on every plan.
 */

/** Host key collections of a function app (`host/default/<type>/<name>`, WebApps_CreateOrUpdateHostSecret). */
export type FunctionHostKeyType = 'systemKeys' | 'functionKeys';

/** The kinds of Web PubSub upstream on a function app. */
export type WebhookTargetKind = 'extensionWebhook' | 'httpFunction';

/** The system key the Web PubSub extension webhook checks (`<extension>_extension`). */
export const WEBPUBSUB_EXTENSION_KEY_NAME = 'webpubsub_extension';

/**
 * The app key (a host-level function key) the library writes for Web PubSub's calls to HTTP functions. A host-level
 * function key opens every `function`-level HTTP function of the app
 * (https://learn.microsoft.com/azure/azure-functions/function-keys-how-to, "Understand keys").
 */
export const WEBPUBSUB_UPSTREAM_KEY_NAME = 'webpubsub_upstream';

/** The path of the Web PubSub extension webhook on a function app host. */
export const WEBPUBSUB_EXTENSION_WEBHOOK_PATH = '/runtime/webhooks/webpubsub';

/**
 * The URL scheme that sends a hub's events through the Web PubSub tunnel instead of over the internet: the service
 * hands each request to the `awps-tunnel` connected to the hub, which forwards it to its `--upstream` (e.g. the local
 * Functions host) at the template's path. "Set the event handler URL to start with `tunnel:///`"
 * (Azure/azure-webpubsub `tools/awps-tunnel` README; https://learn.microsoft.com/azure/azure-web-pubsub/howto-web-pubsub-tunnel-tool).
 */
export const TUNNEL_URL_PREFIX = 'tunnel:///';

/**
 * The event name the service puts in a URL template's `{event}` when it validates the URL (the abuse-protection
 * `OPTIONS` request sent when a hub is saved); Microsoft's HTTP sample answers it with a `validate` function
 * (Azure/azure-webpubsub `samples/functions/js/simplechat-wpscontext_v4`).
 */
export const VALIDATE_EVENT_NAME = 'validate';

/** The hosting plan kinds, as the apply step words its diagnosis. */
export type WebhookHostingKind = 'FlexConsumption' | 'ElasticPremium' | 'Dedicated';

/** One URL the activation probes as the service validates it. */
export interface WebhookTarget {
  /** Which upstream this is. */
  readonly kind: WebhookTargetKind;
  /**
   * Path (and no query) on the app's host, with `{event}` replaced by `validate` and `{hub}` by the hub, e.g.
   * `/runtime/webhooks/webpubsub` or `/api/webpubsub/chat/validate`.
   */
  readonly path: string;
  /** The key collection the `code` query parameter is checked against. */
  readonly keyType: FunctionHostKeyType;
  /** The key's name in that collection. */
  readonly keyName: string;
  /** The hubs that call this URL, for messages. */
  readonly hubs?: readonly string[];
}

/** Fails with a message naming `source` unless `text` is a JSON array of {@link WebhookTarget}. */
export function parseWebhookTargets(text: string, source: string): WebhookTarget[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${source} must be a JSON array of webhook targets, got ${JSON.stringify(text.slice(0, 80))}`);
  }
  if (!Array.isArray(value)) throw new Error(`${source} must be a JSON array of webhook targets`);
  return value.map((item, i) => {
    const t = (item ?? {}) as Record<string, unknown>;
    const where = `${source}[${i}]`;
    if (t.kind !== 'extensionWebhook' && t.kind !== 'httpFunction') throw new Error(`${where}.kind must be "extensionWebhook" or "httpFunction"`);
    if (typeof t.path !== 'string' || !t.path.startsWith('/') || /[?#\s]/.test(t.path)) throw new Error(`${where}.path must be a path starting with "/" (no query)`);
    if (t.keyType !== 'systemKeys' && t.keyType !== 'functionKeys') throw new Error(`${where}.keyType must be "systemKeys" or "functionKeys"`);
    if (typeof t.keyName !== 'string' || !/^[A-Za-z0-9_.-]{1,128}$/.test(t.keyName)) throw new Error(`${where}.keyName must be a key name`);
    const hubs = Array.isArray(t.hubs) ? t.hubs.filter((h): h is string => typeof h === 'string') : undefined;
    return { kind: t.kind, path: t.path, keyType: t.keyType, keyName: t.keyName, ...(hubs ? { hubs } : {}) };
  });
}

/** The target of the extension webhook (what stacks synthesized before webhook targets existed probe). */
export const EXTENSION_WEBHOOK_TARGET: WebhookTarget = {
  kind: 'extensionWebhook',
  path: WEBPUBSUB_EXTENSION_WEBHOOK_PATH,
  keyType: 'systemKeys',
  keyName: WEBPUBSUB_EXTENSION_KEY_NAME,
};
