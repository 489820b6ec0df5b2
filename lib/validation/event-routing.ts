import { IConstruct } from 'constructs';
import { InvalidPropError, isUnresolved } from './invalid-prop-error';
import { literalParts, replaceTokens } from './tokens';

/**
 * The only system events an event handler can subscribe to. `connect` is blocking (the handler can reject or
 * configure the connection); `connected` and `disconnected` are notifications.
 * Sources: https://learn.microsoft.com/azure/azure-web-pubsub/howto-develop-eventhandler#events ("System events:
 * `connect`, `connected` and `disconnected`"); azurerm `web_pubsub_hub_resource.go` (`system_events`:
 * `StringInSlice(..., false)`, case-sensitive).
 */
export const SYSTEM_EVENTS = ['connect', 'connected', 'disconnected'] as const;
export type SystemEvent = (typeof SYSTEM_EVENTS)[number];

const EVENT_HANDLER_DOC = 'https://learn.microsoft.com/azure/azure-web-pubsub/howto-develop-eventhandler';

/** Fails unless the value is an array of distinct system event names (exact case). Tokens are skipped. */
export function validateSystemEvents(scope: IConstruct, prop: string, events: readonly string[]): void {
  if ((events as unknown) === undefined || isUnresolved(events)) return;
  if (!Array.isArray(events)) {
    throw new InvalidPropError(scope, prop, events, `must be an array of ${SYSTEM_EVENTS.join(', ')}`);
  }
  for (const event of events) {
    if (isUnresolved(event)) continue;
    if (!(SYSTEM_EVENTS as readonly string[]).includes(event)) {
      throw new InvalidPropError(scope, prop, event, `must only contain ${SYSTEM_EVENTS.join(', ')}`);
    }
  }
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event)) throw new InvalidPropError(scope, prop, events, `must not repeat "${event}"`);
    seen.add(event);
  }
}

// Superseded by validateUserEvents; kept because the constructs still call it.
const STRICT_EVENT_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * @deprecated Over-strict: rejects spaces after commas (`a, b`, used by azurerm's own acceptance test against
 * Azure) and event names with characters Microsoft documents no limit on. Use {@link validateUserEvents}.
 */
export function validateUserEventPattern(scope: IConstruct, prop: string, pattern: string): void {
  if (isUnresolved(pattern)) return;
  if (pattern === '*') return;
  const names = pattern.split(',');
  if (names.some((n) => !STRICT_EVENT_NAME.test(n))) {
    throw new InvalidPropError(
      scope,
      prop,
      pattern,
      'must be "*", one event name, or comma-separated event names (letters, digits, "_", "-", ".", no spaces)',
    );
  }
}

/**
 * The user event names a pattern lists: `'*'` for "every user event", otherwise the names, trimmed.
 * Web PubSub splits the pattern on `,` and trims each name (Microsoft's SignalR emulator, which implements the same
 * three-form pattern, does `Split(',').Select(s => s.Trim())`; azurerm's acceptance test uses `"event1, event2"`).
 */
export function userEventNames(pattern: string): '*' | string[] {
  const names = pattern.split(',').map((n) => n.trim());
  return names.includes('*') ? '*' : names;
}

/**
 * Fails unless the value is one of the three documented `userEventPattern` forms: `*` (every user event), one
 * event name, or event names joined with `,`. Whitespace around names is accepted (the service trims it); empty
 * names (`a,,b`, a trailing comma), control characters and `*` mixed with names (`*,chat`: `*` already matches
 * everything, so the names are dead and likely a mistake) are rejected. Microsoft documents no character set
 * for custom event names, so none is imposed beyond that.
 * Sources: ARM `EventHandler.userEventPattern` ("There are 3 kinds of patterns supported: 1. "*" ... 2. Combine
 * multiple events with "," ... 3. A single event name", https://learn.microsoft.com/rest/api/webpubsub/controlplane/web-pub-sub-hubs/create-or-update);
 * azurerm `web_pubsub_hub_resource.go` (`user_event_pattern`: `StringIsNotEmpty` only) and its test
 * `user_event_pattern = "event1, event2"`.
 */
export function validateUserEvents(scope: IConstruct, prop: string, pattern: unknown): void {
  if (pattern === undefined || isUnresolved(pattern)) return;
  const forms = '"*", one event name, or event names joined with ","';
  if (typeof pattern !== 'string') throw new InvalidPropError(scope, prop, pattern, `must be ${forms}`);
  const names = pattern.split(',').map((n) => n.trim());
  if (names.some((n) => n === '')) throw new InvalidPropError(scope, prop, pattern, `must be ${forms}, without empty names`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(pattern)) throw new InvalidPropError(scope, prop, pattern, `must be ${forms}, without control characters`);
  if (names.length > 1 && names.includes('*')) {
    throw new InvalidPropError(scope, prop, pattern, 'must use "*" alone: "*" already matches every user event, so the names next to it never matter');
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new InvalidPropError(scope, prop, pattern, `must not repeat "${n}"`);
    seen.add(n);
  }
}

