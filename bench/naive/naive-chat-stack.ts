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
  logAnalyticsWorkspace,
  provider as azurermProvider,
  resourceGroup,
  roleAssignment,
  servicePlan,
  storageAccount,
  storageContainer,
  userAssignedIdentity,
  webPubsub,
  webPubsubHub,
} from '@cdktf/provider-azurerm';
import { password, provider as randomProvider, stringResource } from '@cdktf/provider-random';
import { App, DataResource, Fn, TerraformOutput, TerraformStack } from 'cdktf';
import { AzapiProvider } from '../../lib/azapi/azapi-provider';
import { AzapiResource } from '../../lib/azapi/azapi-resource';
import { AzapiResourceAction } from '../../lib/azapi/azapi-resource-action';
import { AzapiUpdateResource } from '../../lib/azapi/azapi-update-resource';
import { FunctionCode, type FunctionCodeProps } from '../../lib/code/function-code';

export interface NaiveChatStackOptions {
  readonly location: string;
  readonly code: FunctionCodeProps;
  /** Setting prefix the bindings name in `connection`. */
  readonly connectionSettingPrefix?: string;
}

const ROLE = {
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
    const suffix = new stringResource.StringResource(this, 'suffix', { length: 6, lower: true, numeric: true, upper: false, special: false });

    const rg = new resourceGroup.ResourceGroup(this, 'rg', { name: `rg-chat-${suffix.result}`, location: options.location, tags });
    const where = { resourceGroupName: rg.name, location: rg.location, tags };
    const wps = new webPubsub.WebPubsub(this, 'wps', {
      ...where,
      name: `wps-chat-${suffix.result}`,
      sku: 'Standard_S1',
      capacity: 1,
      localAuthEnabled: false,
      aadAuthEnabled: true,
      publicNetworkAccessEnabled: true,
      tlsClientCertEnabled: false,
      liveTrace: { enabled: false },
    });
    const identity = new userAssignedIdentity.UserAssignedIdentity(this, 'identity', { ...where, name: `id-chat-${suffix.result}` });
    const storage = new storageAccount.StorageAccount(this, 'storage', {
      ...where,
      name: `stchat${suffix.result}`,
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
      name: `app-package-${suffix.result}`,
      storageAccountId: storage.id,
      containerAccessType: 'private',
    });
    const workspace = new logAnalyticsWorkspace.LogAnalyticsWorkspace(this, 'logs', {
      ...where,
      name: `log-chat-${suffix.result}`,
      sku: 'PerGB2018',
      retentionInDays: 30,
      localAuthenticationEnabled: false,
    });
    const insights = new applicationInsights.ApplicationInsights(this, 'insights', {
      ...where,
      name: `appi-chat-${suffix.result}`,
      applicationType: 'web',
      workspaceId: workspace.id,
      localAuthenticationDisabled: true,
    });

    const roleId = (scope: string, guid: string): string =>
      `${Fn.join('/', Fn.slice(Fn.split('/', scope), 0, 3))}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
    const grant = (name: string, scope: string, guid: string, principalId: string): roleAssignment.RoleAssignment =>
      new roleAssignment.RoleAssignment(this, name, { scope, roleDefinitionId: roleId(scope, guid), principalId, principalType: 'ServicePrincipal' });
    const roles = [
      grant('blob-owner', storage.id, ROLE.blobOwner, identity.principalId),
      grant('table-contributor', storage.id, ROLE.tableContributor, identity.principalId),
      grant('metrics-publisher', insights.id, ROLE.metricsPublisher, identity.principalId),
      grant('wps-owner', wps.id, ROLE.webPubSubOwner, identity.principalId),
    ];

    const client = new dataAzurermClientConfig.DataAzurermClientConfig(this, 'client');
    const plan = new servicePlan.ServicePlan(this, 'plan', { ...where, name: `plan-chat-${suffix.result}`, osType: 'Linux', skuName: 'FC1' });
    const site = new AzapiResource(this, 'func', {
      type: 'Microsoft.Web/sites@2024-04-01',
      name: `func-chat-${suffix.result}`,
      parentId: `/subscriptions/${client.subscriptionId}/resourceGroups/${rg.name}`,
      location: rg.location,
      identity: { type: 'UserAssigned', identityIds: [identity.id] },
      tags,
      body: {
        kind: 'functionapp,linux',
        properties: {
          serverFarmId: plan.id,
          httpsOnly: true,
          publicNetworkAccess: 'Enabled',
          functionAppConfig: {
            deployment: {
              storage: {
                type: 'blobContainer',
                value: `${storage.primaryBlobEndpoint}${container.name}`,
                authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identity.id },
              },
            },
            scaleAndConcurrency: { maximumInstanceCount: 100, instanceMemoryMB: 2048 },
            runtime: { name: 'node', version: '22' },
          },
          siteConfig: {
            minTlsVersion: '1.2',
            scmMinTlsVersion: '1.2',
            appSettings: Object.entries({
              AzureWebJobsStorage__accountName: storage.name,
              AzureWebJobsStorage__credential: 'managedidentity',
              AzureWebJobsStorage__clientId: identity.clientId,
              APPLICATIONINSIGHTS_CONNECTION_STRING: insights.connectionString,
              APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `Authorization=AAD;ClientId=${identity.clientId}`,
              [`${prefix}__serviceUri`]: `https://${wps.hostname}`,
              [`${prefix}__credential`]: 'managedidentity',
              [`${prefix}__clientId`]: identity.clientId,
              WebPubSubHub: 'chat',
            }).map(([name, value]) => ({ name, value })),
          },
        },
      },
      responseExportValues: ['properties.defaultHostName'],
      dependsOn: roles,
    });
    new AzapiUpdateResource(this, 'scm-basic-auth', {
      type: 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01',
      resourceId: `${site.id}/basicPublishingCredentialsPolicies/scm`,
      body: { properties: { allow: false } },
    });
    const host = site.outputValue('properties.defaultHostName');
    const publish = new DataResource(this, 'publish', {
      triggersReplace: { package_sha256: code.contentHash, function_app_id: site.id },
      provisioners: [
        {
          type: 'local-exec',
          command: 'npx --no cdktf-azure-webpubsub publish',
          environment: { CDKTF_AZURE_WEBPUBSUB_APP_ID: site.id, CDKTF_AZURE_WEBPUBSUB_PACKAGE: code.assetPath, CDKTF_AZURE_WEBPUBSUB_PACKAGE_SHA256: code.contentHash },
        },
      ],
      dependsOn: [site, container, ...roles],
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
      resourceId: site.id,
      action: 'host/default/systemKeys/webpubsub_extension',
      method: 'PUT',
      body: { properties: { name: 'webpubsub_extension', value: key.result } },
      retry: { errorMessageRegex: ['(?i)(from host runtime|ServiceUnavailable|InternalServerError)'], intervalSeconds: 10, maxIntervalSeconds: 60 },
      timeouts: { create: '15m', update: '15m' },
      dependsOn: [site, ...roles, publish],
    });
    const activation = new DataResource(this, 'activate', {
      triggersReplace: { key_sha256: Fn.sha256(key.result), function_app_id: site.id },
      provisioners: [
        {
          type: 'local-exec',
          command: 'npx --no cdktf-azure-webpubsub activate-webhook',
          environment: { CDKTF_AZURE_WEBPUBSUB_APP_ID: site.id, CDKTF_AZURE_WEBPUBSUB_ORIGINS: wps.hostname },
        },
      ],
      dependsOn: [keyWrite],
    });
    const routing = code.declaredRouting('chat');
    new webPubsubHub.WebPubsubHub(this, 'hub', {
      name: 'chat',
      webPubsubId: wps.id,
      anonymousConnectionsEnabled: false,
      eventHandler: [
        {
          urlTemplate: `https://${host}/runtime/webhooks/webpubsub?code=${key.result}`,
          systemEvents: routing?.systemEvents ? [...routing.systemEvents] : undefined,
          userEventPattern: routing?.userEventPattern,
        },
      ],
      dependsOn: [activation],
    });

    // The outputs the library's constructs declare for the CLI tools, and the example's own.
    const outputs: Record<string, string> = {
      app_hostname: host,
      app_principal_id: identity.principalId,
      app_id: site.id,
      wps_hostname: wps.hostname,
      wps_id: wps.id,
      chat_page_url: `https://${host}/api/index`,
    };
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(this, name, { value });
  }
}
