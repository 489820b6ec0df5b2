import type { IConstruct } from 'constructs';
import { validateAzureRegion } from '../validation/arm-ids';
import { RESOURCE_GROUP_NAME, validateAzureName } from '../validation/azure-resource-names';
import { InvalidPropError, rejectReplacedProps } from '../validation/invalid-prop-error';
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
export interface ResourceGroupAttributes {
  /** Name of the group. */
  readonly name: string;
  /** Its region; the resources given this group are created there. */
  readonly location: string;
}

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
  const group: unknown = props.resourceGroup;
  requireDefined(scope, 'resourceGroup', group);
  if (typeof group !== 'object') throw new InvalidPropError(scope, 'resourceGroup', group, 'must be a resource group: `{ name, location }` or an azurerm ResourceGroup');
  const { name, location } = group as IResourceGroup;
  validateAzureName(scope, 'resourceGroup.name', name, RESOURCE_GROUP_NAME);
  // Required, although validateAzureRegion lets a missing region pass (it checks optional ones too): without it
  // Terraform would refuse every resource of the construct.
  requireDefined(scope, 'resourceGroup.location', location);
  validateAzureRegion(scope, 'resourceGroup.location', location);
}
