import type { ConnectEventRequest, ConnectedEventRequest, DisconnectedEventRequest, UserEventRequest } from '../../lib/runtime';
import { chatActions } from '../../examples/chat/functions/bindings';
import { connectHandler, createConnectHandler, DENIED_USERS_SETTING } from '../../examples/chat/functions/handlers/connect';
import { connectedHandler } from '../../examples/chat/functions/handlers/connected';
import { disconnectedHandler } from '../../examples/chat/functions/handlers/disconnected';
import { MAX_TEXT_LENGTH, messageHandler } from '../../examples/chat/functions/handlers/message';
import { connectionContext, invocation, triggerMetadataOf } from './helpers';

const LOBBY_ROLES = ['webpubsub.joinLeaveGroup.lobby', 'webpubsub.sendToGroup.lobby'];

/** A `ConnectEventRequest` as the trigger delivers it (Claims, Query, Subprotocols, ClientCertificates). */
function connectRequest(overrides: Partial<ConnectEventRequest> = {}, userId: string | null = 'alice'): ConnectEventRequest {
  return {
    connectionContext: connectionContext('system', 'connect', { userId: userId ?? undefined, states: undefined }),
    claims: userId === null ? {} : { sub: [userId], role: ['webpubsub.joinLeaveGroup.lobby'] },
    query: { access_token: ['eyJ...'] },
    subprotocols: ['json.reliable.webpubsub.azure.v1'],
    clientCertificates: [],
    ...overrides,
  };
}

function userEvent(data: UserEventRequest['data'], dataType: UserEventRequest['dataType']): UserEventRequest {
  return { connectionContext: connectionContext('user', 'message'), data, dataType };
}

/** Parses the json `data` of every action that has one, so assertions read as objects. */
function decoded(actions: unknown): unknown[] {
  return (actions as Array<Record<string, unknown>>).map((a) =>
    a.dataType === 'json' && typeof a.data === 'string' ? { ...a, data: JSON.parse(a.data) } : a,
  );
}

describe('connect (system, blocking)', () => {
  test('accepts a user: joins the lobby with lobby roles and selects the offered client subprotocol', async () => {
    const request = connectRequest();
    const { context } = invocation('connect', { triggerMetadata: triggerMetadataOf({ ...request }) });
    await expect(createConnectHandler({ deniedUserIds: () => [] })(request, context)).resolves.toEqual({
      userId: 'alice',
      groups: ['lobby'],
      roles: LOBBY_ROLES,
      subprotocol: 'json.reliable.webpubsub.azure.v1',
    });
  });

  test('selects no subprotocol when the client offers none the service implements', async () => {
    const response = await createConnectHandler({ deniedUserIds: () => [] })(
      connectRequest({ subprotocols: ['mqtt'] }),
      invocation('connect').context,
    );
    expect(response).not.toHaveProperty('subprotocol');
    expect(response).toMatchObject({ userId: 'alice', groups: ['lobby'] });
  });

  test('rejects a connection without a user id with EventErrorResponse unauthorized', async () => {
    const { context, logs } = invocation('connect');
    const response = await createConnectHandler({ deniedUserIds: () => [] })(connectRequest({}, null), context);
    expect(response).toEqual({ code: 'unauthorized', errorMessage: expect.stringContaining('user id is required') });
    expect(logs.map((l) => l.level)).toEqual(['warning']);
  });

  test('rejects a denied user', async () => {
    const response = await createConnectHandler({ deniedUserIds: () => ['mallory'] })(
      connectRequest({}, 'mallory'),
      invocation('connect').context,
    );
    expect(response).toEqual({ code: 'unauthorized', errorMessage: 'user mallory may not join this chat' });
  });

  test(`the registered handler reads the deny list from ${DENIED_USERS_SETTING} on every event`, async () => {
    const saved = process.env[DENIED_USERS_SETTING];
    try {
      process.env[DENIED_USERS_SETTING] = ' eve , mallory';
      await expect(connectHandler(connectRequest({}, 'mallory'), invocation('connect').context)).resolves.toHaveProperty('code', 'unauthorized');
      await expect(connectHandler(connectRequest({}, 'alice'), invocation('connect').context)).resolves.not.toHaveProperty('code');
      delete process.env[DENIED_USERS_SETTING];
      await expect(connectHandler(connectRequest({}, 'mallory'), invocation('connect').context)).resolves.toHaveProperty('userId', 'mallory');
    } finally {
      if (saved === undefined) delete process.env[DENIED_USERS_SETTING];
      else process.env[DENIED_USERS_SETTING] = saved;
    }
  });
});

