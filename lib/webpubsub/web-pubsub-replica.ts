import { dependable, ITerraformDependable, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AzapiResource } from '../azapi/azapi-resource';
import { AzapiUpdateResource } from '../azapi/azapi-update-resource';
import { defaultResourceName } from '../core/default-resource-name';
import { LibraryConstruct } from '../core/edition-guard';
import { validateAzureRegion } from '../validation/arm-ids';
import { validateAzureName } from '../validation/azure-resource-names';
import { InvalidPropError, isUnresolved } from '../validation/invalid-prop-error';
import { oneOf, requireDefined, validateBoolean } from '../validation/literals';
import { validateTags } from '../validation/tags';
import { validatePremiumOnly, validateUnits, WEB_PUBSUB_PREMIUM_SKUS, WEB_PUBSUB_REPLICA_NAME } from '../validation/web-pubsub-scale';
import { WebPubSubSku } from '../validation/web-pubsub-sku';
import { WEB_PUBSUB_REPLICA_METRIC_NAMESPACE, WebPubSubAutoscale, WebPubSubAutoscaleOptions } from './web-pubsub-autoscale';
import { registerServiceWrite } from './upstream-prerequisites';

/** A replica's ARM id (resource types are case-insensitive in ARM ids). */
const REPLICA_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.SignalRService\/webPubSub\/[^/]+\/replicas\/[^/]+$/i;

/** The ARM type and API version of replicas: GA in 2024-03-01 (azurerm has no replica resource). */
export const WEB_PUBSUB_REPLICA_TYPE = 'Microsoft.SignalRService/webPubSub/replicas@2024-03-01';

/** A geo-replica of a Web PubSub service. */
export interface IWebPubSubReplica {
  /**
   * ARM id of the replica (`.../webPubSub/<service>/replicas/<name>`): the resource a shared private link approval,
   * an autoscale setting or a diagnostic setting of the replica targets.
   */
  readonly replicaId: string;
  /** Name of the replica. */
  readonly replicaName: string;
  /** Region of the replica. */
  readonly location: string;
}

/** Options of a replica, as `WebPubSubService.addReplica` and the `replicas` prop take them. */
export interface WebPubSubReplicaOptions {
  /** Region of the replica: another region than the service's, each region once. */
  readonly location: string;
  /**
   * Replica name (letters, digits, hyphens; 3-63).
   * @default - `<service name>-<location>` (Microsoft's examples name replicas so, e.g. `contoso-westus`)
   */
  readonly name?: string;
  /**
   * Units of the replica (each replica has its own).
   * @default - the service's units: Learn recommends sizing each replica "to handle all traffic" so it can take a
   * failed region's clients
   */
  readonly units?: number;
  /**
   * Pricing tier of the replica (Premium only; each replica has its own).
   * @default - the service's sku
   */
  readonly sku?: WebPubSubSku;
  /**
   * Route new client connections to this replica (`properties.regionEndpointEnabled`). Off: the primary's host name
   * does not resolve to it, existing connections stay. Keep it off until what the replica needs is in place, e.g. its
   * shared private link approval (Learn: "Do not enable the replica until its shared private endpoint has been approved").
   * When a `SharedPrivateLinkApproval` approves a shared private link of the service, the library does that itself:
   * the replica is created `Disabled` and its endpoint enabled after the approval (see `regionEndpointEnabler`).
   * @default true
   */
  readonly regionEndpointEnabled?: boolean;
  /**
   * Stop the replica's data plane (`properties.resourceStopped`).
   * @default false
   */
  readonly resourceStopped?: boolean;
  /**
   * Autoscale of the replica's units (its own metrics; Learn: "The autoscaling rules for replicas must be configured
   * separately").
   * @default - no autoscale: the units stay as set
   */
  readonly autoscale?: WebPubSubAutoscaleOptions;
  /**
   * Tags of the replica.
   * @default - the service's tags
   */
  readonly tags?: Record<string, string>;
}

/** What a replica needs of its service (an owned `WebPubSubService` gives all of it). */
export interface WebPubSubReplicaParent {
  /** ARM id of the service. */
  readonly serviceId: string;
  /** Name of the service. */
  readonly serviceName: string;
  /** Resource group of the service (autoscale settings are created there). */
  readonly resourceGroupName: string;
  /** SKU of the service. */
  readonly sku: WebPubSubSku;
  /** Units of the service. */
  readonly capacity: number;
  /** Tags of the service. */
  readonly tags?: Record<string, string>;
}

/** Props of {@link WebPubSubReplica}. */
export interface WebPubSubReplicaProps extends WebPubSubReplicaOptions {
  /** The Premium service to replicate. */
  readonly service: WebPubSubReplicaParent;
}

