import { createHash } from 'node:crypto';
import { LinuxFunctionApp } from '@cdktf/provider-azurerm/lib/linux-function-app';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { ServicePlan } from '@cdktf/provider-azurerm/lib/service-plan';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { IRolePrincipal } from '../iam/built-in-role';
import { clientConfig } from '../core/client-config';
import { defaultResourceName, deploymentNameSuffix } from '../core/default-resource-name';
import { recordWebPubSubFunctionApp } from '../core/deployment-outputs';
import { LibraryConstruct } from '../core/edition-guard';
import { ExtensionWebhookKey, IWebPubSubEventTarget, WebhookKey } from '../webpubsub/event-handler';
import { registerDeclaredTargetCode } from '../webpubsub/event-target-code';
import { registerClosedTarget } from '../webpubsub/upstream-prerequisites';
import type { IWebPubSubService } from '../webpubsub/web-pubsub-service';
import type { ISubnet } from '../network/subnet';
import { FUNCTION_APP_NAME, validateAzureName } from '../validation/azure-resource-names';
import { withTrailingSlash } from '../validation/endpoints';
import { AppIdentity } from './app-identity';
import { AppMonitoring } from './app-monitoring';
import { FunctionAppHosting } from './function-app-hosting';
import { FunctionAppIdentity, IUserAssignedIdentity } from './function-app-identity';
import { FunctionAppInsights, IFunctionAppInsights } from './function-app-insights';
import { FunctionHostKey } from './function-host-key';
import { FunctionHostStorage, IFunctionHostStorage } from './function-host-storage';
import { WebPubSubExtensionKey } from './web-pubsub-extension-key';
import { DEFAULT_WEB_PUBSUB_CONNECTION, WebPubSubFunctionAppProps } from './web-pubsub-function-app-props';
import { declaredAppCode } from './private/declared-app-code';
import { FlexConsumptionSite } from './private/flex-consumption-site';
import { createFunctionAppSite } from './private/function-app-site';
import { functionAppSettings } from './private/function-app-settings';
import { FunctionCodePublish } from './private/function-code-publish';
import { FunctionPackage } from './private/function-package';
import { addPackageContainer, registerFunctionHost } from './private/host-storage-apps';
import { PackagedCodeDriftValidation } from './private/packaged-code-drift';
import { validateFunctionAppProps } from './private/validate-function-app';
import { WebhookActivation } from './private/webhook-activation';
import { createWebhookKeys } from './private/webhook-keys';

/** A function app the library knows, created here or imported: what hubs, roles and tools need of it. */
export interface IWebPubSubFunctionApp extends IWebPubSubEventTarget {
  /** ARM resource ID of the app. */
  readonly appId: string;
  /** Principal id of the identity the app's bindings use. */
  readonly principalId: string;
}

/** Attributes of an existing function app used as an event target. */
export interface WebPubSubFunctionAppAttributes {
  /** ARM resource ID of the app. */
  readonly appId: string;
  /** Its `default_hostname` (Flex apps may have a regional unique host name). */
  readonly defaultHostname: string;
  /** Principal id of the identity its bindings use. */
  readonly principalId: string;
  /**
   * Its `webpubsub_extension` system key (sensitive), needed for `EventHandler.functionsExtension`.
   * @default - none: the app can only be targeted by `EventHandler.httpFunction`
   */
  readonly extensionKey?: string;
  /**
   * An app key (a host-level function key, sensitive) that `EventHandler.httpFunction` puts in the hub's URL as
   * `?code=`.
   * @default - none: give the key in the path template yourself (`api/{event}?code=...`)
   */
  readonly upstreamKey?: string;
}

/**
 * A Node.js Function App wired for Web PubSub with identity only: managed identity, host storage without keys,
 * identity-based Web PubSub settings, Entra-only Application Insights, code deployed from a hashed package, and the
 * key its hubs' URLs carry (the `webpubsub_upstream` app key, or the `webpubsub_extension` system key for triggers)
 * written and served before any hub points at it, so hubs work on the first deploy.
 *
 * The first deploy, in order (docs/azure-sources.md has the source of each step):
 * identity → its roles on storage and App Insights → the app → the code (Flex: `publish` to the SCM site;
 * Premium/Dedicated: the package blob it runs from) → the key write → restart and webhook check (which also waits for
 * the role on each Web PubSub service) → hubs. The app's settings name each service by the host name built from its
 * name (`WebPubSubServiceProps.hostnameSource`), so the service is created beside the app, not before it.
 */
