import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { FunctionAppFlexConsumption } from '@cdktf/provider-azurerm/lib/function-app-flex-consumption';
import { LinuxFunctionApp } from '@cdktf/provider-azurerm/lib/linux-function-app';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { ServicePlan } from '@cdktf/provider-azurerm/lib/service-plan';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { assignBuiltInRole, BuiltInRole, IRolePrincipal } from './built-in-role';
import { defaultResourceName } from './default-resource-name';
import { recordWebPubSubFunctionApp } from './deployment-outputs';
import { EventRouting, IWebPubSubEventTarget } from './event-handler';
import { FunctionAppHosting } from './function-app-hosting';
import { FunctionAppIdentity, UserAssignedIdentityAttributes } from './function-app-identity';
import { ApplicationInsightsAttributes, FunctionAppInsights, FunctionAppInsightsProps } from './function-app-insights';
import { FunctionHostStorage, FunctionHostStorageAttributes, FunctionHostStorageProps } from './function-host-storage';
import { FunctionPackage, IFunctionCodePackage } from './function-package';
import { PackagedCodeDriftValidation } from './packaged-code-drift';
import type { RegisteredFunction } from './packaging/function-registration-recorder';
import { WebPubSubExtensionKey } from './web-pubsub-extension-key';
import type { IWebPubSubService } from './web-pubsub-service';
import { FUNCTION_APP_NAME, SERVICE_PLAN_NAME, validateAzureName } from './validation/azure-resource-names';
import { assertNotBoth, InvalidPropError, isUnresolved } from './validation/invalid-prop-error';

/** Node.js versions Azure Functions v4 runs on Linux (Flex, Premium, Dedicated). */
export type FunctionsNodeVersion = '20' | '22';
const NODE_VERSIONS: readonly string[] = ['20', '22'];

/** The default setting prefix the Web PubSub bindings read (`connection` property default, seed 002/003). */
export const DEFAULT_WEB_PUBSUB_CONNECTION = 'WebPubSubConnectionString';

/** A Web PubSub service the app's bindings talk to, and the setting prefix their `connection` property names. */
export interface WebPubSubConnection {
  readonly service: IWebPubSubService;
  /**
   * Prefix of the identity-based settings (`<prefix>__serviceUri`, `__credential`, `__clientId`).
   * @default 'WebPubSubConnectionString'
   */
  readonly settingPrefix?: string;
}

