import type { InvocationContext } from '@azure/functions';
import {
  type ConnectEventRequest,
  type ConnectEventResponse,
  type EventErrorResponse,
  connectEventResponse,
  eventErrorResponse,
} from '../../../../lib/runtime';
import { LOBBY_GROUP, LOBBY_ROLES } from '../bindings';

/**
 * Subprotocols the service itself implements, in order of preference; `@azure/web-pubsub-client` offers the reliable
 * JSON one. When the client offers one of these, the connect response selects it.
 */
export const SUPPORTED_SUBPROTOCOLS: readonly string[] = ['json.reliable.webpubsub.azure.v1', 'json.webpubsub.azure.v1'];

/** App setting with a comma-separated list of user ids that may not connect. */
export const DENIED_USERS_SETTING = 'CHAT_DENIED_USERS';

/** Options of {@link createConnectHandler}. */
export interface ConnectHandlerOptions {
  /** User ids that are refused, read on every event. @default - the comma-separated `CHAT_DENIED_USERS` app setting */
  readonly deniedUserIds?: () => Iterable<string>;
}

function deniedFromSettings(): string[] {
  return (process.env[DENIED_USERS_SETTING] ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
}

/**
 * Builds the `connect` handler (system event, blocking): accepts a connection that carries a user id (from its access
 * token, i.e. from a negotiate function) by joining it to the lobby group with lobby-only roles and selecting a
 * supported subprotocol; rejects it with `unauthorized` when there is no user id or the user is denied. The service
 * drops a rejected connection.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#return-response (ConnectEventResponse, EventErrorResponse)
 */
export function createConnectHandler(
  options: ConnectHandlerOptions = {},
): (request: ConnectEventRequest, context: InvocationContext) => Promise<ConnectEventResponse | EventErrorResponse> {
  const denied = options.deniedUserIds ?? deniedFromSettings;
  return async (request, context) => {
    const { userId, connectionId } = request.connectionContext;
    if (userId === undefined || userId.trim() === '') {
      context.warn(`connect: rejected connection ${connectionId} without a user id`);
      return eventErrorResponse('unauthorized', 'a user id is required: connect with a token from /api/negotiate');
    }
    if (new Set(denied()).has(userId)) {
      context.warn(`connect: rejected denied user ${userId} (connection ${connectionId})`);
      return eventErrorResponse('unauthorized', `user ${userId} may not join this chat`);
    }
    const offered = request.subprotocols ?? [];
    const subprotocol = SUPPORTED_SUBPROTOCOLS.find((p) => offered.includes(p));
    return connectEventResponse({ userId, groups: [LOBBY_GROUP], roles: LOBBY_ROLES, subprotocol });
  };
}

/** The handler the function app registers (deny list from the `CHAT_DENIED_USERS` app setting). */
export const connectHandler = createConnectHandler();