export class WebPubSubFunctionApp extends LibraryConstruct implements IWebPubSubFunctionApp {
  /** References an existing app, e.g. to point a hub at it. */
  public static fromWebPubSubFunctionAppAttributes(scope: Construct, id: string, attrs: WebPubSubFunctionAppAttributes): IWebPubSubFunctionApp {
    class Imported extends LibraryConstruct implements IWebPubSubFunctionApp {
      public readonly appId = attrs.appId;
      public readonly defaultHostname = attrs.defaultHostname;
      public readonly principalId = attrs.principalId;
      public readonly extensionWebhookKey: ExtensionWebhookKey | undefined = attrs.extensionKey !== undefined ? { value: attrs.extensionKey } : undefined;
      public readonly upstreamKey: WebhookKey | undefined = attrs.upstreamKey !== undefined ? { value: attrs.upstreamKey } : undefined;
      public constructor() {
        super(scope, id);
      }
    }
    const imported = new Imported();
    recordWebPubSubFunctionApp(imported);
    return imported;
  }

  public readonly appName: string;
  /** ARM resource ID of the app. */
  public readonly appId: string;
  /** The app's default host name, as ARM reports it. */
  public readonly defaultHostname: string;
  /** The app identity's principal ID. */
  public readonly principalId: string;
  /** Client ID of the user-assigned identity (undefined for a system identity). */
  public readonly clientId?: string;
  /** Resource ID of the user-assigned identity (undefined for a system identity). */
  public readonly identityId?: string;
  /** The user-assigned identity (created or given); undefined with `AppIdentity.systemAssigned()`. */
  public readonly identity?: IUserAssignedIdentity;
  /** The host storage account (created or given). */
  public readonly storage: IFunctionHostStorage;
  /** The app's package container on the storage account. */
  public readonly packageContainer: StorageContainer;
  /** Application Insights (created or given); undefined with `AppMonitoring.off()`. */
  public readonly insights?: IFunctionAppInsights;
  /** The created plan. */
  public readonly servicePlan?: ServicePlan;
  /** The Flex Consumption site (azapi), on Flex. */
  public readonly flexSite?: FlexConsumptionSite;
  /** The `azurerm_linux_function_app`, on Premium and Dedicated. */
  public readonly linuxApp?: LinuxFunctionApp;
  /** The run-from-package blob, on Premium and Dedicated with code. */
  public readonly package?: FunctionPackage;
  /** The code deployment step, when there is one (Flex `publish`, or the package blob). */
  public readonly codeDeployment?: ITerraformDependable;
  /**
   * The generated `webpubsub_extension` system key and its ARM write: on Premium and Dedicated, and on Flex only with
   * `webPubSubTriggersOnFlex` (Flex does not serve the trigger webhook).
   */
  public readonly webPubSubExtensionKey?: WebPubSubExtensionKey;
  /**
   * The generated `webpubsub_upstream` app key and its ARM write: for the HTTP functions `registerWebPubSubHandlers`
   * registers (on Flex always; on other plans when the code registers some, or no code is packaged).
   */
  public readonly webPubSubUpstreamKey?: FunctionHostKey;
  /** The restart and webhook check after the key writes; hubs wait for it. */
  public readonly webhookActivation: WebhookActivation;
  /** The system key and the step after which every instance serves it. */
  public readonly extensionWebhookKey?: ExtensionWebhookKey;
  /** The app key for HTTP functions and the step after which every instance serves it. */
  public readonly upstreamKey?: WebhookKey;
  /** Whether the app runs on Flex Consumption. */
  public readonly flexConsumption: boolean;
  /** Whether `webPubSubTriggersOnFlex` was set. */
  public readonly webPubSubTriggersOnFlex: boolean;
  /** Every role assignment this app's identity needs (some may be shared with other apps). */
  public readonly roleAssignments: RoleAssignment[] = [];
  /** Setting prefixes with identity-based settings on this app. */
  public readonly connectionPrefixes: string[];
  /** The `WebPubSubHub` setting, if set. */
  public readonly defaultHubName?: string;
  /** Web PubSub services this app has identity settings and the owner role for. */
  public readonly connectedServices: IWebPubSubService[];
  /** The subnet of the app's regional virtual network integration, if any. */
  public readonly virtualNetworkSubnet?: ISubnet;
  /** Whether the app is reachable from the public internet (`publicNetworkAccessEnabled`). */
  public readonly publicNetworkAccessEnabled: boolean;
  /** The host browsers use when the app is closed to the public (`browserEntryHostname`), if given. */
  public readonly browserEntryHostname?: string;

