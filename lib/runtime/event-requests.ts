import type { MqttConnectionContext, WebPubSubConnectionContext } from './connection-context';
import type { WebPubSubDataType } from './message-data';

/**
 * What the `webPubSubTrigger` delivers as `request` (and `webPubSubContext.request`), per event.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#usages (`request`, `claims`, `query`, `subprotocols`, `clientCertificates`,
 *   `data`, `dataType`, `reason` rows)
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input#webpubsubcontext (the derived classes table under "Usage")
 */

/**
 * A client certificate presented on connect. The trigger documentation calls it "a list of certificate thumbprint";
 * `content` is the optional PEM content the extension model (`WebPubSubClientCertificate`) also carries.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#usages (`clientCertificates` row)
 * @see https://github.com/Azure/azure-sdk-for-net/blob/main/sdk/webpubsub/Microsoft.Azure.WebPubSub.Common/src/WebPubSubClientCertificate.cs
 */
export interface WebPubSubClientCertificate {
  /** The certificate thumbprint. */
  readonly thumbprint: string;
  /** The certificate content, when the service forwards it. */
  readonly content?: string;
}

/**
 * `ConnectEventRequest`: the blocking system `connect` event; answer with a `ConnectEventResponse` or an
 * `EventErrorResponse` (see `./event-responses`).
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input#webpubsubcontext (`ConnectEventRequest`: Claims, Query, Subprotocols, ClientCertificates)
 */
export interface ConnectEventRequest<C extends WebPubSubConnectionContext = WebPubSubConnectionContext> {
  readonly connectionContext: C;
  /** User claims of the client token, each claim type mapped to its values. */
  readonly claims?: Readonly<Record<string, readonly string[]>>;
  /** The query of the client's connect request, each name mapped to its values. */
  readonly query?: Readonly<Record<string, readonly string[]>>;
  /** The subprotocols the client offered; a `ConnectEventResponse.subprotocol` must be one of them. */
  readonly subprotocols?: readonly string[];
  /** Client certificates, when client certificate authentication is enabled on the service. */
  readonly clientCertificates?: readonly WebPubSubClientCertificate[];
}

/**
 * `ConnectedEventRequest`: the non-blocking system `connected` event (no extra properties).
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input#webpubsubcontext (`ConnectedEventRequest`: -)
 */
export interface ConnectedEventRequest<C extends WebPubSubConnectionContext = WebPubSubConnectionContext> {
  readonly connectionContext: C;
}

/**
 * `UserEventRequest`: a user event (`message` for simple WebSocket clients, the event name for
 * `json.webpubsub.azure.v1`); answer with a `UserEventResponse` or an `EventErrorResponse`.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input#webpubsubcontext (`UserEventRequest`: Data, DataType)
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#usages (`data`: "`BinaryData`,`string`,`Stream`,`byte[]`")
 */
export interface UserEventRequest<C extends WebPubSubConnectionContext = WebPubSubConnectionContext> {
  readonly connectionContext: C;
  /** The message: a string for `text`/`json`, bytes for `binary` (their JavaScript shape depends on the host). */
  readonly data: string | Uint8Array | ArrayBuffer;
  /** `binary`, `text` or `json`. */
  readonly dataType: WebPubSubDataType;
}

/**
 * `DisconnectedEventRequest`: the non-blocking system `disconnected` event.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input#webpubsubcontext (`DisconnectedEventRequest`: Reason)
 */
export interface DisconnectedEventRequest<C extends WebPubSubConnectionContext = WebPubSubConnectionContext> {
  readonly connectionContext: C;
  /** Why the connection closed, when the service knows. */
  readonly reason?: string;
}

/**
 * An MQTT user property (name/value pair) from an MQTT 5.0 CONNECT packet.
 *
 * Source: `MqttUserProperty` in `Microsoft.Azure.WebPubSub.Common` (the binding documentation does not describe MQTT
 * fields): https://github.com/Azure/azure-sdk-for-net/blob/main/sdk/webpubsub/Microsoft.Azure.WebPubSub.Common/src/Mqtt/MqttUserProperty.cs
 */
