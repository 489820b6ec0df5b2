import { HttpRequest, InvocationContext, input, output } from '@azure/functions';
import {
  ConnectionStateUpdate,
  connectEventResponse,
  eventErrorResponse,
  sendToAll,
  userEventResponse,
  withConnectionStates,
  type ConnectEventRequest,
  type UserEventRequest,
  type WebPubSubContext,
} from '../../lib/runtime';
import { createWebPubSubDispatcher, registerWebPubSubHandlers, type WebPubSubHandlers } from '../../lib/runtime/web-pubsub-handlers';

// The webPubSubContext input as the extension hands it to JavaScript: WebPubSubContextJsonConverter writes
// { request, response, errorMessage, hasError, isPreflight }; the pre-built response is { body, status, headers }
// with header values as lists (HttpResponseMessageJsonConverter); request.data is BinaryData.ToString().
const contextInput = input.webPubSubContext({ name: 'webPubSubContext' });
const actions = output.webPubSub({ name: 'actions', hub: 'chat' });

function connection(eventType: 'system' | 'user', eventName: string, extra: Record<string, unknown> = {}) {
  return { eventType, eventName, hub: 'chat', connectionId: 'c1', userId: 'alice', origin: 'wps.webpubsub.azure.com', states: { seen: 1 }, ...extra };
}

function invoke(handlers: Omit<WebPubSubHandlers<InvocationContext>, 'hub'>, wps: WebPubSubContext, body?: Buffer) {
  const warnings: string[] = [];
  const context = new InvocationContext({
    functionName: 'webpubsub-chat',
    logHandler: (level, ...args) => {
      if (level === 'warning') warnings.push(args.join(' '));
    },
  });
  context.extraInputs.set(contextInput, wps);
  const request = new HttpRequest({
    method: 'POST',
    url: 'https://app.example/api/webpubsub/chat/message',
    ...(body ? { body: { bytes: body } } : {}),
  });
  const dispatch = createWebPubSubDispatcher<InvocationContext>({ hub: 'chat', ...handlers }, contextInput);
  return { result: dispatch(request, context), context, warnings };
}

const decodeStates = (header: string | undefined) => JSON.parse(Buffer.from(header ?? '', 'base64').toString('utf8'));

describe('the HTTP adapter answers what the binding pre-built', () => {
  test('GIVEN a valid abuse-protection preflight THEN it returns the binding\'s 200 with WebHook-Allowed-Origin, without calling a handler', async () => {
    const connect = jest.fn();
    const { result } = invoke({ connect }, { isPreflight: true, hasError: false, response: { status: 200, headers: { 'WebHook-Allowed-Origin': ['*'] } } });
    expect(await result).toEqual({ status: 200, headers: { 'WebHook-Allowed-Origin': '*' } });
    expect(connect).not.toHaveBeenCalled();
  });

  test('GIVEN a preflight from an origin the binding refused THEN it returns 400', async () => {
    const { result } = invoke({ connect: jest.fn() }, { isPreflight: true, hasError: false, response: { status: 400, headers: {} } });
    expect((await result).status).toBe(400);
  });

  test('GIVEN a request the binding found invalid THEN it returns the pre-built error and warns, without calling a handler', async () => {
    const message = jest.fn();
    const { result, warnings } = invoke(
      { userEvents: { message } },
      { isPreflight: false, hasError: true, errorMessage: 'Signature validation failed.', response: { status: 401, headers: {}, body: 'Signature validation failed.' } },
    );
    expect(await result).toEqual({ status: 401, headers: {}, body: 'Signature validation failed.' });
    expect(message).not.toHaveBeenCalled();
    expect(warnings.join('\n')).toContain('Signature validation failed.');
  });

  test('GIVEN the input is missing THEN it answers 500 naming the webPubSubContext input', async () => {
    const dispatch = createWebPubSubDispatcher<InvocationContext>({ hub: 'chat', connect: jest.fn() }, contextInput);
    const reply = await dispatch(new HttpRequest({ method: 'POST', url: 'https://app.example/x' }), new InvocationContext());
    expect(reply.status).toBe(500);
    expect(String(reply.body)).toContain('webPubSubContext');
  });
});

