/**
 * What `npm run e2e` relies on in the example: an `instance` gives every globally unique name a different value, so
 * a throwaway copy never collides with the plain example (or with another copy) anywhere in Azure, and the resource
 * group is the one the e2e names (and later destroys or deletes).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Testing } from 'cdktf';
import { ChatStack } from '../../examples/chat/main';
import { e2eResourceGroupName } from '../../scripts/e2e';

function synthNames(options: ConstructorParameters<typeof ChatStack>[2]): Record<string, string[]> {
  const app: App = Testing.app();
  new ChatStack(app, 'chat', options);
  app.synth();
  const json = JSON.parse(readFileSync(path.join(app.outdir, 'stacks', 'chat', 'cdk.tf.json'), 'utf8'));
  const names = (type: string) => Object.values(json.resource[type] ?? {}).map((r: any) => r.name as string);
  return {
    resourceGroup: names('azurerm_resource_group'),
    webPubSub: names('azurerm_web_pubsub'),
    functionApp: names('azurerm_function_app_flex_consumption'),
    storage: names('azurerm_storage_account'),
    identity: names('azurerm_user_assigned_identity'),
  };
}

describe('examples/chat ChatStack instance (for the e2e)', () => {
  const plain = synthNames({ location: 'westeurope' });
  const suffix = '2608260z0zk';
  const copy = synthNames({ location: 'westeurope', instance: suffix, resourceGroupName: e2eResourceGroupName(suffix) });
  const other = synthNames({ location: 'westeurope', instance: '2608261abcd' });

  test('the copy creates the resource group the e2e named', () => {
    expect(copy.resourceGroup).toEqual(['rg-cdktf-wps-e2e-2608260z0zk']);
  });

  test.each(['webPubSub', 'functionApp', 'storage'])('every globally unique %s name differs from the plain example and from another copy', (kind) => {
    expect(copy[kind].length).toBeGreaterThan(0);
    for (const name of copy[kind]) {
      expect(plain[kind]).not.toContain(name);
      expect(other[kind]).not.toContain(name);
    }
  });

  test('without an instance the names are the plain example names (the option changes nothing by default)', () => {
    expect(synthNames({ location: 'westeurope', instance: undefined, resourceGroupName: undefined })).toEqual(plain);
  });

  test('an instance that could not be part of every Azure name is refused', () => {
    for (const instance of ['', 'UPPER', 'with-dash', 'a'.repeat(17)]) {
      expect(() => new ChatStack(Testing.app(), 'chat', { location: 'westeurope', instance })).toThrow(/must be 1-16 lowercase letters or digits/);
    }
  });
});
