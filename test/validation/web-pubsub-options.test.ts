import {
  RECOMMENDED_PUBLIC_REQUEST_TYPES,
  validateNetworkAclAction,
  validateRequestTypes,
  validateUpstreamAuthResource,
  validateWebPubSubAuth,
  validateWebPubSubNetworkAcl,
} from '../../lib/validation/web-pubsub-options';
import { validateWebPubSubSku } from '../../lib/validation/web-pubsub-sku';
import { errorOf, listToken, numberToken, scope, stringToken } from './helpers';

describe('validateNetworkAclAction / validateRequestTypes', () => {
  test('actions: Allow and Deny only, exact case', () => {
    expect(() => validateNetworkAclAction(scope(), 'defaultAction', 'Allow')).not.toThrow();
    expect(() => validateNetworkAclAction(scope(), 'defaultAction', 'Deny')).not.toThrow();
    expect(() => validateNetworkAclAction(scope(), 'defaultAction', 'deny')).toThrow(/must be one of "Allow", "Deny", got "deny"/);
    expect(() => validateNetworkAclAction(scope(), 'defaultAction', stringToken())).not.toThrow();
  });

  test('request types: the four ARM values, each checked with its index; empty list allowed', () => {
    expect(() => validateRequestTypes(scope(), 'types', ['ClientConnection', 'ServerConnection', 'RESTAPI', 'Trace'])).not.toThrow();
    expect(() => validateRequestTypes(scope(), 'types', [])).not.toThrow();
    expect(errorOf(() => validateRequestTypes(scope(), 'types', ['ClientConnection', 'RestApi']))).toBe(
      'Stack/Thing: `types[1]` must be one of "ClientConnection", "ServerConnection", "RESTAPI", "Trace", got "RestApi"',
    );
    expect(() => validateRequestTypes(scope(), 'types', 'RESTAPI')).toThrow(/must be an array/);
    expect(() => validateRequestTypes(scope(), 'types', listToken())).not.toThrow();
  });
});

describe('validateWebPubSubNetworkAcl', () => {
  test('accepts the recommended default: Deny, ClientConnection and RESTAPI allowed publicly', () => {
    expect(() =>
      validateWebPubSubNetworkAcl(scope(), 'networkAcl', { defaultAction: 'Deny', publicAllowedRequestTypes: [...RECOMMENDED_PUBLIC_REQUEST_TYPES] }),
    ).not.toThrow();
  });

  test('rejects a Deny ACL that blocks the REST API the function app calls over the public endpoint', () => {
    expect(errorOf(() => validateWebPubSubNetworkAcl(scope(), 'networkAcl', { publicAllowedRequestTypes: ['ClientConnection'] }))).toMatch(
      /^Stack\/Thing: `networkAcl` must allow RESTAPI on the public network: the function app calls the service's REST API/,
    );
  });

  test('accepts ClientConnection only when the REST API goes through a private endpoint', () => {
    expect(() =>
      validateWebPubSubNetworkAcl(scope(), 'networkAcl', { publicAllowedRequestTypes: ['ClientConnection'] }, { restApiThroughPrivateEndpoint: true }),
    ).not.toThrow();
  });

  test('rejects Allow with denied RESTAPI, accepts Allow with other denied types', () => {
    expect(() => validateWebPubSubNetworkAcl(scope(), 'networkAcl', { defaultAction: 'Allow', publicDeniedRequestTypes: ['RESTAPI'] })).toThrow(
      /must allow RESTAPI/,
    );
    expect(() => validateWebPubSubNetworkAcl(scope(), 'networkAcl', { defaultAction: 'Allow', publicDeniedRequestTypes: ['Trace'] })).not.toThrow();
    expect(() => validateWebPubSubNetworkAcl(scope(), 'networkAcl', { defaultAction: 'Allow' })).not.toThrow();
  });

  test('rejects the combinations azurerm refuses at apply', () => {
    expect(() =>
      validateWebPubSubNetworkAcl(scope(), 'networkAcl', { defaultAction: 'Allow', publicAllowedRequestTypes: ['ClientConnection'] }),
    ).toThrow(/`networkAcl.publicAllowedRequestTypes` cannot be given with `defaultAction` Allow/);
    expect(() => validateWebPubSubNetworkAcl(scope(), 'networkAcl', { defaultAction: 'Deny', publicDeniedRequestTypes: ['Trace'] })).toThrow(
      /`networkAcl.publicDeniedRequestTypes` cannot be given with `defaultAction` Deny/,
    );
    expect(() =>
      validateWebPubSubNetworkAcl(scope(), 'networkAcl', { publicAllowedRequestTypes: ['RESTAPI'], publicDeniedRequestTypes: ['Trace'] }),
    ).toThrow(/cannot both be given/);
  });

  test('uses the construct default action when the prop is omitted', () => {
    expect(() =>
      validateWebPubSubNetworkAcl(scope(), 'networkAcl', { publicDeniedRequestTypes: ['Trace'] }, { defaultActionDefault: 'Allow' }),
    ).not.toThrow();
  });

  test('warns about rules without effect: public network access disabled, live trace without Trace', () => {
    const c = scope();
    expect(
      validateWebPubSubNetworkAcl(c, 'networkAcl', { publicAllowedRequestTypes: ['ClientConnection'] }, { publicNetworkAccessEnabled: false }),
    ).toEqual(['`networkAcl` has no effect on the public network while `publicNetworkAccessEnabled` is false (all public requests are refused)']);
    expect(c.node.metadata.filter((m) => m.type === '@cdktf/warn')).toHaveLength(1);
    expect(
      validateWebPubSubNetworkAcl(scope(), 'networkAcl', { publicAllowedRequestTypes: ['ClientConnection', 'RESTAPI'] }, { liveTraceEnabled: true }),
    ).toEqual(['`networkAcl` does not allow Trace on the public network, so the live trace tool cannot connect from there']);
    expect(
      validateWebPubSubNetworkAcl(scope(), 'networkAcl', { publicAllowedRequestTypes: ['ClientConnection', 'RESTAPI', 'Trace'] }, { liveTraceEnabled: true }),
    ).toEqual([]);
  });

  test('checks the literals and skips the cross checks when a part is a token', () => {
    expect(() => validateWebPubSubNetworkAcl(scope(), 'networkAcl', { defaultAction: 'Block' })).toThrow(/`networkAcl.defaultAction` must be one of/);
    expect(() => validateWebPubSubNetworkAcl(scope(), 'networkAcl', { defaultAction: stringToken(), publicAllowedRequestTypes: ['ClientConnection'] })).not.toThrow();
    expect(() => validateWebPubSubNetworkAcl(scope(), 'networkAcl', { publicAllowedRequestTypes: listToken() })).not.toThrow();
  });
});

