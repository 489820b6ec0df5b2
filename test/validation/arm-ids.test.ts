import {
  ARM_RESOURCE_TYPES,
  normalizeAzureRegion,
  parseArmResourceId,
  validateArmResourceId,
  validateAzureRegion,
  validateGuid,
} from '../../lib/validation/arm-ids';
import { errorOf, scope, stringToken } from './helpers';

const SUB = '00000000-1111-2222-3333-444444444444';

describe('validateArmResourceId', () => {
  test.each([
    ['SERVICE_PLAN', 'Microsoft.Web/serverFarms'],
    ['FUNCTION_APP', 'Microsoft.Web/sites'],
    ['STORAGE_ACCOUNT', 'Microsoft.Storage/storageAccounts'],
    ['USER_ASSIGNED_IDENTITY', 'Microsoft.ManagedIdentity/userAssignedIdentities'],
    ['APPLICATION_INSIGHTS', 'Microsoft.Insights/components'],
    ['LOG_ANALYTICS_WORKSPACE', 'Microsoft.OperationalInsights/workspaces'],
    ['WEB_PUBSUB', 'Microsoft.SignalRService/webPubSub'],
  ] as const)('accepts an ID of a %s and returns it unchanged when already canonical', (key, providerType) => {
    const id = `/subscriptions/${SUB}/resourceGroups/rg/providers/${providerType}/thing1`;
    expect(validateArmResourceId(scope(), 'id', id, ARM_RESOURCE_TYPES[key])).toBe(id);
  });

  test('accepts any casing of the fixed segments (as ARM does) and returns azurerm casing', () => {
    // The portal shows Microsoft.Web/serverfarms; azurerm 4.55 parses `serverFarms` case-sensitively.
    const portal = `/SUBSCRIPTIONS/${SUB}/resourcegroups/My-RG/providers/microsoft.web/serverfarms/Plan1`;
    expect(validateArmResourceId(scope(), 'existingServicePlanId', portal, ARM_RESOURCE_TYPES.SERVICE_PLAN)).toBe(
      `/subscriptions/${SUB}/resourceGroups/My-RG/providers/Microsoft.Web/serverFarms/Plan1`,
    );
  });

  test('names the wrong type and shows the expected shape', () => {
    const storage = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1`;
    expect(errorOf(() => validateArmResourceId(scope(), 'existingServicePlanId', storage, ARM_RESOURCE_TYPES.SERVICE_PLAN))).toBe(
      'Stack/Thing: `existingServicePlanId` must be an ARM resource ID of an App Service plan (this is the ID of a Microsoft.Storage/storageAccounts resource): ' +
        `/subscriptions/<subscription GUID>/resourceGroups/<group>/providers/Microsoft.Web/serverFarms/<name>, got "${storage}"`,
    );
  });

  test.each([
    ['a name, not an ID', 'plan1'],
    ['a subscription that is not a GUID', '/subscriptions/abc/resourceGroups/rg/providers/Microsoft.Web/serverFarms/p'],
    ['a group ending with a period', `/subscriptions/${SUB}/resourceGroups/rg./providers/Microsoft.Web/serverFarms/p`],
    ['an empty name', `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/serverFarms/`],
    ['a trailing slash', `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/serverFarms/p/`],
    ['a child resource', `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/serverFarms/p/x/y`],
    ['no leading slash', `subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/serverFarms/p`],
    ['a "#" in the name', `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/serverFarms/p#1`],
  ])('rejects %s', (_label, id) => {
    expect(() => validateArmResourceId(scope(), 'id', id, ARM_RESOURCE_TYPES.SERVICE_PLAN)).toThrow(/must be an ARM resource ID of an App Service plan/);
  });

  test('accepts the boundary group names Azure allows for existing groups: 90 characters, Unicode, parentheses', () => {
    const group = `(${'é'.repeat(88)})`;
    expect(group.length).toBe(90);
    const id = `/subscriptions/${SUB}/resourceGroups/${group}/providers/Microsoft.Insights/components/app insights 1`;
    expect(validateArmResourceId(scope(), 'id', id, ARM_RESOURCE_TYPES.APPLICATION_INSIGHTS)).toBe(id);
    expect(() =>
      validateArmResourceId(scope(), 'id', id.replace(group, `${group}x`), ARM_RESOURCE_TYPES.APPLICATION_INSIGHTS),
    ).toThrow(/must be an ARM resource ID/);
  });

  test('rejects a non-string and skips undefined and tokens', () => {
    expect(() => validateArmResourceId(scope(), 'id', 42 as unknown as string, ARM_RESOURCE_TYPES.WEB_PUBSUB)).toThrow(/got 42/);
    expect(validateArmResourceId(scope(), 'id', undefined, ARM_RESOURCE_TYPES.WEB_PUBSUB)).toBeUndefined();
    const token = stringToken();
    expect(validateArmResourceId(scope(), 'id', token, ARM_RESOURCE_TYPES.WEB_PUBSUB)).toBe(token);
  });

  test('parseArmResourceId returns the parts', () => {
    expect(parseArmResourceId(`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.SignalRService/WebPubSub/wps`, ARM_RESOURCE_TYPES.WEB_PUBSUB)).toEqual({
      subscriptionId: SUB,
      resourceGroupName: 'rg',
      name: 'wps',
    });
  });
});

describe('validateGuid', () => {
  test('accepts a GUID in either hex case', () => {
    expect(() => validateGuid(scope(), 'principalId', SUB)).not.toThrow();
    expect(() => validateGuid(scope(), 'principalId', 'ABCDEF01-2345-6789-ABCD-EF0123456789')).not.toThrow();
  });

  test.each([
    ['braces', `{${SUB}}`],
    ['no hyphens', SUB.replace(/-/g, '')],
    ['a non-hex digit', SUB.replace('0', 'g')],
    ['one character short', SUB.slice(1)],
    ['a number', 5],
  ])('rejects %s', (_label, value) => {
    expect(() => validateGuid(scope(), 'principalId', value)).toThrow(/`principalId` must be a GUID/);
  });

  test('skips undefined and tokens', () => {
    expect(() => validateGuid(scope(), 'principalId', undefined)).not.toThrow();
    expect(() => validateGuid(scope(), 'principalId', stringToken())).not.toThrow();
  });
});

describe('validateAzureRegion', () => {
  test.each(['westeurope', 'West Europe', 'eastus2euap', 'usgovvirginia', 'WESTUS3'])('accepts %s', (region) => {
    expect(() => validateAzureRegion(scope(), 'location', region)).not.toThrow();
  });

  test.each([
    ['a hyphenated name', 'west-europe'],
    ['an empty string', ''],
    ['only spaces', '   '],
    ['a number', 42],
    ['a display name with punctuation', 'West Europe (Amsterdam)'],
  ])('rejects %s', (_label, value) => {
    expect(errorOf(() => validateAzureRegion(scope(), 'location', value))).toMatch(/^Stack\/Thing: `location` must be an Azure region name/);
  });

  test('skips undefined and tokens', () => {
    expect(() => validateAzureRegion(scope(), 'location', undefined)).not.toThrow();
    expect(() => validateAzureRegion(scope(), 'location', stringToken())).not.toThrow();
  });

  test('normalizes as azurerm does: lowercase, spaces removed; tokens untouched', () => {
    expect(normalizeAzureRegion('West Europe')).toBe('westeurope');
    const token = stringToken();
    expect(normalizeAzureRegion(token)).toBe(token);
  });
});
