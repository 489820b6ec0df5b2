import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { WebPubsub } from '@cdktf/provider-azurerm/lib/web-pubsub';
import { WebPubsubNetworkAcl } from '@cdktf/provider-azurerm/lib/web-pubsub-network-acl';
import { Fn, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { BuiltInRole, IRolePrincipal } from '../iam/built-in-role';
import { defaultResourceName } from '../core/default-resource-name';
import { recordWebPubSubService } from '../core/deployment-outputs';
import { GrantTarget, grantRoleOnce } from '../iam/role-grants';
import { GrantableResource } from '../iam/grantable-resource';
import { WebPubSubHub, WebPubSubHubOptions } from './web-pubsub-hub';
import { registerManagedIdentityEnabler } from './service-identity';
import { serviceUriFor, WebPubSubHostnameSource } from './web-pubsub-hostname';
import { registerServiceSku } from './service-sku';
import { ARM_RESOURCE_TYPES, validateArmResourceId } from '../validation/arm-ids';
import { validateAzureName, WEB_PUBSUB_NAME } from '../validation/azure-resource-names';
import { validateHostname } from '../validation/endpoints';
import { InvalidPropError, isUnresolved } from '../validation/invalid-prop-error';
import { requireDefined, validateBoolean } from '../validation/literals';
import { validateTags } from '../validation/tags';
import { RECOMMENDED_PUBLIC_REQUEST_TYPES, validateRequestTypes, validateWebPubSubAuth, validateWebPubSubNetworkAcl } from '../validation/web-pubsub-options';
import { validateWebPubSubSku, WebPubSubSku } from '../validation/web-pubsub-sku';
import { type IResourceGroup, knownRegion, validateResourceGroup } from '../core/resource-group';
import { PrivateEndpoint } from '../network/private-endpoint';
import type { IPrivateDnsZone } from '../network/private-dns-zone';
import { PRIVATE_LINK_DNS_ZONES } from '../network/private-link-zones';
import type { ISubnet } from '../network/subnet';
import { validatePremiumOnly, validateReplicaPlacement } from '../validation/web-pubsub-scale';
import { WEB_PUBSUB_METRIC_NAMESPACE, WebPubSubAutoscale, WebPubSubAutoscaleOptions } from './web-pubsub-autoscale';
import { WebPubSubReplica, WebPubSubReplicaOptions } from './web-pubsub-replica';
import { coverNewReplica } from './replica-approvals';

/** A Web PubSub service, created here or referenced by its attributes. */
export interface IWebPubSubService extends GrantTarget {
  /** ARM resource ID of the service. */
  readonly serviceId: string;
  /** Name of the service. */
  readonly serviceName: string;
  /** Host name of the service, e.g. `<name>.webpubsub.azure.com`. */
  readonly hostname: string;
  /**
   * `https://<host name>`: the `serviceUri` the identity-based binding settings need
   * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub#identity-based-connection).
   * For a service created in the stack it is built from the name (see `hostnameSource`), so what reads it does not
   * wait for the service's creation; an imported service gives its `hostname`.
   */
  readonly serviceUri: string;
  /**
   * Adds a hub to this service, as a child of the service construct. A hub whose handlers target a function app in
   * another stack belongs in that app's stack: create it there with `new WebPubSubHub(scope, id, { service, ... })`.
   */
  addHub(id: string, options?: WebPubSubHubOptions): WebPubSubHub;
  /**
   * Grants "Web PubSub Service Owner" on this service (only) to a principal, once per principal.
   * @param requester the construct whose stack holds the assignment when this resource lives in another stack
   *   (default: the grantee's stack when it is a construct, else this resource's)
   */
  grantServiceOwner(grantee: IRolePrincipal, requester?: IConstruct): RoleAssignment;
  /**
   * Grants any role on this service (only) to a principal, once per (role, principal), e.g.
   * `BuiltInRole.WEB_PUBSUB_SERVICE_READER`.
   * @param requester the construct whose stack holds the assignment when this resource lives in another stack
   *   (default: the grantee's stack when it is a construct, else this resource's)
   */
  grant(grantee: IRolePrincipal, role: BuiltInRole, requester?: IConstruct): RoleAssignment;
  /** Whether the service accepts Entra ID tokens; undefined when not known at synth (imported services). */
  readonly entraAuthEnabled?: boolean;
  /**
   * Whether the service has a managed identity (needed by event handlers that authenticate to their upstream);
   * undefined when not known at synth.
   */
  readonly managedIdentityEnabled?: boolean;
  /**
   * Whether the service refuses REST API calls from the public network (public access off, or its network ACL denies
   * RESTAPI there), so that apps must reach it through a private endpoint; undefined when not known at synth.
   */
  readonly restApiPrivateOnly?: boolean;
}

/** Attributes of an existing Web PubSub service. */
export interface WebPubSubServiceAttributes {
  /** ARM resource ID. */
  readonly serviceId: string;
  /** Host name (the service's `hostname` attribute). */
  readonly hostname: string;
}

/** Live trace settings. */
export interface WebPubSubLiveTraceOptions {
  /**
   * Collect connectivity logs.
   * @default true
   */
  readonly connectivityLogs?: boolean;
  /**
   * Collect messaging logs.
   * @default true
   */
  readonly messagingLogs?: boolean;
  /**
   * Collect HTTP request logs.
   * @default true
   */
  readonly httpRequestLogs?: boolean;
}

/**
 * The private link sub-resource (group ID) of a Web PubSub service (Learn "Azure Private Endpoint private DNS zone
 * values": Azure Web PubSub, `webpubsub`, zone `privatelink.webpubsub.azure.com`).
 */
export const WEB_PUBSUB_PRIVATE_LINK_GROUP = 'webpubsub';
/** The private DNS zone Microsoft recommends for Web PubSub private endpoints. */
export const WEB_PUBSUB_PRIVATE_DNS_ZONE = PRIVATE_LINK_DNS_ZONES.webpubsub;

/** Request types for network ACLs. */
export type WebPubSubRequestType = 'ClientConnection' | 'ServerConnection' | 'RESTAPI' | 'Trace';

/**
 * Network ACL for the public endpoint (not available on Free_F1).
 * @see https://learn.microsoft.com/azure/azure-web-pubsub/howto-secure-network-access-control
 */
export interface WebPubSubNetworkAclOptions {
  /**
   * What happens to requests no rule matches.
   * @default 'Deny'
   */
  readonly defaultAction?: 'Allow' | 'Deny';
  /**
   * Request types allowed from the public network (with `defaultAction` Deny).
   * @default - ClientConnection and RESTAPI (plus Trace with live trace on): browsers connect, and the function app
   * reaches the REST API, which it calls over the public endpoint for client tokens (negotiate) and every output
   * binding; ServerConnection stays denied (the Functions extension does not use it)
   */
  readonly publicAllowedRequestTypes?: WebPubSubRequestType[];
  /**
   * Request types denied from the public network (with `defaultAction` Allow).
   * @default - none
   */
  readonly publicDeniedRequestTypes?: WebPubSubRequestType[];
  /**
   * The stricter choice: the function app reaches the REST API through a private endpoint you manage, so RESTAPI
   * may be denied on the public network (e.g. `publicAllowedRequestTypes: ['ClientConnection']`).
   * @default false
   */
  readonly restApiThroughPrivateEndpoint?: boolean;
}

/**
 * The service's private endpoint (`privateEndpoint`): clients in (and peered with) the subnet's network reach the
 * service at its usual host name through a private IP. Standard and Premium only.
 * @see https://learn.microsoft.com/azure/azure-web-pubsub/howto-secure-private-endpoints
 */
export interface WebPubSubPrivateEndpointOptions {
  /** The subnet the endpoint gets its IP from (not delegated; not the function app's integration subnet). */
  readonly subnet: ISubnet;
  /**
   * The private DNS zone `privatelink.webpubsub.azure.com` the endpoint registers in (a DNS zone group). Link it to the
   * networks that must resolve the service privately (`PrivateDnsZone.addVirtualNetworkLink`).
   * @default - no zone group: resolve `<name>.privatelink.webpubsub.azure.com` to the endpoint's IP in your own DNS
   */
  readonly privateDnsZone?: IPrivateDnsZone;
  /**
   * Request types the endpoint accepts (the network ACL's `private_endpoint` rule; everything else is denied).
   * @default ['ClientConnection', 'RESTAPI']: the function app's REST calls (client tokens for negotiate, every output
   * binding) and clients inside the network; ServerConnection (unused by the Functions extension) and Trace stay denied
   */
  readonly allowedRequestTypes?: WebPubSubRequestType[];
  /**
   * Endpoint name.
   * @default - derived from the construct path plus a per-deployment random suffix
   */
  readonly name?: string;
}

/** What a private endpoint accepts unless told otherwise. */
export const DEFAULT_PRIVATE_ENDPOINT_REQUEST_TYPES: readonly WebPubSubRequestType[] = ['ClientConnection', 'RESTAPI'];

/** Props of {@link WebPubSubService}. */
export interface WebPubSubServiceProps {
  /** Resource group (and region) to create the service in: an azurerm `ResourceGroup`, or `{ name, location }`. */
  readonly resourceGroup: IResourceGroup;
  /**
   * Service name (globally unique).
   * @default - derived from the construct path plus a per-deployment random suffix
   */
  readonly name?: string;
  /**
   * Pricing tier.
   * @default 'Standard_S1'
   */
  readonly sku?: WebPubSubSku;
  /**
   * Units; the allowed values depend on the SKU.
   * @default - 1, or 100 for Premium_P2
   */
  readonly capacity?: number;
  /**
   * Allow access keys and connection strings. Off: only Entra ID (managed identity) tokens are accepted.
   * @default false
   */
  readonly localAuthEnabled?: boolean;
  /**
   * Accept Entra ID tokens.
   * @default true
   */
  readonly aadAuthEnabled?: boolean;
  /**
   * Reachable from the public internet (clients connect from browsers).
   * @default true
   */
  readonly publicNetworkAccessEnabled?: boolean;
  /**
   * Request client certificates during the TLS handshake.
   * @default false
   */
  readonly tlsClientCertEnabled?: boolean;
  /**
   * Live trace.
   * @default - live trace disabled
   */
  readonly liveTrace?: WebPubSubLiveTraceOptions;
  /**
   * Public network ACL (`azurerm_web_pubsub_network_acl`). Not supported on Free_F1.
   * @default - no ACL resource (the service's default: all request types allowed); with `privateEndpoint`, an ACL that
   * denies by default and allows ClientConnection (plus Trace with live trace on) from the public network, so browsers
   * still connect while REST API calls only come through the private endpoint
   */
  readonly networkAcl?: WebPubSubNetworkAclOptions;
  /**
   * Put the service behind a private endpoint in this subnet (Standard and Premium; Free_F1 fails at synth). The public
   * endpoint stays on for browsers (`publicNetworkAccessEnabled`), narrowed by the network ACL to client connections.
   * @default - no private endpoint
   */
  readonly privateEndpoint?: WebPubSubPrivateEndpointOptions;
  /**
   * Give the service a system-assigned managed identity, which it uses to get tokens for upstreams that
   * authenticate callers (`EventHandler` `upstreamAuthAudience`).
   * @default - no identity (turned on automatically when a hub's handler sets `upstreamAuthAudience`)
   */
  readonly systemAssignedIdentityEnabled?: boolean;
  /**
   * Send all service logs and metrics to this Log Analytics workspace.
   * @default - no diagnostic setting
   */
  readonly diagnosticsWorkspaceId?: string;
  /**
   * Where the host name that connected function apps are given (their `<prefix>__serviceUri` setting) comes from.
   * Built from the name, the app does not wait for this service's creation (minutes) before it is created and its
   * code deployed; the role assignments on the service still come before the app's hubs. For a cloud other than the
   * public one, give its suffix (`WebPubSubHostnameSource.dnsSuffix(...)`) or `WebPubSubHostnameSource.serviceAttribute()`.
   * `activate-webhook` (at apply, before any hub is created) and `verify` fail when ARM's host name differs.
   * @default - `WebPubSubHostnameSource.publicCloud()` (`<name>.webpubsub.azure.com`), unless an azurerm provider of
   * the stack sets `environment` to another cloud, which keeps the service's `hostname` attribute (a cloud chosen
   * only at apply, by `ARM_ENVIRONMENT`, is not seen at synth)
   */
  readonly hostnameSource?: WebPubSubHostnameSource;
  /**
   * Tags.
   * @default - none
   */
  readonly tags?: Record<string, string>;
  /**
   * Geo-replicas in other regions (Premium only; at most 8, one per region, none in the service's region). Clients
   * keep using the service's host name and are routed to the nearest replica. More can be added with `addReplica`.
   * @default - no replicas
   * @see https://learn.microsoft.com/azure/azure-web-pubsub/howto-enable-geo-replication
   */
  readonly replicas?: WebPubSubReplicaOptions[];
  /**
   * Autoscale of the service's units on its connection quota utilization and server load (Premium only). Replicas
   * scale on their own (`replicas[].autoscale`).
   * @default - no autoscale: the units stay at `capacity`
   * @see https://learn.microsoft.com/azure/azure-web-pubsub/howto-scale-autoscale
   */
  readonly autoscale?: WebPubSubAutoscaleOptions;
}

abstract class WebPubSubServiceBase extends GrantableResource implements IWebPubSubService {
  protected constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  public abstract readonly serviceId: string;
  public abstract readonly serviceName: string;
  public abstract readonly hostname: string;

  public get serviceUri(): string {
    return `https://${this.hostname}`;
  }

  public get grantScopeId(): string {
    return this.serviceId;
  }

  public addHub(id: string, options: WebPubSubHubOptions = {}): WebPubSubHub {
    return new WebPubSubHub(this, id, { ...options, service: this });
  }

  public grantServiceOwner(grantee: IRolePrincipal, requester?: IConstruct): RoleAssignment {
    return grantRoleOnce(this, BuiltInRole.WEB_PUBSUB_SERVICE_OWNER, grantee, requester);
  }
}

/**
 * An Azure Web PubSub service, secure by default: local (key) auth off, Entra ID auth on, TLS-only endpoints.
 */
export class WebPubSubService extends WebPubSubServiceBase {
  /** References an existing service; hubs and role assignments can still be added to it. */
  public static fromWebPubSubServiceAttributes(scope: Construct, id: string, attrs: WebPubSubServiceAttributes): IWebPubSubService {
    class Imported extends WebPubSubServiceBase {
      public readonly serviceId: string;
      public readonly hostname = attrs.hostname;
      public readonly serviceName: string;
      public constructor() {
        super(scope, id);
        // The id in azurerm's casing: azurerm compares its resource type segments exactly.
        this.serviceId = validateArmResourceId(this, 'serviceId', attrs.serviceId, ARM_RESOURCE_TYPES.WEB_PUBSUB);
        validateHostname(this, 'hostname', attrs.hostname);
        // The last segment of /subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.SignalRService/webPubSub/<name>
        this.serviceName = Token.isUnresolved(this.serviceId)
          ? Fn.element(Fn.split('/', this.serviceId), 8)
          : (this.serviceId.split('/').pop() ?? '');
      }
    }
    const imported = new Imported();
    recordWebPubSubService(imported);
    return imported;
  }

  public readonly serviceId: string;
  /** The host name ARM returns (the resource's `hostname` attribute). */
  public readonly hostname: string;
  public readonly serviceName: string;
  /** The `azurerm_web_pubsub` resource (escape hatch). */
  public readonly resource: WebPubsub;
  /** The network ACL, when configured. */
  public readonly networkAcl?: WebPubsubNetworkAcl;
  /** The diagnostic setting, when a workspace is given. */
  public readonly diagnosticSetting?: MonitorDiagnosticSetting;
  /** The private endpoint, with `privateEndpoint`. */
  public readonly privateEndpoint?: PrivateEndpoint;
  public readonly restApiPrivateOnly?: boolean;
  /** Pricing tier. */
  public readonly sku: WebPubSubSku;
  /** Units the service is created with (autoscale, when on, moves them). */
  public readonly capacity: number;
  /** Region of the service (the primary's, with replicas). */
  public readonly location: string;
  /** The primary's region for the replica checks: `location`, or the region a group created in the app was given. */
  private readonly primaryRegion: string;
  /** Resource group of the service (its replicas' and autoscale settings' too). */
  public readonly resourceGroupName: string;
  /** Tags of the service (replicas take them by default). */
  public readonly tags?: Record<string, string>;
  /** The autoscale setting of the service, when `autoscale` is given. */
  public readonly autoscale?: WebPubSubAutoscale;
  private readonly replicaList: WebPubSubReplica[] = [];

  public constructor(scope: Construct, id: string, props: WebPubSubServiceProps) {
    super(scope, id);
    validateResourceGroup(this, props);
    for (const flag of ['localAuthEnabled', 'aadAuthEnabled', 'publicNetworkAccessEnabled', 'tlsClientCertEnabled', 'systemAssignedIdentityEnabled'] as const) {
      validateBoolean(this, flag, props[flag]);
    }
    validateWebPubSubAuth(this, { localAuthEnabled: props.localAuthEnabled, aadAuthEnabled: props.aadAuthEnabled });
    validateTags(this, 'tags', props.tags);
    const sku = props.sku ?? 'Standard_S1';
    const capacity = props.capacity ?? (sku === 'Premium_P2' ? 100 : 1);
    validateWebPubSubSku(this, sku, capacity);
    this.sku = sku;
    this.capacity = capacity;
    this.location = props.resourceGroup.location;
    // A group created in the app has a reference as `location`: compare replicas with the region it was given.
    this.primaryRegion = knownRegion(props.resourceGroup) ?? this.location;
    this.resourceGroupName = props.resourceGroup.name;
    this.tags = props.tags;
    if (props.replicas !== undefined) {
      if (!Array.isArray(props.replicas)) throw new InvalidPropError(this, 'replicas', props.replicas, 'must be an array of { location, ... }');
      if (props.replicas.length > 0) validatePremiumOnly(this, 'replicas', props.replicas.map((r) => r?.location), sku, 'geo-replication');
      validateReplicaPlacement(this, 'replicas', this.primaryRegion, props.replicas);
    }
    if (props.autoscale !== undefined) validatePremiumOnly(this, 'autoscale', '(given)', sku, 'autoscale');
    if (!isUnresolved(sku)) registerServiceSku(this, sku);
    this.serviceName = props.name ?? defaultResourceName(this, WEB_PUBSUB_NAME, 'wps');
    validateAzureName(this, 'name', this.serviceName, WEB_PUBSUB_NAME);
    if (props.networkAcl && sku === 'Free_F1') {
      throw new InvalidPropError(this, 'networkAcl', props.networkAcl, 'is not supported on sku Free_F1; use Standard_S1 or Premium');
    }
    // "An Azure Web PubSub instance that's created by using the free tier can't integrate with a private endpoint."
    // (Learn "Use private endpoints for Azure Web PubSub", known issues)
    if (props.privateEndpoint && sku === 'Free_F1') {
      throw new InvalidPropError(this, 'privateEndpoint', '(given)', 'is not supported on sku Free_F1 (the free tier cannot integrate with a private endpoint); use Standard_S1 or Premium');
    }
    const pe = props.privateEndpoint;
    if (pe) {
      requireDefined(this, 'privateEndpoint.subnet', pe.subnet);
      validateRequestTypes(this, 'privateEndpoint.allowedRequestTypes', pe.allowedRequestTypes);
    }
    const peAllowed = pe ? (pe.allowedRequestTypes ?? [...DEFAULT_PRIVATE_ENDPOINT_REQUEST_TYPES]) : undefined;
    const restApiThroughPe = peAllowed !== undefined && !isUnresolved(peAllowed) && peAllowed.includes('RESTAPI');
    const diagnosticsWorkspaceId =
      props.diagnosticsWorkspaceId !== undefined
        ? validateArmResourceId(this, 'diagnosticsWorkspaceId', props.diagnosticsWorkspaceId, ARM_RESOURCE_TYPES.LOG_ANALYTICS_WORKSPACE)
        : undefined;
    this.entraAuthEnabled = isUnresolved(props.aadAuthEnabled) ? undefined : (props.aadAuthEnabled ?? true);

    this.resource = new WebPubsub(this, 'Resource', {
      name: this.serviceName,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      sku,
      capacity,
      localAuthEnabled: props.localAuthEnabled ?? false,
      aadAuthEnabled: props.aadAuthEnabled ?? true,
      publicNetworkAccessEnabled: props.publicNetworkAccessEnabled ?? true,
      tlsClientCertEnabled: props.tlsClientCertEnabled ?? false,
      liveTrace: props.liveTrace
        ? {
            enabled: true,
            connectivityLogsEnabled: props.liveTrace.connectivityLogs ?? true,
            messagingLogsEnabled: props.liveTrace.messagingLogs ?? true,
            httpRequestLogsEnabled: props.liveTrace.httpRequestLogs ?? true,
          }
        : { enabled: false },
      tags: props.tags,
      // Autoscale owns the units once it is on: Terraform must not set them back on every apply.
      lifecycle: props.autoscale ? { ignoreChanges: ['capacity'] } : undefined,
    });
    this.serviceId = this.resource.id;
    this.hostname = this.resource.hostname;
    this.knownServiceUri = serviceUriFor(this, this.serviceName, props.hostnameSource ?? WebPubSubHostnameSource.publicCloud(), this.hostname);
    // Hubs whose handlers authenticate to their upstream turn the identity on (web-pubsub-hub.ts).
    registerManagedIdentityEnabler(this, () => this.enableManagedIdentity());
    if (props.systemAssignedIdentityEnabled) this.enableManagedIdentity();

    if (pe) {
      this.privateEndpoint = new PrivateEndpoint(this, 'PrivateEndpoint', {
        resourceGroup: props.resourceGroup,
        subnet: pe.subnet,
        targetResourceId: this.resource.id,
        subresource: WEB_PUBSUB_PRIVATE_LINK_GROUP,
        privateDnsZone: pe.privateDnsZone,
        name: pe.name,
        tags: props.tags,
      });
    }
    const publicNetworkAccessEnabled = props.publicNetworkAccessEnabled ?? true;
    if (props.networkAcl || pe) {
      const acl = props.networkAcl ?? {};
      validateBoolean(this, 'networkAcl.restApiThroughPrivateEndpoint', acl.restApiThroughPrivateEndpoint);
      const defaultAction = acl.defaultAction ?? 'Deny';
      // With a private endpoint carrying the REST API, the public network only needs what browsers send.
      const recommended = restApiThroughPe ? ['ClientConnection' as const] : [...RECOMMENDED_PUBLIC_REQUEST_TYPES];
      const allowed =
        acl.publicAllowedRequestTypes ??
        (defaultAction === 'Deny' && acl.publicDeniedRequestTypes === undefined
          ? [...recommended, ...(props.liveTrace ? ['Trace' as const] : [])]
          : undefined);
      validateWebPubSubNetworkAcl(
        this,
        'networkAcl',
        { defaultAction, publicAllowedRequestTypes: allowed, publicDeniedRequestTypes: acl.publicDeniedRequestTypes },
        {
          // Rules the library writes itself (an endpoint without `networkAcl`) are not the user's to be warned about.
          publicNetworkAccessEnabled: props.networkAcl ? publicNetworkAccessEnabled : true,
          liveTraceEnabled: props.liveTrace !== undefined,
          restApiThroughPrivateEndpoint: (acl.restApiThroughPrivateEndpoint ?? false) || restApiThroughPe,
        },
      );
      if (pe && !restApiThroughPe && publicNetworkAccessEnabled === false && !isUnresolved(peAllowed)) {
        throw new InvalidPropError(
          this,
          'privateEndpoint.allowedRequestTypes',
          peAllowed,
          'must include RESTAPI while `publicNetworkAccessEnabled` is false: the function app calls the REST API (client tokens for negotiate, every output binding), and would reach it nowhere',
        );
      }
      if (pe && !isUnresolved(peAllowed) && defaultAction === 'Allow') {
        // azurerm: "when `default_action` is `Allow` for `private_endpoint`, `allowed_request_types` cannot be specified"
        throw new InvalidPropError(this, 'networkAcl.defaultAction', 'Allow', 'cannot be Allow with `privateEndpoint`: the endpoint lists what it allows, which azurerm only accepts with defaultAction Deny');
      }
      this.networkAcl = new WebPubsubNetworkAcl(this, 'NetworkAcl', {
        webPubsubId: this.resource.id,
        defaultAction,
        publicNetwork: { allowedRequestTypes: allowed, deniedRequestTypes: acl.publicDeniedRequestTypes },
        // azurerm looks the endpoint's connection up on the service by the endpoint's ID at apply, so the rule waits for
        // the endpoint through this reference (web_pubsub_network_acl_resource.go, expandWebpubsubPrivateEndpoint).
        privateEndpoint: this.privateEndpoint ? [{ id: this.privateEndpoint.privateEndpointId, allowedRequestTypes: peAllowed }] : undefined,
      });
      if (!isUnresolved(allowed) && !isUnresolved(acl.publicDeniedRequestTypes) && !isUnresolved(defaultAction)) {
        const publicRestApi = defaultAction === 'Deny' ? (allowed ?? []).includes('RESTAPI') : !(acl.publicDeniedRequestTypes ?? []).includes('RESTAPI');
        // Public access known only at apply (a token) leaves an ACL-public REST API undecided, never "public".
        this.restApiPrivateOnly = !publicRestApi ? true : isUnresolved(publicNetworkAccessEnabled) ? undefined : publicNetworkAccessEnabled === false;
      }
    } else if (!isUnresolved(publicNetworkAccessEnabled)) {
      this.restApiPrivateOnly = publicNetworkAccessEnabled === false;
    }
    if (diagnosticsWorkspaceId !== undefined) {
      this.diagnosticSetting = new MonitorDiagnosticSetting(this, 'Diagnostics', {
        name: 'cdktf-azure-webpubsub',
        targetResourceId: this.resource.id,
        logAnalyticsWorkspaceId: diagnosticsWorkspaceId,
        enabledLog: [{ categoryGroup: 'allLogs' }],
        enabledMetric: [{ category: 'AllMetrics' }],
      });
    }
    if (props.autoscale) {
      this.autoscale = new WebPubSubAutoscale(this, 'Autoscale', {
        ...props.autoscale,
        target: {
          id: this.serviceId,
          name: this.serviceName,
          location: this.location,
          resourceGroupName: this.resourceGroupName,
          sku,
          units: capacity,
          metricNamespace: WEB_PUBSUB_METRIC_NAMESPACE,
        },
        tags: props.tags,
      });
    }
    (props.replicas ?? []).forEach((replica, i) => this.addReplica(replicaConstructId(replica, i), replica));
    // Deployment outputs + manifest entry for the CLI tools (verify, local-settings).
    recordWebPubSubService(this, { localAuthEnabled: props.localAuthEnabled ?? false });
  }

  /** The replicas added so far (`replicas` prop and `addReplica`), in order. */
  public get replicas(): WebPubSubReplica[] {
    return [...this.replicaList];
  }

  /**
   * Adds a geo-replica in another region (Premium only). Checked with the replicas added before: at most 8, one per
   * region, none in the service's region. When a `SharedPrivateLinkApproval` approves a shared private link of this
   * service (before or after), the replica's copy of the link is approved with it and the replica is enabled only after.
   * @see https://learn.microsoft.com/azure/azure-web-pubsub/howto-enable-geo-replication
   */
  public addReplica(id: string, options: WebPubSubReplicaOptions): WebPubSubReplica {
    validatePremiumOnly(this, 'replicas', options?.location, this.sku, 'geo-replication');
    validateReplicaPlacement(this, 'replicas', this.primaryRegion, [...this.replicaList, options]);
    const replica = new WebPubSubReplica(this, id, { ...options, service: this });
    this.replicaList.push(replica);
    // A shared private link already approved for this service: the new replica's copy is approved too, and its region
    // endpoint stays off until then.
    coverNewReplica(this, replica);
    return replica;
  }

  /** Whether the service accepts Entra ID tokens (undefined when given as a token). */
  public readonly entraAuthEnabled?: boolean;
  private identityEnabled = false;
  private readonly knownServiceUri: string;

  /** `https://<name lower-cased>.<DNS suffix>` (see `hostnameSource`), or `https://<hostname attribute>`. */
  public override get serviceUri(): string {
    return this.knownServiceUri;
  }

  /** Whether the service has a system-assigned identity. */
  public get managedIdentityEnabled(): boolean {
    return this.identityEnabled;
  }

  /** Gives the service a system-assigned identity (it uses it for upstream authentication); idempotent. */
  private enableManagedIdentity(): void {
    if (this.identityEnabled) return;
    this.identityEnabled = true;
    this.resource.putIdentity({ type: 'SystemAssigned' });
  }
}

/** Construct id of a replica from the `replicas` prop: by region when literal (stable when the list is reordered). */
function replicaConstructId(replica: WebPubSubReplicaOptions, index: number): string {
  const location = replica?.location;
  return typeof location === 'string' && !isUnresolved(location) ? `Replica-${location.toLowerCase().replace(/[^a-z0-9]/g, '')}` : `Replica${index}`;
}
