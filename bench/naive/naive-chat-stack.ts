/**
 * BASELINE for the synth benchmark (P1): the chat topology written "naively", the way CDKTF code commonly is,
 * importing every provider class from the prebuilt providers' package roots (barrels):
 * `import { webPubsub, ... } from '@cdktf/provider-azurerm'`. In @cdktf/provider-azurerm 14.x the root module
 * re-exports one namespace per resource (`webPubsub.WebPubsub`) and requires all ~1,500 of them eagerly.
 *
 * It declares the same resources, data sources and outputs as the example's ChatStack (the benchmark compares the
 * resource type counts of both cdk.tf.json files and fails if they differ). It packages the function code with the
 * library's FunctionCode (which imports no provider module), so the two programs differ in how they load the
 * provider bindings and in the construct layer, not in the packaging work.
 */
import {
  applicationInsights,
  dataAzurermClientConfig,
  functionAppFlexConsumption,
  logAnalyticsWorkspace,
  provider as azurermProvider,
  resourceGroup,
  roleAssignment,
  servicePlan,
  storageAccount,
  storageBlob,
  storageContainer,
  userAssignedIdentity,
  webPubsub,
  webPubsubHub,
} from '@cdktf/provider-azurerm';
import { password, provider as randomProvider } from '@cdktf/provider-random';
import { App, Fn, TerraformOutput, TerraformStack } from 'cdktf';
import { AzapiProvider } from '../../lib/azapi/azapi-provider';
import { AzapiResourceAction } from '../../lib/azapi/azapi-resource-action';
import { FunctionCode, type FunctionCodeProps } from '../../lib/packaging/function-code';

export interface NaiveChatStackOptions {
  readonly location: string;
  readonly code: FunctionCodeProps;
  /** Setting prefix the bindings name in `connection`. */
  readonly connectionSettingPrefix?: string;
}

const ROLE = {
  blobContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  blobOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  tableContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  metricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  webPubSubOwner: '12cf5a90-567b-43ae-8102-96cf46c7d9b4',
};

