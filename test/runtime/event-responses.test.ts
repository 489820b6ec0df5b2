import {
  CONNECTION_STATE_HEADER,
  ConnectionStateUpdate,
  WEB_PUBSUB_ERROR_CODES,
  connectEventResponse,
  eventErrorResponse,
  userEventResponse,
} from '../../lib/runtime';

describe('connectEventResponse (trigger "Return response": Groups, Roles, UserId, Subprotocol)', () => {
  test('an empty response has no keys, so it cannot be mistaken for an error response', () => {
    expect(connectEventResponse()).toEqual({});
  });

  test('carries the given fields under their camelCase names and copies the arrays', () => {
    // GIVEN
    const groups = ['lobby'];
    // WHEN
    const response = connectEventResponse({ userId: 'alice', groups, roles: ['webpubsub.joinLeaveGroup'], subprotocol: 'json.webpubsub.azure.v1' });
    groups.push('later');
    // THEN
    expect(response).toEqual({ userId: 'alice', groups: ['lobby'], roles: ['webpubsub.joinLeaveGroup'], subprotocol: 'json.webpubsub.azure.v1' });
    expect(Object.keys(response)).not.toContain('code');
  });

  test('rejects empty userId, subprotocol and empty group/role names', () => {
    expect(() => connectEventResponse({ userId: '' })).toThrow(/^connectEventResponse: "userId" must be a non-empty string, got ""$/);
    expect(() => connectEventResponse({ subprotocol: ' ' })).toThrow(/connectEventResponse: "subprotocol" must be a non-empty string, got " "/);
    expect(() => connectEventResponse({ groups: ['a', ''] })).toThrow(/connectEventResponse: "groups\[1\]" must be a non-empty string, got ""/);
    expect(() => connectEventResponse({ roles: 'admin' as unknown as string[] })).toThrow(
      /connectEventResponse: "roles" must be an array of non-empty strings when given, got "admin"/,
    );
  });
});

describe('userEventResponse (trigger "Return response": DataType, Data; string rule applies)', () => {
  test('returns data and dataType', () => {
    expect(userEventResponse({ data: 'ack', dataType: 'text' })).toEqual({ data: 'ack', dataType: 'text' });
    expect(userEventResponse({ data: '{"ok":true}', dataType: 'json' })).toEqual({ data: '{"ok":true}', dataType: 'json' });
  });

  test('binary bytes become a Buffer', () => {
    const response = userEventResponse({ data: new Uint8Array([9]), dataType: 'binary' });
    expect(Buffer.isBuffer(response.data)).toBe(true);
    expect([...(response.data as Buffer)]).toEqual([9]);
  });

  test('json/text data must be a string', () => {
    expect(() => userEventResponse({ data: { ok: true } as unknown as string, dataType: 'json' })).toThrow(
      /userEventResponse: "data" must be a string for dataType "json".*got \{"ok":true\}/,
    );
    expect(() => userEventResponse({ data: 'x', dataType: 'yaml' as 'text' })).toThrow(
      /userEventResponse: "dataType" must be one of "binary", "text", "json", got "yaml"/,
    );
  });
});

describe('eventErrorResponse (trigger "Return response": Code, ErrorMessage)', () => {
  test('builds code with and without errorMessage', () => {
    expect(eventErrorResponse('unauthorized', 'Invalid user')).toEqual({ code: 'unauthorized', errorMessage: 'Invalid user' });
    expect(eventErrorResponse('serverError')).toEqual({ code: 'serverError' });
  });

  test('accepts every allowed code and rejects others, listing the allowed ones', () => {
    expect(WEB_PUBSUB_ERROR_CODES).toEqual(['unauthorized', 'userError', 'serverError']);
    for (const code of WEB_PUBSUB_ERROR_CODES) expect(eventErrorResponse(code).code).toBe(code);
    expect(() => eventErrorResponse('forbidden' as 'unauthorized')).toThrow(
      /eventErrorResponse: "code" must be one of "unauthorized", "userError", "serverError", got "forbidden"/,
    );
  });

  test('errorMessage must be a string when given', () => {
    expect(() => eventErrorResponse('userError', 404 as unknown as string)).toThrow(
      /eventErrorResponse: "errorMessage" must be a string when given, got 404/,
    );
  });
});

describe('ConnectionStateUpdate (trigger "Return response": SetState(), ClearStates(), merge rule)', () => {
  const original = { room: 'lobby', nick: 'al' };

  test('setState overwrites an existing key and adds a new one, keeping the rest', () => {
    const update = ConnectionStateUpdate.empty().setState('room', 'kitchen').setState('score', 3);
    expect(update.applyTo(original)).toEqual({ room: 'kitchen', nick: 'al', score: 3 });
  });

  test('the update is immutable: setState returns a new update', () => {
    const empty = ConnectionStateUpdate.empty();
    const changed = empty.setState('a', 1);
    expect(empty.applyTo(original)).toEqual(original);
    expect(changed.applyTo(undefined)).toEqual({ a: 1 });
  });

  test('clearStates drops existing and earlier set states; later setState adds to the empty set', () => {
    const update = ConnectionStateUpdate.empty().setState('x', 1).clearStates().setState('y', 2);
    expect(update.clearsExisting).toBe(true);
    expect(update.applyTo(original)).toEqual({ y: 2 });
  });

  test('toHeaders encodes the merged states as base64 JSON under ce-connectionstate', () => {
    const headers = ConnectionStateUpdate.empty().setState('room', 'kitchen').toHeaders(original);
    expect(Object.keys(headers)).toEqual([CONNECTION_STATE_HEADER]);
    expect(CONNECTION_STATE_HEADER).toBe('ce-connectionstate');
    expect(JSON.parse(Buffer.from(headers[CONNECTION_STATE_HEADER], 'base64').toString('utf8'))).toEqual({ room: 'kitchen', nick: 'al' });
  });

  test('rejects an empty key and values that JSON cannot carry', () => {
    expect(() => ConnectionStateUpdate.empty().setState('', 1)).toThrow(/setState: "key" must be a non-empty string, got ""/);
    expect(() => ConnectionStateUpdate.empty().setState('k', undefined)).toThrow(/setState: "value" must be a JSON-serialisable value, got undefined/);
    expect(() => ConnectionStateUpdate.empty().setState('k', () => 1)).toThrow(/setState: "value" must be a JSON-serialisable value, got \[function\]/);
  });
});
