import { WebPubSubArgumentError, requireOneOf } from './argument-checks';

/**
 * The data types a Web PubSub message can carry.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#usages (`dataType`: "supports `binary`, `text`, `json`")
 */
export type WebPubSubDataType = 'binary' | 'text' | 'json';

/** All {@link WebPubSubDataType} values, in the order the trigger documentation lists them. */
export const WEB_PUBSUB_DATA_TYPES: readonly WebPubSubDataType[] = ['binary', 'text', 'json'];

/** Bytes accepted for `binary` messages. `Uint8Array`/`ArrayBuffer` are converted to a Node `Buffer` (see {@link checkMessageData}). */
export type BinaryMessageBody = string | Uint8Array | ArrayBuffer;

/**
 * Message content for the send actions and for `UserEventResponse`.
 *
 * The bindings require `data` to be a **string** when `dataType` is `json` or `text` ("to avoid data conversion
 * ambiguity. Please use `JSON.stringify()`"); only `binary` may carry bytes.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction (the IMPORTANT note on the message data property)
 */
export type MessageData =
  | { readonly dataType: 'text'; readonly data: string }
  | { readonly dataType: 'json'; readonly data: string }
  | { readonly dataType: 'binary'; readonly data: BinaryMessageBody };

/**
 * Validates `data`/`dataType` as the bindings require and returns the payload fields.
 *
 * - `dataType` must be `binary`, `text` or `json`;
 * - for `text` and `json`, `data` must be a string (objects are rejected: call `JSON.stringify()` first);
 * - for `json`, the string must also parse as JSON, so the service never forwards a malformed JSON frame;
 * - for `binary`, `data` may be a string or bytes; `Uint8Array`/`ArrayBuffer` are copied into a Node `Buffer`,
 *   because the Functions host serialises output payloads as JSON and only a `Buffer` keeps its bytes
 *   (`{"type":"Buffer","data":[...]}`) where a plain `Uint8Array` would become an index-keyed object.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction (the IMPORTANT note on the message data property)
 */
export function checkMessageData(action: string, data: unknown, dataType: unknown): { data: string | Buffer; dataType: WebPubSubDataType } {
  const type = requireOneOf(action, 'dataType', dataType, WEB_PUBSUB_DATA_TYPES);
  if (type === 'binary') {
    if (typeof data === 'string') return { data, dataType: type };
    if (data instanceof ArrayBuffer) return { data: Buffer.from(new Uint8Array(data)), dataType: type };
    if (data instanceof Uint8Array) return { data: Buffer.from(data), dataType: type };
    throw new WebPubSubArgumentError(action, 'data', 'must be a string, Uint8Array or ArrayBuffer for dataType "binary"', data);
  }
  if (typeof data !== 'string') {
    throw new WebPubSubArgumentError(
      action,
      'data',
      `must be a string for dataType "${type}" (only "binary" data may be bytes or objects; use JSON.stringify() for objects)`,
      data,
    );
  }
  if (type === 'json') {
    try {
      JSON.parse(data);
    } catch {
      throw new WebPubSubArgumentError(action, 'data', 'must be valid JSON text for dataType "json"', data);
    }
  }
  return { data, dataType: type };
}
