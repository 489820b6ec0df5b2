import { AzapiResourceAction } from '../../lib/azapi/azapi-resource-action';
import { AzapiProvider } from '../../lib/azapi/azapi-provider';
import { newStack, onlyResource, synthStack } from '../core/synth-helpers';

describe('AzapiResourceAction binding', () => {
  test('synthesizes the documented snake_case schema and omits unset attributes', () => {
    const { app, stack } = newStack('azapi');
    new AzapiResourceAction(stack, 'Restart', { type: 'Microsoft.Web/sites@2024-04-01', resourceId: '/id/site', action: 'restart' });
    const [, action] = onlyResource(synthStack(app, stack).json, 'azapi_resource_action');
    expect(action).toEqual({
      '//': expect.anything(),
      type: 'Microsoft.Web/sites@2024-04-01',
      resource_id: '/id/site',
      action: 'restart',
    });
  });

  test('an aliased provider is referenced by alias', () => {
    const { app, stack } = newStack('alias');
    const second = new AzapiProvider(stack, 'second', { alias: 'second' });
    new AzapiResourceAction(stack, 'Call', { type: 'T@1', resourceId: '/id', provider: second, when: 'destroy', method: 'POST' });
    const { json } = synthStack(app, stack);
    expect(json.provider.azapi).toEqual([{}, { alias: 'second' }]);
    expect(onlyResource(json, 'azapi_resource_action')[1]).toMatchObject({ provider: 'azapi.second', when: 'destroy', method: 'POST' });
  });
});
