import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import {
  ConnectionStateUpdate,
  type WebPubSubContext,
  type WebPubSubContextResponse,
  connectEventResponse,
} from '../../../../lib/runtime';
import { webPubSubContextInput } from '../bindings';

/** Connection state this handler sets on connect (sent in the `ce-connectionstate` header). */
export const ACCEPTED_VIA_STATE = 'acceptedVia';

/**
 * Converts the response the extension pre-built (`wpsContext.response`) into an HTTP response: header values that
 * come as lists are joined, a non-string body is sent as JSON.
 */
export function toHttpResponse(response: WebPubSubContextResponse | undefined, fallbackStatus: number): HttpResponseInit {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response?.headers ?? {})) {
    headers[name] = typeof value === 'string' ? value : value.join(', ');
  }
  const result: { status: number; headers: Record<string, string>; body?: string } = { status: response?.status ?? fallbackStatus, headers };
  if (response?.body !== undefined && response.body !== null) {
    result.body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  }
  return result;
}

/**
 * `webpubsub-context` (POST/OPTIONS /api/webpubsub-context/{event}): receives Web PubSub upstream requests through a
 * plain HTTP trigger with the `webPubSubContext` input, the path Static Web Apps needs.
 *
 * - Abuse-protection preflight (`OPTIONS`, `isPreflight`) and invalid requests (`hasError`): return the response the
 *   extension pre-built, unchanged (it carries `WebHook-Allowed-Origin` for the preflight, the error otherwise).
 * - `connected`: recorded for analytics (a log line with hub, user and connection), `200` with no body.
 * - `connect`: accepted with the user id; as "connection state post merge isn't supported" on this path, the merged
 *   states go in the `ce-connectionstate` response header.
 * - anything else: `200` with no body (no event response).
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input#webpubsubcontext
 */
export async function webPubSubContextHandler(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const wpsContext = context.extraInputs.get(webPubSubContextInput) as WebPubSubContext | undefined;
  if (wpsContext === undefined) {
    return { status: 500, body: 'the webPubSubContext input is missing' };
  }
  if (wpsContext.isPreflight || wpsContext.hasError) {
    if (wpsContext.hasError) context.warn(`webpubsub-context: invalid upstream request: ${wpsContext.errorMessage ?? 'no details'}`);
    return toHttpResponse(wpsContext.response, wpsContext.hasError ? 400 : 200);
  }
  const connection = wpsContext.request?.connectionContext;
  if (connection === undefined) {
    return { status: 400, body: 'the upstream request has no connection context' };
  }
  const routeEvent = request.params.event;
  if (routeEvent !== undefined && routeEvent.toLowerCase() !== connection.eventName.toLowerCase()) {
    context.warn(`webpubsub-context: route event "${routeEvent}" differs from the request's event "${connection.eventName}"`);
  }
  switch (connection.eventName.toLowerCase()) {
    case 'connected':
      context.info(
        `analytics: connected hub=${connection.hub} user=${connection.userId ?? '-'} connection=${connection.connectionId}`,
      );
      return { status: 200 };
    case 'connect': {
      const states = ConnectionStateUpdate.empty().setState(ACCEPTED_VIA_STATE, 'webpubsub-context');
      return {
        status: 200,
        jsonBody: connectEventResponse({ userId: connection.userId }),
        headers: states.toHeaders(connection.states),
      };
    }
    default:
      return { status: 200 };
  }
}
