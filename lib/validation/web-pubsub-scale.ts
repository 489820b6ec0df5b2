import { IConstruct } from 'constructs';
import { normalizeAzureRegion, validateAzureRegion } from './arm-ids';
import { AzureNameRule, WEB_PUBSUB_NAME } from './azure-resource-names';
import { InvalidPropError, isUnresolved } from './invalid-prop-error';
import { validateInteger } from './literals';
import { WEB_PUBSUB_CAPACITY_BY_SKU, WebPubSubSku } from './web-pubsub-sku';

/**
 * Replicas per primary: "The replica count is currently limited to a maximum of 8 per primary resource."
 * Sources: Learn "Geo-replication in Azure Web PubSub"
 * (https://learn.microsoft.com/azure/azure-web-pubsub/howto-enable-geo-replication); Learn "Reliability in Azure Web
 * PubSub" ("Each primary Web PubSub resource supports up to eight replicas").
 */
export const WEB_PUBSUB_MAX_REPLICAS = 8;

/** The SKUs with geo-replication and autoscale ("Premium tier" only, both Learn pages). */
export const WEB_PUBSUB_PREMIUM_SKUS: readonly WebPubSubSku[] = ['Premium_P1', 'Premium_P2'];

/**
 * Replica names (`Microsoft.SignalRService/webPubSub/replicas`): 3-63 letters, digits and hyphens, starting with a
 * letter and ending with a letter or digit. Sources: the ARM type data of `Microsoft.SignalRService/webPubSub/replicas`
 * 2024-03-01 (`name`: minLength 3, maxLength 63, pattern `^[a-zA-Z][a-zA-Z0-9-]{1,61}[a-zA-Z0-9]$`, the same as the
 * service's); https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftsignalrservice .
 */
export const WEB_PUBSUB_REPLICA_NAME: AzureNameRule = { ...WEB_PUBSUB_NAME, resource: 'Web PubSub replica' };

/**
 * Fails when a Premium-only feature (`prop`: replicas, autoscale) is asked of another SKU. Geo-replication: "Replica
 * is a feature of Premium tier" (Learn "Geo-replication in Azure Web PubSub"); autoscale: "Autoscaling is only
 * available in Azure WebPubSub service Premium tier" (Learn "Automatically scale units of an Azure Web PubSub service").
 */
export function validatePremiumOnly(scope: IConstruct, prop: string, value: unknown, sku: string, feature: string): void {
  if (isUnresolved(sku)) return;
  if (!(WEB_PUBSUB_PREMIUM_SKUS as readonly string[]).includes(sku)) {
    throw new InvalidPropError(scope, prop, value, `needs a Premium sku (${WEB_PUBSUB_PREMIUM_SKUS.join(' or ')}): ${feature} is a Premium tier feature, and the service's sku is ${sku}`);
  }
}

/** A replica's placement as {@link validateReplicaPlacement} sees it. */
export interface ReplicaPlacementInput {
  /** The replica's region. */
  readonly location: unknown;
}

/**
 * Checks the replicas of one primary as a whole (each time one is added): at most
 * {@link WEB_PUBSUB_MAX_REPLICAS}; each region once; none in the primary's region. The service routes each client
 * to "the nearest regional replica" by region (Traffic Manager), and the primary already serves its own region: a
 * second endpoint there adds nothing, and the portal offers only other regions. Regions compare as azurerm does
 * (case and spaces ignored: "West Europe" is westeurope); token regions are skipped.
 * Sources: Learn "Geo-replication in Azure Web PubSub" ("up to 8 per primary", "How the geo-replication feature
 * works"); Learn "Reliability in Azure Web PubSub" (§ Geo-replication).
 */
export function validateReplicaPlacement(
  scope: IConstruct,
  prop: string,
  primaryLocation: string,
  replicas: readonly ReplicaPlacementInput[],
): void {
  if (replicas.length > WEB_PUBSUB_MAX_REPLICAS) {
    throw new InvalidPropError(scope, prop, replicas.map((r) => r.location), `may hold at most ${WEB_PUBSUB_MAX_REPLICAS} replicas per primary (Learn "Geo-replication in Azure Web PubSub"), ${replicas.length} given`);
  }
  const seen = new Map<string, number>();
  replicas.forEach((replica, i) => {
    validateAzureRegion(scope, `${prop}[${i}].location`, replica.location);
    if (isUnresolved(replica.location) || typeof replica.location !== 'string') return;
    const region = normalizeAzureRegion(replica.location);
    if (!isUnresolved(primaryLocation) && region === normalizeAzureRegion(primaryLocation)) {
      throw new InvalidPropError(scope, `${prop}[${i}].location`, replica.location, `must be another region than the primary's (${primaryLocation}): the primary already serves its own region`);
    }
    const first = seen.get(region);
    if (first !== undefined) {
      throw new InvalidPropError(scope, `${prop}[${i}].location`, replica.location, `must not repeat the region of ${prop}[${first}]: one replica per region`);
    }
    seen.set(region, i);
  });
}