describe('connected (system, output binding)', () => {
  test('welcomes the connection and announces "<user> joined" to the others', async () => {
    const request: ConnectedEventRequest = { connectionContext: connectionContext('system', 'connected') };
    const { context } = invocation('connected', { triggerMetadata: triggerMetadataOf({ ...request }) });

    await expect(connectedHandler(request, context)).resolves.toBeUndefined();

    const actions = context.extraOutputs.get(chatActions);
    expect(decoded(actions)).toEqual([
      { actionName: 'sendToConnection', connectionId: 'conn-alice-1', dataType: 'json', data: { type: 'system', text: 'welcome, alice' } },
      { actionName: 'sendToAll', dataType: 'json', data: { type: 'system', text: 'alice joined' }, excluded: ['conn-alice-1'] },
    ]);
    // the bindings' rule: json data travels as a string
    for (const action of actions as Array<{ data: unknown }>) expect(typeof action.data).toBe('string');
  });

  test('names an anonymous connection by its connection id', async () => {
    const request: ConnectedEventRequest = { connectionContext: connectionContext('system', 'connected', { userId: undefined, connectionId: 'conn-x' }) };
    const { context } = invocation('connected');
    await connectedHandler(request, context);
    expect(decoded(context.extraOutputs.get(chatActions))[1]).toMatchObject({ data: { text: 'conn-x joined' } });
  });
});

describe('message (user event, output binding + ack)', () => {
  test('broadcasts { from, text, id } to all and acks the sender with its message id', async () => {
    const request = userEvent(JSON.stringify({ text: 'hello lobby', id: 'm-1' }), 'json');
    const { context } = invocation('message', { triggerMetadata: triggerMetadataOf({ ...request }) });

    const response = await messageHandler(request, context);

    expect(response).toEqual({ dataType: 'json', data: JSON.stringify({ ack: true, id: 'm-1' }) });
    expect(decoded(context.extraOutputs.get(chatActions))).toEqual([
      { actionName: 'sendToAll', dataType: 'json', data: { from: 'alice', text: 'hello lobby', id: 'm-1' } },
    ]);
  });

  test('a message without an id is acked with id null; an already-parsed json object is accepted', async () => {
    const { context } = invocation('message');
    const response = await messageHandler(userEvent({ text: 'hi' } as unknown as string, 'json'), context);
    expect(response).toEqual({ dataType: 'json', data: '{"ack":true,"id":null}' });
    expect(decoded(context.extraOutputs.get(chatActions))).toEqual([
      { actionName: 'sendToAll', dataType: 'json', data: { from: 'alice', text: 'hi', id: null } },
    ]);
  });

  test('text data is the message text', async () => {
    const { context } = invocation('message');
    await messageHandler(userEvent('plain words', 'text'), context);
    expect(decoded(context.extraOutputs.get(chatActions))).toEqual([
      { actionName: 'sendToAll', dataType: 'json', data: { from: 'alice', text: 'plain words', id: null } },
    ]);
  });

  test(`accepts exactly ${MAX_TEXT_LENGTH} characters`, async () => {
    const { context } = invocation('message');
    const response = await messageHandler(userEvent(JSON.stringify({ text: 'x'.repeat(MAX_TEXT_LENGTH) }), 'json'), context);
    expect(response).not.toHaveProperty('code');
  });

  test.each([
    ['text over the limit', JSON.stringify({ text: 'x'.repeat(MAX_TEXT_LENGTH + 1), id: 'm-2' }), 'json', /at most 2000 characters, got 2001/],
    ['text that is not a string', JSON.stringify({ text: 42 }), 'json', /"text" must be a non-empty string/],
    ['blank text', JSON.stringify({ text: '   ' }), 'json', /"text" must be a non-empty string/],
    ['malformed JSON', '{"text": ', 'json', /not valid JSON/],
    ['a JSON array', '["hi"]', 'json', /must be a JSON object/],
    ['an object id', JSON.stringify({ text: 'hi', id: { n: 1 } }), 'json', /"id" must be a string or a number/],
    ['binary data', new Uint8Array([1, 2, 3]), 'binary', /dataType "binary" is not supported/],
  ] as const)('%s: EventErrorResponse userError, nothing broadcast', async (_case, data, dataType, message) => {
    const { context } = invocation('message');
    const response = await messageHandler(userEvent(data, dataType), context);
    expect(response).toEqual({ code: 'userError', errorMessage: expect.stringMatching(message) });
    expect(context.extraOutputs.get(chatActions)).toBeUndefined();
  });
});

describe('disconnected (system, output binding)', () => {
  test('announces "<user> left" to everyone and logs the reason', async () => {
    const request: DisconnectedEventRequest = {
      connectionContext: connectionContext('system', 'disconnected'),
      reason: 'WebSocket closed by the client',
    };
    const { context, logs } = invocation('disconnected', { triggerMetadata: triggerMetadataOf({ ...request }) });

    await expect(disconnectedHandler(request, context)).resolves.toBeUndefined();

    expect(decoded(context.extraOutputs.get(chatActions))).toEqual([
      { actionName: 'sendToAll', dataType: 'json', data: { type: 'system', text: 'alice left' } },
    ]);
    expect(logs).toEqual([{ level: 'information', message: expect.stringContaining('WebSocket closed by the client') }]);
  });
});
