import {
  WEB_PUBSUB_ACTION_NAMES,
  WebPubSubArgumentError,
  addConnectionToGroup,
  addUserToGroup,
  closeAllConnections,
  closeClientConnection,
  closeGroupConnections,
  grantPermission,
  removeConnectionFromGroup,
  removeUserFromAllGroups,
  removeUserFromGroup,
  revokePermission,
  sendToAll,
  sendToConnection,
  sendToGroup,
  sendToUser,
} from '../../lib/runtime';

describe('output action builders: payload shapes (output binding "WebPubSubAction" table)', () => {
  test('sendToAll carries actionName, data, dataType and excluded; omits excluded when not given', () => {
    // WHEN
    const withExcluded = sendToAll({ data: 'hi', dataType: 'text', excluded: ['c1', 'c2'] });
    const plain = sendToAll({ data: '{"a":1}', dataType: 'json' });
    // THEN
    expect(withExcluded).toEqual({ actionName: 'sendToAll', data: 'hi', dataType: 'text', excluded: ['c1', 'c2'] });
    expect(plain).toEqual({ actionName: 'sendToAll', data: '{"a":1}', dataType: 'json' });
    expect(Object.keys(plain)).not.toContain('excluded');
  });

  test('sendToGroup carries group and excluded', () => {
    expect(sendToGroup({ group: 'room', data: 'x', dataType: 'text', excluded: ['c1'] })).toEqual({
      actionName: 'sendToGroup',
      group: 'room',
      data: 'x',
      dataType: 'text',
      excluded: ['c1'],
    });
  });

  test('sendToUser and sendToConnection carry their target', () => {
    expect(sendToUser({ userId: 'alice', data: 'x', dataType: 'text' })).toEqual({
      actionName: 'sendToUser',
      userId: 'alice',
      data: 'x',
      dataType: 'text',
    });
    expect(sendToConnection({ connectionId: 'c1', data: 'x', dataType: 'text' })).toEqual({
      actionName: 'sendToConnection',
      connectionId: 'c1',
      data: 'x',
      dataType: 'text',
    });
  });

  test('group membership actions use userId/connectionId and group', () => {
    expect(addUserToGroup({ userId: 'u', group: 'g' })).toEqual({ actionName: 'addUserToGroup', userId: 'u', group: 'g' });
    expect(removeUserFromGroup({ userId: 'u', group: 'g' })).toEqual({ actionName: 'removeUserFromGroup', userId: 'u', group: 'g' });
    expect(removeUserFromAllGroups({ userId: 'u' })).toEqual({ actionName: 'removeUserFromAllGroups', userId: 'u' });
    expect(addConnectionToGroup({ connectionId: 'c', group: 'g' })).toEqual({
      actionName: 'addConnectionToGroup',
      connectionId: 'c',
      group: 'g',
    });
    expect(removeConnectionFromGroup({ connectionId: 'c', group: 'g' })).toEqual({
      actionName: 'removeConnectionFromGroup',
      connectionId: 'c',
      group: 'g',
    });
  });

  test('close actions carry excluded and reason only when given; an empty reason is kept', () => {
    expect(closeAllConnections()).toEqual({ actionName: 'closeAllConnections' });
    expect(closeAllConnections({ excluded: ['c1'], reason: 'maintenance' })).toEqual({
      actionName: 'closeAllConnections',
      excluded: ['c1'],
      reason: 'maintenance',
    });
    expect(closeClientConnection({ connectionId: 'c1' })).toEqual({ actionName: 'closeClientConnection', connectionId: 'c1' });
    expect(closeClientConnection({ connectionId: 'c1', reason: '' })).toEqual({
      actionName: 'closeClientConnection',
      connectionId: 'c1',
      reason: '',
    });
    expect(closeGroupConnections({ group: 'g', excluded: ['c2'], reason: 'bye' })).toEqual({
      actionName: 'closeGroupConnections',
      group: 'g',
      excluded: ['c2'],
      reason: 'bye',
    });
  });

  test('grantPermission and revokePermission carry connectionId, permission and optional targetName', () => {
    expect(grantPermission({ connectionId: 'c', permission: 'sendToGroup', targetName: 'g' })).toEqual({
      actionName: 'grantPermission',
      connectionId: 'c',
      permission: 'sendToGroup',
      targetName: 'g',
    });
    expect(revokePermission({ connectionId: 'c', permission: 'joinLeaveGroup' })).toEqual({
      actionName: 'revokePermission',
      connectionId: 'c',
      permission: 'joinLeaveGroup',
    });
  });

  test('every one of the 14 action names has a builder whose output uses it', () => {
    // GIVEN one valid call per builder
    const built = [
      sendToAll({ data: 'x', dataType: 'text' }),
      sendToGroup({ group: 'g', data: 'x', dataType: 'text' }),
      sendToUser({ userId: 'u', data: 'x', dataType: 'text' }),
      sendToConnection({ connectionId: 'c', data: 'x', dataType: 'text' }),
      addUserToGroup({ userId: 'u', group: 'g' }),
      removeUserFromGroup({ userId: 'u', group: 'g' }),
      removeUserFromAllGroups({ userId: 'u' }),
      addConnectionToGroup({ connectionId: 'c', group: 'g' }),
      removeConnectionFromGroup({ connectionId: 'c', group: 'g' }),
      closeAllConnections(),
      closeClientConnection({ connectionId: 'c' }),
      closeGroupConnections({ group: 'g' }),
      grantPermission({ connectionId: 'c', permission: 'sendToGroup' }),
      revokePermission({ connectionId: 'c', permission: 'sendToGroup' }),
    ];
    // THEN
    expect(WEB_PUBSUB_ACTION_NAMES).toHaveLength(14);
    expect(built.map((a) => a.actionName)).toEqual([...WEB_PUBSUB_ACTION_NAMES]);
  });

  test('excluded is copied: mutating the caller array later does not change the action', () => {
    const excluded = ['c1'];
    const action = sendToAll({ data: 'x', dataType: 'text', excluded });
    excluded.push('c2');
    expect(action.excluded).toEqual(['c1']);
  });
});

