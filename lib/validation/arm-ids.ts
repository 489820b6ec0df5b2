import { IConstruct } from 'constructs';
import { InvalidPropError, isUnresolved } from './invalid-prop-error';

/**
 * A resource type an ARM resource ID must point at. `namespace` and `type` carry the casing azurerm's ID parsers
 * require (see {@link validateArmResourceId}).
 */
export interface ArmResourceType {
  /** Resource provider namespace, e.g. `Microsoft.Web`. */
  readonly namespace: string;
  /** Resource type within the namespace, e.g. `serverFarms`. */
  readonly type: string;
  /** What the resource is called in messages, e.g. `App Service plan`. */
  readonly description: string;
}

/**
 * The resource types this library references by ID, in azurerm 4.55's canonical casing (the static segments of the
 * go-azure-helpers `commonids` / go-azure-sdk ID types its validators parse with). ARM itself treats these segments
 * case-insensitively (the portal shows `Microsoft.Web/serverfarms`), azurerm does not (`Microsoft.Web/serverFarms`).
 */
export const ARM_RESOURCE_TYPES = {
  /** azurerm `commonids.AppServicePlanId` (`service_plan_id` of function apps). */
  SERVICE_PLAN: { namespace: 'Microsoft.Web', type: 'serverFarms', description: 'App Service plan' },
  /** azurerm `commonids.AppServiceId`. */
  FUNCTION_APP: { namespace: 'Microsoft.Web', type: 'sites', description: 'function app' },
  /** azurerm `commonids.StorageAccountId` (`storage_account_id` of containers). */
  STORAGE_ACCOUNT: { namespace: 'Microsoft.Storage', type: 'storageAccounts', description: 'storage account' },
  /** azurerm `commonids.UserAssignedIdentityId` (`identity_ids`, `storage_user_assigned_identity_id`). */
  USER_ASSIGNED_IDENTITY: {
    namespace: 'Microsoft.ManagedIdentity',
    type: 'userAssignedIdentities',
    description: 'user-assigned managed identity',
  },
  /** go-azure-sdk applicationinsights `ComponentId`. */
  APPLICATION_INSIGHTS: { namespace: 'Microsoft.Insights', type: 'components', description: 'Application Insights component' },
  /** go-azure-sdk operationalinsights `WorkspaceId` (`workspace_id`, `log_analytics_workspace_id`). */
  LOG_ANALYTICS_WORKSPACE: {
    namespace: 'Microsoft.OperationalInsights',
    type: 'workspaces',
    description: 'Log Analytics workspace',
  },
  /** go-azure-sdk webpubsub `WebPubSubId` (`web_pubsub_id`). */
  WEB_PUBSUB: { namespace: 'Microsoft.SignalRService', type: 'webPubSub', description: 'Web PubSub service' },
  /** go-azure-sdk web `SiteId` (`target_resource_id` of a shared private link to a function app). */
  WEB_SITE: { namespace: 'Microsoft.Web', type: 'sites', description: 'App Service or Function App site' },
} as const satisfies Record<string, ArmResourceType>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Resource group names as Azure allows them in IDs of existing groups: Unicode letters and digits, `_ - . ( )`,
// 1-90 characters, not ending with a period. https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftresources
// (Creating a group through azurerm is stricter, ASCII only: see RESOURCE_GROUP_NAME.)
const EXISTING_RESOURCE_GROUP = /^[-\p{L}\p{N}_.()]{0,89}[-\p{L}\p{N}_()]$/u;

/** The parts of a resource ID. */
export interface ArmResourceIdParts {
  /** Subscription ID (a GUID). */
  readonly subscriptionId: string;
  /** Resource group name. */
  readonly resourceGroupName: string;
  /** Resource name (last segment). */
  readonly name: string;
}

const withArticle = (description: string) => `${/^[aeiou]/i.test(description) ? 'an' : 'a'} ${description}`;

/** `/subscriptions/<subscription GUID>/resourceGroups/<group>/providers/<Namespace>/<type>/<name>` */
export function armResourceIdShape(type: ArmResourceType): string {
  return `/subscriptions/<subscription GUID>/resourceGroups/<group>/providers/${type.namespace}/${type.type}/<name>`;
}

/**
 * Parses a resource ID of the given type (keywords, namespace and type compared case-insensitively, as ARM does);
 * undefined when the ID does not have that shape.
 */
