import { IConstruct } from 'constructs';
import { FUNCTIONS_NODE_VERSIONS } from '../common/azure-constants';
import { InvalidPropError, isUnresolved } from './invalid-prop-error';
import { IntegerRange, oneOf, validateInteger } from './literals';

/**
 * Minimum inbound TLS versions the library accepts for `site_config.minimum_tls_version` /
 * `scm_minimum_tls_version`. ARM's `SupportedTlsVersions` (Microsoft.Web 2024-04-01) and azurerm 4.55
 * (`webapps.PossibleValuesForSupportedTlsVersions`) also accept `1.0` and `1.1`; the library keeps its
 * TLS 1.2+ floor (secure by default), so those are rejected with that reason.
 * Sources: the ARM type data of `Microsoft.Web/sites@2024-04-01` (`SiteConfig.minTlsVersion`, as the azapi provider embeds it);
 * https://learn.microsoft.com/azure/app-service/overview-tls ; azurerm `internal/services/appservice/helpers/function_app_schema.go`.
 */
export const MINIMUM_TLS_VERSIONS = ['1.2', '1.3'] as const;

/** Fails unless the value is `'1.2'` or `'1.3'` (strings: the number `1.2` is not accepted by azurerm). */
export function validateMinimumTlsVersion(scope: IConstruct, prop: string, value: unknown): void {
  oneOf(scope, prop, value, MINIMUM_TLS_VERSIONS, { hint: 'ARM also accepts 1.0 and 1.1, which this library does not allow' });
}

/**
 * `account_replication_type` values of `azurerm_storage_account` (case-sensitive `StringInSlice`), matching the
 * Standard SKUs `Standard_LRS` ... `Standard_RAGZRS`. Whether ZRS/GZRS exist in a region is not checked.
 * Sources: azurerm `internal/services/storage/storage_account_resource.go`;
 * https://learn.microsoft.com/azure/storage/common/storage-redundancy
 */
export const STORAGE_REPLICATION_TYPES = ['LRS', 'ZRS', 'GRS', 'RAGRS', 'GZRS', 'RAGZRS'] as const;

/** Fails unless the value is one of {@link STORAGE_REPLICATION_TYPES} (exact case). */
export function validateStorageReplicationType(scope: IConstruct, prop: string, value: unknown): void {
  oneOf(scope, prop, value, STORAGE_REPLICATION_TYPES);
}

/**
 * Elastic Premium plan SKUs. Sources: https://learn.microsoft.com/azure/azure-functions/functions-premium-plan#available-instance-skus ;
 * azurerm `internal/services/appservice/helpers/service_plan.go` (`elasticSkus`).
 */
export const ELASTIC_PREMIUM_SKUS = ['EP1', 'EP2', 'EP3'] as const;

/** Fails unless the value is EP1, EP2 or EP3 (azurerm compares `sku_name` case-sensitively). */
export function validateElasticPremiumSku(scope: IConstruct, prop: string, value: unknown): void {
  oneOf(scope, prop, value, ELASTIC_PREMIUM_SKUS);
}

/**
 * Dedicated (App Service plan) SKUs a Linux function app can run on: every Basic, Standard, Premium v2/v3/v4
 * (and memory-optimized) and Isolated SKU azurerm 4.55 knows. Free/Shared (F1, D1, SHARED), Consumption (Y1),
 * Elastic Premium (EP*), Flex (FC1) and Logic Apps Workflow Standard (WS*) are not Dedicated plans for Functions.
 * Sources: https://learn.microsoft.com/azure/azure-functions/dedicated-plan ("These plans include Basic, Standard,
 * Premium, and Isolated SKUs"); azurerm `internal/services/appservice/helpers/service_plan.go`
 * (`appServicePlanSkus`, `premiumSkus`, `isolatedSkus`; `sku_name` validated case-sensitively).
 */
export const DEDICATED_PLAN_SKUS = [
  'B1', 'B2', 'B3',
  'S1', 'S2', 'S3',
  'P1v2', 'P2v2', 'P3v2',
  'P0v3', 'P1v3', 'P2v3', 'P3v3',
  'P1mv3', 'P2mv3', 'P3mv3', 'P4mv3', 'P5mv3',
  'P0v4', 'P1v4', 'P2v4', 'P3v4',
  'P1mv4', 'P2mv4', 'P3mv4', 'P4mv4', 'P5mv4',
  'I1', 'I2', 'I3',
  'I1v2', 'I2v2', 'I3v2', 'I4v2', 'I5v2', 'I6v2',
  'I1mv2', 'I2mv2', 'I3mv2', 'I4mv2', 'I5mv2',
] as const;

/** Options of {@link validateDedicatedSku}. */
export interface DedicatedSkuOptions {
  /**
   * Whether the library creates the plan (without an App Service Environment). Isolated SKUs only exist inside an
   * App Service Environment (azurerm: "'App Service Environment' based Service Plans can only be used with
   * Isolated SKUs"), so they need `existingServicePlanId`.
   * @default true
   */
  readonly createsPlan?: boolean;
}

