import { IConstruct } from 'constructs';
import { InvalidPropError, isUnresolved } from './invalid-prop-error';

/**
 * The only system events an event handler can subscribe to. `connect` is blocking (the handler can reject or
 * configure the connection); `connected` and `disconnected` are notifications.
 * Source: https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#configuration (system `eventName` values) and the azurerm
 * `azurerm_web_pubsub_hub` docs.
 */
export const SYSTEM_EVENTS = ['connect', 'connected', 'disconnected'] as const;
export type SystemEvent = (typeof SYSTEM_EVENTS)[number];

// `*` for all user events, one event name, or a comma-separated list of names (Web PubSub event handler settings).
const EVENT_NAME = /^[A-Za-z0-9_.-]+$/;

export function validateSystemEvents(scope: IConstruct, prop: string, events: readonly string[]): void {
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

export function validateUserEventPattern(scope: IConstruct, prop: string, pattern: string): void {
  if (isUnresolved(pattern)) return;
  if (pattern === '*') return;
  const names = pattern.split(',');
  if (names.some((n) => !EVENT_NAME.test(n))) {
    throw new InvalidPropError(
      scope,
      prop,
      pattern,
      'must be "*", one event name, or comma-separated event names (letters, digits, "_", "-", ".", no spaces)',
    );
  }
}
