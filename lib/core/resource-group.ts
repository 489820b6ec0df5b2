import type { IConstruct } from 'constructs';
import { validateAzureRegion } from '../validation/arm-ids';
import { RESOURCE_GROUP_NAME, validateAzureName } from '../validation/azure-resource-names';
import { InvalidPropError, isUnresolved, rejectReplacedProps } from '../validation/invalid-prop-error';
import { requireDefined } from '../validation/literals';

/**
 * Where a construct creates its resources: a resource group's name and the region. An azurerm `ResourceGroup` (or
 * `DataAzurermResourceGroup`) is one as it is; an existing group is a plain `{ name, location }`
 * ({@link ResourceGroupAttributes}).
 */
export interface IResourceGroup {
  /** Name of the group. */
  readonly name: string;
  /**
   * Region the resources are created in: the group's own, or another one for resources that must live elsewhere
   * (`{ name: group.name, location: 'swedencentral' }`).
   */
  readonly location: string;
}

/**
 * An existing resource group, by name and region. Any object of this shape is an {@link IResourceGroup}: a reference
 * creates nothing in Terraform and needs no scope, so there is no factory construct.
 */
export type ResourceGroupAttributes = IResourceGroup;

/** What to write instead of the two props `resourceGroup` replaced (issue 19). */
const RESOURCE_GROUP_REPLACEMENT = 'resourceGroup: { name, location } (or an azurerm ResourceGroup)';

/** The props `resourceGroup` replaced, with the prop that says the same now. */
export const REPLACED_BY_RESOURCE_GROUP: Readonly<Record<string, string>> = {
  resourceGroupName: RESOURCE_GROUP_REPLACEMENT,
  location: RESOURCE_GROUP_REPLACEMENT,
};

/**
 * Checks a construct's `resourceGroup` prop: the group is given, its name is a resource group name and its location
 * a region (tokens, such as a created group's attributes, are left to Terraform). `props` is checked for the removed
 * `resourceGroupName` and `location` first: a spread object or JavaScript caller still passing them would otherwise
 * fail only with "resourceGroup is required", or, next to a `resourceGroup`, have its region ignored silently.
 */
export function validateResourceGroup(scope: IConstruct, props: { readonly resourceGroup?: IResourceGroup }): void {
  rejectReplacedProps(scope, props, REPLACED_BY_RESOURCE_GROUP);
  validateResourceGroupValue(scope, 'resourceGroup', props.resourceGroup);
}

/** Checks one resource group value under the prop name `prop` (`resourceGroup`, `existingResourceGroup`, …). */
export function validateResourceGroupValue(scope: IConstruct, prop: string, group: unknown): void {
  requireDefined(scope, prop, group);
  if (typeof group !== 'object' || group === null) throw new InvalidPropError(scope, prop, group, 'must be a resource group: `{ name, location }` or an azurerm ResourceGroup');
  const { name, location } = group as IResourceGroup;
  validateAzureName(scope, `${prop}.name`, name, RESOURCE_GROUP_NAME);
  // Required, although validateAzureRegion lets a missing region pass (it checks optional ones too): without it
  // Terraform would refuse every resource of the construct.
  requireDefined(scope, `${prop}.location`, location);
  validateAzureRegion(scope, `${prop}.location`, location);
}

/**
 * The group's region when synth can know it: `location` itself, or, for an azurerm `ResourceGroup` created in this app
 * (whose `location` is a reference to the group's attribute), the region it was created with (`locationInput`).
 * `undefined` when only Terraform knows it (a variable, a data source), so the checks that compare regions skip it.
 */
export function knownRegion(group: IResourceGroup): string | undefined {
  if (!isUnresolved(group.location)) return group.location;
  const given = (group as { readonly locationInput?: unknown }).locationInput;
  return typeof given === 'string' && !isUnresolved(given) ? given : undefined;
}

/**
 * Fails when a sub-prop object carries its own `resourceGroup`: the parent places its parts in one group, and a second
 * one slipped in through a spread would be silently overridden (or win).
 */
export function rejectNestedResourceGroup(scope: IConstruct, prop: string, value: unknown, setBy: string): void {
  if (value !== null && typeof value === 'object' && (value as { resourceGroup?: unknown }).resourceGroup !== undefined) {
    throw new InvalidPropError(scope, `${prop}.resourceGroup`, '(given)', `is set by ${setBy}; remove it here`);
  }
}
