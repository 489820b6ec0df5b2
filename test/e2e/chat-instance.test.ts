/**
 * What `npm run e2e` relies on in the example: the resource group is the one the e2e names (and later destroys or
 * deletes), and every globally unique name carries the per-deployment suffix, so a throwaway copy (its own state)
 * never collides with the plain example or another copy anywhere in Azure.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Testing } from 'cdktf';
import { ChatStack } from '../../examples/chat/main';
import { e2eResourceGroupName } from '../../scripts/e2e';

function synth(options: ConstructorParameters<typeof ChatStack>[2]): any {
  const app: App = Testing.app();
  new ChatStack(app, 'chat', options);
  app.synth();
  return JSON.parse(readFileSync(path.join(app.outdir, 'stacks', 'chat', 'cdk.tf.json'), 'utf8'));
}

describe('examples/chat ChatStack for the e2e', () => {
  const suffix = '2608260z0zk';
  const copy = synth({ location: 'westeurope', resourceGroupName: e2eResourceGroupName(suffix) });

  test('the copy creates the resource group the e2e named', () => {
    expect(Object.values(copy.resource.azurerm_resource_group).map((r: any) => r.name)).toEqual(['rg-cdktf-wps-e2e-2608260z0zk']);
  });

  test('every globally unique name ends with the per-deployment random suffix (a new state gives new names)', () => {
    const [suffixKey] = Object.keys(copy.resource.random_string);
    const sites = Object.values(copy.resource.azapi_resource).filter((r: any) => r.type.startsWith('Microsoft.Web/sites@'));
    const names = [
      ...Object.values(copy.resource.azurerm_web_pubsub),
      ...Object.values(copy.resource.azurerm_storage_account),
      ...sites,
    ].map((r: any) => r.name as string);
    expect(names).toHaveLength(3);
    for (const name of names) expect(name.endsWith(`\${random_string.${suffixKey}.result}`)).toBe(true);
  });

  test('without a resource group name the example is unchanged', () => {
    expect(JSON.stringify(synth({ location: 'westeurope', resourceGroupName: undefined }))).toBe(JSON.stringify(synth({ location: 'westeurope' })));
  });
});
