/**
 * A hub's Web PubSub event handlers written once and served as one key-protected HTTP function with the
 * `webPubSubContext` input, the upstream Microsoft documents beside the trigger ("WebPubSubTrigger trigger binding or
 * WebPubSubContext input binding with HttpTrigger to handle service request",
 * https://learn.microsoft.com/azure/azure-web-pubsub/reference-functions-bindings, key concepts (3)-(4)).
 *
 * Why not `app.webPubSub` everywhere: on Flex Consumption the instances that receive HTTP requests run only HTTP
 * functions (and a few webhook triggers that do not include `webPubSubTrigger`), so the trigger's webhook answers
 * 404 there (azure-functions-host#11493). An HTTP function is served on every plan.
 *
 * The handlers keep the trigger's signature `(request, context)` and typed requests; what differs on the HTTP path the
 * adapter does: it answers the abuse-protection preflight and invalid requests with the response the binding
 * pre-built, turns returned responses into HTTP (status, content type, body), merges connection states into the
 * `ce-connectionstate` header ("connection state post merge isn't supported" on this path) and gives `binary` data as
 * bytes. The output binding (`extraOutputs`, the action builders) works unchanged.
 *
 * This module has no runtime dependency: `app` and `input` come from the caller's own `@azure/functions`, so the
 * functions register with the same instance the Functions worker loads, and the runtime entry stays bundle-neutral.
 */
import { WebPubSubArgumentError, describeValue } from './argument-checks';
import { ConnectionStateUpdate } from './connection-states';
import type { ConnectionStates } from './connection-context';
import type {
  ConnectEventRequest,
  ConnectedEventRequest,
  DisconnectedEventRequest,
  MqttConnectEventRequest,
  MqttConnectedEventRequest,
  MqttDisconnectedEventRequest,
  UserEventRequest,
} from './event-requests';
import type { ConnectEventResponse, EventErrorResponse, UserEventResponse } from './event-responses';
import type { WebPubSubContext, WebPubSubContextResponse } from './webpubsub-context';

/** A value or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/** The part of `@azure/functions`' `HttpRequest` the adapter reads. */
export interface HttpRequestLike {
  readonly method: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The part of `@azure/functions`' `InvocationContext` the adapter uses. */
export interface InvocationContextLike {
  readonly extraInputs: { get(input: never): unknown };
  warn(...args: unknown[]): void;
}

/** What the adapter returns to the Functions host (an `HttpResponseInit`). */
export interface WebPubSubHttpResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
}

/** The shape of `app.http` this helper calls. */
export interface HttpFunctionRegistrar {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  http(name: string, options: any): void;
}

/** The shape of `input` (from `@azure/functions`) this helper calls. */
export interface WebPubSubContextInputFactory {
  webPubSubContext(options: { name: string; connections?: string[] }): unknown;
}

/** The invocation context type of an `app` (what `@azure/functions` passes to HTTP handlers). */
export type ContextOf<A> = A extends { http(name: string, options: infer O): void }
  ? O extends { handler: (request: never, context: infer C) => unknown }
    ? C
    : InvocationContextLike
  : InvocationContextLike;

/**
 * A response together with changes to the connection's states; see `withConnectionStates`. Only `connect` and
 * user events can change states (their responses are the ones the service reads).
 */
export interface EventResponseWithStates<R> {
  readonly response: R | undefined;
  readonly states: ConnectionStateUpdate;
}

/** What a `connect` handler may return: accept (with or without changes), reject, or accept unchanged (nothing). */
export type ConnectHandlerResult =
  | ConnectEventResponse
  | EventErrorResponse
  | EventResponseWithStates<ConnectEventResponse>
  | void
  | undefined;

/** What a user event handler may return: a reply, an error, a reply with state changes, or nothing. */
export type UserEventHandlerResult = UserEventResponse | EventErrorResponse | EventResponseWithStates<UserEventResponse> | void | undefined;

