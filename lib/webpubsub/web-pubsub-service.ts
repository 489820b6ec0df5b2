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
import { registerServiceSku } from './service-sku';
import { ARM_RESOURCE_TYPES, validateArmResourceId } from '../validation/arm-ids';
import { validateAzureName, WEB_PUBSUB_NAME } from '../validation/azure-resource-names';
import { validateHostname } from '../validation/endpoints';
import { InvalidPropError, isUnresolved } from '../validation/invalid-prop-error';
import { validateBoolean } from '../validation/literals';
import { validateTags } from '../validation/tags';
import { RECOMMENDED_PUBLIC_REQUEST_TYPES, validateWebPubSubAuth, validateWebPubSubNetworkAcl } from '../validation/web-pubsub-options';
import { validateWebPubSubSku, WebPubSubSku } from '../validation/web-pubsub-sku';
import { type IResourceGroup, validateResourceGroup } from '../core/resource-group';

/** A Web PubSub service, created here or referenced by its attributes. */
export interface IWebPubSubService extends GrantTarget {
  /** ARM resource ID of the service. */
  readonly serviceId: string;
  /** Name of the service. */
  readonly serviceName: string;
  /** Host name of the service, e.g. `<name>.webpubsub.azure.com`. */
  readonly hostname: string;
  /**
   * `https://<hostname>`: the `serviceUri` the identity-based binding settings need
   * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub#identity-based-connection).
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
   * @default - no ACL resource (the service's default: all request types allowed)
   */
  readonly networkAcl?: WebPubSubNetworkAclOptions;
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
   * Tags.
   * @default - none
   */
  readonly tags?: Record<string, string>;
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
  public readonly hostname: string;
  public readonly serviceName: string;
  /** The `azurerm_web_pubsub` resource (escape hatch). */
  public readonly resource: WebPubsub;
  /** The network ACL, when configured. */
  public readonly networkAcl?: WebPubsubNetworkAcl;
  /** The diagnostic setting, when a workspace is given. */
  public readonly diagnosticSetting?: MonitorDiagnosticSetting;

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
    if (!isUnresolved(sku)) registerServiceSku(this, sku);
    this.serviceName = props.name ?? defaultResourceName(this, WEB_PUBSUB_NAME, 'wps');
    validateAzureName(this, 'name', this.serviceName, WEB_PUBSUB_NAME);
    if (props.networkAcl && sku === 'Free_F1') {
      throw new InvalidPropError(this, 'networkAcl', props.networkAcl, 'is not supported on sku Free_F1; use Standard_S1 or Premium');
    }
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
    });
    this.serviceId = this.resource.id;
    this.hostname = this.resource.hostname;
    // Hubs whose handlers authenticate to their upstream turn the identity on (web-pubsub-hub.ts).
    registerManagedIdentityEnabler(this, () => this.enableManagedIdentity());
    if (props.systemAssignedIdentityEnabled) this.enableManagedIdentity();

    if (props.networkAcl) {
      const acl = props.networkAcl;
      validateBoolean(this, 'networkAcl.restApiThroughPrivateEndpoint', acl.restApiThroughPrivateEndpoint);
      const defaultAction = acl.defaultAction ?? 'Deny';
      const allowed =
        acl.publicAllowedRequestTypes ??
        (defaultAction === 'Deny' && acl.publicDeniedRequestTypes === undefined
          ? [...RECOMMENDED_PUBLIC_REQUEST_TYPES, ...(props.liveTrace ? ['Trace' as const] : [])]
          : undefined);
      validateWebPubSubNetworkAcl(
        this,
        'networkAcl',
        { defaultAction, publicAllowedRequestTypes: allowed, publicDeniedRequestTypes: acl.publicDeniedRequestTypes },
        {
          publicNetworkAccessEnabled: props.publicNetworkAccessEnabled ?? true,
          liveTraceEnabled: props.liveTrace !== undefined,
          restApiThroughPrivateEndpoint: acl.restApiThroughPrivateEndpoint ?? false,
        },
      );
      this.networkAcl = new WebPubsubNetworkAcl(this, 'NetworkAcl', {
        webPubsubId: this.resource.id,
        defaultAction,
        publicNetwork: { allowedRequestTypes: allowed, deniedRequestTypes: acl.publicDeniedRequestTypes },
      });
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
    // Deployment outputs + manifest entry for the CLI tools (verify, local-settings).
    recordWebPubSubService(this, { localAuthEnabled: props.localAuthEnabled ?? false });
  }

  /** Whether the service accepts Entra ID tokens (undefined when given as a token). */
  public readonly entraAuthEnabled?: boolean;
  private identityEnabled = false;

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
