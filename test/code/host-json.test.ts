import { buildHostJson, deepMerge, defaultHostJson, serializeHostJson } from '../../lib/code/private/host-json';

describe('host.json', () => {
  test('default: schema 2.0 and the extension bundle range that carries Web PubSub identity connections', () => {
    expect(buildHostJson()).toEqual({
      version: '2.0',
      extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.36.0, 5.0.0)' },
    });
  });

  test('overrides deep-merge objects, replace arrays and scalars, ignore undefined, and do not mutate inputs', () => {
    const overrides = {
      extensionBundle: { version: '[4.40.0, 5.0.0)' },
      extensions: { http: { routePrefix: '' } },
      functions: ['negotiate'],
      functionTimeout: undefined,
    };
    const base = { functions: ['a', 'b'], extensions: { http: { maxOutstandingRequests: 200 } } };
    const merged = deepMerge(base, overrides);
    expect(merged).toEqual({
      functions: ['negotiate'],
      extensions: { http: { maxOutstandingRequests: 200, routePrefix: '' } },
      extensionBundle: { version: '[4.40.0, 5.0.0)' },
    });
    expect(base.extensions.http).toEqual({ maxOutstandingRequests: 200 });
    (merged.functions as string[]).push('x');
    expect(overrides.functions).toEqual(['negotiate']);
    expect(buildHostJson(overrides).extensionBundle).toEqual({ id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.40.0, 5.0.0)' });
  });

  test('a non-2.0 version is rejected', () => {
    expect(() => buildHostJson({ version: '1.0' })).toThrow(/`hostJson.version` must be "2.0".*"1.0"/);
  });

  test('serialization is stable', () => {
    expect(serializeHostJson(defaultHostJson())).toBe(serializeHostJson(buildHostJson({})));
    expect(serializeHostJson(defaultHostJson()).endsWith('}\n')).toBe(true);
  });
});
