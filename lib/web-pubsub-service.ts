import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { WebPubsub } from '@cdktf/provider-azurerm/lib/web-pubsub';
import { WebPubsubNetworkAcl } from '@cdktf/provider-azurerm/lib/web-pubsub-network-acl';
import { Fn, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { assignBuiltInRole, BuiltInRole, IRolePrincipal } from './built-in-role';
import { defaultResourceName } from './default-resource-name';
import { recordWebPubSubService } from './deployment-outputs';
import { WebPubSubHub, WebPubSubHubOptions } from './web-pubsub-hub';
import { validateAzureName, WEB_PUBSUB_NAME } from './validation/azure-resource-names';
import { InvalidPropError } from './validation/invalid-prop-error';
import { validateWebPubSubSku, WebPubSubSku } from './validation/web-pubsub-sku';

/** A Web PubSub service, created here or referenced by its attributes. */
export interface IWebPubSubService extends IConstruct {
  /** ARM resource ID of the service. */
  readonly serviceId: string;
  /** Name of the service. */
  readonly serviceName: string;
  /** Host name of the service, e.g. `<name>.webpubsub.azure.com`. */
  readonly hostname: string;
  /** `https://<hostname>`: the `serviceUri` the identity-based binding settings need (seed 003). */
  readonly serviceUri: string;
  /** Adds a hub to this service. */
  addHub(id: string, options?: WebPubSubHubOptions): WebPubSubHub;
  /** Grants "Web PubSub Service Owner" on this service (only) to a principal. */
  grantServiceOwner(id: string, principal: IRolePrincipal): RoleAssignment;
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

/** Network ACL for the public endpoint (not available on Free_F1). */
export interface WebPubSubNetworkAclOptions {
  /**
   * What happens to requests no rule matches.
   * @default 'Deny'
   */
  readonly defaultAction?: 'Allow' | 'Deny';
  /**
   * Request types allowed from the public network.
   * @default - ClientConnection only (clients connect; REST calls and server connections stay private)
   */
  readonly publicAllowedRequestTypes?: WebPubSubRequestType[];
}

/** Props of {@link WebPubSubService}. */
export interface WebPubSubServiceProps {
  /** Resource group to create the service in. */
  readonly resourceGroupName: string;
  /** Azure region. */
  readonly location: string;
  /**
   * Service name (globally unique).
   * @default - derived deterministically from the construct path
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

abstract class WebPubSubServiceBase extends Construct implements IWebPubSubService {
  public abstract readonly serviceId: string;
  public abstract readonly serviceName: string;
  public abstract readonly hostname: string;

  public get serviceUri(): string {
    return `https://${this.hostname}`;
  }

  public addHub(id: string, options: WebPubSubHubOptions = {}): WebPubSubHub {
    return new WebPubSubHub(this, id, { ...options, service: this });
  }

  public grantServiceOwner(id: string, principal: IRolePrincipal): RoleAssignment {
    return assignBuiltInRole(this, id, BuiltInRole.WEB_PUBSUB_SERVICE_OWNER, this.serviceId, principal);
  }
}

/**
 * An Azure Web PubSub service, secure by default: local (key) auth off, Entra ID auth on, TLS-only endpoints.
 */
export class WebPubSubService extends WebPubSubServiceBase {
  /** References an existing service; hubs and role assignments can still be added to it. */
  public static fromServiceAttributes(scope: Construct, id: string, attrs: WebPubSubServiceAttributes): IWebPubSubService {
    class Imported extends WebPubSubServiceBase {
      public readonly serviceId = attrs.serviceId;
      public readonly hostname = attrs.hostname;
      // The last segment of /subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.SignalRService/webPubSub/<name>
      public readonly serviceName = Token.isUnresolved(attrs.serviceId)
        ? Fn.element(Fn.split('/', attrs.serviceId), 8)
        : (attrs.serviceId.split('/').pop() ?? '');
    }
    const imported = new Imported(scope, id);
    // Deployment outputs + manifest entry for the CLI tools; local auth is not managed by this stack.
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
    const sku = props.sku ?? 'Standard_S1';
    const capacity = props.capacity ?? (sku === 'Premium_P2' ? 100 : 1);
    validateWebPubSubSku(this, sku, capacity);
    this.serviceName = props.name ?? defaultResourceName(this, WEB_PUBSUB_NAME, 'wps');
    validateAzureName(this, 'name', this.serviceName, WEB_PUBSUB_NAME);
    if (props.networkAcl && sku === 'Free_F1') {
      throw new InvalidPropError(this, 'networkAcl', props.networkAcl, 'is not supported on sku Free_F1; use Standard_S1 or Premium');
    }

    this.resource = new WebPubsub(this, 'Resource', {
      name: this.serviceName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
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

    if (props.networkAcl) {
      this.networkAcl = new WebPubsubNetworkAcl(this, 'NetworkAcl', {
        webPubsubId: this.resource.id,
        defaultAction: props.networkAcl.defaultAction ?? 'Deny',
        publicNetwork: { allowedRequestTypes: props.networkAcl.publicAllowedRequestTypes ?? ['ClientConnection'] },
      });
    }
    if (props.diagnosticsWorkspaceId) {
      this.diagnosticSetting = new MonitorDiagnosticSetting(this, 'Diagnostics', {
        name: 'cdktf-azure-webpubsub',
        targetResourceId: this.resource.id,
        logAnalyticsWorkspaceId: props.diagnosticsWorkspaceId,
        enabledLog: [{ categoryGroup: 'allLogs' }],
        enabledMetric: [{ category: 'AllMetrics' }],
      });
    }
    // Deployment outputs + manifest entry for the CLI tools (verify, local-settings).
    recordWebPubSubService(this, { localAuthEnabled: props.localAuthEnabled ?? false });
  }
}