/** Props of {@link WebPubSubFunctionApp}. */
export interface WebPubSubFunctionAppProps {
  /** Resource group for the app and every resource it creates. */
  readonly resourceGroupName: string;
  /** Azure region for the app and every resource it creates. */
  readonly location: string;
  /**
   * App name (globally unique host name prefix).
   * @default - derived deterministically from the construct path
   */
  readonly name?: string;
  /**
   * Hosting plan.
   * @default FunctionAppHosting.flexConsumption()
   */
  readonly hosting?: FunctionAppHosting;
  /**
   * Run on this existing plan instead of creating one (it must match `hosting`).
   * @default - a plan is created
   */
  readonly existingServicePlanId?: string;
  /**
   * Node.js version.
   * @default '22'
   */
  readonly nodeVersion?: FunctionsNodeVersion;
  /**
   * `UserAssigned` creates (or uses `existingIdentity`) an identity that exists before the app, so its roles are in
   * place when the app first starts. `SystemAssigned` ties the identity to the app; roles follow the app.
   * @default 'UserAssigned'
   */
  readonly identityType?: 'UserAssigned' | 'SystemAssigned';
  /**
   * Use this user-assigned identity instead of creating one.
   * @default - a new identity
   */
  readonly existingIdentity?: UserAssignedIdentityAttributes;
  /**
   * Name of the new user-assigned identity.
   * @default - derived deterministically from the construct path
   */
  readonly identityName?: string;
  /**
   * Use this storage account for the host and packages.
   * @default - a new account (see `storageProps`)
   */
  readonly existingStorageAccount?: FunctionHostStorageAttributes;
  /**
   * Options for the new storage account.
   * @default - Standard LRS, shared keys off
   */
  readonly storageProps?: Omit<FunctionHostStorageProps, 'resourceGroupName' | 'location' | 'existingStorageAccount'>;
  /**
   * Use this Application Insights component.
   * @default - a new workspace-based component (see `applicationInsightsProps`)
   */
  readonly existingApplicationInsights?: ApplicationInsightsAttributes;
  /**
   * Options for the new Application Insights component.
   * @default - a new workspace, 30 days retention, local auth off
   */
  readonly applicationInsightsProps?: Omit<FunctionAppInsightsProps, 'resourceGroupName' | 'location' | 'existingApplicationInsights'>;
  /**
   * Opt-out: no Application Insights at all.
   * @default true
   */
  readonly applicationInsightsEnabled?: boolean;
  /**
   * The packaged function code (e.g. `FunctionCode`). Without it the app is created empty and you deploy code
   * yourself; the hub routing then has to be explicit.
   * @default - no code deployment
   */
  readonly code?: IFunctionCodePackage & {
    declaredRouting?(hub: string): EventRouting | undefined;
    readonly registrations?: readonly RegisteredFunction[];
  };
  /**
   * Web PubSub services the bindings use, each with its own setting prefix. The app's identity gets
   * "Web PubSub Service Owner" on each service.
   * @default - none
   */
  readonly webPubSubConnections?: WebPubSubConnection[];
  /**
   * Written as the `WebPubSubHub` setting, which bindings use when they name no hub.
   * @default - not set
   */
  readonly defaultHubName?: string;
  /**
   * Extra app settings. Settings the construct manages cannot be overridden here.
   * @default - none
   */
  readonly appSettings?: Record<string, string>;
  /**
   * Change to rotate the `webpubsub_extension` key.
   * @default '1'
   */
  readonly extensionKeyRotation?: string;
  /**
   * Assign "Storage Blob Data Contributor" on the storage account to the principal running Terraform, which
   * uploads the package with Entra ID. Turn off when the deployer already holds a data-plane role.
   * @default true
   */
  readonly grantDeployerPackageUpload?: boolean;
  /**
   * Reachable from the public internet (Web PubSub calls the app's webhook over it).
   * @default true
   */
  readonly publicNetworkAccessEnabled?: boolean;
  /**
   * Opt-out: allow HTTP (not only HTTPS).
   * @default true
   */
  readonly httpsOnly?: boolean;
  /**
   * Minimum inbound TLS version.
   * @default '1.2'
   */
  readonly minimumTlsVersion?: '1.2' | '1.3';
  /**
   * Opt-out: enable FTP and WebDeploy basic-auth publishing credentials.
   * @default false
   */
  readonly basicAuthPublishingEnabled?: boolean;
  /**
   * Tags for every resource created.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * A Node.js Function App wired for Web PubSub with identity only: managed identity, host storage without keys,
 * identity-based Web PubSub settings, Entra-only Application Insights, code deployed from a hashed package,
 * and the `webpubsub_extension` key written so hubs work on the first deploy.
 */
export class WebPubSubFunctionApp extends Construct implements IWebPubSubEventTarget {
  public readonly appName: string;
  /** ARM resource ID of the app. */
  public readonly appId: string;
  /** The app's `default_hostname`. */
  public readonly defaultHostname: string;
  /** The app identity's principal ID. */
  public readonly principalId: string;
  /** Client ID of the user-assigned identity (undefined for a system identity). */
  public readonly clientId?: string;
  /** Resource ID of the user-assigned identity (undefined for a system identity). */
  public readonly identityId?: string;
  public readonly identity?: FunctionAppIdentity;
  public readonly storage: FunctionHostStorage;
  public readonly insights?: FunctionAppInsights;
  public readonly servicePlan?: ServicePlan;
  public readonly flexApp?: FunctionAppFlexConsumption;
  public readonly linuxApp?: LinuxFunctionApp;
  public readonly package?: FunctionPackage;
  /** The code deployment step (Flex One Deploy), when there is one. */
  public readonly codeDeployment?: ITerraformDependable;
  public readonly webPubSubExtensionKey: WebPubSubExtensionKey;
  /** Every role assignment this construct made for the app's identity. */
  public readonly roleAssignments: RoleAssignment[] = [];
  /** Setting prefixes with identity-based settings on this app. */
  public readonly connectionPrefixes: string[];
  /** The `WebPubSubHub` setting, if set. */
  public readonly defaultHubName?: string;
  /** Web PubSub services this app has identity settings and the owner role for. */
  public readonly connectedServices: IWebPubSubService[];
  private readonly code?: WebPubSubFunctionAppProps['code'];