export interface MqttUserProperty {
  readonly name: string;
  readonly value: string;
}

/**
 * The MQTT CONNECT packet properties of an MQTT connect event.
 *
 * Source: `MqttConnectProperties` in `Microsoft.Azure.WebPubSub.Common` (the binding documentation only names
 * `MqttConnectEventRequest`): https://github.com/Azure/azure-sdk-for-net/blob/main/sdk/webpubsub/Microsoft.Azure.WebPubSub.Common/src/Mqtt/MqttConnectProperties.cs
 */
export interface MqttConnectProperties {
  /** MQTT protocol version: 4 for MQTT 3.1.1, 5 for MQTT 5.0. */
  readonly protocolVersion: number;
  /** The CONNECT packet's username. */
  readonly username?: string;
  /** The CONNECT packet's password. */
  readonly password?: string;
  /** The CONNECT packet's user properties (MQTT 5.0). */
  readonly userProperties?: readonly MqttUserProperty[];
}

/**
 * `MqttConnectEventRequest`: a connect event from an MQTT client (trigger `clientProtocols` `all` or `mqtt`).
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#usages (the `request` row names `MqttConnectEventRequest`); fields per
 *   `Microsoft.Azure.WebPubSub.Common` (https://github.com/Azure/azure-sdk-for-net/blob/main/sdk/webpubsub/Microsoft.Azure.WebPubSub.Common/src/Request/MqttConnectEventRequest.cs).
 */
export interface MqttConnectEventRequest extends ConnectEventRequest<MqttConnectionContext> {
  readonly mqtt: MqttConnectProperties;
}

/**
 * `MqttConnectedEventRequest`: the connected event of an MQTT client (its context carries the MQTT session ids).
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#usages (the `request` row names `MqttConnectedEventRequest`)
 */
export type MqttConnectedEventRequest = ConnectedEventRequest<MqttConnectionContext>;

/**
 * The MQTT part of a disconnected event.
 *
 * Source: `MqttDisconnectedEventRequestProperties` in `Microsoft.Azure.WebPubSub.Common`:
 * https://github.com/Azure/azure-sdk-for-net/blob/main/sdk/webpubsub/Microsoft.Azure.WebPubSub.Common/src/Mqtt/MqttDisconnectedEventRequestProperties.cs
 */
export interface MqttDisconnectedProperties {
  /** Whether the client initiated the disconnection. */
  readonly initiatedByClient: boolean;
  /** The DISCONNECT packet that ended the last physical connection, when there was one. */
  readonly disconnectPacket?: {
    /** The MQTT 5.0 DISCONNECT reason code (always 0 for MQTT 3.1.1 clients). */
    readonly code: number;
  };
}

/**
 * `MqttDisconnectedEventRequest`: the disconnected event of an MQTT client.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#usages (the `request` row names `MqttDisconnectedEventRequest`); fields per
 *   `Microsoft.Azure.WebPubSub.Common` (https://github.com/Azure/azure-sdk-for-net/blob/main/sdk/webpubsub/Microsoft.Azure.WebPubSub.Common/src/Request/MqttDisconnectedEventRequest.cs).
 */
export interface MqttDisconnectedEventRequest extends DisconnectedEventRequest<MqttConnectionContext> {
  readonly mqtt: MqttDisconnectedProperties;
}

/**
 * Any request the trigger can deliver (`WebPubSubEventRequest` in the binding documentation): narrow on
 * `connectionContext.eventType` / `eventName`, and on the presence of `mqtt` for MQTT clients.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#usages (`request`: "Property differs by different event types")
 */
export type WebPubSubEventRequest =
  | ConnectEventRequest
  | ConnectedEventRequest
  | UserEventRequest
  | DisconnectedEventRequest
  | MqttConnectEventRequest
  | MqttConnectedEventRequest
  | MqttDisconnectedEventRequest;
