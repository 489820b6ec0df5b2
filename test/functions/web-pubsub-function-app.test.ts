import { TerraformOutput } from 'cdktf';
import { AppIdentity } from '../../lib/functions/app-identity';
import { AppMonitoring } from '../../lib/functions/app-monitoring';
import { FunctionAppHosting } from '../../lib/functions/function-app-hosting';
import { FunctionAppIdentity } from '../../lib/functions/function-app-identity';
import { FunctionAppInsights } from '../../lib/functions/function-app-insights';
import { AZURERM_LINUX_FUNCTION_APP_MANAGED_SETTINGS } from '../../lib/functions/private/function-app-settings';
import { WebPubSubFunctionApp } from '../../lib/functions/web-pubsub-function-app';
import { WebPubSubFunctionAppProps } from '../../lib/functions/web-pubsub-function-app-props';
import { WebPubSubService } from '../../lib/webpubsub/web-pubsub-service';
import { armBodyProblems } from '../core/arm-type-check';
import { flexSiteOf, newStack, onlyResource, resourcesOf, siteSettings, synthStack, TEST_CLIENT_ID, TEST_IDS, TEST_PRINCIPAL_ID } from '../core/synth-helpers';

const placement = { resourceGroup: { name: 'rg-app', location: 'westeurope' } };

function synthApp(props: Partial<WebPubSubFunctionAppProps> = {}) {
  const { app, stack } = newStack('app');
  const service = new WebPubSubService(stack, 'Service', placement);
  const fn = new WebPubSubFunctionApp(stack, 'Fn', { ...placement, webPubSubConnections: [{ service }], ...props });
  return { fn, stack, json: synthStack(app, stack).json };
}

const flexSite = flexSiteOf;
const settingsOf = siteSettings;