  public constructor(scope: Construct, id: string, props: WebPubSubFunctionAppProps) {
    super(scope, id);
    const hosting = props.hosting ?? FunctionAppHosting.flexConsumption();
    const nodeVersion = props.nodeVersion ?? '22';
    const identityType = props.identityType ?? 'UserAssigned';
    this.code = props.code;
    this.defaultHubName = props.defaultHubName;
    this.connectedServices = (props.webPubSubConnections ?? []).map((c) => c.service);
    this.validate(props, hosting, nodeVersion, identityType);
    this.appName = props.name ?? defaultResourceName(this, FUNCTION_APP_NAME, 'func');
    validateAzureName(this, 'name', this.appName, FUNCTION_APP_NAME);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };

    if (identityType === 'UserAssigned') {
      this.identity = new FunctionAppIdentity(this, 'Identity', { ...common, existingIdentity: props.existingIdentity, name: props.identityName });
      this.clientId = this.identity.clientId;
      this.identityId = this.identity.identityId;
    }
    this.storage = new FunctionHostStorage(this, 'Storage', {
      ...common,
      ...props.storageProps,
      existingStorageAccount: props.existingStorageAccount,
    });
    if (props.applicationInsightsEnabled ?? true) {
      this.insights = new FunctionAppInsights(this, 'Insights', {
        ...common,
        ...props.applicationInsightsProps,
        existingApplicationInsights: props.existingApplicationInsights,
      });
    }

    const uploadWaitsFor: ITerraformDependable[] = [];
    if (props.code && (props.grantDeployerPackageUpload ?? true)) {
      const deployer = new DataAzurermClientConfig(this, 'Deployer');
      uploadWaitsFor.push(
        assignBuiltInRole(this, 'DeployerPackageUpload', BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR, this.storage.accountId, {
          principalId: deployer.objectId,
        }),
      );
    }
    if (props.code) {
      this.package = new FunctionPackage(this, 'Package', { code: props.code, storage: this.storage, waitFor: uploadWaitsFor });
    }

    // A user-assigned identity gets its roles before the app exists (the app depends on them below).
    const earlyRoles = this.identity ? this.grantAll(this.identity, props) : [];
    const settings = this.appSettings(props, hosting);
    const planId = props.existingServicePlanId ?? this.createPlan(hosting, props).id;
    const httpsOnly = props.httpsOnly ?? true;
    const minTls = props.minimumTlsVersion ?? '1.2';
    const basicAuth = props.basicAuthPublishingEnabled ?? false;
    const identityBlock = this.identity
      ? { type: 'UserAssigned', identityIds: [this.identity.identityId] }
      : { type: 'SystemAssigned' };

    if (hosting.kind === 'FlexConsumption') {
      // Deployment storage with identity auth: docs/azure-sources.md §3.
      this.flexApp = new FunctionAppFlexConsumption(this, 'Resource', {
        ...common,
        name: this.appName,
        servicePlanId: planId,
        runtimeName: 'node',
        runtimeVersion: nodeVersion,
        maximumInstanceCount: hosting.flex.maximumInstanceCount ?? 100,
        instanceMemoryInMb: hosting.flex.instanceMemoryMb ?? 2048,
        storageContainerType: 'blobContainer',
        storageContainerEndpoint: this.storage.packageContainerUrl,
        storageAuthenticationType: this.identity ? 'UserAssignedIdentity' : 'SystemAssignedIdentity',
        storageUserAssignedIdentityId: this.identity?.identityId,
        httpsOnly,
        publicNetworkAccessEnabled: props.publicNetworkAccessEnabled ?? true,
        webdeployPublishBasicAuthenticationEnabled: basicAuth,
        identity: identityBlock,
        appSettings: settings,
        siteConfig: { minimumTlsVersion: minTls, scmMinimumTlsVersion: minTls, http2Enabled: true },
        dependsOn: earlyRoles.length > 0 ? earlyRoles : undefined,
      });
      this.appId = this.flexApp.id;
      this.defaultHostname = this.flexApp.defaultHostname;
    } else {
      this.linuxApp = new LinuxFunctionApp(this, 'Resource', {
        ...common,
        name: this.appName,
        servicePlanId: planId,
        // Host storage through the identity (azurerm writes AzureWebJobsStorage__accountName; docs/azure-sources.md §2).
        storageAccountName: this.storage.accountName,
        storageUsesManagedIdentity: true,
        // Premium's Azure Files content share needs an account key; run from the package blob instead
        // ("Create an app without Azure Files", learn.microsoft.com/azure/azure-functions/storage-considerations).
        contentShareForceDisabled: hosting.kind === 'ElasticPremium' ? true : undefined,
        httpsOnly,
        publicNetworkAccessEnabled: props.publicNetworkAccessEnabled ?? true,
        ftpPublishBasicAuthenticationEnabled: basicAuth,
        webdeployPublishBasicAuthenticationEnabled: basicAuth,
        keyVaultReferenceIdentityId: this.identity?.identityId,
        identity: identityBlock,
        appSettings: settings,
        siteConfig: {
          applicationStack: { nodeVersion },
          minimumTlsVersion: minTls,
          scmMinimumTlsVersion: minTls,
          ftpsState: 'Disabled',
          http2Enabled: true,
        },
        dependsOn: earlyRoles.length > 0 ? earlyRoles : undefined,
      });
      this.appId = this.linuxApp.id;
      this.defaultHostname = this.linuxApp.defaultHostname;
    }

