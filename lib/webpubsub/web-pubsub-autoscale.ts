import { MonitorAutoscaleSetting, MonitorAutoscaleSettingProfileRule } from '@cdktf/provider-azurerm/lib/monitor-autoscale-setting';
import { Construct } from 'constructs';
import { LibraryConstruct } from '../core/edition-guard';
import { AUTOSCALE_SETTING_NAME, validateAzureName } from '../validation/azure-resource-names';
import { InvalidPropError, isUnresolved } from '../validation/invalid-prop-error';
import { validateBoolean } from '../validation/literals';
import { validateAutoscale, validateCooldown } from '../validation/web-pubsub-scale';
import { WebPubSubSku } from '../validation/web-pubsub-sku';

/**
 * Autoscale of a Premium Web PubSub service or replica: Azure Monitor autoscale on its units, scaling out when either
 * documented metric runs high and in when both run low.
 * @see https://learn.microsoft.com/azure/azure-web-pubsub/howto-scale-autoscale
 */
export interface WebPubSubAutoscaleOptions {
  /**
   * Most units autoscale may set: a unit count of the SKU (Premium_P1: 1-10, then tens to 100; Premium_P2: hundreds
   * to 1000).
   */
  readonly maxUnits: number;
  /**
   * Fewest units autoscale may set.
   * @default - the units the service (or replica) is created with
   */
  readonly minUnits?: number;
  /**
   * Units autoscale sets when the metrics cannot be read (Azure Monitor `capacity.default`).
   * @default - `minUnits`
   */
  readonly defaultUnits?: number;
  /**
   * Scale out when the average `ConnectionQuotaUtilization` (connections relative to the units' quota) over the last
   * 10 minutes is above this percentage.
   * @default 70 - Learn's rule ("Increase units when the Connection Quota Utilization above 70%"), which leaves room to
   * accept connections during the 3-5 minutes a scale takes
   */
  readonly connectionQuotaScaleOutPercent?: number;
  /**
   * Scale in when the average `ConnectionQuotaUtilization` is below this percentage (and `ServerLoad` is low too).
   * @default 20 - Learn's scale-in rule for the same metric
   */
  readonly connectionQuotaScaleInPercent?: number;
  /**
   * Scale out when the average `ServerLoad` over the last 10 minutes is above this percentage.
   * @default 80 - the low end of Learn's "Scale out if the Server Load is over 80-90%"
   */
  readonly serverLoadScaleOutPercent?: number;
  /**
   * Scale in when the average `ServerLoad` is below this percentage (and connection quota utilization is low too).
   * @default 20 - Learn's example ("Decrease units when the Server Load is below 20%")
   */
  readonly serverLoadScaleInPercent?: number;
  /**
   * Time to wait after a scale action before the next one (ISO 8601 duration).
   * @default 'PT30M' - Learn: "allow 30 minutes from the previous autoscale before performing another autoscale operation"
   */
  readonly cooldown?: string;
  /**
   * Name of the autoscale setting (unique in the resource group).
   * @default - `<service or replica name>-autoscale`
   */
  readonly name?: string;
  /**
   * Whether the setting is enabled (false keeps it, with the units where they are).
   * @default true
   */
  readonly enabled?: boolean;
}

/** What an autoscale setting scales: a service or one of its replicas. */
export interface WebPubSubAutoscaleTarget {
  /** ARM id of the service or replica. */
  readonly id: string;
  /** Name of the service or replica (names the setting by default). */
  readonly name: string;
  /** Its region (the setting is created there). */
  readonly location: string;
  /** Resource group of the service (a replica's too). */
  readonly resourceGroupName: string;
  /** Its SKU (units are checked against it). */
  readonly sku: WebPubSubSku;
  /** The units it is created with (the default minimum). */
  readonly units: number;
  /**
   * The metric namespace of the target: `Microsoft.SignalRService/WebPubSub` for a service,
   * `Microsoft.SignalRService/WebPubSub/replicas` for a replica.
   */
  readonly metricNamespace: string;
}