  public constructor(scope: Construct, id: string, props: WebPubSubFunctionAppProps) {
    super(scope, id);
    const hosting = props.hosting ?? FunctionAppHosting.flexConsumption();
    const flex = hosting.kind === 'FlexConsumption';
    const nodeVersion = props.nodeVersion ?? (props.code?.nodeVersion as string | undefined) ?? '22';
    const identity = props.identity ?? AppIdentity.userAssigned();
    const monitoring = props.monitoring ?? AppMonitoring.applicationInsights();
    const connections = props.webPubSubConnections ?? [];
    // What the code declares, for the hubs that bind to this app later (an app without code has no entry).
    if (props.code) registerDeclaredTargetCode(this, declaredAppCode(props.code));
    this.flexConsumption = flex;
    this.webPubSubTriggersOnFlex = props.webPubSubTriggersOnFlex ?? false;
    this.defaultHubName = props.defaultHubName;
    this.virtualNetworkSubnet = props.virtualNetworkSubnet;
    this.connectedServices = connections.map((c) => c.service);
    this.connectionPrefixes = connections.map((c) => c.settingPrefix ?? DEFAULT_WEB_PUBSUB_CONNECTION);
    validateFunctionAppProps(this, props, { hosting, nodeVersion, identity, monitoring });
    this.publicNetworkAccessEnabled = props.publicNetworkAccessEnabled ?? true;
    this.browserEntryHostname = props.browserEntryHostname;
    // Hubs calling a closed app need an approved shared private link (checked at synth, web-pubsub-hub.ts).
    if (props.publicNetworkAccessEnabled === false) registerClosedTarget(this);
    this.appName = props.name ?? defaultResourceName(this, FUNCTION_APP_NAME, 'func');
    validateAzureName(this, 'name', this.appName, FUNCTION_APP_NAME);
    const common = { resourceGroup: props.resourceGroup, tags: props.tags };

    if (identity.kind === 'UserAssigned') {
      this.identity = identity.existingIdentity ?? new FunctionAppIdentity(this, 'Identity', { ...common, name: identity.name });
      this.clientId = this.identity.clientId;
      this.identityId = this.identity.identityId;
    }
    this.storage = props.existingStorage ?? new FunctionHostStorage(this, 'Storage', { ...common, ...props.storageProps, resourceGroup: props.resourceGroup });
    registerFunctionHost(this.storage, this, this.appName);
    const containerName = props.packageContainerName ?? this.defaultPackageContainerName();
    this.packageContainer = addPackageContainer(this.storage, this, 'PackageContainer', containerName);
    const containerUrl = `${withTrailingSlash(this.storage.primaryBlobEndpoint)}${this.packageContainer.name}`;
    if (monitoring.kind === 'ApplicationInsights') {
      this.insights = monitoring.existingInsights ?? new FunctionAppInsights(this, 'Insights', { ...common, ...monitoring.insightsProps, resourceGroup: props.resourceGroup });
    }

    // A user-assigned identity gets its host roles (storage, App Insights) before the app exists: the host needs them
    // to start. Its roles on the Web PubSub services are needed only once events flow, so the app does not wait for
    // them (nor, through them, for the services' creation): the webhook activation, and so the hubs, do.
    const early = this.identity ? this.grantAll(this.identity, connections) : { hostRoles: [], serviceRoles: [] };

    if (props.code && !flex) {
      const uploadRoles =
        (props.grantDeployerPackageUpload ?? true)
          ? [this.storage.grantBlobUpload({ principalId: props.deployerPrincipalId ?? clientConfig(this).objectId, principalKey: `deployer:${props.deployerPrincipalId ?? 'terraform'}` }, this)]
          : [];
      this.package = new FunctionPackage(this, 'Package', {
        code: props.code,
        storageAccountName: this.storage.accountName,
        container: this.packageContainer,
        containerUrl,
        uploadRoles,
      });
    }

    const settings = functionAppSettings(this, {
      flexConsumption: flex,
      storage: this.storage,
      clientId: this.clientId,
      insights: this.insights,
      runFromPackage: this.package?.runFromPackageSettings(this.identityId),
      connections,
      defaultHubName: props.defaultHubName,
      userSettings: props.appSettings,
    });
    const site = createFunctionAppSite(this, {
      hosting,
      name: this.appName,
      resourceGroup: props.resourceGroup,
      tags: props.tags,
      existingServicePlanId: props.existingServicePlanId,
      nodeVersion,
      storageAccountName: this.storage.accountName,
      deploymentContainerUrl: containerUrl,
      userAssignedIdentityId: this.identityId,
      settings,
      httpsOnly: props.httpsOnly ?? true,
      minimumTlsVersion: props.minimumTlsVersion ?? '1.2',
      publicNetworkAccessEnabled: props.publicNetworkAccessEnabled ?? true,
      basicAuthPublishingEnabled: props.basicAuthPublishingEnabled ?? false,
      virtualNetworkSubnetId: props.virtualNetworkSubnet?.subnetId,
      dependsOn: early.hostRoles,
    });
    this.servicePlan = site.servicePlan;
    this.flexSite = site.flexSite;
    this.linuxApp = site.linuxApp;
    this.appId = site.appId;
    this.defaultHostname = site.defaultHostname;

    this.principalId = this.identity?.principalId ?? site.systemPrincipalId;
    const late = this.identity
      ? { hostRoles: [], serviceRoles: [] }
      : this.grantAll({ principalId: this.principalId, principalType: 'ServicePrincipal', principalKey: `system-identity:${this.node.path}` }, connections);
    if (props.code?.registrations) this.node.addValidation(new PackagedCodeDriftValidation(this, { registrations: props.code.registrations, hostJson: props.code.hostJson }));

    const hostRoles = [...early.hostRoles, ...late.hostRoles];
    const serviceRoles = [...early.serviceRoles, ...late.serviceRoles];
    if (props.code && flex) {
      this.codeDeployment = new FunctionCodePublish(this, 'CodeDeployment', {
        code: props.code,
        functionAppId: this.appId,
        deploymentContainerUrl: containerUrl,
        dependsOn: [site.resource, this.packageContainer, ...hostRoles],
        timeoutSeconds: props.publishTimeoutSeconds,
      });
    } else if (this.package) {
      this.codeDeployment = this.package.blob;
    }
    // The key writes need a running host that can persist keys in its storage: after the app, its host roles and its
    // code (docs/azure-sources.md, "Key writes after the code"). The activation waits for them and for the roles on
    // the services, so the hubs (which wait for the activation) find an app that may call its services.
    const keys = createWebhookKeys(this, {
      functionAppId: this.appId,
      hosting: hosting.kind,
      webPubSubTriggersOnFlex: this.webPubSubTriggersOnFlex,
      code: props.code,
      rotation: props.extensionKeyRotation,
      hostStorageAccountName: this.storage.accountName,
      origins: this.connectedServices.map((s) => s.hostname),
      serviceUris: this.connectedServices.map((s) => s.serviceUri),
      waitFor: [site.resource, ...hostRoles, ...(this.codeDeployment ? [this.codeDeployment] : [])],
      activationWaitsFor: serviceRoles,
    });
    this.webPubSubExtensionKey = keys.extensionKey;
    this.webPubSubUpstreamKey = keys.upstreamKey;
    this.webhookActivation = keys.activation;
    if (keys.extensionWebhookKey) this.extensionWebhookKey = keys.extensionWebhookKey;
    if (keys.upstreamWebhookKey) this.upstreamKey = keys.upstreamWebhookKey;
    // Deployment outputs + manifest entry for the CLI tools (verify, local-settings).
    recordWebPubSubFunctionApp(this, { code: props.code });
  }

  private defaultPackageContainerName(): string {
    // Lowercase letters, digits and hyphens, 3-63 characters; the azd Flex templates use `app-package-<name>-<hash>`.
    const hash = createHash('sha256').update(this.node.path).digest('hex').slice(0, 8);
    return `app-package-${hash}-${deploymentNameSuffix(this)}`;
  }

  /** Grants every role the identity needs: those the host needs to start, and those on the Web PubSub services. */
  private grantAll(principal: IRolePrincipal, connections: NonNullable<WebPubSubFunctionAppProps['webPubSubConnections']>): { hostRoles: RoleAssignment[]; serviceRoles: RoleAssignment[] } {
    const hostRoles = [...this.storage.grantHostAccess(principal, this)];
    if (this.insights) hostRoles.push(this.insights.grantPublish(principal, this));
    const serviceRoles = connections.map((c) => c.service.grantServiceOwner(principal, this));
    this.roleAssignments.push(...hostRoles, ...serviceRoles);
    return { hostRoles, serviceRoles };
  }
}