/** Fails unless the value is one of {@link DEDICATED_PLAN_SKUS}; with a created plan, also not an Isolated SKU. */
export function validateDedicatedSku(scope: IConstruct, prop: string, value: unknown, options: DedicatedSkuOptions = {}): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value === 'string' && !(DEDICATED_PLAN_SKUS as readonly string[]).includes(value)) {
    const wrongCase = DEDICATED_PLAN_SKUS.find((s) => s.toLowerCase() === value.toLowerCase());
    if (wrongCase) throw new InvalidPropError(scope, prop, value, `must be written ${wrongCase} (azurerm compares SKU names case-sensitively)`);
  }
  oneOf(scope, prop, value, DEDICATED_PLAN_SKUS, {
    hint: 'Basic, Standard, Premium v2/v3/v4 or Isolated; use FunctionAppHosting.elasticPremium() for EP1-EP3 and flexConsumption() for FC1',
  });
  if ((options.createsPlan ?? true) && /^I/.test(value as string)) {
    throw new InvalidPropError(
      scope,
      prop,
      value,
      'is an Isolated SKU, which only runs in an App Service Environment; pass `existingServicePlanId` of a plan in one',
    );
  }
}

/**
 * Flex Consumption instance memory sizes, in MB. Sources:
 * https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan#instance-memory (512, 2048, 4096).
 * azurerm 4.55 does not validate `instance_memory_in_mb` (any integer reaches ARM).
 */
export const FLEX_INSTANCE_MEMORY_MB = [512, 2048, 4096] as const;

/** Fails unless the value is the number 512, 2048 or 4096. */
export function validateFlexInstanceMemory(scope: IConstruct, prop: string, value: unknown): void {
  oneOf(scope, prop, value, FLEX_INSTANCE_MEMORY_MB);
}

/**
 * Bounds of a Flex Consumption app's `maximumInstanceCount`.
 * - Microsoft's pages disagree: "The lowest maximum scale is currently `1`. The highest currently supported value
 *   is `1000`" (https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan#considerations) while
 *   https://learn.microsoft.com/azure/azure-functions/event-driven-scaling#flex-consumption-plan keeps 40
 *   (MicrosoftDocs/azure-docs#128255, closed); values below 40 were opened region by region as a preview
 *   (Azure/azure-functions-host#10523, January 2026).
 * - azurerm 4.55's `azurerm_function_app_flex_consumption` validates `IntBetween(40, 1000)`; azurerm 4.58.0 relaxed it
 *   to `IntBetween(1, 1000)` (hashicorp/terraform-provider-azurerm#31392). The library does not use that resource: the
 *   Flex site is an azapi `Microsoft.Web/sites` body, whose ARM type has no bounds, so Azure's own minimum applies.
 */
export const FLEX_MAXIMUM_INSTANCE_COUNT = { azureMinimum: 1, maximum: 1000 } as const;

/** Fails unless the value is an integer between 1 and 1000 (Microsoft's Flex Consumption limits). */
export function validateFlexMaximumInstanceCount(scope: IConstruct, prop: string, value: unknown): void {
  validateInteger(scope, prop, value, { min: FLEX_MAXIMUM_INSTANCE_COUNT.azureMinimum, max: FLEX_MAXIMUM_INSTANCE_COUNT.maximum });
}

/**
 * Node.js versions the library deploys. Microsoft's supported-languages table also lists Node 24, but azurerm
 * 4.55 accepts `node_version` 12-22 only on `azurerm_linux_function_app` (any string as the Flex
 * `runtime_version`); 18 and older are end of life, and Node.js 20 reached its upstream end of life on 2026-04-30.
 * Sources: https://learn.microsoft.com/azure/azure-functions/supported-languages ;
 * azurerm `internal/services/appservice/helpers/function_app_schema.go` (`node_version`).
 */
export { FUNCTIONS_NODE_VERSIONS };

/** Fails unless the value is the string `'20'` or `'22'`. */
export function validateNodeVersion(scope: IConstruct, prop: string, value: unknown): void {
  oneOf(scope, prop, value, FUNCTIONS_NODE_VERSIONS, { hint: 'a string; Node 18 and older are end of life' });
}

/**
 * Fails when the code package was built for another Node.js major version than the app runs: the bundle's
 * target syntax and built-in APIs are those of `packageVersion`.
 */
export function validateNodeVersionMatch(
  scope: IConstruct,
  prop: string,
  packageVersion: string | undefined,
  appVersion: string | undefined,
): void {
  if (packageVersion === undefined || appVersion === undefined || isUnresolved(packageVersion) || isUnresolved(appVersion)) return;
  if (packageVersion !== appVersion) {
    throw new InvalidPropError(
      scope,
      prop,
      packageVersion,
      `must match the app's \`nodeVersion\` "${appVersion}": the package is bundled for Node ${packageVersion} and would run on Node ${appVersion}`,
    );
  }
}

/**
 * Retention of a Log Analytics workspace, in days: an integer from 30 to 730 (azurerm
 * `log_analytics_workspace.retention_in_days`: `validation.IntBetween(30, 730)`). Tables can go down to 4 days,
 * but that is a per-table setting, not the workspace's. Sources:
 * https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure ; azurerm
 * `internal/services/loganalytics/log_analytics_workspace_resource.go`.
 */
export const LOG_ANALYTICS_RETENTION_DAYS: IntegerRange = { min: 30, max: 730 };

/** Fails unless the value is an integer from 30 to 730. */
export function validateLogAnalyticsRetention(scope: IConstruct, prop: string, value: unknown): void {
  validateInteger(scope, prop, value, LOG_ANALYTICS_RETENTION_DAYS);
}
