import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { WebPubSubConnectionInfo } from '../../../../lib/runtime';
import { connectionFromPrincipal, connectionFromQuery } from '../bindings';

/**
 * The App Service Authentication header carrying the signed-in principal's id
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input#get-authenticated-user-id).
 */
export const PRINCIPAL_ID_HEADER = 'x-ms-client-principal-id';

/**
 * `negotiate` (GET /api/negotiate?userid=<id>): returns the `webPubSubConnection` input (baseUrl, url, accessToken)
 * that the host generated for the `userid` query parameter. The token is per request: it is not cached.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input#webpubsubconnection ("Example", Model v4)
 */
export async function negotiateHandler(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const userId = request.query.get('userid');
  if (userId === null || userId.trim() === '') {
    return { status: 400, jsonBody: { error: 'query parameter "userid" is required' } };
  }
  return connectionResponse(context.extraInputs.get(connectionFromQuery));
}

/**
 * `negotiate-principal` (GET /api/negotiate/principal): like {@link negotiateHandler}, but the user id is the App
 * Service Authentication principal (`{headers.x-ms-client-principal-id}`), so clients cannot choose it.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input#get-authenticated-user-id
 */
export async function negotiatePrincipalHandler(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const principalId = request.headers.get(PRINCIPAL_ID_HEADER);
  if (principalId === null || principalId.trim() === '') {
    return { status: 401, jsonBody: { error: `not signed in: the ${PRINCIPAL_ID_HEADER} header is missing (enable App Service Authentication)` } };
  }
  return connectionResponse(context.extraInputs.get(connectionFromPrincipal));
}

function connectionResponse(value: unknown): HttpResponseInit {
  if (!isConnectionInfo(value)) {
    return { status: 500, jsonBody: { error: 'the webPubSubConnection input did not provide baseUrl, url and accessToken' } };
  }
  const { baseUrl, url, accessToken } = value;
  return { status: 200, jsonBody: { baseUrl, url, accessToken }, headers: { 'cache-control': 'no-store' } };
}

function isConnectionInfo(value: unknown): value is WebPubSubConnectionInfo {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.baseUrl === 'string' && typeof v.url === 'string' && typeof v.accessToken === 'string';
}