export class NaiveChatStack extends TerraformStack {
  public constructor(scope: App, id: string, options: NaiveChatStackOptions) {
    super(scope, id);
    const prefix = options.connectionSettingPrefix ?? 'WebPubSubConnectionString';
    const tags = { example: 'cdktf-azure-webpubsub-chat' };
    new azurermProvider.AzurermProvider(this, 'azurerm', { features: [{}], storageUseAzuread: true });
    new randomProvider.RandomProvider(this, 'random');
    new AzapiProvider(this, 'azapi');

    const code = new FunctionCode(this, 'ChatCode', { ...options.code, quiet: true });

    const rg = new resourceGroup.ResourceGroup(this, 'rg', { name: 'rg-chat', location: options.location, tags });
    const where = { resourceGroupName: rg.name, location: rg.location, tags };
    const wps = new webPubsub.WebPubsub(this, 'wps', {
      ...where,
      name: 'wps-chat',
      sku: 'Standard_S1',
      capacity: 1,
      localAuthEnabled: false,
      aadAuthEnabled: true,
      publicNetworkAccessEnabled: true,
      tlsClientCertEnabled: false,
      liveTrace: { enabled: false },
    });
    const identity = new userAssignedIdentity.UserAssignedIdentity(this, 'identity', { ...where, name: 'id-chat' });
    const storage = new storageAccount.StorageAccount(this, 'storage', {
      ...where,
      name: 'stchatfunc',
      accountTier: 'Standard',
      accountKind: 'StorageV2',
      accountReplicationType: 'LRS',
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      httpsTrafficOnlyEnabled: true,
      minTlsVersion: 'TLS1_2',
      allowNestedItemsToBePublic: false,
    });
    const container = new storageContainer.StorageContainer(this, 'packages', {
      name: 'function-packages',
      storageAccountId: storage.id,
      containerAccessType: 'private',
    });
    const workspace = new logAnalyticsWorkspace.LogAnalyticsWorkspace(this, 'logs', {
      ...where,
      name: 'log-chat',
      sku: 'PerGB2018',
      retentionInDays: 30,
    });
    const insights = new applicationInsights.ApplicationInsights(this, 'insights', {
      ...where,
      name: 'appi-chat',
      applicationType: 'web',
      workspaceId: workspace.id,
      localAuthenticationDisabled: true,
    });

    const roleId = (scope: string, guid: string): string =>
      `${Fn.join('/', Fn.slice(Fn.split('/', scope), 0, 3))}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
    const grant = (name: string, scope: string, guid: string, principalId: string, principalType?: string): roleAssignment.RoleAssignment =>
      new roleAssignment.RoleAssignment(this, name, { scope, roleDefinitionId: roleId(scope, guid), principalId, principalType });

    const deployer = new dataAzurermClientConfig.DataAzurermClientConfig(this, 'deployer');
    const upload = grant('deployer-upload', storage.id, ROLE.blobContributor, deployer.objectId);
    const blob = new storageBlob.StorageBlob(this, 'package', {
      name: code.packageFileName,
      storageAccountName: storage.name,
      storageContainerName: container.name,
      type: 'Block',
      contentType: 'application/zip',
      source: code.assetPath,
      metadata: { sha256: code.contentHash },
      dependsOn: [upload],
    });
    const roles = [
      grant('blob-owner', storage.id, ROLE.blobOwner, identity.principalId, 'ServicePrincipal'),
      grant('table-contributor', storage.id, ROLE.tableContributor, identity.principalId, 'ServicePrincipal'),
      grant('metrics-publisher', insights.id, ROLE.metricsPublisher, identity.principalId, 'ServicePrincipal'),
      grant('wps-owner', wps.id, ROLE.webPubSubOwner, identity.principalId, 'ServicePrincipal'),
    ];

    const plan = new servicePlan.ServicePlan(this, 'plan', { ...where, name: 'plan-chat', osType: 'Linux', skuName: 'FC1' });
    const fn = new functionAppFlexConsumption.FunctionAppFlexConsumption(this, 'func', {
      ...where,
      name: 'func-chat',
      servicePlanId: plan.id,
      runtimeName: 'node',
      runtimeVersion: '22',
      maximumInstanceCount: 100,
      instanceMemoryInMb: 2048,
      storageContainerType: 'blobContainer',
      storageContainerEndpoint: `${storage.primaryBlobEndpoint}function-packages`,
      storageAuthenticationType: 'UserAssignedIdentity',
      storageUserAssignedIdentityId: identity.id,
      httpsOnly: true,
      publicNetworkAccessEnabled: true,
      webdeployPublishBasicAuthenticationEnabled: false,
      identity: { type: 'UserAssigned', identityIds: [identity.id] },
      appSettings: {
        AzureWebJobsStorage__blobServiceUri: storage.primaryBlobEndpoint,
        AzureWebJobsStorage__queueServiceUri: storage.primaryQueueEndpoint,
        AzureWebJobsStorage__tableServiceUri: storage.primaryTableEndpoint,
        AzureWebJobsStorage__credential: 'managedidentity',
        AzureWebJobsStorage__clientId: identity.clientId,
        APPLICATIONINSIGHTS_CONNECTION_STRING: insights.connectionString,
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `Authorization=AAD;ClientId=${identity.clientId}`,
        [`${prefix}__serviceUri`]: `https://${wps.hostname}`,
        [`${prefix}__credential`]: 'managedidentity',
        [`${prefix}__clientId`]: identity.clientId,
        WebPubSubHub: 'chat',
      },
      siteConfig: { minimumTlsVersion: '1.2', scmMinimumTlsVersion: '1.2', http2Enabled: true },
      dependsOn: roles,
    });

    const deployment = new AzapiResourceAction(this, 'onedeploy', {
      type: 'Microsoft.Web/sites@2024-04-01',
      resourceId: fn.id,
      action: 'extensions/onedeploy',
      method: 'PUT',
      body: { properties: { packageUri: `${storage.primaryBlobEndpoint}function-packages/${code.packageFileName}`, remoteBuild: false } },
      retry: { errorMessageRegex: ['(?i)(forbidden|403|conflict|409|service ?unavailable)'], intervalSeconds: 15, maxIntervalSeconds: 60 },
      dependsOn: [blob, fn, ...roles],
    });
    const key = new password.Password(this, 'extension-key', {
      length: 48,
      special: false,
      minUpper: 1,
      minLower: 1,
      minNumeric: 1,
      keepers: { rotation: '1' },
    });
    const keyWrite = new AzapiResourceAction(this, 'extension-key-write', {
      type: 'Microsoft.Web/sites@2024-04-01',
      resourceId: fn.id,
      action: 'host/default/systemkeys/webpubsub_extension',
      method: 'PUT',
      body: { properties: { name: 'webpubsub_extension', value: key.result } },
      retry: { errorMessageRegex: ['(?i)(bad ?request|service ?unavailable|conflict|not ?found)'], intervalSeconds: 10, maxIntervalSeconds: 60 },
      dependsOn: [fn, ...roles, deployment],
    });
    const routing = code.declaredRouting('chat');
    new webPubsubHub.WebPubsubHub(this, 'hub', {
      name: 'chat',
      webPubsubId: wps.id,
      anonymousConnectionsEnabled: false,
      eventHandler: [
        {
          urlTemplate: `https://${fn.defaultHostname}/runtime/webhooks/webpubsub?code=${key.result}`,
          systemEvents: routing?.systemEvents ? [...routing.systemEvents] : undefined,
          userEventPattern: routing?.userEventPattern,
        },
      ],
      dependsOn: [keyWrite],
    });

    const client = new dataAzurermClientConfig.DataAzurermClientConfig(this, 'client');
    const outputs: Record<string, string> = {
      subscription_id: client.subscriptionId,
      resource_group_name: rg.name,
      web_pubsub_name: 'wps-chat',
      web_pubsub_hostname: wps.hostname,
      function_app_name: 'func-chat',
      function_app_hostname: fn.defaultHostname,
      function_app_principal_id: identity.principalId,
      negotiate_url: `https://${fn.defaultHostname}/api/negotiate`,
      chat_page_url: `https://${fn.defaultHostname}/api/index`,
    };
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(this, name, { value });
  }
}