describe('message data rules (output binding IMPORTANT note: json/text data must be a string)', () => {
  test('text data that is not a string is rejected, with the advice to JSON.stringify', () => {
    expect(() => sendToAll({ data: { a: 1 } as unknown as string, dataType: 'text' })).toThrow(
      /^sendToAll: "data" must be a string for dataType "text" \(only "binary" data may be bytes or objects; use JSON\.stringify\(\) for objects\), got \{"a":1\}$/,
    );
  });

  test('json data that is an object is rejected', () => {
    expect(() => sendToGroup({ group: 'g', data: { a: 1 } as unknown as string, dataType: 'json' })).toThrow(
      /sendToGroup: "data" must be a string for dataType "json".*got \{"a":1\}/,
    );
  });

  test('json data that is a string but not JSON is rejected', () => {
    expect(() => sendToUser({ userId: 'u', data: '{oops', dataType: 'json' })).toThrow(
      /sendToUser: "data" must be valid JSON text for dataType "json", got "\{oops"/,
    );
  });

  test('an unknown dataType is rejected and the allowed values are listed', () => {
    expect(() => sendToConnection({ connectionId: 'c', data: 'x', dataType: 'xml' as 'text' })).toThrow(
      /sendToConnection: "dataType" must be one of "binary", "text", "json", got "xml"/,
    );
  });

  test('binary accepts a string unchanged', () => {
    expect(sendToAll({ data: 'raw', dataType: 'binary' })).toEqual({ actionName: 'sendToAll', data: 'raw', dataType: 'binary' });
  });

  test('binary Uint8Array and ArrayBuffer become a Buffer that JSON-serialises with its bytes', () => {
    // WHEN
    const fromView = sendToAll({ data: new Uint8Array([1, 2, 3]), dataType: 'binary' });
    const fromBuffer = sendToAll({ data: new Uint8Array([4, 5]).buffer, dataType: 'binary' });
    // THEN
    expect(Buffer.isBuffer(fromView.data)).toBe(true);
    expect(JSON.parse(JSON.stringify(fromView))).toEqual({
      actionName: 'sendToAll',
      dataType: 'binary',
      data: { type: 'Buffer', data: [1, 2, 3] },
    });
    expect([...(fromBuffer.data as Buffer)]).toEqual([4, 5]);
  });

  test('binary data of another type is rejected', () => {
    expect(() => sendToAll({ data: 42 as unknown as string, dataType: 'binary' })).toThrow(
      /sendToAll: "data" must be a string, Uint8Array or ArrayBuffer for dataType "binary", got 42/,
    );
  });
});

