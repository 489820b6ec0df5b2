/**
 * The common request information the `webPubSubTrigger` (and the `webPubSubContext` input) delivers with every event.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#usages (`connectionContext`: `WebPubSubConnectionContext` with EventType, EventName, Hub,
 *   ConnectionId, UserId, Headers, Origin, Signature, States)
 */

/**
 * The two event types a trigger can be bound to. Same values as `WebPubSubTriggerOptions.eventType` in
 * `@azure/functions`.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#configuration (`eventType`: "either `user` or `system`")
 */
export type WebPubSubEventType = 'user' | 'system';

/**
 * The system event names.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#configuration (`eventName`: "For `system` event type, the event name should be in
 *   `connect`, `connected`, `disconnected`")
 */
export type WebPubSubSystemEventName = 'connect' | 'connected' | 'disconnected';

/**
 * Connection states as the extension hands them to JavaScript: the state key mapped to its (JSON-deserialised) value.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#return-response (`WebPubSubConnectionContext.States`)
 */
export type ConnectionStates = Readonly<Record<string, unknown>>;

/**
 * `connectionContext`: common request information of every Web PubSub event (camelCase, as JavaScript receives it).
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#usages (`connectionContext` row)
 */
export interface WebPubSubConnectionContext {
  /** `user` or `system`. */
  readonly eventType: WebPubSubEventType;
  /** `connect`, `connected`, `disconnected` for system events; `message` or the user-defined event name otherwise. */
  readonly eventName: string;
  /** The hub the connection belongs to. */
  readonly hub: string;
  /** The service-generated id of the client connection. */
  readonly connectionId: string;
  /** The user id of the connection, when the client token (or a connect response) set one. */
  readonly userId?: string;
  /** The headers of the upstream request, each name mapped to its values. */
  readonly headers?: Readonly<Record<string, readonly string[]>>;
  /** The origin (service host) the upstream request came from. */
  readonly origin?: string;
  /** The signature the extension validated against the connection string's access key. */
  readonly signature?: string;
  /** The connection states set by earlier connect or user event responses. */
  readonly states?: ConnectionStates;
}

/**
 * `connectionContext` of an MQTT client. The trigger documentation names the MQTT request classes
 * (`MqttConnectEventRequest`, `MqttConnectedEventRequest`, `MqttDisconnectedEventRequest`) but not their fields; the
 * two extra fields here follow `MqttConnectionContext` in `Microsoft.Azure.WebPubSub.Common` (azure-sdk-for-net), the
 * model the extension serialises.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#usages (`request` row) and #configuration (`clientProtocols: mqtt`)
 * @see https://github.com/Azure/azure-sdk-for-net/blob/main/sdk/webpubsub/Microsoft.Azure.WebPubSub.Common/src/MqttConnectionContext.cs
 */
export interface MqttConnectionContext extends WebPubSubConnectionContext {
  /** The service-generated id of the network (physical) connection; `connectionId` identifies the MQTT session. */
  readonly physicalConnectionId: string;
  /** The service-generated id of the MQTT session, when there is one. */
  readonly sessionId?: string;
}