    const systemPrincipalId = this.flexApp?.identity.principalId ?? this.linuxApp!.identity.principalId;
    this.principalId = this.identity?.principalId ?? systemPrincipalId;
    const lateRoles = this.identity ? [] : this.grantAll({ principalId: this.principalId, principalType: 'ServicePrincipal' }, props);
    this.connectionPrefixes = (props.webPubSubConnections ?? []).map((c) => c.settingPrefix ?? DEFAULT_WEB_PUBSUB_CONNECTION);
    if (props.code?.registrations) this.node.addValidation(new PackagedCodeDriftValidation(this, props.code.registrations));

    const app: ITerraformDependable = this.flexApp ?? this.linuxApp!;
    if (this.package && hosting.kind === 'FlexConsumption') {
      this.codeDeployment = this.package.deployToFlexApp(this, 'CodeDeployment', this.appId, [app, ...earlyRoles, ...lateRoles]);
    }
    // The key write waits for the app, its storage roles and its code, so the host can start and store keys.
    this.webPubSubExtensionKey = new WebPubSubExtensionKey(this, 'WebPubSubExtensionKey', {
      functionAppId: this.appId,
      rotation: props.extensionKeyRotation,
      waitFor: [app, ...earlyRoles, ...lateRoles, ...(this.codeDeployment ? [this.codeDeployment] : this.package ? [this.package.blob] : [])],
    });
    // Deployment outputs + manifest entry for the CLI tools (verify, local-settings).
    recordWebPubSubFunctionApp(this, { code: props.code });
  }

  /** Routing the packaged code declares for a hub (undefined without packaged code). */
  public declaredRouting(hub: string): EventRouting | undefined {
    return this.code?.declaredRouting?.(hub);
  }

  private grantAll(principal: IRolePrincipal, props: WebPubSubFunctionAppProps): RoleAssignment[] {
    const roles = [...this.storage.grantHostAccess(principal)];
    if (this.insights) roles.push(this.insights.grantPublish('MetricsPublisher', principal));
    (props.webPubSubConnections ?? []).forEach((c, i) => {
      roles.push(assignBuiltInRole(this, `WebPubSubServiceOwner${i}`, BuiltInRole.WEB_PUBSUB_SERVICE_OWNER, c.service.serviceId, principal));
    });
    this.roleAssignments.push(...roles);
    return roles;
  }

  private createPlan(hosting: FunctionAppHosting, props: WebPubSubFunctionAppProps): ServicePlan {
    const name = defaultResourceName(this, SERVICE_PLAN_NAME, 'plan');
    (this as { servicePlan?: ServicePlan }).servicePlan = new ServicePlan(this, 'Plan', {
      name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      osType: 'Linux',
      skuName: hosting.skuName,
      tags: props.tags,
    });
    return this.servicePlan!;
  }

