import { WebPubSubArgumentError, requireNonEmptyString } from './argument-checks';
import type { ConnectionStates } from './connection-context';

/**
 * The HTTP response header that carries connection states when an HTTP-trigger function answers an upstream request
 * itself (the `webPubSubContext` path), in the casing the input binding documentation uses (HTTP header names are
 * case-insensitive).
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input#webpubsubcontext (the NOTE under "Usage": "put connection state with key
 *   `ce-connectionstate` in **response header**")
 */
export const CONNECTION_STATE_HEADER = 'ce-connectionstate';

/**
 * An immutable record of `SetState()` / `ClearStates()` calls, applied to a connection's current states with the
 * trigger's documented merge rule: "Value in existing key is overwrite and value in new key is added"; `clearStates()` drops every
 * state set before it (earlier ones and those from this update), later `setState` calls add to the empty set.
 *
 * The documentation describes the trigger merging these itself for C# return objects; for JavaScript it documents no return
 * key for states, and on the `webPubSubContext` path "connection state post merge isn't supported", so the function
 * merges ({@link applyTo}) and sends the result in the {@link CONNECTION_STATE_HEADER} header ({@link toHeaders}).
 *
 * @example
 * const update = ConnectionStateUpdate.empty().setState('room', 'lobby');
 * return { body: JSON.stringify(connectEventResponse({ userId })), headers: update.toHeaders(request.connectionContext.states) };
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#return-response (SetState(), ClearStates(), merge with `WebPubSubConnectionContext.States`)
 */
export class ConnectionStateUpdate {
  /** An update that changes nothing. */
  public static empty(): ConnectionStateUpdate {
    return new ConnectionStateUpdate(false, {});
  }

  private constructor(
    /** Whether the original states are dropped before {@link assignments} apply. */
    public readonly clearsExisting: boolean,
    /** The states to set, by key (later `setState` calls for the same key win). */
    public readonly assignments: ConnectionStates,
  ) {
    Object.freeze(this.assignments);
  }

  /**
   * Returns a new update that also sets `key` to `value`. `value` must survive `JSON.stringify` (not `undefined`, a
   * function or a symbol), because states travel as JSON.
   */
  public setState(key: string, value: unknown): ConnectionStateUpdate {
    requireNonEmptyString('setState', 'key', key);
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
      throw new WebPubSubArgumentError('setState', 'value', 'must be a JSON-serialisable value', value);
    }
    return new ConnectionStateUpdate(this.clearsExisting, { ...this.assignments, [key]: value });
  }

  /** Returns a new update that drops all states (existing ones and those set on this update so far). */
  public clearStates(): ConnectionStateUpdate {
    return new ConnectionStateUpdate(true, {});
  }

  /** The states after this update is merged into `original` (the request's `connectionContext.states`). */
  public applyTo(original: ConnectionStates | undefined): Record<string, unknown> {
    return { ...(this.clearsExisting ? {} : (original ?? {})), ...this.assignments };
  }

  /**
   * The `ce-connectionstate` header carrying {@link applyTo}(`original`): the merged states as JSON, base64-encoded.
   * The binding documentation names the header but not its encoding; base64-encoded JSON is the `ce-connectionState`
   * format of the Web PubSub CloudEvents protocol (https://learn.microsoft.com/azure/azure-web-pubsub/reference-cloud-events, `connectionState` attribute) and of the
   * extension (`Microsoft.Azure.WebJobs.Extensions.WebPubSub`).
   */
  public toHeaders(original: ConnectionStates | undefined): Record<typeof CONNECTION_STATE_HEADER, string> {
    const json = JSON.stringify(this.applyTo(original));
    return { [CONNECTION_STATE_HEADER]: Buffer.from(json, 'utf8').toString('base64') };
  }
}
