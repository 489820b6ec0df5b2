import { createHash } from 'node:crypto';
import { LinuxFunctionApp } from '@cdktf/provider-azurerm/lib/linux-function-app';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { ServicePlan } from '@cdktf/provider-azurerm/lib/service-plan';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { IRolePrincipal } from '../iam/built-in-role';
import { clientConfig, resourceGroupIdOf } from '../core/client-config';
import { defaultResourceName, deploymentNameSuffix } from '../core/default-resource-name';
import { recordWebPubSubFunctionApp } from '../core/deployment-outputs';
import { ExtensionWebhookKey, FLEX_TRIGGER_FIX, IWebPubSubEventTarget, WebhookKey } from '../webpubsub/event-handler';
import { FunctionHostKey } from './function-host-key';
import {
  anonymousContextFunctions,
  declaredHttpHandlers,
  httpHandlerHubs,
  webPubSubTriggerFunctionNames,
  webPubSubTriggerHubs,
} from '../code/private/declared-event-handlers';
import { registerDeclaredTargetCode } from '../webpubsub/event-target-code';
import { declaredAppCode } from './private/declared-app-code';
import { EXTENSION_WEBHOOK_TARGET, VALIDATE_EVENT_NAME, WEBPUBSUB_UPSTREAM_KEY_NAME, WebhookTarget } from '../common/webhook-targets';
import { FlexConsumptionSite } from './private/flex-consumption-site';
import { FunctionAppHosting } from './function-app-hosting';
import { FunctionAppIdentity, IUserAssignedIdentity } from './function-app-identity';
import { FunctionAppInsights, IFunctionAppInsights } from './function-app-insights';
import { functionAppSettings } from './private/function-app-settings';
import { FunctionCodePublish } from './private/function-code-publish';
import { FunctionHostStorage, IFunctionHostStorage } from './function-host-storage';
import { FunctionPackage } from './private/function-package';
import { addPackageContainer, registerFunctionHost } from './private/host-storage-apps';
import { PackagedCodeDriftValidation } from './private/packaged-code-drift';
import { WebhookActivation } from './private/webhook-activation';
import { WebPubSubExtensionKey } from './web-pubsub-extension-key';
import { DEFAULT_WEB_PUBSUB_CONNECTION, IFunctionAppCode, WebPubSubFunctionAppProps } from './web-pubsub-function-app-props';
import type { IWebPubSubService } from '../webpubsub/web-pubsub-service';
import { validateAppSettings } from '../validation/app-settings';
import { ARM_RESOURCE_TYPES, validateArmResourceId, validateAzureRegion, validateGuid } from '../validation/arm-ids';
import {
  FUNCTION_APP_NAME,
  RESOURCE_GROUP_NAME,
  SERVICE_PLAN_NAME,
  STORAGE_CONTAINER_NAME,
  validateAzureName,
  WEB_PUBSUB_HUB_NAME_RULE,
} from '../validation/azure-resource-names';
import { withTrailingSlash } from '../validation/endpoints';
import {
  validateDedicatedSku,
  validateElasticPremiumSku,
  validateFlexInstanceMemory,
  validateFlexMaximumInstanceCount,
  validateIdentityType,
  validateMinimumTlsVersion,
  validateNodeVersion,
  validateNodeVersionMatch,
} from '../validation/function-app-options';
import { assertNotBoth, InvalidPropError, isUnresolved } from '../validation/invalid-prop-error';
import { validateBoolean, validateInteger } from '../validation/literals';
import { validateTags } from '../validation/tags';
import { LibraryConstruct, LIBRARY_EDITION } from '../core/edition-guard';
import { DEFAULT_CLI_COMMAND } from '../core/apply-time-command';

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
 * `webpubsub_extension` key written and served before any hub points at it, so hubs work on the first deploy.
 *
 * The first deploy, in order (docs/azure-sources.md has the source of each step):
 * identity → its roles on storage, App Insights and each Web PubSub service → the app → the code (Flex: `publish` to
 * the SCM site; Premium/Dedicated: the package blob it runs from) → the key write → restart and webhook check → hubs.
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
  /** The user-assigned identity (created or given). */
  public readonly identity?: IUserAssignedIdentity;
  /** The host storage account (created or given). */
  public readonly storage: IFunctionHostStorage;
  /** The app's package container on the storage account. */
  public readonly packageContainer: StorageContainer;
  /** Application Insights (created or given), unless turned off. */
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

  public constructor(scope: Construct, id: string, props: WebPubSubFunctionAppProps) {
    super(scope, id);
    const hosting = props.hosting ?? FunctionAppHosting.flexConsumption();
    const flex = hosting.kind === 'FlexConsumption';
    const nodeVersion = props.nodeVersion ?? (props.code?.nodeVersion as string | undefined) ?? '22';
    const identityType = props.identityType ?? 'UserAssigned';
    const connections = props.webPubSubConnections ?? [];
    // What the code declares, for the hubs that bind to this app later (an app without code has no entry).
    if (props.code) registerDeclaredTargetCode(this, declaredAppCode(props.code));
    this.flexConsumption = flex;
    this.webPubSubTriggersOnFlex = props.webPubSubTriggersOnFlex ?? false;
    this.defaultHubName = props.defaultHubName;
    this.connectedServices = connections.map((c) => c.service);
    this.connectionPrefixes = connections.map((c) => c.settingPrefix ?? DEFAULT_WEB_PUBSUB_CONNECTION);
    this.validate(props, hosting, nodeVersion, identityType);
    this.appName = props.name ?? defaultResourceName(this, FUNCTION_APP_NAME, 'func');
    validateAzureName(this, 'name', this.appName, FUNCTION_APP_NAME);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };

    if (identityType === 'UserAssigned') {
      this.identity = props.existingIdentity ?? new FunctionAppIdentity(this, 'Identity', { ...common, name: props.identityName });
      this.clientId = this.identity.clientId;
      this.identityId = this.identity.identityId;
    }
    this.storage = props.existingStorage ?? new FunctionHostStorage(this, 'Storage', { ...common, ...props.storageProps });
    registerFunctionHost(this.storage, this, this.appName);
    const containerName = props.packageContainerName ?? this.defaultPackageContainerName();
    this.packageContainer = addPackageContainer(this.storage, this, 'PackageContainer', containerName);
    const containerUrl = `${withTrailingSlash(this.storage.primaryBlobEndpoint)}${this.packageContainer.name}`;
    if (props.applicationInsightsEnabled ?? true) {
      this.insights = props.existingApplicationInsights ?? new FunctionAppInsights(this, 'Insights', { ...common, ...props.applicationInsightsProps });
    }

    // A user-assigned identity gets its roles before the app exists (the app depends on them).
    const earlyRoles = this.identity ? this.grantAll(this.identity, connections) : [];

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
        cliCommand: props.cliCommand,
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
    // ARM ids in azurerm's casing (azurerm compares the resource type segments exactly).
    const planId =
      props.existingServicePlanId !== undefined
        ? validateArmResourceId(this, 'existingServicePlanId', props.existingServicePlanId, ARM_RESOURCE_TYPES.SERVICE_PLAN)
        : this.createPlan(hosting, props).id;
    const httpsOnly = props.httpsOnly ?? true;
    const minTls = props.minimumTlsVersion ?? '1.2';
    const basicAuth = props.basicAuthPublishingEnabled ?? false;
    const publicNetworkAccessEnabled = props.publicNetworkAccessEnabled ?? true;

    let app: ITerraformDependable;
    let systemPrincipalId: string;
    if (flex) {
      this.flexSite = new FlexConsumptionSite(this, 'Site', {
        name: this.appName,
        resourceGroupId: resourceGroupIdOf(this, props.resourceGroupName),
        location: props.location,
        servicePlanId: planId,
        nodeVersion,
        maximumInstanceCount: hosting.flex.maximumInstanceCount ?? 100,
        instanceMemoryMb: hosting.flex.instanceMemoryMb ?? 2048,
        deploymentContainerUrl: containerUrl,
        userAssignedIdentityId: this.identityId,
        appSettings: settings.appSettings,
        httpsOnly,
        minimumTlsVersion: minTls,
        publicNetworkAccessEnabled,
        basicAuthPublishingEnabled: basicAuth,
        tags: props.tags,
        dependsOn: earlyRoles.length > 0 ? earlyRoles : undefined,
      });
      app = this.flexSite;
      this.appId = this.flexSite.siteId;
      this.defaultHostname = this.flexSite.defaultHostname;
      systemPrincipalId = this.flexSite.systemAssignedPrincipalId;
    } else {
      this.linuxApp = new LinuxFunctionApp(this, 'Resource', {
        ...common,
        name: this.appName,
        servicePlanId: planId,
        // Host storage through the identity: azurerm writes AzureWebJobsStorage__accountName (docs/azure-sources.md §2).
        storageAccountName: this.storage.accountName,
        storageUsesManagedIdentity: true,
        // Premium's Azure Files content share needs an account key; run from the package blob instead
        // ("Create an app without Azure Files", https://learn.microsoft.com/azure/azure-functions/storage-considerations).
        contentShareForceDisabled: hosting.kind === 'ElasticPremium' ? true : undefined,
        functionsExtensionVersion: '~4',
        httpsOnly,
        publicNetworkAccessEnabled,
        ftpPublishBasicAuthenticationEnabled: basicAuth,
        webdeployPublishBasicAuthenticationEnabled: basicAuth,
        keyVaultReferenceIdentityId: this.identityId,
        identity: this.identityId ? { type: 'UserAssigned', identityIds: [this.identityId] } : { type: 'SystemAssigned' },
        appSettings: settings.appSettings,
        siteConfig: {
          applicationStack: { nodeVersion },
          applicationInsightsConnectionString: settings.applicationInsightsConnectionString,
          minimumTlsVersion: minTls,
          scmMinimumTlsVersion: minTls,
          ftpsState: 'Disabled',
          http2Enabled: true,
        },
        // (The package blob is referenced by WEBSITE_RUN_FROM_PACKAGE, so the app already waits for it.)
        dependsOn: earlyRoles.length > 0 ? earlyRoles : undefined,
      });
      app = this.linuxApp;
      this.appId = this.linuxApp.id;
      this.defaultHostname = this.linuxApp.defaultHostname;
      systemPrincipalId = this.linuxApp.identity.principalId;
    }

    this.principalId = this.identity?.principalId ?? systemPrincipalId;
    const lateRoles = this.identity
      ? []
      : this.grantAll({ principalId: this.principalId, principalType: 'ServicePrincipal', principalKey: `system-identity:${this.node.path}` }, connections);
    if (props.code?.registrations) this.node.addValidation(new PackagedCodeDriftValidation(this, { registrations: props.code.registrations, hostJson: props.code.hostJson }));

    const allRoles = [...earlyRoles, ...lateRoles];
    if (props.code && flex) {
      this.codeDeployment = new FunctionCodePublish(this, 'CodeDeployment', {
        code: props.code,
        functionAppId: this.appId,
        deploymentContainerUrl: containerUrl,
        dependsOn: [app, this.packageContainer, ...allRoles],
        timeoutSeconds: props.publishTimeoutSeconds,
        cliCommand: props.cliCommand,
      });
    } else if (this.package) {
      this.codeDeployment = this.package.blob;
    }
    // The key writes need a running host that can persist keys in its storage: after the app, its roles and its code.
    // Keys live in the host storage: another account gets new keys, written, served and put into the hubs anew.
    const keyProps = {
      functionAppId: this.appId,
      rotation: props.extensionKeyRotation,
      keepers: { host_storage: this.storage.accountName },
      waitFor: [app, ...allRoles, ...(this.codeDeployment ? [this.codeDeployment] : [])],
    };
    const registrations = props.code?.registrations;
    const httpHubs = registrations ? httpHandlerHubs(registrations) : [];
    if (!flex || this.webPubSubTriggersOnFlex) {
      this.webPubSubExtensionKey = new WebPubSubExtensionKey(this, 'WebPubSubExtensionKey', keyProps);
    }
    if (flex || httpHubs.length > 0 || !props.code) {
      this.webPubSubUpstreamKey = new FunctionHostKey(this, 'WebPubSubUpstreamKey', { ...keyProps, keyType: 'functionKeys', keyName: WEBPUBSUB_UPSTREAM_KEY_NAME });
    }
    const keys = [this.webPubSubExtensionKey, this.webPubSubUpstreamKey].filter((k): k is FunctionHostKey => k !== undefined);
    const targets = registrations ? this.webhookTargets(registrations, props.code?.hostJson) : [];
    this.webhookActivation = new WebhookActivation(this, 'WebhookActivation', {
      functionAppId: this.appId,
      keyValues: keys.map((k) => k.value),
      hostStorageAccount: this.storage.accountName,
      origins: this.connectedServices.map((s) => s.hostname),
      webhooks: targets,
      hosting: hosting.kind,
      // Without packaged Web PubSub handlers nothing can answer the validation yet: restart only.
      probe: targets.length > 0,
      dependsOn: keys.map((k) => k.write),
      cliCommand: props.cliCommand,
    });
    if (this.webPubSubExtensionKey) this.extensionWebhookKey = { value: this.webPubSubExtensionKey.value, servedAfter: this.webhookActivation };
    if (this.webPubSubUpstreamKey) this.upstreamKey = { value: this.webPubSubUpstreamKey.value, servedAfter: this.webhookActivation };
    // Deployment outputs + manifest entry for the CLI tools (verify, local-settings).
    recordWebPubSubFunctionApp(this, { code: props.code });
  }

  /** What the activation probes: each HTTP handler function at its `validate` URL, and the extension webhook when triggers exist. */
  private webhookTargets(registrations: NonNullable<IFunctionAppCode['registrations']>, hostJson: Record<string, unknown> | undefined): WebhookTarget[] {
    const targets: WebhookTarget[] = [];
    for (const hub of httpHandlerHubs(registrations)) {
      const declared = declaredHttpHandlers(registrations, hostJson, hub)!;
      targets.push({
        kind: 'httpFunction',
        path: `/${declared.path.replace('{event}', VALIDATE_EVENT_NAME)}`,
        keyType: 'functionKeys',
        keyName: WEBPUBSUB_UPSTREAM_KEY_NAME,
        hubs: [hub],
      });
    }
    if (this.webPubSubExtensionKey && webPubSubTriggerFunctionNames(registrations).length > 0) {
      const hubs = [...new Set(webPubSubTriggerHubs(registrations))].filter((h) => h !== '');
      targets.push({ ...EXTENSION_WEBHOOK_TARGET, ...(hubs.length > 0 ? { hubs } : {}) });
    }
    return targets;
  }

  private defaultPackageContainerName(): string {
    // Lowercase letters, digits and hyphens, 3-63 characters; the azd Flex templates use `app-package-<name>-<hash>`.
    const hash = createHash('sha256').update(this.node.path).digest('hex').slice(0, 8);
    return `app-package-${hash}-${deploymentNameSuffix(this)}`;
  }

  private grantAll(principal: IRolePrincipal, connections: NonNullable<WebPubSubFunctionAppProps['webPubSubConnections']>): RoleAssignment[] {
    const roles = [...this.storage.grantHostAccess(principal, this)];
    if (this.insights) roles.push(this.insights.grantPublish(principal, this));
    for (const c of connections) roles.push(c.service.grantServiceOwner(principal, this));
    this.roleAssignments.push(...roles);
    return roles;
  }

  private createPlan(hosting: FunctionAppHosting, props: WebPubSubFunctionAppProps): ServicePlan {
    const plan = new ServicePlan(this, 'Plan', {
      name: defaultResourceName(this, SERVICE_PLAN_NAME, 'plan'),
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      osType: 'Linux',
      skuName: hosting.skuName,
      tags: props.tags,
    });
    (this as { servicePlan?: ServicePlan }).servicePlan = plan;
    return plan;
  }

  private validate(props: WebPubSubFunctionAppProps, hosting: FunctionAppHosting, nodeVersion: string, identityType: string): void {
    validateAzureRegion(this, 'location', props.location);
    validateAzureName(this, 'resourceGroupName', props.resourceGroupName, RESOURCE_GROUP_NAME);
    validateNodeVersion(this, 'nodeVersion', nodeVersion);
    validateNodeVersionMatch(this, 'code.nodeVersion', props.code?.nodeVersion, nodeVersion);
    validateIdentityType(this, 'identityType', identityType);
    validateMinimumTlsVersion(this, 'minimumTlsVersion', props.minimumTlsVersion);
    for (const flag of ['httpsOnly', 'publicNetworkAccessEnabled', 'basicAuthPublishingEnabled', 'applicationInsightsEnabled', 'grantDeployerPackageUpload'] as const) {
      validateBoolean(this, flag, props[flag]);
    }
    validateTags(this, 'tags', props.tags, { storageAccount: props.existingStorage === undefined });
    if (props.existingServicePlanId !== undefined) validateArmResourceId(this, 'existingServicePlanId', props.existingServicePlanId, ARM_RESOURCE_TYPES.SERVICE_PLAN);
    if (props.deployerPrincipalId !== undefined) validateGuid(this, 'deployerPrincipalId', props.deployerPrincipalId);
    if (props.packageContainerName !== undefined) validateAzureName(this, 'packageContainerName', props.packageContainerName, STORAGE_CONTAINER_NAME);
    if (props.defaultHubName !== undefined) validateAzureName(this, 'defaultHubName', props.defaultHubName, WEB_PUBSUB_HUB_NAME_RULE);
    if (props.cliCommand !== undefined && !isUnresolved(props.cliCommand) && props.cliCommand.trim() === '') {
      throw new InvalidPropError(this, 'cliCommand', props.cliCommand, `must be a command that starts the ${LIBRARY_EDITION.packageName} CLI, e.g. "${DEFAULT_CLI_COMMAND}"`);
    }
    if (props.publishTimeoutSeconds !== undefined) validateInteger(this, 'publishTimeoutSeconds', props.publishTimeoutSeconds, { min: 1, max: 3600 });
    if (identityType === 'SystemAssigned' && (props.existingIdentity || props.identityName !== undefined)) {
      const prop = props.existingIdentity ? 'existingIdentity' : 'identityName';
      throw new InvalidPropError(this, prop, props.existingIdentity ? '(given)' : props.identityName, 'cannot be combined with identityType SystemAssigned (a system identity has no client id or name to configure)');
    }
    if (props.existingIdentity && props.identityName !== undefined) {
      throw new InvalidPropError(this, 'identityName', props.identityName, 'cannot be combined with existingIdentity (name the identity where it is created)');
    }
    assertNotBoth(this, 'existingStorage', props.existingStorage, 'storageProps', props.storageProps);
    assertNotBoth(this, 'existingApplicationInsights', props.existingApplicationInsights, 'applicationInsightsProps', props.applicationInsightsProps);
    if (props.applicationInsightsEnabled === false && (props.existingApplicationInsights || props.applicationInsightsProps)) {
      throw new InvalidPropError(this, 'applicationInsightsEnabled', false, 'cannot be false while existingApplicationInsights or applicationInsightsProps is given');
    }
    if (hosting.kind === 'FlexConsumption') {
      validateFlexMaximumInstanceCount(this, 'hosting.maximumInstanceCount', hosting.flex.maximumInstanceCount);
      validateFlexInstanceMemory(this, 'hosting.instanceMemoryMb', hosting.flex.instanceMemoryMb);
    } else if (hosting.kind === 'ElasticPremium') {
      validateElasticPremiumSku(this, 'hosting', hosting.skuName);
    } else {
      validateDedicatedSku(this, 'hosting', hosting.skuName, { createsPlan: props.existingServicePlanId === undefined });
    }
    validateBoolean(this, 'webPubSubTriggersOnFlex', props.webPubSubTriggersOnFlex);
    const registrations = props.code?.registrations ?? [];
    const triggers = webPubSubTriggerFunctionNames(registrations);
    if (hosting.kind === 'FlexConsumption' && triggers.length > 0 && props.webPubSubTriggersOnFlex !== true) {
      throw new InvalidPropError(
        this,
        'code',
        triggers,
        `registers webPubSubTrigger functions on a Flex Consumption app, but Flex does not serve their webhook (its HTTP instances run no trigger listeners, so every event would get 404: azure-functions-host#11493). ${FLEX_TRIGGER_FIX}`,
      );
    }
    const anonymous = anonymousContextFunctions(registrations);
    if (anonymous.length > 0) {
      throw new InvalidPropError(
        this,
        'code',
        anonymous.map((fn) => fn.name),
        "registers HTTP functions with the webPubSubContext input and authLevel 'anonymous': with identity-based connections the extension skips the signature check, so anyone could post forged Web PubSub events to them. Use authLevel 'function' (the hub's URL then carries the app key webpubsub_upstream), or registerWebPubSubHandlers, which does",
      );
    }
    const prefixes = new Set<string>();
    (props.webPubSubConnections ?? []).forEach((c, i) => {
      const prefix = c.settingPrefix ?? DEFAULT_WEB_PUBSUB_CONNECTION;
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(prefix) || prefix.includes('__')) {
        throw new InvalidPropError(this, `webPubSubConnections[${i}].settingPrefix`, prefix, 'must be letters, digits and single underscores, starting with a letter');
      }
      if (prefixes.has(prefix.toLowerCase())) {
        throw new InvalidPropError(this, `webPubSubConnections[${i}].settingPrefix`, prefix, 'is already used by another connection; give each service its own prefix');
      }
      prefixes.add(prefix.toLowerCase());
      if (c.service.entraAuthEnabled === false) {
        throw new InvalidPropError(this, `webPubSubConnections[${i}].service`, c.service.node.path, 'has Entra ID (aadAuthEnabled) off, but the app authenticates to it with its managed identity');
      }
    });
    validateAppSettings(this, 'appSettings', props.appSettings, {
      hosting: hosting.kind,
      identityPrefixes: ['AzureWebJobsStorage', ...prefixes],
      applicationInsightsManaged: props.applicationInsightsEnabled ?? true,
    });
  }

}
