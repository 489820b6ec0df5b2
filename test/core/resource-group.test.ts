/**
 * `resourceGroup` on every component construct: an azurerm ResourceGroup as it is, a plain `{ name, location }`, the
 * checks naming `resourceGroup.name` / `resourceGroup.location`, and the removed `resourceGroupName` / `location`.
 */
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import type { IResourceGroup } from '../../lib/core/resource-group';
import { FunctionAppIdentity } from '../../lib/functions/function-app-identity';
import { FunctionAppInsights } from '../../lib/functions/function-app-insights';
import { FunctionHostStorage } from '../../lib/functions/function-host-storage';
import { WebPubSubFunctionApp } from '../../lib/functions/web-pubsub-function-app';
import { WebPubSubService } from '../../lib/webpubsub/web-pubsub-service';
import { flexSiteOf, newStack } from './synth-helpers';

type Part = (stack: TerraformStack, props: { resourceGroup: IResourceGroup }) => unknown;
const PARTS: [string, Part][] = [
  ['WebPubSubService', (stack, props) => new WebPubSubService(stack, 'Part', props)],
  ['FunctionHostStorage', (stack, props) => new FunctionHostStorage(stack, 'Part', props)],
  ['FunctionAppIdentity', (stack, props) => new FunctionAppIdentity(stack, 'Part', props)],
  ['FunctionAppInsights', (stack, props) => new FunctionAppInsights(stack, 'Part', props)],
  ['WebPubSubFunctionApp', (stack, props) => new WebPubSubFunctionApp(stack, 'Part', props)],
];

/** Where each created resource is placed: azurerm's resource_group_name and location, the Flex site's parent and location. */
function placements(json: any): { at: string; group: string; location: string }[] {
  const found: { at: string; group: string; location: string }[] = [];
  for (const [type, resources] of Object.entries(json.resource ?? {})) {
    for (const [key, r] of Object.entries(resources as Record<string, any>)) {
      if (r.resource_group_name !== undefined) found.push({ at: `${type}.${key}`, group: r.resource_group_name, location: r.location });
    }
  }
  if (Object.keys(json.resource?.azapi_resource ?? {}).length > 0) {
    const [key, site] = flexSiteOf(json);
    found.push({ at: `azapi_resource.${key}`, group: String(site.parent_id).split('/resourceGroups/')[1], location: site.location });
  }
  return found;
}

function synthPart(part: Part, resourceGroup: (stack: TerraformStack) => IResourceGroup): any {
  const { stack } = newStack('rg');
  part(stack, { resourceGroup: resourceGroup(stack) });
  return JSON.parse(Testing.synth(stack));
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe.each(PARTS)('%s: resourceGroup', (_name, part) => {
  test('an azurerm ResourceGroup is taken as it is: every resource references its name and location', () => {
    const json = synthPart(part, (stack) => new ResourceGroup(stack, 'Group', { name: 'rg-created', location: 'northeurope' }));
    const found = placements(json);
    expect(found.length).toBeGreaterThan(0);
    for (const p of found) {
      expect(p).toEqual({ at: p.at, group: '${azurerm_resource_group.Group.name}', location: '${azurerm_resource_group.Group.location}' });
    }
  });

  test('a plain { name, location } places every resource in that group and region', () => {
    const found = placements(synthPart(part, () => ({ name: 'rg-existing', location: 'westeurope' })));
    expect(found.length).toBeGreaterThan(0);
    for (const p of found) expect(p).toEqual({ at: p.at, group: 'rg-existing', location: 'westeurope' });
  });

  test('a region other than the group\'s own: { name: group.name, location }', () => {
    const found = placements(
      synthPart(part, (stack) => ({ name: new ResourceGroup(stack, 'Group', { name: 'rg-created', location: 'northeurope' }).name, location: 'swedencentral' })),
    );
    for (const p of found) expect(p).toEqual({ at: p.at, group: '${azurerm_resource_group.Group.name}', location: 'swedencentral' });
  });

  test('a name only Terraform knows (a variable) is not checked', () => {
    expect(() => synthPart(part, (stack) => ({ name: new TerraformVariable(stack, 'group', { type: 'string' }).stringValue, location: 'westeurope' }))).not.toThrow();
  });

  test.each([
    ['a name with a trailing dot', { name: 'rg.', location: 'westeurope' }, /^rg\/Part: `resourceGroup.name` must be a resource group name of .*, got "rg."$/],
    ['a 91-character name', { name: 'a'.repeat(91), location: 'westeurope' }, /^rg\/Part: `resourceGroup.name` must be a resource group name of 1-90 characters \(91 given\)/],
    ['no name', { location: 'westeurope' }, /^rg\/Part: `resourceGroup.name` must be a resource group name of .*, got undefined$/],
    ['a region with a "!"', { name: 'rg', location: 'west europe!' }, /^rg\/Part: `resourceGroup.location` must be an Azure region name .*, got "west europe!"$/],
    ['no region', { name: 'rg' }, /^rg\/Part: `resourceGroup.location` is required, got undefined$/],
  ])('%s fails naming the prop', (_case, group, message) => {
    expect(errorOf(() => synthPart(part, () => group as any))).toMatch(message);
  });

  test.each([
    [undefined, /^rg\/Part: `resourceGroup` is required, got undefined$/],
    ['rg-chat', /^rg\/Part: `resourceGroup` must be a resource group: `\{ name, location \}` or an azurerm ResourceGroup, got "rg-chat"$/],
  ])('resourceGroup %j fails', (group, message) => {
    expect(errorOf(() => synthPart(part, () => group as any))).toMatch(message);
  });

  // A spread object or JavaScript caller: the old props must not be ignored (the region would be) nor fail vaguely.
  const REPLACEMENT = 'was replaced by one prop per concept; use `resourceGroup: { name, location } (or an azurerm ResourceGroup)`';
  test.each([
    [{ resourceGroupName: 'rg', location: 'westeurope' }, `\`resourceGroupName\` ${REPLACEMENT}, got "rg"`],
    [{ resourceGroup: { name: 'rg', location: 'westeurope' }, resourceGroupName: 'rg' }, `\`resourceGroupName\` ${REPLACEMENT}, got "rg"`],
    [{ resourceGroup: { name: 'rg', location: 'westeurope' }, location: 'northeurope' }, `\`location\` ${REPLACEMENT}, got "northeurope"`],
  ])('the removed props %j fail naming resourceGroup', (props, message) => {
    const { stack } = newStack('rg');
    expect(errorOf(() => part(stack, props as any))).toBe(`rg/Part: ${message}`);
  });
});
