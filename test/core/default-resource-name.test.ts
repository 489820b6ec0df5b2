import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { defaultResourceName, literalPrefixOf } from '../../lib/core/default-resource-name';
import { FunctionAppHosting } from '../../lib/functions/function-app-hosting';
import { ServerlessWebPubSub } from '../../lib/patterns/serverless-web-pubsub';
import { FUNCTION_APP_NAME, STORAGE_ACCOUNT_NAME, validateAzureName, WEB_PUBSUB_NAME } from '../../lib/validation/azure-resource-names';
import { cleanupTempDirs } from '../code/helpers';
import { codeOf, httpHandlersSource, httpProject } from './handler-fixtures';
import { flexSitesOf, newStack, onlyResource, readStack, resourcesOf, stackWithProviders, synthStack } from './synth-helpers';

afterAll(cleanupTempDirs);

// The hub's handlers as Flex Consumption serves them (registerWebPubSubHandlers), so the default topology synthesizes.
let project: string | undefined;
const chatCode = (scope: TerraformStack, id: string) => codeOf(scope, (project ??= httpProject(httpHandlersSource('chat', [], ['*']))), id);

function scopeAt(...ids: string[]): Construct {
  let scope: Construct = new TerraformStack(new App({ outdir: '/tmp/unused' }), ids[0]);
  for (const id of ids.slice(1)) scope = new Construct(scope, id);
  return scope;
}

// A name as Azure will see it: the literal part plus the 6 lowercase letters/digits of the deployment suffix.
const asDeployed = (name: string): string => `${literalPrefixOf(name)}a1b2c3`;

describe('defaultResourceName', () => {
  test('is deterministic, readable, ends with the per-deployment suffix and is valid for the rule', () => {
    const a = defaultResourceName(scopeAt('chat', 'Chat', 'WebPubSub'), WEB_PUBSUB_NAME, 'wps');
    expect(literalPrefixOf(a)).toBe(literalPrefixOf(defaultResourceName(scopeAt('chat', 'Chat', 'WebPubSub'), WEB_PUBSUB_NAME, 'wps')));
    expect(a).toMatch(/^wps-chat-Chat-WebPubSub-[0-9a-f]{6}-\$\{TfToken\[TOKEN\.\d+\]\}$/);
    expect(() => validateAzureName(scopeAt('x'), 'name', asDeployed(a), WEB_PUBSUB_NAME)).not.toThrow();
  });

  test('differs for different construct paths', () => {
    expect(literalPrefixOf(defaultResourceName(scopeAt('a', 'B'), FUNCTION_APP_NAME, 'func'))).not.toBe(
      literalPrefixOf(defaultResourceName(scopeAt('a', 'C'), FUNCTION_APP_NAME, 'func')),
    );
  });

  test('storage names are lowercase alphanumerics within 24 characters, even for long paths', () => {
    const name = asDeployed(defaultResourceName(scopeAt('a-very-long-stack-name', 'WithSomeDeeplyNestedConstruct', 'Storage_Account'), STORAGE_ACCOUNT_NAME, 'st'));
    expect(name.length).toBeLessThanOrEqual(24);
    expect(name).toMatch(/^st[a-z0-9]+$/);
    expect(() => validateAzureName(scopeAt('x'), 'name', name, STORAGE_ACCOUNT_NAME)).not.toThrow();
  });

  test('Function App names stay within 32 characters (the Functions host ID) without a trailing hyphen', () => {
    const long = 'Segment'.repeat(12);
    const name = asDeployed(defaultResourceName(scopeAt('s', long, long), FUNCTION_APP_NAME, 'func'));
    expect(name.length).toBeLessThanOrEqual(32);
    expect(() => validateAzureName(scopeAt('x'), 'name', name, FUNCTION_APP_NAME)).not.toThrow();
  });
});

describe('default names across deployments', () => {
  test('the suffix is one random_string per stack (lowercase letters and digits), stable in the state', () => {
    const { app, stack } = newStack('chat');
    new ServerlessWebPubSub(stack, 'Chat', { resourceGroupProps: { location: 'westeurope' }, hubs: [{ name: 'chat', userEventPattern: '*' }], functionAppProps: { code: chatCode(stack, 'Code') } });
    const { json } = synthStack(app, stack);
    const [suffixKey, suffix] = onlyResource(json, 'random_string');
    expect(suffix).toEqual(expect.objectContaining({ length: 6, lower: true, numeric: true, upper: false, special: false }));
    expect(suffix.keepers).toBeUndefined();
    const ref = `\${random_string.${suffixKey}.result}`;
    for (const type of ['azurerm_web_pubsub', 'azurerm_storage_account', 'azurerm_resource_group', 'azurerm_user_assigned_identity']) {
      for (const r of Object.values(resourcesOf(json, type)) as any[]) expect(r.name.endsWith(ref)).toBe(true);
    }
    expect(flexSitesOf(json)[0][1].name.endsWith(ref)).toBe(true);
  });

  test('two stacks of the same code get different default names; explicit names win', () => {
    const { app, stack } = newStack('one');
    const second = stackWithProviders(app, 'two');
    for (const s of [stack, second]) {
      new ServerlessWebPubSub(s, 'Chat', { resourceGroupProps: { location: 'westeurope' }, hubs: [{ name: 'chat', userEventPattern: '*' }], functionAppProps: { code: chatCode(s, 'Code') } });
    }
    new ServerlessWebPubSub(stack, 'Named', {
      resourceGroupProps: { location: 'westeurope', name: 'rg-named' },
      webPubSubProps: { name: 'wps-named' },
      functionAppProps: { name: 'func-named', storageProps: { name: 'stnamed' }, hosting: FunctionAppHosting.flexConsumption(), code: chatCode(stack, 'NamedCode') },
      hubs: [{ name: 'chat', userEventPattern: '*' }],
    });
    app.synth();
    const one = readStack(app, 'one');
    const two = readStack(app, 'two');
    const servicesOne = Object.values(resourcesOf(one, 'azurerm_web_pubsub')).map((r: any) => literalPrefixOf(r.name));
    const servicesTwo = Object.values(resourcesOf(two, 'azurerm_web_pubsub')).map((r: any) => literalPrefixOf(r.name));
    expect(servicesOne).toContain('wps-named');
    expect(servicesTwo.some((n) => servicesOne.includes(n))).toBe(false);
    expect(flexSitesOf(one).map(([, r]) => r.name)).toContain('func-named');
  });
});