describe('connect', () => {
  const request = (extra: Record<string, unknown> = {}): WebPubSubContext =>
    ({ isPreflight: false, hasError: false, request: { connectionContext: connection('system', 'connect'), claims: {}, subprotocols: ['json.webpubsub.azure.v1'], ...extra } }) as unknown as WebPubSubContext;

  test('GIVEN an accepting handler THEN the typed connect response goes out as JSON', async () => {
    const seen: ConnectEventRequest[] = [];
    const { result } = invoke(
      {
        connect: async (req) => {
          seen.push(req);
          return connectEventResponse({ userId: 'alice', groups: ['lobby'], subprotocol: 'json.webpubsub.azure.v1' });
        },
      },
      request(),
    );
    const reply = await result;
    expect(reply.status).toBe(200);
    expect(reply.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(String(reply.body))).toEqual({ userId: 'alice', groups: ['lobby'], subprotocol: 'json.webpubsub.azure.v1' });
    expect(seen[0].connectionContext.userId).toBe('alice');
  });

  test.each([
    ['unauthorized', 401],
    ['userError', 400],
    ['serverError', 500],
  ] as const)('GIVEN a rejection with %s THEN it answers %i with the reason as text', async (code, status) => {
    const { result } = invoke({ connect: () => eventErrorResponse(code, 'no entry') }, request());
    expect(await result).toEqual({ status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'no entry' });
  });

  test('GIVEN a handler that returns nothing THEN the connection is accepted unchanged (204)', async () => {
    const { result } = invoke({ connect: async () => undefined }, request());
    expect(await result).toEqual({ status: 204, headers: {} });
  });

  test('GIVEN state changes THEN the adapter merges them with the current states into ce-connectionstate (the service does not merge on this path)', async () => {
    const update = ConnectionStateUpdate.empty().setState('room', 'lobby').setState('seen', 2);
    // A current state the update does not touch (`kept`) must survive: the header replaces the states as a whole.
    const current = request({ connectionContext: connection('system', 'connect', { states: { seen: 1, kept: 'yes' } }) });
    const { result } = invoke({ connect: () => withConnectionStates(connectEventResponse({ userId: 'alice' }), update) }, current);
    const reply = await result;
    expect(reply.status).toBe(200);
    expect(decodeStates(reply.headers?.['ce-connectionstate'])).toEqual({ seen: 2, kept: 'yes', room: 'lobby' });
    expect(JSON.parse(String(reply.body))).toEqual({ userId: 'alice' });
  });

  test('GIVEN clearStates THEN the header carries only the states set after it', async () => {
    const update = ConnectionStateUpdate.empty().clearStates().setState('fresh', true);
    const { result } = invoke({ connect: () => withConnectionStates(undefined, update) }, request());
    const reply = await result;
    expect(reply.status).toBe(204);
    expect(decodeStates(reply.headers?.['ce-connectionstate'])).toEqual({ fresh: true });
  });

  test.each([
    [5, 'unauthorized', 0x87, 401],
    [5, 'serverError', 0x88, 500],
    [4, 'unauthorized', 5, 401],
    [4, 'userError', 4, 401],
  ] as const)('GIVEN an MQTT %i client rejected with %s THEN the body carries MQTT code %i and the status is %i', async (protocolVersion, code, mqttCode, status) => {
    const mqttRequest = request({ mqtt: { protocolVersion, username: 'u' } });
    const { result } = invoke({ connect: () => eventErrorResponse(code, 'refused') }, mqttRequest);
    const reply = await result;
    expect(reply.status).toBe(status);
    expect(JSON.parse(String(reply.body))).toEqual({ mqtt: { code: mqttCode, reason: 'refused' } });
  });
});