describe('Flex Consumption site (azapi, as Microsoft\'s Terraform sample deploys it)', () => {
  test('no azurerm Flex resource and no AzureWebJobsStorage connection string: identity host storage only', () => {
    const { json } = synthApp();
    const text = JSON.stringify(json);
    expect(resourcesOf(json, 'azurerm_function_app_flex_consumption')).toEqual({});
    const [, site] = flexSite(json);
    const settings = settingsOf(site);
    expect(settings.AzureWebJobsStorage).toBeUndefined();
    expect(Object.keys(settings).filter((k) => k.startsWith('AzureWebJobsStorage')).sort()).toEqual([
      'AzureWebJobsStorage__accountName',
      'AzureWebJobsStorage__clientId',
      'AzureWebJobsStorage__credential',
    ]);
    expect(settings.AzureWebJobsStorage__credential).toBe('managedidentity');
    expect(text).not.toMatch(/AccountKey=|AccessKey=|primary_connection_string|primary_access_key/);
  });

  test('the body: identity-based deployment storage, runtime, scale, HTTPS only, TLS 1.2 for site and SCM, nothing Flex rejects', () => {
    const { json } = synthApp();
    const [, site] = flexSite(json);
    const [identityKey] = onlyResource(json, 'azurerm_user_assigned_identity');
    const identityId = `\${azurerm_user_assigned_identity.${identityKey}.id}`;
    expect(site.type).toBe('Microsoft.Web/sites@2024-04-01');
    expect(site.identity).toEqual([{ type: 'UserAssigned', identity_ids: [identityId] }]);
    expect(site.body.kind).toBe('functionapp,linux');
    const p = site.body.properties;
    expect(p.functionAppConfig).toEqual({
      deployment: {
        storage: {
          type: 'blobContainer',
          value: expect.stringMatching(/^\$\{azurerm_storage_account\..+\.primary_blob_endpoint\}\$\{azurerm_storage_container\..+\.name\}$/),
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId },
        },
      },
      scaleAndConcurrency: { maximumInstanceCount: 100, instanceMemoryMB: 2048 },
      runtime: { name: 'node', version: '22' },
    });
    expect(p).toMatchObject({ httpsOnly: true, publicNetworkAccess: 'Enabled' });
    expect(p.siteConfig).toMatchObject({ minTlsVersion: '1.2', scmMinTlsVersion: '1.2' });
    // Settings Flex rejects or does not support (functions-app-settings, "Flex Consumption plan deprecations").
    for (const rejected of ['ftpsState', 'alwaysOn', 'linuxFxVersion', 'use32BitWorkerProcess', 'functionAppScaleLimit']) {
      expect(p.siteConfig[rejected]).toBeUndefined();
    }
    for (const rejected of ['FUNCTIONS_WORKER_RUNTIME', 'FUNCTIONS_EXTENSION_VERSION', 'WEBSITE_NODE_DEFAULT_VERSION', 'WEBSITE_RUN_FROM_PACKAGE', 'WEBSITE_CONTENTSHARE']) {
      expect(settingsOf(site)[rejected]).toBeUndefined();
    }
    // The default host name comes from ARM's response, never from the name.
    expect(site.response_export_values).toEqual(['properties.defaultHostName']);
  });

  test('the default host name is read from the site\'s exported response', () => {
    const { app, stack } = newStack('host');
    const service = new WebPubSubService(stack, 'Service', placement);
    const fn = new WebPubSubFunctionApp(stack, 'Fn', { ...placement, webPubSubConnections: [{ service }] });
    new TerraformOutput(stack, 'host', { value: fn.defaultHostname });
    const { json } = synthStack(app, stack);
    const [siteKey] = flexSite(json);
    expect(json.output.host.value).toBe(`\${azapi_resource.${siteKey}.output.properties.defaultHostName}`);
    expect(JSON.stringify(json)).not.toMatch(/azurewebsites\.net/);
  });

  test('the body uses only properties and values the ARM type data of Microsoft.Web/sites@2024-04-01 allows', () => {
    for (const props of [{}, { identity: AppIdentity.systemAssigned() }, { minimumTlsVersion: '1.3' as const, publicNetworkAccessEnabled: false }]) {
      const { json } = synthApp(props);
      for (const resource of Object.values(resourcesOf(json, 'azapi_resource')) as any[]) {
        expect(armBodyProblems(resource.type, resource.body, resource.name)).toEqual([]);
      }
      for (const update of Object.values(resourcesOf(json, 'azapi_update_resource')) as any[]) {
        expect(armBodyProblems(update.type, update.body, String(update.resource_id).split('/').pop())).toEqual([]);
      }
    }
  });

  test('the ARM type check itself rejects what ARM would reject', () => {
    expect(armBodyProblems('Microsoft.Web/sites@2024-04-01', { properties: { siteConfig: { minTlsVersion: 1.2 } } })).not.toEqual([]);
    expect(armBodyProblems('Microsoft.Web/sites@2024-04-01', { properties: { functionAppConfig: { scaleAndConcurrency: { instanceMemoryMB: '2048' } } } })).not.toEqual([]);
    expect(armBodyProblems('Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01', { properties: { allow: 'no' } }, 'scm')).not.toEqual([]);
    expect(armBodyProblems('Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01', { properties: { allow: false } }, 'web')).not.toEqual([]);
    expect(armBodyProblems('Microsoft.Web/sites@2024-04-01', { properties: { noSuchProperty: true } })).not.toEqual([]);
    expect(armBodyProblems('Microsoft.Web/sites@2024-04-01', { properties: { defaultHostName: 'x' } })).toEqual(['.properties.defaultHostName: read-only in SiteProperties']);
  });

  test('basic-auth publishing is off through an update of the scm policy (no DELETE exists for it, so destroy is a no-op); the opt-out removes it', () => {
    const { json } = synthApp();
    const [siteKey] = flexSite(json);
    expect(Object.values(resourcesOf(json, 'azapi_resource')).filter((r: any) => r.type.includes('basicPublishingCredentialsPolicies'))).toEqual([]);
    expect(Object.values(resourcesOf(json, 'azapi_update_resource'))).toEqual([
      expect.objectContaining({
        type: 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01',
        resource_id: `\${azapi_resource.${siteKey}.id}/basicPublishingCredentialsPolicies/scm`,
        body: { properties: { allow: false } },
      }),
    ]);
    const optOut = synthApp({ basicAuthPublishingEnabled: true }).json;
    expect(resourcesOf(optOut, 'azapi_update_resource')).toEqual({});
  });

  test('the site waits for the host roles of its user-assigned identity, not for its role on the Web PubSub service', () => {
    const { json } = synthApp();
    const [, site] = flexSite(json);
    const roles = Object.entries(resourcesOf(json, 'azurerm_role_assignment'));
    expect(roles).toHaveLength(4); // blob owner, table contributor, metrics publisher, Web PubSub owner
    const [ownerKey] = roles.find(([, r]: any) => String(r.scope).startsWith('${azurerm_web_pubsub.'))!;
    const hostRoles = roles.map(([k]) => k).filter((k) => k !== ownerKey);
    expect([...site.depends_on].sort()).toEqual(hostRoles.map((k) => `azurerm_role_assignment.${k}`).sort());
  });

  test('Flex options: maximum instances from 1 (Microsoft\'s "Limit scale-out") to 1000, memory 512/2048/4096', () => {
    const { json } = synthApp({ hosting: FunctionAppHosting.flexConsumption({ maximumInstanceCount: 1, instanceMemoryMb: 4096 }) });
    expect(flexSite(json)[1].body.properties.functionAppConfig.scaleAndConcurrency).toEqual({ maximumInstanceCount: 1, instanceMemoryMB: 4096 });
    expect(() => synthApp({ hosting: FunctionAppHosting.flexConsumption({ maximumInstanceCount: 0 }) })).toThrow(/`hosting.maximumInstanceCount` must be an integer between 1 and 1000, got 0/);
    expect(() => synthApp({ hosting: FunctionAppHosting.flexConsumption({ maximumInstanceCount: 1001 }) })).toThrow(/between 1 and 1000, got 1001/);
    expect(() => synthApp({ hosting: FunctionAppHosting.flexConsumption({ instanceMemoryMb: 1024 as any }) })).toThrow(/`hosting.instanceMemoryMb` must be one of 512, 2048, 4096, got 1024/);
  });

  test('an existing plan is used, not created', () => {
    const { json } = synthApp({ existingServicePlanId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/r/providers/Microsoft.Web/serverfarms/p' });
    expect(resourcesOf(json, 'azurerm_service_plan')).toEqual({});
    // Written in azurerm's casing (serverFarms), whatever casing was given.
    expect(flexSite(json)[1].body.properties.serverFarmId).toBe('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/r/providers/Microsoft.Web/serverFarms/p');
  });

  test('opt-outs are explicit props', () => {
    const { json } = synthApp({ httpsOnly: false, minimumTlsVersion: '1.3', publicNetworkAccessEnabled: false });
    const p = flexSite(json)[1].body.properties;
    expect(p).toMatchObject({ httpsOnly: false, publicNetworkAccess: 'Disabled' });
    expect(p.siteConfig).toMatchObject({ minTlsVersion: '1.3', scmMinTlsVersion: '1.3' });
  });
});

describe('Premium and Dedicated (azurerm_linux_function_app)', () => {
  test('Elastic Premium: identity host storage, no content share, FTP and basic auth off', () => {
    const { json } = synthApp({ hosting: FunctionAppHosting.elasticPremium('EP2'), nodeVersion: '20' });
    expect(onlyResource(json, 'azurerm_service_plan')[1]).toMatchObject({ sku_name: 'EP2', os_type: 'Linux' });
    const [, fn] = onlyResource(json, 'azurerm_linux_function_app');
    expect(fn).toMatchObject({
      storage_uses_managed_identity: true,
      content_share_force_disabled: true,
      https_only: true,
      functions_extension_version: '~4',
      ftp_publish_basic_authentication_enabled: false,
      webdeploy_publish_basic_authentication_enabled: false,
    });
    expect(fn.site_config).toMatchObject({ ftps_state: 'Disabled', minimum_tls_version: '1.2', scm_minimum_tls_version: '1.2', application_stack: { node_version: '20' } });
    expect(fn.storage_account_access_key).toBeUndefined();
    expect(fn.app_settings).toMatchObject({ AzureWebJobsStorage__credential: 'managedidentity' });
  });

  test('no perpetual diff: nothing azurerm moves out of app_settings on read is written there; App Insights goes to site_config', () => {
    // azurerm 4.55 `unpackLinuxFunctionAppSettings` (linux_function_app_resource.go) moves or drops these keys.
    expect(AZURERM_LINUX_FUNCTION_APP_MANAGED_SETTINGS).toEqual(
      expect.arrayContaining(['FUNCTIONS_EXTENSION_VERSION', 'APPLICATIONINSIGHTS_CONNECTION_STRING', 'AzureWebJobsStorage__accountName', 'WEBSITE_NODE_DEFAULT_VERSION']),
    );
    for (const hosting of [FunctionAppHosting.elasticPremium(), FunctionAppHosting.dedicated('P1v3')]) {
      const { json } = synthApp({ hosting });
      const [, fn] = onlyResource(json, 'azurerm_linux_function_app');
      for (const key of AZURERM_LINUX_FUNCTION_APP_MANAGED_SETTINGS) expect(Object.keys(fn.app_settings)).not.toContain(key);
      expect(fn.site_config.application_insights_connection_string).toMatch(/azurerm_application_insights\..+\.connection_string/);
      expect(fn.app_settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING).toMatch(/^Authorization=AAD;ClientId=/);
    }
  });

  test('a user setting azurerm would move is refused with the prop that manages it', () => {
    expect(() => synthApp({ hosting: FunctionAppHosting.elasticPremium(), appSettings: { FUNCTIONS_EXTENSION_VERSION: '~3' } })).toThrow(
      /`appSettings.FUNCTIONS_EXTENSION_VERSION` is managed by this construct/,
    );
  });

  test('Dedicated: the SKU is validated and used', () => {
    const { json } = synthApp({ hosting: FunctionAppHosting.dedicated('P1v3') });
    expect(onlyResource(json, 'azurerm_service_plan')[1].sku_name).toBe('P1v3');
    expect(() => synthApp({ hosting: FunctionAppHosting.dedicated('Y1') })).toThrow(/`hosting` must be one of "B1".*use FunctionAppHosting.elasticPremium\(\) for EP1-EP3 and flexConsumption\(\) for FC1\), got "Y1"/);
  });
});

