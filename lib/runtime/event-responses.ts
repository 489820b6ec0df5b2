import {
  WebPubSubArgumentError,
  optionalNonEmptyString,
  optionalNonEmptyStringArray,
  optionalString,
  requireOneOf,
} from './argument-checks';
import { type MessageData, type WebPubSubDataType, checkMessageData } from './message-data';

/**
 * What a `webPubSubTrigger` handler may return for the synchronous events (system `connect` and user events). In
 * JavaScript the extension picks the response type from the object's keys, and `EventErrorResponse` wins whenever
 * `code` is present (the client connection is then dropped).
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#return-response
 * @see https://learn.microsoft.com/azure/azure-web-pubsub/reference-functions-bindings#trigger-binding ("Example", JavaScript Model v4)
 */

/**
 * Options of {@link connectEventResponse}. All optional: an empty response accepts the connection unchanged.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#return-response (`ConnectEventResponse`: Groups, Roles, UserId, Subprotocol)
 */
export interface ConnectEventResponseOptions {
  /** Sets (or overrides) the connection's user id. @default - the user id of the client's token, if any */
  readonly userId?: string;
  /** Groups the connection joins. @default - none */
  readonly groups?: readonly string[];
  /** Roles (permissions) granted to the connection, e.g. `webpubsub.joinLeaveGroup`. @default - none */
  readonly roles?: readonly string[];
  /** The subprotocol the service selects; one of the request's `subprotocols`. @default - none selected */
  readonly subprotocol?: string;
}

/**
 * `ConnectEventResponse`: accepts a `connect` event. Only the given fields are present.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#return-response (`ConnectEventResponse`)
 */
export interface ConnectEventResponse {
  readonly userId?: string;
  readonly groups?: string[];
  readonly roles?: string[];
  readonly subprotocol?: string;
}

/**
 * `UserEventResponse`: the message sent back to the calling client for a user event.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#return-response (`UserEventResponse`: DataType, Data)
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction (the IMPORTANT note on message data applies to
 *   `UserEventResponse.Data` too)
 */
export interface UserEventResponse {
  readonly data: string | Buffer;
  readonly dataType: WebPubSubDataType;
}

/**
 * Error codes of `EventErrorResponse`. The binding documentation names the `Code` property but does not list its
 * values; these are the serialised values of `WebPubSubErrorCode` in the extension.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#return-response (`EventErrorResponse`: Code, ErrorMessage)
 * @see https://github.com/Azure/azure-sdk-for-net/blob/main/sdk/webpubsub/Microsoft.Azure.WebPubSub.Common/src/Response/WebPubSubErrorCode.cs
 */
export type WebPubSubErrorCode = 'unauthorized' | 'userError' | 'serverError';

/** All {@link WebPubSubErrorCode} values. */
export const WEB_PUBSUB_ERROR_CODES: readonly WebPubSubErrorCode[] = ['unauthorized', 'userError', 'serverError'];

/**
 * `EventErrorResponse`: rejects a `connect` or user event; the service drops the client connection.
 *
 * @see https://learn.microsoft.com/azure/azure-web-pubsub/reference-functions-bindings#trigger-binding ("Example": "if `code` is in the return, then it's parsed to
 *   `EventErrorResponse` and client connection is dropped")
 */
export interface EventErrorResponse {
  readonly code: WebPubSubErrorCode;
  readonly errorMessage?: string;
}

/**
 * Builds a `ConnectEventResponse`, checking that `userId`/`subprotocol` are non-empty strings and `groups`/`roles`
 * arrays of non-empty strings when given. The arrays are copied.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#return-response (`ConnectEventResponse`)
 */
export function connectEventResponse(options: ConnectEventResponseOptions = {}): ConnectEventResponse {
  const name = 'connectEventResponse';
  const response: { -readonly [K in keyof ConnectEventResponse]: ConnectEventResponse[K] } = {};
  const userId = optionalNonEmptyString(name, 'userId', options.userId);
  const groups = optionalNonEmptyStringArray(name, 'groups', options.groups);
  const roles = optionalNonEmptyStringArray(name, 'roles', options.roles);
  const subprotocol = optionalNonEmptyString(name, 'subprotocol', options.subprotocol);
  if (userId !== undefined) response.userId = userId;
  if (groups !== undefined) response.groups = groups;
  if (roles !== undefined) response.roles = roles;
  if (subprotocol !== undefined) response.subprotocol = subprotocol;
  return response;
}

/**
 * Builds a `UserEventResponse`. For `text` and `json`, `data` must be a string (use `JSON.stringify()`); `binary`
 * accepts a string or bytes (see `checkMessageData`).
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#return-response (`UserEventResponse`)
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction (the IMPORTANT note on message data)
 */
export function userEventResponse(message: MessageData): UserEventResponse {
  if (message === null || typeof message !== 'object') {
    throw new WebPubSubArgumentError('userEventResponse', 'message', 'must be an object with data and dataType', message);
  }
  return checkMessageData('userEventResponse', message.data, message.dataType);
}

/**
 * Builds an `EventErrorResponse` with one of the allowed codes and an optional message.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#return-response (`EventErrorResponse`: Code, ErrorMessage)
 */
export function eventErrorResponse(code: WebPubSubErrorCode, errorMessage?: string): EventErrorResponse {
  const checkedCode = requireOneOf('eventErrorResponse', 'code', code, WEB_PUBSUB_ERROR_CODES);
  const message = optionalString('eventErrorResponse', 'errorMessage', errorMessage);
  return message === undefined ? { code: checkedCode } : { code: checkedCode, errorMessage: message };
}
