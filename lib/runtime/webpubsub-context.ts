import type { WebPubSubEventRequest } from './event-requests';

/**
 * The shapes of the two Web PubSub input bindings as JavaScript receives them. The binding *options*
 * (`input.webPubSubConnection(...)`, `input.webPubSubContext(...)`) come from `@azure/functions` and are not repeated
 * here.
 */

/**
 * `webPubSubContext` input (HTTP-trigger functions that receive the service's upstream requests themselves).
 * Check `isPreflight` and `hasError` first and, if either is set, return `response` as is.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input#webpubsubcontext ("Usage": request, response, errorMessage, hasError, isPreflight)
 */
export interface WebPubSubContext {
  /** The deserialised upstream request (`PreflightRequest` when `isPreflight`). */
  readonly request?: WebPubSubEventRequest;
  /** The response the extension built, mainly for abuse protection and error cases. */
  readonly response?: WebPubSubContextResponse;
  /** The error details when the upstream request was not valid. */
  readonly errorMessage?: string;
  /** Whether the request was *not* a valid Web PubSub upstream request. */
  readonly hasError: boolean;
  /** Whether the request is an abuse-protection preflight (`OPTIONS`). */
  readonly isPreflight: boolean;
}

/**
 * The HTTP response the extension pre-builds in `WebPubSubContext.response`.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input#webpubsubcontext ("Example": `wpsResponse.Status`, `wpsResponse.Headers`, `response.Body`)
 */
export interface WebPubSubContextResponse {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: unknown;
}

/**
 * `webPubSubConnection` input: what a negotiate function returns to a client.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input#webpubsubconnection ("Usage", JavaScript: baseUrl, url, accessToken)
 */
export interface WebPubSubConnectionInfo {
  /** Web PubSub client connection URI. */
  readonly baseUrl: string;
  /** Absolute URI of the connection, including the access token. */
  readonly url: string;
  /** Access token generated from the request's user id and the service information; do not cache or share it. */
  readonly accessToken: string;
}