const MONITORING_METRICS_PUBLISHER = '3913510d-42f4-4e42-8a64-420c390055eb';

describe('identities (one `identity` prop: AppIdentity)', () => {
  test('the default is a new user-assigned identity, the same as AppIdentity.userAssigned()', () => {
    const implicit = synthApp().json;
    expect(synthApp({ identity: AppIdentity.userAssigned() }).json).toEqual(implicit);
    expect(Object.keys(resourcesOf(implicit, 'azurerm_user_assigned_identity'))).toHaveLength(1);
  });

  test('user-assigned with a name: the identity is created with it, the app runs as it and its roles exist before the app', () => {
    const { fn, json } = synthApp({ identity: AppIdentity.userAssigned({ name: 'id-chat' }) });
    const [identityKey, identity] = onlyResource(json, 'azurerm_user_assigned_identity');
    expect(identity).toMatchObject({ name: 'id-chat', resource_group_name: 'rg-app', location: 'westeurope' });
    const identityId = `\${azurerm_user_assigned_identity.${identityKey}.id}`;
    const [, site] = flexSite(json);
    expect(site.identity).toEqual([{ type: 'UserAssigned', identity_ids: [identityId] }]);
    expect(settingsOf(site).WebPubSubConnectionString__clientId).toBe(`\${azurerm_user_assigned_identity.${identityKey}.client_id}`);
    const hostRoles = Object.entries(resourcesOf(json, 'azurerm_role_assignment')).filter(([, r]: any) => !String(r.scope).startsWith('${azurerm_web_pubsub.'));
    expect(hostRoles.length).toBe(3);
    expect(site.depends_on).toEqual(expect.arrayContaining(hostRoles.map(([k]) => `azurerm_role_assignment.${k}`)));
    expect(fn.identityId).toBe(fn.identity?.identityId);
  });

  test('system-assigned: no clientId settings, roles for the app principal made after the app', () => {
    const { fn, json } = synthApp({ identity: AppIdentity.systemAssigned() });
    expect(resourcesOf(json, 'azurerm_user_assigned_identity')).toEqual({});
    const [siteKey, site] = flexSite(json);
    expect(site.identity).toEqual([{ type: 'SystemAssigned' }]);
    expect(site.body.properties.functionAppConfig.deployment.storage.authentication).toEqual({ type: 'SystemAssignedIdentity' });
    const settings = settingsOf(site);
    expect(Object.keys(settings).filter((k) => k.endsWith('__clientId'))).toEqual([]);
    expect(settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING).toBe('Authorization=AAD');
    expect(site.depends_on).toBeUndefined();
    for (const role of Object.values(resourcesOf(json, 'azurerm_role_assignment')) as any[]) {
      expect(role.principal_id).toBe(`\${azapi_resource.${siteKey}.identity[0].principal_id}`);
    }
    expect(fn.identity).toBeUndefined();
    expect(fn.clientId).toBeUndefined();
  });

  test('an existing user-assigned identity is used, not created', () => {
    const { app, stack } = newStack('existing');
    const service = new WebPubSubService(stack, 'Service', placement);
    const identity = FunctionAppIdentity.fromFunctionAppIdentityAttributes(stack, 'Shared', { identityId: TEST_IDS.identity, clientId: TEST_CLIENT_ID, principalId: TEST_PRINCIPAL_ID });
    const fn = new WebPubSubFunctionApp(stack, 'Fn', { ...placement, identity: AppIdentity.fromIdentity(identity), webPubSubConnections: [{ service }] });
    const { json } = synthStack(app, stack);
    expect(resourcesOf(json, 'azurerm_user_assigned_identity')).toEqual({});
    const [, site] = flexSite(json);
    expect(site.identity).toEqual([{ type: 'UserAssigned', identity_ids: [TEST_IDS.identity] }]);
    expect(site.body.properties.functionAppConfig.deployment.storage.authentication.userAssignedIdentityResourceId).toBe(TEST_IDS.identity);
    expect(settingsOf(site).WebPubSubConnectionString__clientId).toBe(TEST_CLIENT_ID);
    expect(fn.principalId).toBe(TEST_PRINCIPAL_ID);
    expect(fn.identity).toBe(identity);
  });

  test('one identity shared by two apps (on two plans): created once, both apps run as it, each role assigned once', () => {
    const { app, stack } = newStack('shared');
    const service = new WebPubSubService(stack, 'Service', placement);
    const identity = new FunctionAppIdentity(stack, 'Identity', { ...placement, name: 'id-shared' });
    const shared = AppIdentity.fromIdentity(identity);
    new WebPubSubFunctionApp(stack, 'Chat', { ...placement, identity: shared, webPubSubConnections: [{ service }] });
    new WebPubSubFunctionApp(stack, 'Games', { ...placement, hosting: FunctionAppHosting.elasticPremium(), identity: shared, webPubSubConnections: [{ service }] });
    const { json } = synthStack(app, stack);
    const [identityKey] = onlyResource(json, 'azurerm_user_assigned_identity');
    const identityId = `\${azurerm_user_assigned_identity.${identityKey}.id}`;
    const clientId = `\${azurerm_user_assigned_identity.${identityKey}.client_id}`;
    const [, flex] = flexSite(json);
    const [, premium] = onlyResource(json, 'azurerm_linux_function_app');
    expect(flex.identity).toEqual([{ type: 'UserAssigned', identity_ids: [identityId] }]);
    expect(premium.identity).toEqual({ type: 'UserAssigned', identity_ids: [identityId] });
    expect(settingsOf(flex).WebPubSubConnectionString__clientId).toBe(clientId);
    expect(premium.app_settings.WebPubSubConnectionString__clientId).toBe(clientId);
    // Both apps own the same service through the same principal: one assignment, not a 409 at apply.
    const owners = Object.values(resourcesOf(json, 'azurerm_role_assignment')).filter((r: any) => r.role_definition_id.endsWith('12cf5a90-567b-43ae-8102-96cf46c7d9b4'));
    expect(owners).toHaveLength(1);
  });

  test('fromIdentity without an identity (a JavaScript caller) fails instead of creating a new one', () => {
    expect(() => AppIdentity.fromIdentity(undefined as any)).toThrow(/AppIdentity.fromIdentity\(identity\): `identity` must be a user-assigned identity/);
  });
});

