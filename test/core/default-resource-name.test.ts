import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { defaultResourceName } from '../../lib/default-resource-name';
import { FUNCTION_APP_NAME, STORAGE_ACCOUNT_NAME, validateAzureName, WEB_PUBSUB_NAME } from '../../lib/validation/azure-resource-names';

function scopeAt(...ids: string[]): Construct {
  let scope: Construct = new TerraformStack(new App({ outdir: '/tmp/unused' }), ids[0]);
  for (const id of ids.slice(1)) scope = new Construct(scope, id);
  return scope;
}

describe('defaultResourceName', () => {
  test('is deterministic, readable and valid for the rule', () => {
    const a = defaultResourceName(scopeAt('chat', 'Chat', 'WebPubSub'), WEB_PUBSUB_NAME, 'wps');
    expect(a).toBe(defaultResourceName(scopeAt('chat', 'Chat', 'WebPubSub'), WEB_PUBSUB_NAME, 'wps'));
    expect(a).toMatch(/^wps-chat-Chat-WebPubSub-[0-9a-f]{8}$/);
    expect(() => validateAzureName(scopeAt('x'), 'name', a, WEB_PUBSUB_NAME)).not.toThrow();
  });

  test('differs for different construct paths', () => {
    expect(defaultResourceName(scopeAt('a', 'B'), FUNCTION_APP_NAME, 'func')).not.toBe(defaultResourceName(scopeAt('a', 'C'), FUNCTION_APP_NAME, 'func'));
  });

  test('storage names are lowercase alphanumerics within 24 characters, even for long paths', () => {
    const name = defaultResourceName(scopeAt('a-very-long-stack-name', 'WithSomeDeeplyNestedConstruct', 'Storage_Account'), STORAGE_ACCOUNT_NAME, 'st');
    expect(name.length).toBeLessThanOrEqual(24);
    expect(name).toMatch(/^st[a-z0-9]+[0-9a-f]{8}$/);
    expect(() => validateAzureName(scopeAt('x'), 'name', name, STORAGE_ACCOUNT_NAME)).not.toThrow();
  });

  test('long paths are cut to the rule maximum without a trailing hyphen', () => {
    const long = 'Segment'.repeat(12);
    const name = defaultResourceName(scopeAt('s', long, long), FUNCTION_APP_NAME, 'func');
    expect(name.length).toBeLessThanOrEqual(60);
    expect(() => validateAzureName(scopeAt('x'), 'name', name, FUNCTION_APP_NAME)).not.toThrow();
  });
});