  private appSettings(props: WebPubSubFunctionAppProps, hosting: FunctionAppHosting): Record<string, string> {
    const managed: Record<string, string> = {};
    if (hosting.kind === 'FlexConsumption') {
      Object.assign(managed, this.storage.hostStorageSettings(this.clientId));
    } else {
      managed.FUNCTIONS_EXTENSION_VERSION = '~4';
      managed.AzureWebJobsStorage__credential = 'managedidentity';
      if (this.clientId !== undefined) managed.AzureWebJobsStorage__clientId = this.clientId;
      if (this.package) Object.assign(managed, this.package.runFromPackageSettings(this.identityId));
    }
    if (this.insights) Object.assign(managed, this.insights.appSettings(this.clientId));
    // Identity-based Web PubSub connection (seed 003): serviceUri + credential (+ clientId for a user identity).
    for (const c of props.webPubSubConnections ?? []) {
      const prefix = c.settingPrefix ?? DEFAULT_WEB_PUBSUB_CONNECTION;
      managed[`${prefix}__serviceUri`] = c.service.serviceUri;
      managed[`${prefix}__credential`] = 'managedidentity';
      if (this.clientId !== undefined) managed[`${prefix}__clientId`] = this.clientId;
    }
    if (props.defaultHubName !== undefined) managed.WebPubSubHub = props.defaultHubName;
    for (const key of Object.keys(props.appSettings ?? {})) {
      if (key in managed) {
        throw new InvalidPropError(this, `appSettings.${key}`, props.appSettings![key], 'is managed by this construct; set it through its dedicated prop');
      }
    }
    return { ...managed, ...props.appSettings };
  }

  private validate(
    props: WebPubSubFunctionAppProps,
    hosting: FunctionAppHosting,
    nodeVersion: string,
    identityType: string,
  ): void {
    if (!NODE_VERSIONS.includes(nodeVersion)) {
      throw new InvalidPropError(this, 'nodeVersion', nodeVersion, `must be one of ${NODE_VERSIONS.join(', ')} (Node 18 and older are end of life)`);
    }
    if (identityType !== 'UserAssigned' && identityType !== 'SystemAssigned') {
      throw new InvalidPropError(this, 'identityType', identityType, 'must be UserAssigned or SystemAssigned');
    }
    if (identityType === 'SystemAssigned' && (props.existingIdentity || props.identityName)) {
      const prop = props.existingIdentity ? 'existingIdentity' : 'identityName';
      throw new InvalidPropError(this, prop, props.existingIdentity ?? props.identityName, 'cannot be combined with identityType SystemAssigned (a system identity has no client id or name to configure)');
    }
    assertNotBoth(this, 'existingStorageAccount', props.existingStorageAccount, 'storageProps', props.storageProps);
    assertNotBoth(this, 'existingApplicationInsights', props.existingApplicationInsights, 'applicationInsightsProps', props.applicationInsightsProps);
    if (props.applicationInsightsEnabled === false && (props.existingApplicationInsights || props.applicationInsightsProps)) {
      throw new InvalidPropError(this, 'applicationInsightsEnabled', false, 'cannot be false while existingApplicationInsights or applicationInsightsProps is given');
    }
    const flex = hosting.flex;
    if (hosting.kind === 'FlexConsumption' && flex.maximumInstanceCount !== undefined && !isUnresolved(flex.maximumInstanceCount)) {
      const n = flex.maximumInstanceCount;
      if (!Number.isInteger(n) || n < 40 || n > 1000) {
        throw new InvalidPropError(this, 'hosting.maximumInstanceCount', n, 'must be an integer between 40 and 1000');
      }
    }
    if (hosting.kind === 'FlexConsumption' && flex.instanceMemoryMb !== undefined && ![512, 2048, 4096].includes(flex.instanceMemoryMb)) {
      throw new InvalidPropError(this, 'hosting.instanceMemoryMb', flex.instanceMemoryMb, 'must be 512, 2048 or 4096');
    }
    if (hosting.kind === 'Dedicated' && !/^(B[1-3]|S[1-3]|P[0-3]v[2-4]|P[1-5]mv3|I[1-6]v2)$/.test(hosting.skuName)) {
      throw new InvalidPropError(this, 'hosting', hosting.skuName, 'must be a Linux Dedicated SKU such as B1, S1, P1v3 or P1mv3');
    }
    const prefixes = new Set<string>();
    (props.webPubSubConnections ?? []).forEach((c, i) => {
      const prefix = c.settingPrefix ?? DEFAULT_WEB_PUBSUB_CONNECTION;
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(prefix) || prefix.includes('__')) {
        throw new InvalidPropError(this, `webPubSubConnections[${i}].settingPrefix`, prefix, 'must be letters, digits and single underscores, starting with a letter');
      }
      if (prefixes.has(prefix)) {
        throw new InvalidPropError(this, `webPubSubConnections[${i}].settingPrefix`, prefix, 'is already used by another connection; give each service its own prefix');
      }
      prefixes.add(prefix);
    });
  }
}