/** Fails unless `units` is a unit count the SKU accepts (the same lists as the service's `capacity`). */
export function validateUnits(scope: IConstruct, prop: string, units: unknown, sku: string): void {
  if (units === undefined || isUnresolved(units) || isUnresolved(sku)) return;
  const allowed = WEB_PUBSUB_CAPACITY_BY_SKU[sku as WebPubSubSku];
  if (!allowed) return;
  if (!allowed.includes(units as number)) {
    throw new InvalidPropError(scope, prop, units, `must be one of ${allowed.join(', ')} for sku ${sku}`);
  }
}

/** The unit bounds and thresholds of an autoscale setting as {@link validateAutoscale} sees them. */
export interface AutoscaleInput {
  readonly minUnits?: unknown;
  readonly maxUnits?: unknown;
  readonly defaultUnits?: unknown;
  readonly connectionQuotaScaleOutPercent?: unknown;
  readonly connectionQuotaScaleInPercent?: unknown;
  readonly serverLoadScaleOutPercent?: unknown;
  readonly serverLoadScaleInPercent?: unknown;
}

/**
 * Checks an autoscale setting: Premium only; minimum, default and maximum are unit counts the SKU accepts (Premium_P1
 * 1-10 then tens to 100, Premium_P2 hundreds to 1000: autoscale moves "between available units") with
 * minimum <= default <= maximum (Azure Monitor: "the default is only used if the current instance count is lower";
 * it must lie within the bounds); each threshold a percentage 0-100 with the scale-in threshold below the scale-out
 * one, or the two rules would fight (Azure Monitor "flapping").
 * Sources: Learn "Automatically scale units of an Azure Web PubSub service" (howto-scale-autoscale); Learn
 * "Best practices for Autoscale" (azure-monitor/autoscale/autoscale-best-practices: "Ensure the maximum and minimum
 * values are different and have an adequate margin", flapping); ARM `ResourceSku.capacity` (web-pubsub-sku.ts).
 */
export function validateAutoscale(scope: IConstruct, prop: string, sku: string, input: AutoscaleInput): void {
  validatePremiumOnly(scope, prop, '(given)', sku, 'autoscale');
  for (const key of ['minUnits', 'maxUnits', 'defaultUnits'] as const) validateUnits(scope, `${prop}.${key}`, input[key], sku);
  const { minUnits: min, maxUnits: max, defaultUnits: def } = input;
  const known = (v: unknown): v is number => typeof v === 'number' && !isUnresolved(v);
  if (known(min) && known(max) && min > max) {
    throw new InvalidPropError(scope, `${prop}.minUnits`, min, `must not exceed \`maxUnits\` (${max})`);
  }
  if (known(def) && known(min) && def < min) {
    throw new InvalidPropError(scope, `${prop}.defaultUnits`, def, `must be at least \`minUnits\` (${min})`);
  }
  if (known(def) && known(max) && def > max) {
    throw new InvalidPropError(scope, `${prop}.defaultUnits`, def, `must not exceed \`maxUnits\` (${max})`);
  }
  const pairs = [
    ['connectionQuotaScaleOutPercent', 'connectionQuotaScaleInPercent'],
    ['serverLoadScaleOutPercent', 'serverLoadScaleInPercent'],
  ] as const;
  for (const [outKey, inKey] of pairs) {
    validateInteger(scope, `${prop}.${outKey}`, input[outKey], { min: 1, max: 100 });
    validateInteger(scope, `${prop}.${inKey}`, input[inKey], { min: 0, max: 99 });
    const out = input[outKey];
    const inn = input[inKey];
    if (known(out) && known(inn) && inn >= out) {
      throw new InvalidPropError(scope, `${prop}.${inKey}`, inn, `must be below \`${outKey}\` (${out}), or scaling in would trigger scaling out again`);
    }
  }
}

/**
 * Fails unless the cooldown is an ISO 8601 duration (days, hours, minutes) between one minute and one week: ARM
 * `ScaleAction.cooldown` "must be between 1 week and 1 minute in ISO 8601 format" (azurerm only checks the format).
 */
export function validateCooldown(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined || isUnresolved(value)) return;
  const match = typeof value === 'string' ? /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(value) : null;
  const minutes = match && !/^PT?$/.test(value as string) ? Number(match[1] ?? 0) * 1440 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0) : NaN;
  if (!(minutes >= 1 && minutes <= 7 * 1440)) {
    throw new InvalidPropError(scope, prop, value, 'must be an ISO 8601 duration in days, hours and minutes between 1 minute and 1 week, e.g. PT30M (ARM ScaleAction.cooldown)');
  }
}