// The parameters an event handler URL template may use: `{hub}`, `{event}`, and Key Vault secret references
// `{@Microsoft.KeyVault(SecretUri=https://<vault host>/secrets/<name>[/<version>])}`.
const PLACEHOLDER = /\{[^{}]*\}/g;
const KEY_VAULT_REFERENCE = /^\{@Microsoft\.KeyVault\(SecretUri=https:\/\/[^\s/(){}]+\/secrets\/[^\s/(){}]+(?:\/[^\s/(){}]*)?\)\}$/;

function checkPlaceholders(scope: IConstruct, prop: string, value: string, text: string): void {
  for (const placeholder of text.match(PLACEHOLDER) ?? []) {
    if (placeholder === '{hub}' || placeholder === '{event}' || KEY_VAULT_REFERENCE.test(placeholder)) continue;
    throw new InvalidPropError(
      scope,
      prop,
      value,
      `uses ${placeholder}; the only parameters are {hub}, {event} and {@Microsoft.KeyVault(SecretUri=<secret URI>)} (${EVENT_HANDLER_DOC}#url-template)`,
    );
  }
  if (/[{}]/.test(text.replace(PLACEHOLDER, ''))) {
    throw new InvalidPropError(scope, prop, value, 'has an unmatched "{" or "}"; braces only delimit the {hub} and {event} parameters');
  }
}

const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Fails unless the value is a usable event handler URL template:
 * - an absolute `https://` URL (Web PubSub also accepts `http://`; the library does not, the Functions webhook
 *   carries its `code=` key in the URL);
 * - with a host (DNS name, optional port) that contains no parameter: "The host part can't contains parameters"
 *   (ARM `EventHandler.urlTemplate`), "`http://{hub}.com` is not a valid URL template" (how-to);
 * - parameters only `{hub}`, `{event}` and `{@Microsoft.KeyVault(SecretUri=...)}`, braces balanced;
 * - no whitespace (azurerm's upstream URL rule for SignalR, `^https?://[^\s]+$`) and no fragment.
 * Microsoft documents no maximum length. Terraform tokens are replaced by a neutral word before the checks; a
 * template that starts with a token is checked on its literal parts only.
 * Sources: https://learn.microsoft.com/azure/azure-web-pubsub/howto-develop-eventhandler#url-template ; ARM
 * `EventHandler.urlTemplate`; azurerm `internal/services/signalr/validate/upstream.go`.
 */
export function validateEventHandlerUrlTemplate(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'string') {
    if (isUnresolved(value)) return;
    throw new InvalidPropError(scope, prop, value, 'must be an https:// URL template');
  }
  const parts = literalParts(value);
  const literal = parts.literals.join('');
  if (/\s/.test(literal)) throw new InvalidPropError(scope, prop, value, 'must not contain whitespace');
  if (literal.includes('#')) throw new InvalidPropError(scope, prop, value, 'must not contain a fragment ("#")');
  checkPlaceholders(scope, prop, value, literal);
  if (parts.startsWithToken) return;
  const url = replaceTokens(value, 'token0');
  const match = /^https:\/\/([^/?]*)(.*)$/i.exec(url);
  if (!match) throw new InvalidPropError(scope, prop, value, 'must be an https:// URL template');
  const authority = match[1];
  if (/[{}]/.test(authority)) {
    throw new InvalidPropError(scope, prop, value, `must not use parameters in the host: the service resolves them in the path and query only (${EVENT_HANDLER_DOC}#url-template)`);
  }
  const hostPort = /^([^:]+)(?::(\d{1,5}))?$/.exec(authority);
  const host = hostPort?.[1] ?? '';
  const port = hostPort?.[2] === undefined ? undefined : Number(hostPort[2]);
  if (!hostPort || host.length > 253 || !host.split('.').every((l) => HOST_LABEL.test(l)) || (port !== undefined && (port < 1 || port > 65535))) {
    throw new InvalidPropError(scope, prop, value, 'must be an https:// URL template with a host name (and optional port) after the scheme');
  }
}

/**
 * Fails unless the value is a usable path template for `EventHandler.httpFunction`, which the library appends to
 * `https://<app default_hostname>/` (leading slashes are dropped): a relative path, optionally with a query
 * (`?code=<function key>` for functions that are not anonymous), using only the URL template parameters; no
 * scheme or host, no `.` / `..` segments (a normalizing server or proxy would send the event elsewhere), no
 * backslashes, whitespace or fragment. Sources: as {@link validateEventHandlerUrlTemplate}; RFC 3986 section 5.2.4
 * (dot-segment removal).
 */
