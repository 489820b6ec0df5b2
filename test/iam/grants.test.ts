/** Grants as CDK users type them: `grantServiceOwner(grantee)`, `grant(grantee, role)`, roles by definition GUID. */
import { BuiltInRole } from '../../lib/iam/built-in-role';
import { FunctionAppIdentity } from '../../lib/functions/function-app-identity';
import { FunctionHostStorage } from '../../lib/functions/function-host-storage';
import { WebPubSubService } from '../../lib/webpubsub/web-pubsub-service';
import { newStack, readStack, resourcesOf, stackWithProviders, synthStack } from '../core/synth-helpers';

const placement = { resourceGroup: { name: 'rg', location: 'westeurope' } };
const definitionOf = (assignment: any): string => String(assignment.role_definition_id).split('/').pop()!;

describe('grants', () => {
  test('GIVEN service and identity in one stack WHEN grantServiceOwner(identity) THEN one Service Owner assignment on the service, granted once however often asked', () => {
    const { app, stack } = newStack('one');
    const service = new WebPubSubService(stack, 'Service', placement);
    const identity = new FunctionAppIdentity(stack, 'Identity', placement);
    const first = service.grantServiceOwner(identity);
    expect(service.grantServiceOwner(identity)).toBe(first);
    const assignments = Object.values(resourcesOf(synthStack(app, stack).json, 'azurerm_role_assignment'));
    expect(assignments).toHaveLength(1);
    expect(definitionOf(assignments[0])).toBe('12cf5a90-567b-43ae-8102-96cf46c7d9b4');
    expect(assignments[0].scope).toMatch(/azurerm_web_pubsub\.Service_[0-9A-F]+\.id/);
  });

  test('GIVEN the service in a platform stack WHEN a product stack grants its identity without a requester THEN the assignment lives in the grantee\'s stack, not the platform\'s', () => {
    const { app, stack: platform } = newStack('platform');
    const product = stackWithProviders(app, 'product');
    const service = new WebPubSubService(platform, 'Service', placement);
    const identity = new FunctionAppIdentity(product, 'Identity', placement);
    service.grantServiceOwner(identity);
    app.synth();
    expect(Object.keys(resourcesOf(readStack(app, 'platform'), 'azurerm_role_assignment'))).toEqual([]);
    expect(Object.keys(resourcesOf(readStack(app, 'product'), 'azurerm_role_assignment'))).toHaveLength(1);
  });

  test('GIVEN a principal that is not a construct WHEN granted without a requester THEN the assignment lives with the resource', () => {
    const { app, stack } = newStack('plain');
    const storage = new FunctionHostStorage(stack, 'Storage', placement);
    storage.grant({ principalId: '00000000-0000-0000-0000-0000000000aa', principalType: 'Group' }, BuiltInRole.STORAGE_QUEUE_DATA_CONTRIBUTOR);
    const [assignment] = Object.values(resourcesOf(synthStack(app, stack).json, 'azurerm_role_assignment'));
    expect(definitionOf(assignment)).toBe('974c5e8b-45b9-4653-ba55-5f855dd0fb88');
    expect(assignment.principal_type).toBe('Group');
  });

  test('GIVEN grant(grantee, role) with the Reader role or a role by definition GUID THEN each is assigned with its GUID', () => {
    const { app, stack } = newStack('roles');
    const service = new WebPubSubService(stack, 'Service', placement);
    const identity = new FunctionAppIdentity(stack, 'Identity', placement);
    service.grant(identity, BuiltInRole.WEB_PUBSUB_SERVICE_READER);
    service.grant(identity, BuiltInRole.fromRoleDefinitionId('Custom Hub Auditor', 'ABCDEF01-2345-6789-ABCD-EF0123456789'));
    const definitions = Object.values(resourcesOf(synthStack(app, stack).json, 'azurerm_role_assignment')).map(definitionOf).sort();
    expect(definitions).toEqual(['abcdef01-2345-6789-abcd-ef0123456789', 'bfb1c7d2-fb1a-466b-b2ba-aee63b92deaf']);
  });

  test('GIVEN two roles by GUID whose names differ only in punctuation THEN both are assigned (their ids carry the GUID)', () => {
    const { app, stack } = newStack('twins');
    const service = new WebPubSubService(stack, 'Service', placement);
    const identity = new FunctionAppIdentity(stack, 'Identity', placement);
    service.grant(identity, BuiltInRole.fromRoleDefinitionId('My Role', 'aaaaaaaa-2345-6789-abcd-ef0123456789'));
    service.grant(identity, BuiltInRole.fromRoleDefinitionId('MyRole', 'bbbbbbbb-2345-6789-abcd-ef0123456789'));
    expect(Object.values(resourcesOf(synthStack(app, stack).json, 'azurerm_role_assignment'))).toHaveLength(2);
  });

  test.each([
    ['Custom', '/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/abcdef01-2345-6789-abcd-ef0123456789', /`roleDefinitionId` must be a role definition GUID \(not an ARM ID\)/],
    ['Custom', 'abc', /`roleDefinitionId` must be a role definition GUID/],
    ['  ', 'abcdef01-2345-6789-abcd-ef0123456789', /`roleName` must contain a letter or digit/],
  ])('BuiltInRole.fromRoleDefinitionId(%j, %j) fails naming the argument', (name, id, message) => {
    expect(() => BuiltInRole.fromRoleDefinitionId(name, id)).toThrow(message);
  });
});