describe('user events', () => {
  const userEvent = (dataType: string, data: string, name = 'message'): WebPubSubContext =>
    ({ isPreflight: false, hasError: false, request: { connectionContext: connection('user', name), data, dataType } }) as unknown as WebPubSubContext;

  test('GIVEN text data THEN the handler gets a string; a JSON reply goes out with application/json', async () => {
    const seen: UserEventRequest[] = [];
    const { result } = invoke(
      {
        userEvents: {
          message: (req) => {
            seen.push(req);
            return userEventResponse({ dataType: 'json', data: JSON.stringify({ ack: true }) });
          },
        },
      },
      userEvent('text', 'hello'),
      Buffer.from('hello'),
    );
    expect(await result).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"ack":true}' });
    expect(seen[0]).toMatchObject({ data: 'hello', dataType: 'text' });
  });

  test('GIVEN binary data THEN the handler gets the raw body bytes (the binding\'s text would have lost them) and a binary reply goes out as octet-stream', async () => {
    const bytes = Buffer.from([0xff, 0x00, 0xc3, 0x28]); // not UTF-8
    let received: unknown;
    const { result } = invoke(
      {
        userEvents: {
          message: (req) => {
            received = req.data;
            return userEventResponse({ dataType: 'binary', data: new Uint8Array([1, 2, 3]) });
          },
        },
      },
      userEvent('binary', bytes.toString('utf8')),
      bytes,
    );
    const reply = await result;
    expect(Buffer.isBuffer(received) && (received as Buffer).equals(bytes)).toBe(true);
    expect(reply.status).toBe(200);
    expect(reply.headers?.['content-type']).toBe('application/octet-stream');
    expect(Buffer.from(reply.body as Uint8Array).equals(Buffer.from([1, 2, 3]))).toBe(true);
  });

  test('GIVEN binary data and no body passed on THEN the handler gets the UTF-8 bytes of the binding\'s text', async () => {
    let received: unknown;
    const { result } = invoke({ userEvents: { message: (req) => void (received = req.data) } }, userEvent('binary', 'abc'));
    expect((await result).status).toBe(204);
    expect(Buffer.isBuffer(received) && (received as Buffer).toString('utf8')).toBe('abc');
  });

  test('GIVEN a text reply with state changes THEN both go out', async () => {
    const { result } = invoke(
      { userEvents: { message: () => withConnectionStates(userEventResponse({ dataType: 'text', data: 'ok' }), ConnectionStateUpdate.empty().setState('n', 1)) } },
      userEvent('json', '{"text":"hi"}'),
    );
    const reply = await result;
    expect(reply.body).toBe('ok');
    expect(reply.headers?.['content-type']).toBe('text/plain; charset=utf-8');
    expect(decodeStates(reply.headers?.['ce-connectionstate'])).toEqual({ seen: 1, n: 1 });
  });

  test('GIVEN an event name without its own handler THEN "*" handles it; without "*" the adapter answers 404 and warns', async () => {
    const star = jest.fn();
    expect((await invoke({ userEvents: { '*': star } }, userEvent('text', 'x', 'typing')).result).status).toBe(204);
    expect(star).toHaveBeenCalledTimes(1);
    const { result, warnings } = invoke({ userEvents: { message: jest.fn() } }, userEvent('text', 'x', 'typing'));
    expect((await result).status).toBe(404);
    expect(warnings.join('\n')).toContain('user event "typing"');
  });

  test('GIVEN the handler sets actions on the output binding THEN they are on the real InvocationContext after the call', async () => {
    const { result, context } = invoke(
      { extraOutputs: [actions], userEvents: { message: (req, ctx) => ctx.extraOutputs.set(actions, sendToAll({ dataType: 'text', data: String(req.data) })) } },
      userEvent('text', 'hello'),
    );
    expect((await result).status).toBe(204);
    expect(context.extraOutputs.get(actions)).toEqual({ actionName: 'sendToAll', data: 'hello', dataType: 'text' });
  });
});

