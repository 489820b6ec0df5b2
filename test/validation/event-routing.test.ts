import {
  userEventNames,
  validateEventHandlerUrlTemplate,
  validateHandlerOrder,
  validateHttpFunctionPath,
  validateRoutingWithoutExplicitHandlers,
  validateSystemEvents,
  validateUserEventPattern,
  validateUserEvents,
} from '../../lib/validation/event-routing';
import { errorOf, listToken, scope, stringToken } from './helpers';

describe('validateSystemEvents', () => {
  test('accepts each system event once, and an empty list', () => {
    expect(() => validateSystemEvents(scope(), 'systemEvents', ['connect', 'connected', 'disconnected'])).not.toThrow();
    expect(() => validateSystemEvents(scope(), 'systemEvents', [])).not.toThrow();
  });

  test('rejects other names, other casing, repeats and non-arrays', () => {
    expect(() => validateSystemEvents(scope(), 'systemEvents', ['message'])).toThrow(/must only contain connect, connected, disconnected, got "message"/);
    expect(() => validateSystemEvents(scope(), 'systemEvents', ['Connect'])).toThrow(/got "Connect"/);
    expect(() => validateSystemEvents(scope(), 'systemEvents', ['connect', 'connect'])).toThrow(/must not repeat "connect"/);
    expect(() => validateSystemEvents(scope(), 'systemEvents', 'connect' as unknown as string[])).toThrow(/must be an array/);
  });

  test('skips a list token and token elements', () => {
    expect(() => validateSystemEvents(scope(), 'systemEvents', listToken())).not.toThrow();
    expect(() => validateSystemEvents(scope(), 'systemEvents', [stringToken(), 'connect'])).not.toThrow();
  });
});

describe('validateUserEvents', () => {
  test.each(['*', 'message', 'event1,event2', 'event1, event2', ' chat ', 'chat:typing', 'room/1', 'über'])('accepts %p', (pattern) => {
    expect(() => validateUserEvents(scope(), 'userEventPattern', pattern)).not.toThrow();
  });

  test.each([
    ['an empty pattern', '', /without empty names/],
    ['an empty name between commas', 'a,,b', /without empty names/],
    ['a trailing comma', 'a,', /without empty names/],
    ['"*" mixed with names', '*,chat', /must use "\*" alone/],
    ['a repeated name (after trimming)', 'a, a', /must not repeat "a"/],
    ['a control character', 'a\nb', /without control characters/],
    ['a non-string', 5, /must be "\*", one event name, or event names joined with ","/],
  ])('rejects %s', (_label, pattern, message) => {
    expect(() => validateUserEvents(scope(), 'userEventPattern', pattern)).toThrow(message);
  });

  test('skips undefined and tokens', () => {
    expect(() => validateUserEvents(scope(), 'userEventPattern', undefined)).not.toThrow();
    expect(() => validateUserEvents(scope(), 'userEventPattern', stringToken())).not.toThrow();
  });

  test('userEventNames trims names and reports "*"', () => {
    expect(userEventNames('a, b')).toEqual(['a', 'b']);
    expect(userEventNames('*')).toBe('*');
  });

  test('the deprecated strict rule still rejects "a, b" (kept until the constructs switch)', () => {
    expect(() => validateUserEventPattern(scope(), 'userEventPattern', 'a, b')).toThrow(/no spaces/);
  });
});

