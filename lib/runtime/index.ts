/**
 * `cdktf-azure-webpubsub/runtime`: types and checked builders for function code that uses the Azure Web PubSub
 * bindings (trigger requests, event responses, output actions) and `registerWebPubSubHandlers`, which serves a hub's
 * handlers as a key-protected HTTP function with the `webPubSubContext` input (every plan, Flex Consumption included). It has no runtime dependencies — not cdktf, not
 * constructs, not `@azure/functions` — so it can be bundled into a Function App package on its own. Binding *options*
 * (`app.webPubSub`, `input.webPubSubConnection`, `input.webPubSubContext`, `output.webPubSub`) come from
 * `@azure/functions`.
 *
 * @see https://learn.microsoft.com/azure/azure-web-pubsub/reference-functions-bindings (trigger, input and output bindings with the 14 output actions)
 */
export { WebPubSubArgumentError } from './argument-checks';
export { type BinaryMessageBody, type MessageData, type WebPubSubDataType, WEB_PUBSUB_DATA_TYPES } from './message-data';
export type {
  ConnectionStates,
  MqttConnectionContext,
  WebPubSubConnectionContext,
  WebPubSubEventType,
  WebPubSubSystemEventName,
} from './connection-context';
export type {
  ConnectEventRequest,
  ConnectedEventRequest,
  DisconnectedEventRequest,
  MqttConnectEventRequest,
  MqttConnectProperties,
  MqttConnectedEventRequest,
  MqttDisconnectedEventRequest,
  MqttDisconnectedProperties,
  MqttUserProperty,
  UserEventRequest,
  WebPubSubClientCertificate,
  WebPubSubEventRequest,
} from './event-requests';
export type { WebPubSubConnectionInfo, WebPubSubContext, WebPubSubContextResponse } from './webpubsub-context';
export { CONNECTION_STATE_HEADER, ConnectionStateUpdate } from './connection-states';
export {
  type ConnectEventResponse,
  type ConnectEventResponseOptions,
  type EventErrorResponse,
  type UserEventResponse,
  type WebPubSubErrorCode,
  WEB_PUBSUB_ERROR_CODES,
  connectEventResponse,
  eventErrorResponse,
  userEventResponse,
} from './event-responses';
export * from './output-actions';
export {
  type ConnectHandlerResult,
  type ContextOf,
  type EventResponseWithStates,
  type HttpFunctionRegistrar,
  type HttpRequestLike,
  type InvocationContextLike,
  type MaybePromise,
  type UserEventHandlerResult,
  type WebPubSubContextInputFactory,
  type WebPubSubHandlers,
  type WebPubSubHandlersDeclaration,
  type WebPubSubHttpResponse,
  createWebPubSubDispatcher,
  registerWebPubSubHandlers,
  withConnectionStates,
} from './web-pubsub-handlers';