/**
 * A geo-replica of a Premium Web PubSub service (`Microsoft.SignalRService/webPubSub/replicas` 2024-03-01, through
 * azapi: azurerm has no replica resource, hashicorp/terraform-provider-azurerm#32707). The replica inherits the
 * service's configuration (identity, keys, network ACLs, hubs and their event handlers, private endpoints); it has its
 * own SKU, units, autoscale, tags and shared private endpoint approvals.
 * Prefer `WebPubSubService.addReplica`, which also checks the replicas together (at most 8, one per region, none in
 * the service's region) and lets a `SharedPrivateLinkApproval` of the service's link approve the replica's copy and
 * enable the replica after it; neither is done for a replica created directly.
 * @see https://learn.microsoft.com/azure/azure-web-pubsub/howto-enable-geo-replication
 */
export class WebPubSubReplica extends LibraryConstruct implements IWebPubSubReplica {
  /**
   * References an existing replica, e.g. to approve its shared private link or add a diagnostic setting. Creates
   * nothing; `replicaId` must be a replica's ARM id (`.../Microsoft.SignalRService/webPubSub/<service>/replicas/<name>`).
   */
  public static fromReplicaAttributes(scope: Construct, id: string, attrs: IWebPubSubReplica): IWebPubSubReplica {
    const reference = new Construct(scope, id);
    if (!isUnresolved(attrs.replicaId) && !REPLICA_ID.test(String(attrs.replicaId))) {
      throw new InvalidPropError(reference, 'replicaId', attrs.replicaId, 'must be the ARM id of a Web PubSub replica: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.SignalRService/webPubSub/<service>/replicas/<name>');
    }
    validateAzureName(reference, 'replicaName', attrs.replicaName, WEB_PUBSUB_REPLICA_NAME);
    validateAzureRegion(reference, 'location', attrs.location);
    return { replicaId: attrs.replicaId, replicaName: attrs.replicaName, location: attrs.location };
  }

  public readonly replicaId: string;
  public readonly replicaName: string;
  public readonly location: string;
  /** SKU of the replica. */
  public readonly sku: WebPubSubSku;
  /** Units the replica is created with. */
  public readonly units: number;
  /** The `azapi_resource` (escape hatch). */
  public readonly resource: AzapiResource;
  /** The autoscale setting, when `autoscale` is given. */
  public readonly autoscale?: WebPubSubAutoscale;
  /**
   * The `azapi_update_resource` that turns the region endpoint on once the service's shared private links are approved
   * for this replica (when a `SharedPrivateLinkApproval` approves a link of the service and `regionEndpointEnabled` is
   * not false): the replica itself is created `Disabled`, as Microsoft's geo-replication guide asks.
   */
  public get regionEndpointEnabler(): AzapiUpdateResource | undefined {
    return HOLDS.get(this)?.enabler;
  }

  public constructor(scope: Construct, id: string, props: WebPubSubReplicaProps) {
    super(scope, id);
    const service = props.service;
    requireDefined(this, 'location', props.location);
    validateAzureRegion(this, 'location', props.location);
    validatePremiumOnly(this, 'replicas', props.location, service.sku, 'geo-replication');
    this.sku = oneOf(this, 'sku', props.sku, WEB_PUBSUB_PREMIUM_SKUS) ?? service.sku;
    this.units = props.units ?? unitsFor(this.sku, service);
    validateUnits(this, 'units', this.units, this.sku);
    validateBoolean(this, 'regionEndpointEnabled', props.regionEndpointEnabled);
    validateBoolean(this, 'resourceStopped', props.resourceStopped);
    validateTags(this, 'tags', props.tags);
    this.replicaName = props.name ?? defaultReplicaName(this, service.serviceName, props.location);
    validateAzureName(this, 'name', this.replicaName, WEB_PUBSUB_REPLICA_NAME);
    this.location = props.location;
    const properties: Record<string, string> = {
      // ARM takes both as strings: "Enabled"/"Disabled" and "true"/"false" (`ReplicaProperties`).
      regionEndpointEnabled: (props.regionEndpointEnabled ?? true) ? 'Enabled' : 'Disabled',
      resourceStopped: (props.resourceStopped ?? false) ? 'true' : 'false',
    };

    this.resource = new AzapiResource(this, 'Resource', {
      type: WEB_PUBSUB_REPLICA_TYPE,
      name: this.replicaName,
      parentId: service.serviceId,
      location: props.location,
      tags: props.tags ?? service.tags,
      body: {
        // `tier` follows the SKU name (ARM `ResourceSku.tier`: Free, Standard or Premium).
        sku: { name: this.sku, tier: 'Premium', capacity: this.units },
        // Kept by reference: `holdRegionEndpointUntil` turns the endpoint off at creation when a link needs approving.
        properties,
      },
      // Autoscale owns the units once it is on: Terraform must not set them back on every apply.
      lifecycle: props.autoscale ? { ignoreChanges: ['body.sku.capacity'] } : undefined,
    });
    this.replicaId = this.resource.id;
    HOLDS.set(this, { properties, wanted: props.regionEndpointEnabled !== false, service });
    // One write at a time on the service (registerServiceWrite): the replica after the service's network ACL, the
    // service's hubs after the replica.
    const acl = (service as { networkAcl?: ITerraformDependable }).networkAcl;
    if (acl instanceof Construct && TerraformStack.of(acl) === TerraformStack.of(this)) this.resource.dependsOn = [dependable(acl)];
    registerServiceWrite(service, this.resource);

    if (props.autoscale) {
      this.autoscale = new WebPubSubAutoscale(this, 'Autoscale', {
        ...props.autoscale,
        target: {
          id: this.replicaId,
          name: this.replicaName,
          location: this.location,
          resourceGroupName: service.resourceGroupName,
          sku: this.sku,
          units: this.units,
          metricNamespace: WEB_PUBSUB_REPLICA_METRIC_NAMESPACE,
        },
        tags: props.tags ?? service.tags,
      });
    }
  }
}