/** The handlers of one hub and how they are served. Give at least one handler. */
export interface WebPubSubHandlers<C = InvocationContextLike> {
  /** The hub, as the service names it (a literal: the route and the hub's routing are derived from it). */
  readonly hub: string;
  /**
   * Name of the HTTP function.
   * @default `webpubsub-<hub>` (characters a function name cannot hold become `-`)
   */
  readonly functionName?: string;
  /**
   * Route of the HTTP function, under the host's route prefix (`api`); must contain `{event}`, which the service
   * fills with the event name (and with `validate` when it checks the URL).
   * @default `webpubsub/<hub>/{event}`
   */
  readonly route?: string;
  /**
   * App-setting prefixes of the services that call this function (the `webPubSubContext` input's `connections`,
   * used for the abuse-protection check of the origin).
   * @default - the binding's default, `WebPubSubConnectionString`
   */
  readonly connections?: string[];
  /** Extra inputs of the function (e.g. a `webPubSubConnection` input). @default - none */
  readonly extraInputs?: readonly unknown[];
  /** Extra outputs of the function, e.g. `output.webPubSub(...)` for the action builders. @default - none */
  readonly extraOutputs?: readonly unknown[];
  /** System `connect` (blocking): accept, change or reject the connection. @default - `connect` is not routed here */
  readonly connect?: (request: ConnectEventRequest | MqttConnectEventRequest, context: C) => MaybePromise<ConnectHandlerResult>;
  /** System `connected` (notification). @default - not routed here */
  readonly connected?: (request: ConnectedEventRequest | MqttConnectedEventRequest, context: C) => MaybePromise<void>;
  /** System `disconnected` (notification). @default - not routed here */
  readonly disconnected?: (request: DisconnectedEventRequest | MqttDisconnectedEventRequest, context: C) => MaybePromise<void>;
  /**
   * User events by name (`message` for simple WebSocket clients); `*` handles every name without its own entry.
   * @default - no user event is routed here
   */
  readonly userEvents?: Readonly<Record<string, (request: UserEventRequest, context: C) => MaybePromise<UserEventHandlerResult>>>;
}

/** What {@link registerWebPubSubHandlers} registered: the infrastructure derives the hub's routing from the same. */
export interface WebPubSubHandlersDeclaration {
  readonly functionName: string;
  readonly hub: string;
  /** The function's route, with `{event}`. */
  readonly route: string;
  /** Routed system events, in the order connect, connected, disconnected. */
  readonly systemEvents: Array<'connect' | 'connected' | 'disconnected'>;
  /** `*`, or the user event names sorted and joined with `,`; absent when no user event is handled. */
  readonly userEventPattern?: string;
}

/**
 * The global (a `Symbol.for` key) the library's synth-time recorder defines to learn what this helper registers; it
 * does not exist in Azure, where the call is skipped.
 */
export const HANDLERS_DECLARATION_HOOK = 'cdktf-azure-webpubsub/web-pubsub-handlers';

/** The name the `webPubSubContext` input gets in the registered function. */
export const WEB_PUBSUB_CONTEXT_INPUT_NAME = 'webPubSubContext';

const SYSTEM_EVENT_ORDER = ['connect', 'connected', 'disconnected'] as const;
const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;
// Hub names made of these need no escaping in a route (the hub rule also allows `` ` ``, `,`, `.`, `[`, `]`).
const ROUTE_SAFE_HUB = /^[A-Za-z0-9_.-]+$/;

/**
 * Registers a hub's handlers as one HTTP function (`POST`, `OPTIONS`; `authLevel: 'function'`: with identity-based
 * connections the extension skips the signature check, so the key in the hub's URL is the only guard) with the
 * `webPubSubContext` input, and returns what it registered.
 *
 * @example
 * // with `app`, `input` and `output` from `@azure/functions`:
 * const actions = output.webPubSub({ name: 'actions', hub: 'chat' });
 * registerWebPubSubHandlers({ app, input }, {
 *   hub: 'chat',
 *   extraOutputs: [actions],
 *   connect: async (request) => connectEventResponse({ userId: request.connectionContext.userId }),
 *   userEvents: { message: async (request, context) => { context.extraOutputs.set(actions, sendToAll({ data: String(request.data), dataType: 'text' })); } },
 * });
 */
export function registerWebPubSubHandlers<A extends HttpFunctionRegistrar>(
  functions: { readonly app: A; readonly input: WebPubSubContextInputFactory },
  handlers: WebPubSubHandlers<ContextOf<A>>,
): WebPubSubHandlersDeclaration {
  const declaration = declare(handlers);
  const contextInput = functions.input.webPubSubContext({
    name: WEB_PUBSUB_CONTEXT_INPUT_NAME,
    ...(handlers.connections ? { connections: [...handlers.connections] } : {}),
  });
  const dispatch = createWebPubSubDispatcher(handlers, contextInput);
  functions.app.http(declaration.functionName, {
    methods: ['POST', 'OPTIONS'],
    authLevel: 'function',
    route: declaration.route,
    extraInputs: [contextInput, ...(handlers.extraInputs ?? [])],
    extraOutputs: [...(handlers.extraOutputs ?? [])],
    handler: dispatch,
  });
  const hook = (globalThis as Record<symbol, unknown>)[Symbol.for(HANDLERS_DECLARATION_HOOK)];
  if (typeof hook === 'function') hook(declaration);
  return declaration;
}