/** Props of {@link WebPubSubAutoscale}. */
export interface WebPubSubAutoscaleProps extends WebPubSubAutoscaleOptions {
  /** The service or replica to scale. */
  readonly target: WebPubSubAutoscaleTarget;
  /**
   * Tags.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/** Metric namespaces of the two targets (Learn "Supported metrics for Microsoft.SignalRService/WebPubSub" and ".../replicas"). */
export const WEB_PUBSUB_METRIC_NAMESPACE = 'Microsoft.SignalRService/WebPubSub';
export const WEB_PUBSUB_REPLICA_METRIC_NAMESPACE = 'Microsoft.SignalRService/WebPubSub/replicas';

/**
 * An `azurerm_monitor_autoscale_setting` (Azure Monitor autoscale, `Microsoft.Insights/autoscalesettings` 2022-10-01)
 * on a Premium Web PubSub service or replica, with one profile and four rules on the metrics Microsoft's autoscale
 * guide names: scale out by one step when `ConnectionQuotaUtilization` or `ServerLoad` is high, scale in by one step
 * when both are low (Azure Monitor scales in only when every scale-in rule is met). Steps are `ServiceAllowedNextValue`:
 * the next unit count the SKU allows (10 → 20, not 11), as Learn says increments "are done between available units".
 * The target must ignore its own unit count in Terraform (the service and replica constructs do), or each plan would
 * undo what autoscale set.
 */
export class WebPubSubAutoscale extends LibraryConstruct {
  /** The `azurerm_monitor_autoscale_setting` (escape hatch). */
  public readonly resource: MonitorAutoscaleSetting;

  public constructor(scope: Construct, id: string, props: WebPubSubAutoscaleProps) {
    super(scope, id);
    const t = props.target;
    const minUnits = props.minUnits ?? t.units;
    const defaultUnits = props.defaultUnits ?? minUnits;
    const thresholds = {
      connectionQuotaScaleOutPercent: props.connectionQuotaScaleOutPercent ?? 70,
      connectionQuotaScaleInPercent: props.connectionQuotaScaleInPercent ?? 20,
      serverLoadScaleOutPercent: props.serverLoadScaleOutPercent ?? 80,
      serverLoadScaleInPercent: props.serverLoadScaleInPercent ?? 20,
    };
    // The default minimum is the target's own units: say so when those are above the maximum given.
    if (props.minUnits === undefined && typeof props.maxUnits === 'number' && !isUnresolved(props.maxUnits) && !isUnresolved(t.units) && props.maxUnits < t.units) {
      throw new InvalidPropError(this, 'autoscale.maxUnits', props.maxUnits, `must be at least the ${t.units} units ${t.name} is created with (the default \`minUnits\`), or give \`minUnits\``);
    }
    validateAutoscale(this, 'autoscale', t.sku, { minUnits, maxUnits: props.maxUnits, defaultUnits, ...thresholds });
    validateBoolean(this, 'autoscale.enabled', props.enabled);
    const cooldown = props.cooldown ?? 'PT30M';
    validateCooldown(this, 'autoscale.cooldown', cooldown);
    const name = props.name ?? `${t.name}-autoscale`;
    if (!isUnresolved(name)) validateAzureName(this, 'autoscale.name', name, AUTOSCALE_SETTING_NAME);

    const rule = (metricName: string, operator: 'GreaterThan' | 'LessThan', threshold: number): MonitorAutoscaleSettingProfileRule => ({
      metricTrigger: {
        metricName,
        metricNamespace: t.metricNamespace,
        metricResourceId: t.id,
        // One-minute grain, the only one the metrics have; a 10-minute average smooths bursts.
        timeGrain: 'PT1M',
        statistic: 'Average',
        timeWindow: 'PT10M',
        timeAggregation: 'Average',
        operator,
        threshold,
      },
      scaleAction: { direction: operator === 'GreaterThan' ? 'Increase' : 'Decrease', type: 'ServiceAllowedNextValue', value: 1, cooldown },
    });
    this.resource = new MonitorAutoscaleSetting(this, 'Resource', {
      name,
      resourceGroupName: t.resourceGroupName,
      location: t.location,
      targetResourceId: t.id,
      enabled: props.enabled ?? true,
      profile: [
        {
          name: 'default',
          capacity: { minimum: minUnits, maximum: props.maxUnits, default: defaultUnits },
          rule: [
            rule('ConnectionQuotaUtilization', 'GreaterThan', thresholds.connectionQuotaScaleOutPercent),
            rule('ServerLoad', 'GreaterThan', thresholds.serverLoadScaleOutPercent),
            rule('ConnectionQuotaUtilization', 'LessThan', thresholds.connectionQuotaScaleInPercent),
            rule('ServerLoad', 'LessThan', thresholds.serverLoadScaleInPercent),
          ],
        },
      ],
      tags: props.tags,
    });
  }
}