describe('connected, disconnected and misrouted events', () => {
  test('GIVEN connected and disconnected THEN their handlers run and the answer has no body', async () => {
    const connected = jest.fn();
    const disconnected = jest.fn();
    const ctx = (name: string, extra = {}) => ({ isPreflight: false, hasError: false, request: { connectionContext: connection('system', name), ...extra } }) as unknown as WebPubSubContext;
    expect(await invoke({ connected, disconnected }, ctx('connected')).result).toEqual({ status: 204 });
    expect(await invoke({ connected, disconnected }, ctx('disconnected', { reason: 'bye' })).result).toEqual({ status: 204 });
    expect(connected.mock.calls[0][0].connectionContext.eventName).toBe('connected');
    expect(disconnected.mock.calls[0][0].reason).toBe('bye');
  });

  test('GIVEN an event of another hub THEN it answers 404 and runs nothing', async () => {
    const connect = jest.fn();
    const wps = { isPreflight: false, hasError: false, request: { connectionContext: { ...connection('system', 'connect'), hub: 'other' } } } as unknown as WebPubSubContext;
    expect((await invoke({ connect }, wps).result).status).toBe(404);
    expect(connect).not.toHaveBeenCalled();
  });

  test('GIVEN connect routed here without a connect handler THEN it fails closed (404), never accepting silently', async () => {
    const wps = { isPreflight: false, hasError: false, request: { connectionContext: connection('system', 'connect') } } as unknown as WebPubSubContext;
    expect((await invoke({ connected: jest.fn() }, wps).result).status).toBe(404);
  });
});

describe('registerWebPubSubHandlers', () => {
  // Stand-in for the Functions worker's registry behind `app.http` (no host runs here); `input` is the real one.
  const recordingApp = () => {
    const calls: Array<{ name: string; options: Record<string, unknown> }> = [];
    return { calls, app: { http: (name: string, options: Record<string, unknown>) => void calls.push({ name, options }) } };
  };

  test('GIVEN handlers for hub chat THEN one function webpubsub-chat is registered: POST and OPTIONS, authLevel function, route webpubsub/chat/{event}, the context input first', () => {
    const { calls, app } = recordingApp();
    const declaration = registerWebPubSubHandlers({ app, input }, { hub: 'chat', extraOutputs: [actions], connect: jest.fn(), userEvents: { message: jest.fn(), typing: jest.fn() } });
    expect(declaration).toEqual({ functionName: 'webpubsub-chat', hub: 'chat', route: 'webpubsub/chat/{event}', systemEvents: ['connect'], userEventPattern: 'message,typing' });
    expect(calls).toHaveLength(1);
    const { options } = calls[0];
    expect(options).toMatchObject({ methods: ['POST', 'OPTIONS'], authLevel: 'function', route: 'webpubsub/chat/{event}' });
    expect((options.extraInputs as Array<{ type: string }>)[0].type).toBe('webPubSubContext');
    expect(options.extraOutputs).toEqual([actions]);
  });

  test('GIVEN "*" among user events THEN the pattern is "*"; system events keep the order connect, connected, disconnected', () => {
    const { app } = recordingApp();
    const d = registerWebPubSubHandlers({ app, input }, { hub: 'h1', disconnected: jest.fn(), connect: jest.fn(), userEvents: { '*': jest.fn(), a: jest.fn() } });
    expect(d.systemEvents).toEqual(['connect', 'disconnected']);
    expect(d.userEventPattern).toBe('*');
  });

  test.each([
    [{ hub: 'chat' }, '"handlers" must handle at least one event'],
    [{ hub: '%HUB%', connect: jest.fn() }, '"hub" must be the literal hub name'],
    [{ hub: 'chat', route: 'webpubsub/chat', connect: jest.fn() }, '"route" must be a relative route with one {event}'],
    [{ hub: 'chat', route: '/api/{event}', connect: jest.fn() }, '"route" must be a relative route'],
    [{ hub: 'a,b', connect: jest.fn() }, '"route" must be given for hub "a,b"'],
    [{ hub: 'chat', functionName: '9x', connect: jest.fn() }, '"functionName" must match'],
    [{ hub: 'chat', userEvents: { 'a,b': jest.fn() } }, '"userEvents" must use event names without commas'],
  ])('GIVEN %j THEN registration fails with a message naming the field', (handlers, message) => {
    const { app, calls } = recordingApp();
    expect(() => registerWebPubSubHandlers({ app, input }, handlers as WebPubSubHandlers)).toThrow(message);
    expect(calls).toHaveLength(0);
  });

  test('GIVEN a hub name with characters a route cannot hold and an explicit route THEN the function name replaces them', () => {
    const { app } = recordingApp();
    expect(registerWebPubSubHandlers({ app, input }, { hub: 'a,b', route: 'ab/{event}', connect: jest.fn() }).functionName).toBe('webpubsub-a-b');
  });
});