/**
 * Pairs a `connect` or user event response with connection state changes; the adapter merges them into the
 * connection's current states and sends them in the `ce-connectionstate` header.
 */
export function withConnectionStates(response: undefined, states: ConnectionStateUpdate): EventResponseWithStates<never>;
export function withConnectionStates<R extends ConnectEventResponse | UserEventResponse>(response: R, states: ConnectionStateUpdate): EventResponseWithStates<R>;
export function withConnectionStates<R extends ConnectEventResponse | UserEventResponse>(response: R | undefined, states: ConnectionStateUpdate): EventResponseWithStates<R> {
  if (!(states instanceof ConnectionStateUpdate)) {
    throw new WebPubSubArgumentError('withConnectionStates', 'states', 'must be a ConnectionStateUpdate', states);
  }
  return { response, states };
}

/** The route `registerWebPubSubHandlers` gives a hub's function unless told otherwise (under the host's `api` prefix). */
export function defaultHandlersRoute(hub: string): string {
  return `webpubsub/${hub}/{event}`;
}

/** Whether {@link defaultHandlersRoute} can hold the hub's name as is. */
export function isRouteSafeHubName(hub: string): boolean {
  return ROUTE_SAFE_HUB.test(hub);
}

/** Checks the handlers and derives the function name, route and routing. */
function declare(handlers: WebPubSubHandlers<never>): WebPubSubHandlersDeclaration {
  const what = 'registerWebPubSubHandlers';
  if (handlers === null || typeof handlers !== 'object') throw new WebPubSubArgumentError(what, 'handlers', 'must be an object', handlers);
  const hub = handlers.hub;
  if (typeof hub !== 'string' || hub.trim() === '' || /[%{}]/.test(hub)) {
    throw new WebPubSubArgumentError(what, 'hub', 'must be the literal hub name (app-setting or binding expressions cannot name a route)', hub);
  }
  const functionName = handlers.functionName ?? `webpubsub-${hub.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  if (!FUNCTION_NAME.test(functionName)) throw new WebPubSubArgumentError(what, 'functionName', `must match ${FUNCTION_NAME}`, functionName);
  if (handlers.route === undefined && !ROUTE_SAFE_HUB.test(hub)) {
    throw new WebPubSubArgumentError(what, 'route', `must be given for hub "${hub}" (its name has characters a route cannot hold as is)`, handlers.route);
  }
  const route = handlers.route ?? defaultHandlersRoute(hub);
  if (typeof route !== 'string' || route.split('{event}').length !== 2 || /^\/|[?#\s\\]/.test(route)) {
    throw new WebPubSubArgumentError(what, 'route', 'must be a relative route with one {event} and no query, e.g. "webpubsub/chat/{event}"', route);
  }
  for (const name of ['connect', 'connected', 'disconnected'] as const) {
    if (handlers[name] !== undefined && typeof handlers[name] !== 'function') throw new WebPubSubArgumentError(what, name, 'must be a function', handlers[name]);
  }
  const userEvents = handlers.userEvents ?? {};
  if (userEvents === null || typeof userEvents !== 'object') throw new WebPubSubArgumentError(what, 'userEvents', 'must be an object of handlers by event name', userEvents);
  for (const [name, fn] of Object.entries(userEvents)) {
    if (name.trim() === '' || name !== name.trim() || name.includes(',')) {
      throw new WebPubSubArgumentError(what, 'userEvents', 'must use event names without commas or surrounding spaces', name);
    }
    if (typeof fn !== 'function') throw new WebPubSubArgumentError(what, `userEvents.${name}`, 'must be a function', fn);
  }
  const systemEvents = SYSTEM_EVENT_ORDER.filter((e) => handlers[e] !== undefined);
  const names = Object.keys(userEvents).sort();
  const userEventPattern = names.length === 0 ? undefined : names.includes('*') ? '*' : names.join(',');
  if (systemEvents.length === 0 && userEventPattern === undefined) {
    throw new WebPubSubArgumentError(what, 'handlers', 'must handle at least one event (connect, connected, disconnected or userEvents)', describeValue(Object.keys(handlers)));
  }
  return { functionName, hub, route, systemEvents: [...systemEvents], ...(userEventPattern !== undefined ? { userEventPattern } : {}) };
}

/**
 * The HTTP handler the function runs: exported for tests and for code that registers the function itself. `contextInput`
 * is the `webPubSubContext` input object given to `extraInputs`.
 */
export function createWebPubSubDispatcher<C>(
  handlers: WebPubSubHandlers<C>,
  contextInput: unknown,
): (request: HttpRequestLike, context: C) => Promise<WebPubSubHttpResponse> {
  return async (request, context) => {
    const ctx = context as unknown as InvocationContextLike;
    const wps = ctx.extraInputs.get(contextInput as never) as WebPubSubContext | undefined;
    if (wps === undefined || wps === null || typeof wps !== 'object') {
      return text(500, 'the webPubSubContext input is missing: was the function registered with it?');
    }
    // Preflight (abuse protection) and invalid requests: the binding built the answer, with the origin check done.
    if (wps.isPreflight) return fromPrebuilt(wps.response, 400);
    if (wps.hasError) {
      ctx.warn(`Web PubSub: refused an upstream request: ${wps.errorMessage ?? 'no details'}`);
      return fromPrebuilt(wps.response, 400, wps.errorMessage);
    }
    const connection = wps.request?.connectionContext;
    if (connection === undefined || connection === null) return text(400, 'the upstream request carries no connection context');
    if (typeof connection.hub === 'string' && connection.hub.toLowerCase() !== handlers.hub.toLowerCase()) {
      ctx.warn(`Web PubSub: an event of hub "${connection.hub}" reached the handlers of hub "${handlers.hub}": check the hubs' URL templates`);
      return text(404, `no handlers for hub "${connection.hub}" here`);
    }
    const event = String(connection.eventName);
    if (String(connection.eventType).toLowerCase() === 'user') {
      const handler = handlers.userEvents?.[event] ?? handlers.userEvents?.['*'];
      if (!handler) return unhandled(ctx, handlers.hub, `user event "${event}"`);
      const userRequest = await withDecodedData(wps.request as UserEventRequest, request);
      return replyToUserEvent(await handler(userRequest, context), connection.states);
    }
    switch (event.toLowerCase()) {
      case 'connect': {
        if (!handlers.connect) return unhandled(ctx, handlers.hub, 'system event "connect"');
        const connectRequest = wps.request as ConnectEventRequest | MqttConnectEventRequest;
        return replyToConnect(await handlers.connect(connectRequest, context), connectRequest);
      }
      case 'connected':
        if (!handlers.connected) return unhandled(ctx, handlers.hub, 'system event "connected"');
        await handlers.connected(wps.request as ConnectedEventRequest, context);
        return { status: 204 };
      case 'disconnected':
        if (!handlers.disconnected) return unhandled(ctx, handlers.hub, 'system event "disconnected"');
        await handlers.disconnected(wps.request as DisconnectedEventRequest, context);
        return { status: 204 };
      default:
        return unhandled(ctx, handlers.hub, `system event "${event}"`);
    }
  };
}