describe('validateEventHandlerUrlTemplate', () => {
  test.each([
    'https://example.com/api/{hub}/{event}',
    'https://example.com',
    'HTTPS://example.com:8443/hook?hub={hub}',
    'https://host.example/api/{event}?code={@Microsoft.KeyVault(SecretUri=https://kv1.vault.azure.net/secrets/code/)}',
    'https://host.example/api?code={@Microsoft.KeyVault(SecretUri=https://kv1.vault.azure.net/secrets/code/0123456789abcdef)}',
    'https://192.168.1.10/api',
  ])('accepts %s', (template) => {
    expect(() => validateEventHandlerUrlTemplate(scope(), 'urlTemplate', template)).not.toThrow();
  });

  test.each([
    ['http (the library requires HTTPS)', 'http://example.com/api', /must be an https:\/\/ URL template/],
    ['no scheme', 'example.com/api', /must be an https:\/\/ URL template/],
    ['a parameter in the host', 'https://{hub}.example.com/api', /must not use parameters in the host/],
    ['an unknown parameter', 'https://example.com/api/{category}', /uses \{category\}; the only parameters are \{hub\}, \{event\}/],
    ['a malformed Key Vault reference', 'https://example.com/?c={@Microsoft.KeyVault(VaultName=kv;SecretName=x)}', /uses \{@Microsoft.KeyVault\(VaultName/],
    ['an unmatched brace', 'https://example.com/api/{hub', /unmatched "\{"/],
    ['whitespace', 'https://example.com/api/{hub} /x', /must not contain whitespace/],
    ['a fragment', 'https://example.com/api#x', /must not contain a fragment/],
    ['an empty host', 'https:///api', /with a host name/],
    ['a port out of range', 'https://example.com:70000/api', /with a host name/],
    ['credentials in the authority', 'https://user:pw@example.com/api', /with a host name/],
    ['a non-string', 42, /must be an https:\/\/ URL template/],
  ])('rejects %s', (_label, template, message) => {
    expect(() => validateEventHandlerUrlTemplate(scope(), 'urlTemplate', template)).toThrow(message);
  });

  test('checks the library\'s own extension webhook, whose host and key are tokens', () => {
    const url = `https://${stringToken()}/runtime/webhooks/webpubsub?code=${stringToken()}`;
    expect(() => validateEventHandlerUrlTemplate(scope(), 'eventHandlers[0]', url)).not.toThrow();
    expect(() => validateEventHandlerUrlTemplate(scope(), 'eventHandlers[0]', `http://${stringToken()}/x`)).toThrow(/https:\/\//);
    expect(() => validateEventHandlerUrlTemplate(scope(), 'eventHandlers[0]', `https://${stringToken()}/{foo}`)).toThrow(/uses \{foo\}/);
  });

  test('skips undefined and a template that starts with a token, still checking its literal parts', () => {
    expect(() => validateEventHandlerUrlTemplate(scope(), 'u', undefined)).not.toThrow();
    expect(() => validateEventHandlerUrlTemplate(scope(), 'u', stringToken())).not.toThrow();
    expect(() => validateEventHandlerUrlTemplate(scope(), 'u', `${stringToken()}/api/{event}`)).not.toThrow();
    expect(() => validateEventHandlerUrlTemplate(scope(), 'u', `${stringToken()}/api/ {event}`)).toThrow(/whitespace/);
  });

  test('message names the prop and the value', () => {
    expect(errorOf(() => validateEventHandlerUrlTemplate(scope(), 'eventHandlers[1].urlTemplate', 'https://{hub}.x.com'))).toBe(
      'Stack/Thing: `eventHandlers[1].urlTemplate` must not use parameters in the host: the service resolves them in the path and query only ' +
        '(https://learn.microsoft.com/azure/azure-web-pubsub/howto-develop-eventhandler#url-template), got "https://{hub}.x.com"',
    );
  });
});

describe('validateHttpFunctionPath', () => {
  test.each(['api/{event}', '/api/{hub}/{event}', 'api/events?code=abc', 'api/{event}?hub={hub}', 'x'])('accepts %p', (path) => {
    expect(() => validateHttpFunctionPath(scope(), 'pathTemplate', path)).not.toThrow();
  });

  test.each([
    ['an empty path', '', /it is empty/],
    ['only slashes', '///', /it is empty/],
    ['a URL', 'https://other.example/api', /not a URL/],
    ['a protocol-relative URL', '//other.example/api', /not a URL/],
    ['a ".." segment', 'api/../admin', /without "\." or "\.\." segments/],
    ['a "." segment', './api', /without "\." or "\.\." segments/],
    ['a backslash', 'api\\events', /without "#" or "\\"/],
    ['a fragment', 'api#x', /without "#"/],
    ['whitespace', 'api/ x', /without whitespace/],
    ['an unknown parameter', 'api/{name}', /uses \{name\}/],
    ['a non-string', 3, /must be a path relative to the function app/],
  ])('rejects %s', (_label, path, message) => {
    expect(() => validateHttpFunctionPath(scope(), 'pathTemplate', path)).toThrow(message);
  });

  test('accepts ".." inside a segment name, skips undefined and tokens', () => {
    expect(() => validateHttpFunctionPath(scope(), 'pathTemplate', 'api/v1..2')).not.toThrow();
    expect(() => validateHttpFunctionPath(scope(), 'pathTemplate', undefined)).not.toThrow();
    expect(() => validateHttpFunctionPath(scope(), 'pathTemplate', `api/${stringToken()}`)).not.toThrow();
  });
});

describe('validateHandlerOrder', () => {
  test('accepts disjoint routing and a trailing "*" catch-all', () => {
    expect(() =>
      validateHandlerOrder(scope(), 'eventHandlers', [
        { systemEvents: ['connect'], userEventPattern: 'chat' },
        { systemEvents: ['connected', 'disconnected'], userEventPattern: 'typing' },
        { userEventPattern: '*' },
      ]),
    ).not.toThrow();
  });

  test('rejects a system event routed twice', () => {
    expect(errorOf(() => validateHandlerOrder(scope(), 'eventHandlers', [{ systemEvents: ['connect'] }, { systemEvents: ['connect'] }]))).toBe(
      'Stack/Thing: `eventHandlers[1].systemEvents` is already routed to eventHandlers[0]; the first matching handler wins, so this one would never receive it, got "connect"',
    );
  });

  test('rejects a user event routed twice and any user events after "*"', () => {
    expect(() => validateHandlerOrder(scope(), 'eventHandlers', [{ userEventPattern: 'a, b' }, { userEventPattern: 'b' }])).toThrow(
      /routes "b", already routed to eventHandlers\[0\]/,
    );
    expect(() => validateHandlerOrder(scope(), 'eventHandlers', [{ userEventPattern: '*' }, { userEventPattern: 'b' }])).toThrow(
      /is shadowed by "\*" in eventHandlers\[0\]/,
    );
  });

  test('skips token patterns and token system events', () => {
    expect(() =>
      validateHandlerOrder(scope(), 'eventHandlers', [{ userEventPattern: stringToken(), systemEvents: [stringToken()] }, { userEventPattern: 'a' }]),
    ).not.toThrow();
  });
});

describe('validateRoutingWithoutExplicitHandlers', () => {
  test('rejects routing that explicit handlers would make the library ignore', () => {
    expect(errorOf(() => validateRoutingWithoutExplicitHandlers(scope(), 'hubs[0]', { systemEvents: ['connect'], eventHandlers: [{}] }))).toMatch(
      /^Stack\/Thing: `hubs\[0\].systemEvents` only applies to the default handler and would be ignored because `eventHandlers` is given/,
    );
    expect(() => validateRoutingWithoutExplicitHandlers(scope(), 'hubs[0]', { userEventPattern: '*', eventHandlers: [] })).toThrow(
      /`hubs\[0\].userEventPattern` only applies to the default handler/,
    );
  });

  test('accepts routing without handlers, and handlers without routing', () => {
    expect(() => validateRoutingWithoutExplicitHandlers(scope(), 'hubs[0]', { systemEvents: ['connect'] })).not.toThrow();
    expect(() => validateRoutingWithoutExplicitHandlers(scope(), 'hubs[0]', { eventHandlers: [{}] })).not.toThrow();
  });
});