export function validateHttpFunctionPath(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined) return;
  const rule = 'must be a path relative to the function app, such as api/{event}';
  if (typeof value !== 'string') {
    if (isUnresolved(value)) return;
    throw new InvalidPropError(scope, prop, value, rule);
  }
  const literal = literalParts(value).literals.join('');
  const path = value.replace(/^\/+/, '');
  if (path === '') throw new InvalidPropError(scope, prop, value, `${rule} (it is empty)`);
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(path) || value.startsWith('//')) {
    throw new InvalidPropError(scope, prop, value, `${rule}, not a URL: use EventHandler.url() for another host`);
  }
  if (/\s/.test(literal)) throw new InvalidPropError(scope, prop, value, `${rule}, without whitespace`);
  if (literal.includes('#') || literal.includes('\\')) throw new InvalidPropError(scope, prop, value, `${rule}, without "#" or "\\"`);
  const pathPart = path.split('?')[0];
  if (pathPart.split('/').some((s) => s === '.' || s === '..')) {
    throw new InvalidPropError(scope, prop, value, `${rule}, without "." or ".." segments`);
  }
  checkPlaceholders(scope, prop, value, literal);
}

/** Routing of one event handler, as the hub will apply it. */
export interface HandlerRouting {
  /** System events the handler receives. */
  readonly systemEvents?: readonly string[];
  /** User event pattern of the handler. */
  readonly userEventPattern?: string;
}

/**
 * Fails when an event is routed to more than one handler of a hub. The service tries handlers in order and "the
 * first matching one wins", so a later handler never receives an event an earlier one matches: the same system
 * event twice, the same user event name twice, or any user event after a handler with `*`.
 * Source: https://learn.microsoft.com/azure/azure-web-pubsub/howto-develop-eventhandler#event-handler-settings
 */
export function validateHandlerOrder(scope: IConstruct, prop: string, handlers: readonly HandlerRouting[]): void {
  const systemOwner = new Map<string, number>();
  const userOwner = new Map<string, number>();
  let wildcardOwner: number | undefined;
  handlers.forEach((h, i) => {
    for (const event of h.systemEvents ?? []) {
      if (isUnresolved(event)) continue;
      const owner = systemOwner.get(event);
      if (owner !== undefined) {
        throw new InvalidPropError(scope, `${prop}[${i}].systemEvents`, event, `is already routed to ${prop}[${owner}]; the first matching handler wins, so this one would never receive it`);
      }
      systemOwner.set(event, i);
    }
    const pattern = h.userEventPattern;
    if (pattern === undefined || isUnresolved(pattern)) return;
    if (wildcardOwner !== undefined) {
      throw new InvalidPropError(scope, `${prop}[${i}].userEventPattern`, pattern, `is shadowed by "*" in ${prop}[${wildcardOwner}]; the first matching handler wins, so this one would never receive user events`);
    }
    const names = userEventNames(pattern);
    if (names === '*') {
      // A catch-all after specific names is fine: earlier names keep their handler, "*" takes every other event.
      wildcardOwner = i;
      return;
    }
    for (const name of names) {
      const owner = userOwner.get(name);
      if (owner !== undefined) {
        throw new InvalidPropError(scope, `${prop}[${i}].userEventPattern`, pattern, `routes "${name}", already routed to ${prop}[${owner}]; the first matching handler wins, so this one would never receive it`);
      }
      userOwner.set(name, i);
    }
  });
}

/**
 * Fails when routing is given for a hub's default handler together with explicit handlers: `systemEvents` and
 * `userEventPattern` on a `ServerlessWebPubSub` hub only shape the default Functions-extension handler, so with
 * `eventHandlers` they would be silently ignored.
 */
export function validateRoutingWithoutExplicitHandlers(
  scope: IConstruct,
  prop: string,
  hub: { readonly systemEvents?: readonly string[]; readonly userEventPattern?: string; readonly eventHandlers?: readonly unknown[] },
): void {
  if (hub.eventHandlers === undefined) return;
  const given = hub.systemEvents !== undefined ? 'systemEvents' : hub.userEventPattern !== undefined ? 'userEventPattern' : undefined;
  if (given === undefined) return;
  throw new InvalidPropError(
    scope,
    `${prop}.${given}`,
    given === 'systemEvents' ? hub.systemEvents : hub.userEventPattern,
    'only applies to the default handler and would be ignored because `eventHandlers` is given; put the routing on the handlers, e.g. EventHandler.functionsExtension(app, { systemEvents, userEventPattern })',
  );
}