/** An event the hub routes here without a handler: fail closed (a `connect` gate must never be skipped silently). */
function unhandled(ctx: InvocationContextLike, hub: string, what: string): WebPubSubHttpResponse {
  ctx.warn(`Web PubSub: hub "${hub}" sent the ${what}, which has no handler here: align the hub's routing with the handlers`);
  return text(404, `no handler for the ${what}`);
}

function text(status: number, body: string): WebPubSubHttpResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

/** The response the binding pre-built (`{ status, headers, body }`, header values as lists), as an HTTP response. */
function fromPrebuilt(response: WebPubSubContextResponse | undefined, fallbackStatus: number, fallbackBody?: string): WebPubSubHttpResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response?.headers ?? {})) {
    headers[name] = typeof value === 'string' ? value : value.join(',');
  }
  const body = response?.body ?? fallbackBody;
  return {
    status: typeof response?.status === 'number' && response.status > 0 ? response.status : fallbackStatus,
    headers,
    ...(body !== undefined && body !== null ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  };
}

/**
 * The binding hands `data` over as text (`BinaryData.ToString()`, UTF-8), which loses bytes that are not UTF-8; for
 * `binary` the adapter takes the raw request body (the message itself in the CloudEvents binary mode,
 * https://learn.microsoft.com/azure/azure-web-pubsub/reference-cloud-events#user-events) and falls back to the text's
 * UTF-8 bytes when the host did not pass the body on.
 */
async function withDecodedData(request: UserEventRequest, http: HttpRequestLike): Promise<UserEventRequest> {
  const dataType = String(request.dataType).toLowerCase() as UserEventRequest['dataType'];
  let data: UserEventRequest['data'] = request.data ?? '';
  if (dataType === 'binary') {
    const raw = await http.arrayBuffer().catch(() => new ArrayBuffer(0));
    data = raw.byteLength > 0 ? Buffer.from(raw) : Buffer.from(typeof data === 'string' ? data : '', 'utf8');
  } else if (typeof data !== 'string') {
    data = Buffer.from(data as Uint8Array).toString('utf8');
  }
  return { ...request, data, dataType };
}