describe('validateWebPubSubAuth', () => {
  test('rejects local auth and Entra ID auth both off', () => {
    expect(errorOf(() => validateWebPubSubAuth(scope(), { localAuthEnabled: false, aadAuthEnabled: false }))).toMatch(
      /^Stack\/Thing: `aadAuthEnabled` cannot be false while `localAuthEnabled` is false: .*, got false$/,
    );
    expect(() => validateWebPubSubAuth(scope(), { aadAuthEnabled: false })).toThrow(/cannot be false while `localAuthEnabled` is false/);
  });

  test('rejects Entra ID off when identity-based clients use the service', () => {
    expect(() => validateWebPubSubAuth(scope(), { localAuthEnabled: true, aadAuthEnabled: false }, { identityClients: true })).toThrow(
      /authenticates to the service with its managed identity/,
    );
  });

  test('accepts the defaults, key-only access without identity clients, and both on', () => {
    expect(() => validateWebPubSubAuth(scope(), {})).not.toThrow();
    expect(() => validateWebPubSubAuth(scope(), { localAuthEnabled: true, aadAuthEnabled: false })).not.toThrow();
    expect(() => validateWebPubSubAuth(scope(), { localAuthEnabled: true, aadAuthEnabled: true }, { identityClients: true })).not.toThrow();
  });

  test('rejects non-booleans and skips tokens', () => {
    expect(() => validateWebPubSubAuth(scope(), { aadAuthEnabled: 'false' })).toThrow(/`aadAuthEnabled` must be true or false, got "false"/);
    expect(() => validateWebPubSubAuth(scope(), { localAuthEnabled: false, aadAuthEnabled: stringToken() })).not.toThrow();
  });
});

describe('validateUpstreamAuthResource', () => {
  test.each(['00000000-1111-2222-3333-444444444444', 'api://00000000-1111-2222-3333-444444444444', 'https://management.azure.com/'])('accepts %s', (v) => {
    expect(() => validateUpstreamAuthResource(scope(), 'authManagedIdentityId', v)).not.toThrow();
  });

  test('rejects the ARM ID of a managed identity (azurerm names the argument managed_identity_id, ARM sends it as the token audience)', () => {
    const id = '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1';
    expect(errorOf(() => validateUpstreamAuthResource(scope(), 'authManagedIdentityId', id))).toMatch(
      /^Stack\/Thing: `authManagedIdentityId` must be the audience of the upstream's Entra ID application/,
    );
  });

  test('rejects whitespace and non-strings, skips tokens', () => {
    expect(() => validateUpstreamAuthResource(scope(), 'a', 'api://my app')).toThrow(/must be the audience/);
    expect(() => validateUpstreamAuthResource(scope(), 'a', 1)).toThrow(/must be the audience/);
    expect(() => validateUpstreamAuthResource(scope(), 'a', stringToken())).not.toThrow();
  });
});

describe('validateWebPubSubSku (existing rule, confirmed against the ARM ResourceSku.capacity description)', () => {
  test.each([
    ['Free_F1', 1],
    ['Standard_S1', 10],
    ['Standard_S1', 20],
    ['Standard_S1', 100],
    ['Premium_P1', 1],
    ['Premium_P2', 100],
    ['Premium_P2', 1000],
  ])('accepts %s with %i units', (sku, capacity) => {
    expect(() => validateWebPubSubSku(scope(), sku, capacity)).not.toThrow();
  });

  test.each([
    ['Free_F1', 2],
    ['Standard_S1', 11],
    ['Standard_S1', 200],
    ['Premium_P2', 1],
    ['Premium_P2', 150],
    ['Standard_S1', NaN],
  ])('rejects %s with %p units', (sku, capacity) => {
    expect(() => validateWebPubSubSku(scope(), sku, capacity)).toThrow(new RegExp(`\`capacity\` must be one of .* for sku ${sku}, got ${String(capacity)}`));
  });

  test('rejects an unknown SKU; skips a token SKU or capacity', () => {
    expect(() => validateWebPubSubSku(scope(), 'Basic', 1)).toThrow(/`sku` must be one of Free_F1/);
    expect(() => validateWebPubSubSku(scope(), stringToken(), 7)).not.toThrow();
    expect(() => validateWebPubSubSku(scope(), 'Standard_S1', numberToken())).not.toThrow();
  });
});

test('validateWebPubSubSku does not mistake Object.prototype members for SKUs', () => {
  expect(() => validateWebPubSubSku(scope(), 'toString', 1)).toThrow(/`sku` must be one of Free_F1/);
});