export function parseArmResourceId(id: string, type: ArmResourceType): ArmResourceIdParts | undefined {
  const segments = id.split('/');
  if (segments.length !== 9 || segments[0] !== '') return undefined;
  const [, subs, subscriptionId, groups, resourceGroupName, providers, namespace, resourceType, name] = segments;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (!same(subs, 'subscriptions') || !same(groups, 'resourceGroups') || !same(providers, 'providers')) return undefined;
  if (!same(namespace, type.namespace) || !same(resourceType, type.type)) return undefined;
  if (!GUID.test(subscriptionId) || !EXISTING_RESOURCE_GROUP.test(resourceGroupName)) return undefined;
  // `#` and `?` would end the path of the ARM request URL ("Don't use # in a resource name", resource-name-rules).
  if (name === '' || /[?#]/.test(name)) return undefined;
  return { subscriptionId, resourceGroupName, name };
}

/**
 * Fails unless the value is the ARM resource ID of a resource of `type`, and returns it with the fixed segments in
 * azurerm's casing (`resourceGroups`, `Microsoft.Web/serverFarms`, ...): ARM compares them case-insensitively, but
 * azurerm 4.55's ID validators parse case-sensitively, so `.../Microsoft.Web/serverfarms/plan` copied from the
 * portal passes ARM and fails `terraform validate`. Subscription, group and resource names are kept as given.
 * Tokens and `undefined` are returned unchanged.
 *
 * Sources: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules and
 * "Resource ID" in https://learn.microsoft.com/rest/api/resources/resources/get-by-id ; azurerm
 * `vendor/github.com/hashicorp/go-azure-helpers/resourcemanager/resourceids/parse.go` (`Parse(input, false)`:
 * static segments compared with `==`) and `commonschema.ResourceIDReferenceRequiredForceNew`.
 */
export function validateArmResourceId<T extends string | undefined>(scope: IConstruct, prop: string, value: T, type: ArmResourceType): T {
  if (value === undefined || isUnresolved(value)) return value;
  const shape = armResourceIdShape(type);
  if (typeof value !== 'string') throw new InvalidPropError(scope, prop, value, `must be an ARM resource ID of ${withArticle(type.description)}: ${shape}`);
  const parts = parseArmResourceId(value, type);
  if (!parts) {
    const actual = /\/providers\/([^/]+\/[^/]+)\//i.exec(value)?.[1];
    const what = actual && actual.toLowerCase() !== `${type.namespace}/${type.type}`.toLowerCase() ? ` (this is the ID of a ${actual} resource)` : '';
    throw new InvalidPropError(scope, prop, value, `must be an ARM resource ID of ${withArticle(type.description)}${what}: ${shape}`);
  }
  return `/subscriptions/${parts.subscriptionId}/resourceGroups/${parts.resourceGroupName}/providers/${type.namespace}/${type.type}/${parts.name}` as T;
}

/**
 * Fails unless the value is a GUID in its 36-character form (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, any hex case):
 * principal (object) IDs, client (application) IDs, tenant IDs. azurerm `role_assignment.principal_id` uses
 * `validation.IsUUID` (hashicorp/go-uuid `ParseUUID`: 36 characters, hyphens at fixed places, no braces).
 */
export function validateGuid(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'string' || !GUID.test(value)) {
    throw new InvalidPropError(scope, prop, value, 'must be a GUID such as 00000000-0000-0000-0000-000000000000 (36 characters, no braces)');
  }
}

/**
 * The form azurerm stores a region in: lowercase, spaces removed (`West Europe` -> `westeurope`).
 * Source: azurerm `vendor/github.com/hashicorp/go-azure-helpers/resourcemanager/location/normalize.go`.
 */
export function normalizeAzureRegion(region: string): string {
  return isUnresolved(region) ? region : region.toLowerCase().replace(/ /g, '');
}

/**
 * Fails unless the value can be an Azure region name. Display names are accepted: azurerm normalizes every
 * `location` by lowercasing it and removing spaces (`location.Normalize`, also its `StateFunc` and diff
 * suppression), so `West Europe` and `westeurope` are the same region to it. After that normalization a region is
 * letters and digits (`westeurope`, `eastus2euap`, `usgovvirginia`). Whether the region exists is not checked:
 * azurerm checks the normalized name against the live region list only when it can reach ARM metadata
 * (`location.EnhancedValidate`), and the library synthesizes offline.
 * Source: azurerm `go-azure-helpers/resourcemanager/location/{normalize,validation,schema}.go`;
 * https://learn.microsoft.com/azure/reliability/regions-list
 */
export function validateAzureRegion(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'string' || !/^[a-z0-9]+$/.test(normalizeAzureRegion(value))) {
    throw new InvalidPropError(
      scope,
      prop,
      value,
      'must be an Azure region name such as westeurope or "West Europe" (letters and digits once lowercased and spaces removed)',
    );
  }
}
