import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { GenerateClientTokenOptions, WebPubSubServiceClient } from '@azure/web-pubsub';
import type { WebPubSubConnectionInfo } from '../../../../lib/runtime';
import { CHAT_HUB, LOBBY_GROUP, LOBBY_ROLES } from '../bindings';

/** The part of `WebPubSubServiceClient` this function needs (lets tests pass a stand-in for the data plane). */
export type ClientTokenIssuer = Pick<WebPubSubServiceClient, 'getClientAccessToken'>;

/**
 * Reads one identity-based connection setting; local.settings.json may use `:` instead of `__`
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub, "Identity-based connections").
 */
function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[`WebPubSubConnectionString__${name}`] ?? env[`WebPubSubConnectionString:${name}`];
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/**
 * Creates the service client from the app settings the library writes: the endpoint from
 * `WebPubSubConnectionString__serviceUri` and a `ManagedIdentityCredential` for the user-assigned identity in
 * `WebPubSubConnectionString__clientId` (the identity holds "Web PubSub Service Owner" on the service).
 * A plain `WebPubSubConnectionString` (connection string, e.g. for local runs) is used when there is no serviceUri.
 */
export function createServiceClient(env: NodeJS.ProcessEnv = process.env): ClientTokenIssuer {
  // Loaded on first use, not at import: the SDKs (with MSAL) would otherwise add to every function's cold start.
  const { ManagedIdentityCredential } = require('@azure/identity') as typeof import('@azure/identity');
  const { WebPubSubServiceClient } = require('@azure/web-pubsub') as typeof import('@azure/web-pubsub');
  const endpoint = setting(env, 'serviceUri');
  if (endpoint !== undefined) {
    const clientId = setting(env, 'clientId');
    const credential = clientId !== undefined ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
    return new WebPubSubServiceClient(endpoint, credential, CHAT_HUB);
  }
  const connectionString = env.WebPubSubConnectionString;
  if (connectionString !== undefined && connectionString.trim() !== '') {
    return new WebPubSubServiceClient(connectionString, CHAT_HUB);
  }
  throw new Error('no Web PubSub connection configured: set WebPubSubConnectionString__serviceUri (and __clientId) or WebPubSubConnectionString');
}

/**
 * Builds the `negotiate-roles` handler. The `webPubSubConnection` input cannot set roles or groups, which is why this
 * function uses the server SDK (https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input#more-customization-of-generated-token).
 *
 * The handler (GET /api/negotiate/roles?userid=<id>) returns a client access token for the user,
 * restricted to {@link LOBBY_ROLES} and already joined to the lobby group, in the same `{ baseUrl, url, accessToken }`
 * shape as the `negotiate` function. `createClient` runs on the first invocation; its client is reused.
 */
export function createNegotiateRolesHandler(
  createClient: () => ClientTokenIssuer = createServiceClient,
): (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit> {
  let client: ClientTokenIssuer | undefined;
  return async (request, context) => {
    const userId = request.query.get('userid');
    if (userId === null || userId.trim() === '') {
      return { status: 400, jsonBody: { error: 'query parameter "userid" is required' } };
    }
    const options: GenerateClientTokenOptions = { userId, roles: [...LOBBY_ROLES], groups: [LOBBY_GROUP] };
    try {
      client ??= createClient();
      const token = await client.getClientAccessToken(options);
      const body: WebPubSubConnectionInfo = { baseUrl: token.baseUrl, url: token.url, accessToken: token.token };
      return { status: 200, jsonBody: body, headers: { 'cache-control': 'no-store' } };
    } catch (err) {
      context.error(`negotiate-roles: could not issue a client access token: ${err instanceof Error ? err.message : String(err)}`);
      return { status: 502, jsonBody: { error: 'could not issue a client access token' } };
    }
  };
}

/** The handler the function app registers (real client, created from the app settings on first use). */
export const negotiateRolesHandler = createNegotiateRolesHandler();