describe('required and optional field checks', () => {
  test.each([
    ['sendToGroup', 'group', () => sendToGroup({ group: '', data: 'x', dataType: 'text' }), '""'],
    ['sendToUser', 'userId', () => sendToUser({ userId: '  ', data: 'x', dataType: 'text' }), '"  "'],
    ['sendToConnection', 'connectionId', () => sendToConnection({ connectionId: '', data: 'x', dataType: 'text' }), '""'],
    ['addUserToGroup', 'userId', () => addUserToGroup({ userId: '', group: 'g' }), '""'],
    ['addUserToGroup', 'group', () => addUserToGroup({ userId: 'u', group: '' }), '""'],
    ['removeUserFromGroup', 'userId', () => removeUserFromGroup({ userId: '', group: 'g' }), '""'],
    ['removeUserFromGroup', 'group', () => removeUserFromGroup({ userId: 'u', group: undefined as unknown as string }), 'undefined'],
    ['removeUserFromAllGroups', 'userId', () => removeUserFromAllGroups({ userId: '' }), '""'],
    ['addConnectionToGroup', 'connectionId', () => addConnectionToGroup({ connectionId: '', group: 'g' }), '""'],
    ['addConnectionToGroup', 'group', () => addConnectionToGroup({ connectionId: 'c', group: '' }), '""'],
    ['removeConnectionFromGroup', 'connectionId', () => removeConnectionFromGroup({ connectionId: 7 as unknown as string, group: 'g' }), '7'],
    ['removeConnectionFromGroup', 'group', () => removeConnectionFromGroup({ connectionId: 'c', group: '' }), '""'],
    ['closeClientConnection', 'connectionId', () => closeClientConnection({ connectionId: '' }), '""'],
    ['closeGroupConnections', 'group', () => closeGroupConnections({ group: '' }), '""'],
    ['grantPermission', 'connectionId', () => grantPermission({ connectionId: '', permission: 'sendToGroup' }), '""'],
    ['grantPermission', 'targetName', () => grantPermission({ connectionId: 'c', permission: 'sendToGroup', targetName: '' }), '""'],
    ['revokePermission', 'connectionId', () => revokePermission({ connectionId: '', permission: 'joinLeaveGroup' }), '""'],
    ['revokePermission', 'targetName', () => revokePermission({ connectionId: 'c', permission: 'joinLeaveGroup', targetName: ' ' }), '" "'],
  ])('%s rejects an empty "%s"', (action, field, build, shown) => {
    const expected = `${action}: "${field}" must be a non-empty string, got ${shown}`;
    expect(build).toThrow(WebPubSubArgumentError);
    expect(build).toThrow(new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  });

  test('the thrown error names the action and field as properties', () => {
    let caught: unknown;
    try {
      sendToGroup({ group: '', data: 'x', dataType: 'text' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(WebPubSubArgumentError);
    expect(caught).toMatchObject({ action: 'sendToGroup', field: 'group', name: 'WebPubSubArgumentError' });
  });

  test('permission must be sendToGroup or joinLeaveGroup', () => {
    expect(() => grantPermission({ connectionId: 'c', permission: 'webpubsub.sendToGroup' as 'sendToGroup' })).toThrow(
      /grantPermission: "permission" must be one of "sendToGroup", "joinLeaveGroup", got "webpubsub.sendToGroup"/,
    );
    expect(() => revokePermission({ connectionId: 'c', permission: undefined as unknown as 'sendToGroup' })).toThrow(
      /revokePermission: "permission" must be one of "sendToGroup", "joinLeaveGroup", got undefined/,
    );
  });

  test('excluded must be an array of non-empty strings and the bad element is named', () => {
    expect(() => sendToAll({ data: 'x', dataType: 'text', excluded: ['c1', ''] })).toThrow(
      /sendToAll: "excluded\[1\]" must be a non-empty string, got ""/,
    );
    expect(() => closeGroupConnections({ group: 'g', excluded: 'c1' as unknown as string[] })).toThrow(
      /closeGroupConnections: "excluded" must be an array of non-empty strings when given, got "c1"/,
    );
  });

  test('reason must be a string when given', () => {
    expect(() => closeAllConnections({ reason: 5 as unknown as string })).toThrow(
      /closeAllConnections: "reason" must be a string when given, got 5/,
    );
  });

  test('a missing options object is reported, not a TypeError', () => {
    expect(() => sendToUser(undefined as unknown as Parameters<typeof sendToUser>[0])).toThrow(
      /sendToUser: "options" must be an object, got undefined/,
    );
  });

  test('long values are truncated in the message', () => {
    const long = 'x'.repeat(200);
    expect(() => sendToAll({ data: long, dataType: 'json' })).toThrow(/got "x{79}\.\.\.$/);
  });
});