function isStateful<R>(value: unknown): value is EventResponseWithStates<R> {
  return value !== null && typeof value === 'object' && (value as { states?: unknown }).states instanceof ConnectionStateUpdate;
}

function isError(value: unknown): value is EventErrorResponse {
  return value !== null && typeof value === 'object' && typeof (value as { code?: unknown }).code === 'string';
}

function stateHeaders(update: ConnectionStateUpdate | undefined, original: ConnectionStates | undefined): Record<string, string> {
  return update ? update.toHeaders(original) : {};
}

// EventErrorResponse codes as HTTP statuses (`WebPubSubErrorCode`; the service drops the connection on connect errors:
// https://learn.microsoft.com/azure/azure-web-pubsub/reference-cloud-events#system-connect-event).
const ERROR_STATUS: Record<string, number> = { unauthorized: 401, userError: 400, serverError: 500 };

function errorReply(error: EventErrorResponse): WebPubSubHttpResponse {
  return text(ERROR_STATUS[error.code] ?? 500, error.errorMessage ?? '');
}

function replyToConnect(result: ConnectHandlerResult, request: ConnectEventRequest | MqttConnectEventRequest): WebPubSubHttpResponse {
  const original = request.connectionContext.states;
  if (isError(result)) return 'mqtt' in request && request.mqtt ? mqttErrorReply(result, request.mqtt.protocolVersion) : errorReply(result);
  const stateful = isStateful<ConnectEventResponse>(result) ? result : undefined;
  const response = stateful ? stateful.response : (result as ConnectEventResponse | undefined);
  if (isError(response)) throw new WebPubSubArgumentError('withConnectionStates', 'response', 'cannot be an error response (a rejected connection has no states)', response);
  const headers = stateHeaders(stateful?.states, original);
  if (response === undefined || response === null) return { status: 204, headers };
  return { status: 200, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(response) };
}

function replyToUserEvent(result: UserEventHandlerResult, original: ConnectionStates | undefined): WebPubSubHttpResponse {
  if (isError(result)) return errorReply(result);
  const stateful = isStateful<UserEventResponse>(result) ? result : undefined;
  const response = stateful ? stateful.response : (result as UserEventResponse | undefined);
  const headers = stateHeaders(stateful?.states, original);
  if (response === undefined || response === null) return { status: 204, headers };
  if (isError(response)) throw new WebPubSubArgumentError('withConnectionStates', 'response', 'cannot be an error response', response);
  const contentType = { text: 'text/plain; charset=utf-8', json: 'application/json', binary: 'application/octet-stream' }[response.dataType];
  if (contentType === undefined) throw new WebPubSubArgumentError('userEventResponse', 'dataType', 'must be binary, text or json', response.dataType);
  const body = typeof response.data === 'string' ? response.data : Buffer.from(response.data);
  return { status: 200, headers: { ...headers, 'content-type': contentType }, body };
}

/**
 * An MQTT client's connect rejected with a Web PubSub error code: the service expects an MQTT reason code in a JSON
 * body and the HTTP status that code maps to (Microsoft.Azure.WebPubSub.Common `WebPubSubErrorCodeExtensions`,
 * `MqttConnectCodeToHttpStatusCodeConverter`; https://learn.microsoft.com/azure/azure-web-pubsub/reference-mqtt-cloud-events).
 */
function mqttErrorReply(error: EventErrorResponse, protocolVersion: number): WebPubSubHttpResponse {
  const v5 = protocolVersion >= 5;
  // MQTT 5.0 reason codes NotAuthorized 0x87, BadUserNameOrPassword 0x86, ServerUnavailable 0x88; 3.1.1 return codes 5, 4, 3.
  const table: Record<string, { code: number; status: number }> = v5
    ? { unauthorized: { code: 0x87, status: 401 }, userError: { code: 0x86, status: 401 }, serverError: { code: 0x88, status: 500 } }
    : { unauthorized: { code: 5, status: 401 }, userError: { code: 4, status: 401 }, serverError: { code: 3, status: 503 } };
  const mapped = table[error.code] ?? table.serverError;
  const mqtt = error.errorMessage !== undefined ? { code: mapped.code, reason: error.errorMessage } : { code: mapped.code };
  return { status: mapped.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mqtt }) };
}
