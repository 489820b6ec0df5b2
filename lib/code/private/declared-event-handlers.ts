/**
 * What the packaged code says about a hub's event handlers, read from the recorded registrations: the
 * `registerWebPubSubHandlers` declarations (HTTP path), the `webPubSubTrigger` functions (extension webhook path) and
 * the hubs the code only sends to or negotiates for.
 */
import type { WebPubSubHandlersDeclaration } from '../../runtime/web-pubsub-handlers';
import { functionsRoutePrefix } from './host-json';
import { getTriggerBinding, listUndeclaredContextFunctions, listWebPubSubHandlers, type RegisteredFunction } from './function-registration-recorder';

/** A hub's handlers served as an HTTP function, as the infrastructure needs them. */
export interface DeclaredHttpHandlers {
  /** The function that serves them. */
  readonly functionName: string;
  /** Path on the app's host without the leading `/`, with `{event}`, e.g. `api/webpubsub/chat/{event}`. */
  readonly path: string;
  /** Routed system events. */
  readonly systemEvents: Array<'connect' | 'connected' | 'disconnected'>;
  /** Routed user events (`*` or names joined with `,`). */
  readonly userEventPattern?: string;
}

/** The HTTP handlers the code declares for `hub` (hub names compare case-insensitively), if any. */
export function declaredHttpHandlers(
  registrations: readonly RegisteredFunction[],
  hostJson: Record<string, unknown> | undefined,
  hub: string,
): DeclaredHttpHandlers | undefined {
  const found = listWebPubSubHandlers(registrations).filter((d) => d.hub.toLowerCase() === hub.toLowerCase());
  if (found.length > 1) {
    throw new Error(`the code registers the handlers of hub "${hub}" twice (functions ${found.map((d) => `"${d.functionName}"`).join(', ')}): register each hub once`);
  }
  return found[0] ? toHttpHandlers(found[0], hostJson) : undefined;
}

function toHttpHandlers(d: WebPubSubHandlersDeclaration, hostJson: Record<string, unknown> | undefined): DeclaredHttpHandlers {
  const prefix = functionsRoutePrefix(hostJson);
  return {
    functionName: d.functionName,
    path: prefix === '' ? d.route : `${prefix}/${d.route}`,
    systemEvents: [...d.systemEvents],
    ...(d.userEventPattern !== undefined ? { userEventPattern: d.userEventPattern } : {}),
  };
}

/** Every hub the code declares HTTP handlers for. */
export function httpHandlerHubs(registrations: readonly RegisteredFunction[]): string[] {
  return listWebPubSubHandlers(registrations).map((d) => d.hub);
}

/** Literal hubs named by the code's `webPubSub` outputs and `webPubSubConnection` inputs (send and negotiate only). */
export function hubsUsedWithoutEvents(registrations: readonly RegisteredFunction[]): string[] {
  const hubs = new Set<string>();
  for (const fn of registrations) {
    for (const b of Object.values(fn.bindings)) {
      if ((b.type === 'webPubSub' || b.type === 'webPubSubConnection') && typeof b.hub === 'string' && b.hub !== '' && !/[%{}]/.test(b.hub)) hubs.add(b.hub);
    }
  }
  return [...hubs];
}

/** Names of HTTP functions with the `webPubSubContext` input that `registerWebPubSubHandlers` did not register. */
export function undeclaredContextFunctionNames(registrations: readonly RegisteredFunction[]): string[] {
  return listUndeclaredContextFunctions(registrations).map((fn) => fn.name);
}

/** Functions that receive upstream requests (`webPubSubContext` input) without a key: anyone could post events to them. */
export function anonymousContextFunctions(registrations: readonly RegisteredFunction[]): RegisteredFunction[] {
  return registrations.filter((fn) => {
    const trigger = getTriggerBinding(fn);
    const hasContext = Object.values(fn.bindings).some((b) => b.type === 'webPubSubContext');
    return hasContext && trigger?.type === 'httpTrigger' && (trigger.authLevel ?? 'anonymous') === 'anonymous';
  });
}

/**
 * Names of the HTTP functions browsers call: every HTTP-triggered function that is not a Web PubSub upstream (neither
 * registered by `registerWebPubSubHandlers` nor reading the `webPubSubContext` input), e.g. negotiate and pages.
 */
export function browserFacingFunctionNames(registrations: readonly RegisteredFunction[]): string[] {
  return registrations
    .filter((fn) => getTriggerBinding(fn)?.type === 'httpTrigger' && !fn.webPubSubHandlers && !Object.values(fn.bindings).some((b) => b.type === 'webPubSubContext'))
    .map((fn) => fn.name);
}

/** Names of the code's `webPubSubTrigger` functions. */
export function webPubSubTriggerFunctionNames(registrations: readonly RegisteredFunction[]): string[] {
  return registrations.filter((fn) => Object.values(fn.bindings).some((b) => b.type === 'webPubSubTrigger')).map((fn) => fn.name);
}

/**
 * The hubs the code's `webPubSubTrigger` functions name, as written: a literal, or an expression such as
 * `%WebPubSubHub%` the host resolves at runtime; empty for a trigger that names none (the WebPubSubHub setting).
 */
export function webPubSubTriggerHubs(registrations: readonly RegisteredFunction[]): string[] {
  return registrations.flatMap((fn) =>
    Object.values(fn.bindings)
      .filter((b) => b.type === 'webPubSubTrigger')
      .map((b) => (typeof b.hub === 'string' ? b.hub : '')),
  );
}
