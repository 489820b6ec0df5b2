/** FunctionHostKey: the collection and name it writes, and bad input naming the prop. */
import { FunctionHostKey } from '../../lib/functions/function-host-key';
import { newStack, resourcesOf, synthStack } from '../core/synth-helpers';

const APP_ID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/sites/app';

describe('FunctionHostKey', () => {
  test('GIVEN an app key THEN one PUT of host/default/functionKeys/<name> with the generated value', () => {
    const { app, stack } = newStack('keys');
    new FunctionHostKey(stack, 'Key', { functionAppId: APP_ID, keyType: 'functionKeys', keyName: 'webpubsub_upstream', waitFor: [] });
    const { json } = synthStack(app, stack);
    const writes = Object.values(resourcesOf(json, 'azapi_resource_action')) as any[];
    expect(writes).toHaveLength(1);
    const [write] = writes;
    const passwords = resourcesOf(json, 'random_password') as Record<string, any>;
    const [passwordKey] = Object.keys(passwords);
    // On the given app (WebApps_CreateOrUpdateHostSecret is a call on the site), not on some other resource.
    expect(write.resource_id).toBe(APP_ID);
    expect(write.type).toMatch(/^Microsoft\.Web\/sites@/);
    expect(write.action).toBe('host/default/functionKeys/webpubsub_upstream');
    expect(write.method).toBe('PUT');
    expect(write.body.properties).toEqual({ name: 'webpubsub_upstream', value: `\${random_password.${passwordKey}.result}` });
    // The generated value travels in `?code=`: no special characters, the default length.
    expect(passwords[passwordKey]).toMatchObject({ length: 48, special: false });
  });

  test.each([
    [{ keyType: 'masterKey' }, /`keyType` must be "systemKeys" or "functionKeys".*got "masterKey"/],
    [{ keyName: 'bad name' }, /`keyName` must be letters, digits/],
    [{ length: 20 }, /`length` must be an integer between 40 and 128, got 20/],
  ])('GIVEN %j THEN it fails naming the prop', (bad, message) => {
    const { stack } = newStack('bad');
    expect(() => new FunctionHostKey(stack, 'Key', { functionAppId: APP_ID, keyType: 'functionKeys', keyName: 'k', waitFor: [], ...(bad as object) } as any)).toThrow(message);
  });
});