describe('connections, monitoring and keys', () => {
  test('one prefix per service when the app talks to several services', () => {
    const { app, stack } = newStack('multi');
    const a = new WebPubSubService(stack, 'A', placement);
    const b = new WebPubSubService(stack, 'B', placement);
    new WebPubSubFunctionApp(stack, 'Fn', { ...placement, webPubSubConnections: [{ service: a }, { service: b, settingPrefix: 'Second' }] });
    const { json } = synthStack(app, stack);
    const settings = settingsOf(flexSite(json)[1]);
    expect(settings.WebPubSubConnectionString__serviceUri).not.toBe(settings.Second__serviceUri);
    const owners = Object.values(resourcesOf(json, 'azurerm_role_assignment')).filter((r: any) => r.role_definition_id.endsWith('12cf5a90-567b-43ae-8102-96cf46c7d9b4'));
    expect(owners).toHaveLength(2);
    const dup = newStack('dup');
    const s = new WebPubSubService(dup.stack, 'S', placement);
    expect(() => new WebPubSubFunctionApp(dup.stack, 'Fn', { ...placement, webPubSubConnections: [{ service: s }, { service: s }] })).toThrow(
      /`webPubSubConnections\[1\].settingPrefix` is already used by another connection; give each service its own prefix, got "WebPubSubConnectionString"/,
    );
  });

  test('the default monitoring is a new Entra-only Application Insights, the same as AppMonitoring.applicationInsights()', () => {
    const created = synthApp().json;
    expect(synthApp({ monitoring: AppMonitoring.applicationInsights() }).json).toEqual(created);
    expect(onlyResource(created, 'azurerm_log_analytics_workspace')[1].local_authentication_enabled).toBe(false);
    expect(onlyResource(created, 'azurerm_application_insights')[1].local_authentication_disabled).toBe(true);
  });

  test('AppMonitoring.applicationInsights(props) passes its options to the new component', () => {
    const { json } = synthApp({ monitoring: AppMonitoring.applicationInsights({ name: 'appi-chat', retentionInDays: 60 }) });
    expect(onlyResource(json, 'azurerm_application_insights')[1].name).toBe('appi-chat');
    expect(onlyResource(json, 'azurerm_log_analytics_workspace')[1].retention_in_days).toBe(60);
  });

  test('monitoring off: no component, workspace, APPLICATIONINSIGHTS settings or publisher role, on Flex and Premium', () => {
    for (const hosting of [FunctionAppHosting.flexConsumption(), FunctionAppHosting.elasticPremium()]) {
      const { fn, json } = synthApp({ hosting, monitoring: AppMonitoring.off() });
      expect(resourcesOf(json, 'azurerm_application_insights')).toEqual({});
      expect(resourcesOf(json, 'azurerm_log_analytics_workspace')).toEqual({});
      expect(JSON.stringify(json)).not.toMatch(/APPLICATIONINSIGHTS|application_insights_connection_string/);
      const publishers = Object.values(resourcesOf(json, 'azurerm_role_assignment')).filter((r: any) => r.role_definition_id.endsWith(MONITORING_METRICS_PUBLISHER));
      expect(publishers).toEqual([]);
      expect(fn.insights).toBeUndefined();
    }
  });

  test('monitoring off leaves APPLICATIONINSIGHTS_* to the app\'s own settings; on, they are refused', () => {
    const { json } = synthApp({ monitoring: AppMonitoring.off(), appSettings: { APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=x' } });
    expect(settingsOf(flexSite(json)[1]).APPLICATIONINSIGHTS_CONNECTION_STRING).toBe('InstrumentationKey=x');
    expect(() => synthApp({ appSettings: { APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=x' } })).toThrow(
      /`appSettings.APPLICATIONINSIGHTS_CONNECTION_STRING` is managed by the library's Application Insights .*use `monitoring: AppMonitoring.fromApplicationInsights\(insights\)` or `monitoring: AppMonitoring.off\(\)`/,
    );
  });

  test('from existing insights: nothing created, its connection string written, the publisher role on it', () => {
    const { app, stack } = newStack('appi');
    const service = new WebPubSubService(stack, 'Service', placement);
    const connectionString = 'InstrumentationKey=x;IngestionEndpoint=https://e';
    const insights = FunctionAppInsights.fromFunctionAppInsightsAttributes(stack, 'Appi', { componentId: TEST_IDS.insights, connectionString });
    const fn = new WebPubSubFunctionApp(stack, 'Fn', { ...placement, monitoring: AppMonitoring.fromApplicationInsights(insights), webPubSubConnections: [{ service }] });
    const existing = synthStack(app, stack).json;
    expect(resourcesOf(existing, 'azurerm_application_insights')).toEqual({});
    expect(resourcesOf(existing, 'azurerm_log_analytics_workspace')).toEqual({});
    const settings = settingsOf(flexSite(existing)[1]);
    expect(settings.APPLICATIONINSIGHTS_CONNECTION_STRING).toBe(connectionString);
    expect(settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING).toMatch(/^Authorization=AAD;ClientId=/);
    const publishers = Object.values(resourcesOf(existing, 'azurerm_role_assignment')).filter((r: any) => r.role_definition_id.endsWith(MONITORING_METRICS_PUBLISHER));
    expect(publishers.map((r: any) => r.scope)).toEqual([TEST_IDS.insights]);
    expect(fn.insights).toBe(insights);
  });

  test('fromApplicationInsights without a component (a JavaScript caller) fails instead of creating a new one', () => {
    expect(() => AppMonitoring.fromApplicationInsights(null as any)).toThrow(/`insights` must be an Application Insights component/);
  });

  test('rotation changes the key keepers, and with them the key write and the webhook activation, nothing else', () => {
    const a = synthApp().json;
    const b = synthApp({ extensionKeyRotation: '2' }).json;
    expect(onlyResource(a, 'random_password')[1].keepers).toMatchObject({ rotation: '1' });
    expect(onlyResource(b, 'random_password')[1].keepers).toMatchObject({ rotation: '2' });
    const strip = (j: any) => JSON.stringify({ ...j.resource, random_password: undefined });
    expect(strip(a)).toBe(strip(b)); // everything else references the password, so it re-runs from the new value
  });
});
