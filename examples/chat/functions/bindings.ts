/**
 * Hub name and binding declarations shared by the chat functions. Only binding *objects* live here (plain option
 * records from `@azure/functions`): creating them registers nothing, so handler modules and tests can import them.
 *
 * No binding sets `connection`: every binding uses the default app-setting prefix `WebPubSubConnectionString`, which
 * the library's Function App fills with the identity-based settings (`__serviceUri`, `__credential`, `__clientId`).
 *
 * @see https://learn.microsoft.com/azure/azure-web-pubsub/reference-functions-bindings (trigger, `webPubSubConnection`, `webPubSubContext`, `webPubSub` output)
 */
import { input, output } from '@azure/functions';

/** The Web PubSub hub of the example; `main.ts` declares the same hub on the service. */
export const CHAT_HUB = 'chat';

/** The group every accepted connection joins on connect. */
export const LOBBY_GROUP = 'lobby';

/**
 * Roles of a chat connection: join/leave and publish to the lobby group only
 * (https://learn.microsoft.com/azure/azure-web-pubsub/reference-json-webpubsub-subprotocol#permissions).
 */
export const LOBBY_ROLES: readonly string[] = [`webpubsub.joinLeaveGroup.${LOBBY_GROUP}`, `webpubsub.sendToGroup.${LOBBY_GROUP}`];

/**
 * `webPubSubConnection` input, user id from the `userid` query parameter
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input#webpubsubconnection, "Example").
 */
export const connectionFromQuery = input.webPubSubConnection({
  name: 'connection',
  hub: CHAT_HUB,
  userId: '{query.userid}',
});

/**
 * `webPubSubConnection` input, user id from the App Service Authentication header
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input#get-authenticated-user-id). Only meaningful when the Function App has App Service
 * Authentication (Easy Auth) enabled.
 */
export const connectionFromPrincipal = input.webPubSubConnection({
  name: 'connection',
  hub: CHAT_HUB,
  userId: '{headers.x-ms-client-principal-id}',
});

/**
 * `webPubSubContext` input for HTTP-trigger functions that receive upstream requests themselves
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input#webpubsubcontext).
 */
export const webPubSubContextInput = input.webPubSubContext({ name: 'wpsContext' });

/** `webPubSub` output: the actions a function sets here are sent to the service after it returns (https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output). */
export const chatActions = output.webPubSub({ name: 'actions', hub: CHAT_HUB });