/**
 * Keeps a replica's region endpoint off until `approval` (of a shared private link of its service, the replica's copy
 * included) is done: Learn "Geo-replication in Azure Web PubSub", non-inherited configurations, "Do not enable the
 * replica until its shared private endpoint has been approved". The replica is created `Disabled`; an
 * `azapi_update_resource` after the approval sets `Enabled` (when the replica is wanted enabled), and the replica ignores
 * later changes of the property so the next plan shows no diff (azapi's guidance for body properties something else
 * sets: `lifecycle.ignore_changes` on the path in the dynamic `body`, Azure/terraform-provider-azapi#583). A replica
 * added on a later apply starts `Disabled` the same way, and is enabled once the approval step re-ran for its copy.
 * Internal (not exported from the package): called by the approval through the service's replica registry.
 */
export function holdRegionEndpointUntil(replica: WebPubSubReplica, approval: ITerraformDependable & Construct): void {
  if (TerraformStack.of(approval) !== TerraformStack.of(replica)) {
    throw new Error(
      `${approval.node.path}: approves a shared private link of a service whose replica ${replica.node.path} is in another stack; the replica's stack is applied first, so its region endpoint would be on before the approval (Microsoft: "Do not enable the replica until its shared private endpoint has been approved"). Create the approval in the replicas' stack`,
    );
  }
  const hold = HOLDS.get(replica)!;
  if (!hold.wanted) return; // created Disabled as asked, and left so: nothing to turn on
  hold.properties.regionEndpointEnabled = 'Disabled';
  const reference = dependable(approval);
  if (hold.enabler) {
    if (!(hold.enabler.dependsOn ?? []).includes(reference)) hold.enabler.dependsOn = [...(hold.enabler.dependsOn ?? []), reference];
    return;
  }
  const ignored = replica.resource.lifecycle?.ignoreChanges;
  replica.resource.lifecycle = {
    ...replica.resource.lifecycle,
    ignoreChanges: [...(Array.isArray(ignored) ? ignored : []), 'body.properties.regionEndpointEnabled'],
  };
  hold.enabler = new AzapiUpdateResource(replica, 'RegionEndpoint', {
    type: WEB_PUBSUB_REPLICA_TYPE,
    resourceId: replica.replicaId,
    // Only this property: azapi merges it into the replica's current body (GET, then PUT). The Azure CLI does the same
    // read-modify-write: `az webpubsub replica update --region-endpoint-enabled true` (Azure/azure-cli-extensions,
    // src/webpubsub/azext_webpubsub/replica.py `webpubsub_replica_update`, a generic update of the replica).
    body: { properties: { regionEndpointEnabled: 'Enabled' } },
    dependsOn: [approval],
  });
  registerServiceWrite(hold.service, hold.enabler);
}

/** Whether the replica is created with its region endpoint on (not held, not asked off). Internal. */
export function createdEnabled(replica: WebPubSubReplica): boolean {
  return HOLDS.get(replica)?.properties.regionEndpointEnabled === 'Enabled';
}

/** A replica's body properties (kept by reference), whether its endpoint is wanted on, and the update turning it on. */
interface RegionEndpointHold {
  readonly properties: Record<string, string>;
  readonly wanted: boolean;
  enabler?: AzapiUpdateResource;
  /** The service the replica belongs to (its writes are ordered with the service's other writes). */
  readonly service: object;
}
const HOLDS = new WeakMap<WebPubSubReplica, RegionEndpointHold>();

/** The replica's default units: the service's, or the SKU's smallest when the service has another SKU's units. */
function unitsFor(sku: WebPubSubSku, service: WebPubSubReplicaParent): number {
  if (sku === service.sku || isUnresolved(service.capacity)) return service.capacity;
  return sku === 'Premium_P2' ? 100 : 1;
}

/**
 * `<service>-<region>`, as Microsoft's examples name replicas (`contoso-westus`), with the service part shortened to
 * keep within 63 characters. A service named by a token (the library's default names end with a per-deployment
 * random suffix) gives a default name of the replica's own: `<region>-<construct path>-<hash>-<suffix>`.
 */
function defaultReplicaName(scope: Construct, serviceName: string, location: string): string {
  const region = isUnresolved(location) ? 'replica' : location.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (isUnresolved(serviceName) || isUnresolved(location)) return defaultResourceName(scope, WEB_PUBSUB_REPLICA_NAME, region);
  const head = serviceName.slice(0, WEB_PUBSUB_REPLICA_NAME.maxLength - region.length - 1).replace(/-+$/, '');
  return `${head}-${region}`;
}
