import { FunctionAppHosting } from '../../lib/function-app-hosting';
import { WebPubSubFunctionApp, WebPubSubFunctionAppProps } from '../../lib/web-pubsub-function-app';
import { WebPubSubService } from '../../lib/web-pubsub-service';
import { newStack, onlyResource, resourcesOf, synthStack } from './synth-helpers';

const placement = { resourceGroupName: 'rg-app', location: 'westeurope' };

function synthApp(props: Partial<WebPubSubFunctionAppProps> = {}) {
  const { app, stack } = newStack('app');
  const service = new WebPubSubService(stack, 'Service', placement);
  const fn = new WebPubSubFunctionApp(stack, 'Fn', { ...placement, webPubSubConnections: [{ service }], ...props });
  return { fn, json: synthStack(app, stack).json };
}

describe('WebPubSubFunctionApp hosting plans', () => {
  test('Elastic Premium: linux app on an EP plan, identity host storage, no content share, FTP off', () => {
    const { json } = synthApp({ hosting: FunctionAppHosting.elasticPremium('EP2'), nodeVersion: '20' });
    expect(resourcesOf(json, 'azurerm_function_app_flex_consumption')).toEqual({});
    const [, plan] = onlyResource(json, 'azurerm_service_plan');
    expect(plan).toMatchObject({ sku_name: 'EP2', os_type: 'Linux' });
    const [, fn] = onlyResource(json, 'azurerm_linux_function_app');
    expect(fn).toMatchObject({
      storage_uses_managed_identity: true,
      content_share_force_disabled: true,
      https_only: true,
      ftp_publish_basic_authentication_enabled: false,
      webdeploy_publish_basic_authentication_enabled: false,
    });
    expect(fn.site_config).toMatchObject({ ftps_state: 'Disabled', minimum_tls_version: '1.2', application_stack: { node_version: '20' } });
    expect(fn.storage_account_access_key).toBeUndefined();
    expect(fn.app_settings).toMatchObject({ AzureWebJobsStorage__credential: 'managedidentity', FUNCTIONS_EXTENSION_VERSION: '~4' });
  });

  test('Dedicated: the SKU is validated and used', () => {
    const { json } = synthApp({ hosting: FunctionAppHosting.dedicated('P1v3') });
    expect(onlyResource(json, 'azurerm_service_plan')[1].sku_name).toBe('P1v3');
    expect(() => synthApp({ hosting: FunctionAppHosting.dedicated('Y1') })).toThrow(/`hosting` must be a Linux Dedicated SKU .*got "Y1"/);
  });

  test('an existing plan is used, not created', () => {
    const { json } = synthApp({ existingServicePlanId: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Web/serverFarms/p' });
    expect(resourcesOf(json, 'azurerm_service_plan')).toEqual({});
    expect(onlyResource(json, 'azurerm_function_app_flex_consumption')[1].service_plan_id).toContain('serverFarms/p');
  });

  test('Flex options are passed through and validated', () => {
    const { json } = synthApp({ hosting: FunctionAppHosting.flexConsumption({ maximumInstanceCount: 40, instanceMemoryMb: 4096 }) });
    expect(onlyResource(json, 'azurerm_function_app_flex_consumption')[1]).toMatchObject({ maximum_instance_count: 40, instance_memory_in_mb: 4096 });
    expect(() => synthApp({ hosting: FunctionAppHosting.flexConsumption({ maximumInstanceCount: 5 }) })).toThrow(/`hosting.maximumInstanceCount` must be an integer between 40 and 1000, got 5/);
    expect(() => synthApp({ hosting: FunctionAppHosting.flexConsumption({ instanceMemoryMb: 1024 as any }) })).toThrow(/`hosting.instanceMemoryMb` must be 512, 2048 or 4096, got 1024/);
  });
});

describe('WebPubSubFunctionApp identities', () => {
  test('system-assigned: no clientId settings, roles for the app principal created after the app', () => {
    const { json } = synthApp({ identityType: 'SystemAssigned' });
    expect(resourcesOf(json, 'azurerm_user_assigned_identity')).toEqual({});
    const [appKey, fn] = onlyResource(json, 'azurerm_function_app_flex_consumption');
    expect(fn.identity).toEqual({ type: 'SystemAssigned' });
    expect(fn.storage_authentication_type).toBe('SystemAssignedIdentity');
    expect(Object.keys(fn.app_settings).filter((k) => k.endsWith('__clientId'))).toEqual([]);
    expect(fn.app_settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING).toBe('Authorization=AAD');
    expect(fn.depends_on).toBeUndefined();
    for (const role of Object.values(resourcesOf(json, 'azurerm_role_assignment')) as any[]) {
      expect(role.principal_id).toBe(`\${azurerm_function_app_flex_consumption.${appKey}.identity[0].principal_id}`);
    }
  });

  test('an existing user-assigned identity is used, not created', () => {
    const { json, fn } = synthApp({ existingIdentity: { identityId: '/id/uai', clientId: 'client-1', principalId: 'principal-1' } });
    expect(resourcesOf(json, 'azurerm_user_assigned_identity')).toEqual({});
    const [, app] = onlyResource(json, 'azurerm_function_app_flex_consumption');
    expect(app.identity).toEqual({ type: 'UserAssigned', identity_ids: ['/id/uai'] });
    expect(app.storage_user_assigned_identity_id).toBe('/id/uai');
    expect(app.app_settings.WebPubSubConnectionString__clientId).toBe('client-1');
    expect(fn.principalId).toBe('principal-1');
  });
});

describe('WebPubSubFunctionApp connections, monitoring and keys', () => {
  test('one prefix per service when the app talks to several services', () => {
    const { app, stack } = newStack('multi');
    const a = new WebPubSubService(stack, 'A', placement);
    const b = new WebPubSubService(stack, 'B', placement);
    new WebPubSubFunctionApp(stack, 'Fn', { ...placement, webPubSubConnections: [{ service: a }, { service: b, settingPrefix: 'Second' }] });
    const { json } = synthStack(app, stack);
    const settings = onlyResource(json, 'azurerm_function_app_flex_consumption')[1].app_settings;
    expect(settings.WebPubSubConnectionString__serviceUri).not.toBe(settings.Second__serviceUri);
    const owners = Object.values(resourcesOf(json, 'azurerm_role_assignment')).filter((r: any) => r.role_definition_id.endsWith('12cf5a90-567b-43ae-8102-96cf46c7d9b4'));
    expect(owners).toHaveLength(2);
    const dup = newStack('dup');
    const s = new WebPubSubService(dup.stack, 'S', placement);
    expect(() => new WebPubSubFunctionApp(dup.stack, 'Fn', { ...placement, webPubSubConnections: [{ service: s }, { service: s }] })).toThrow(
      /`webPubSubConnections\[1\].settingPrefix` is already used by another connection; give each service its own prefix, got "WebPubSubConnectionString"/,
    );
  });

  test('Application Insights can be disabled or taken from an existing component', () => {
    const off = synthApp({ applicationInsightsEnabled: false }).json;
    expect(resourcesOf(off, 'azurerm_application_insights')).toEqual({});
    expect(onlyResource(off, 'azurerm_function_app_flex_consumption')[1].app_settings.APPLICATIONINSIGHTS_CONNECTION_STRING).toBeUndefined();
    const existing = synthApp({ existingApplicationInsights: { componentId: '/id/appi', connectionString: 'InstrumentationKey=x;IngestionEndpoint=https://e' } }).json;
    expect(resourcesOf(existing, 'azurerm_application_insights')).toEqual({});
    expect(Object.values(resourcesOf(existing, 'azurerm_role_assignment')).some((r: any) => r.scope === '/id/appi')).toBe(true);
    expect(() => synthApp({ applicationInsightsEnabled: false, applicationInsightsProps: {} })).toThrow(/`applicationInsightsEnabled` cannot be false/);
  });

  test('rotation changes only the key keepers', () => {
    const a = synthApp().json;
    const b = synthApp({ extensionKeyRotation: '2' }).json;
    expect(onlyResource(a, 'random_password')[1].keepers).toEqual({ rotation: '1' });
    expect(onlyResource(b, 'random_password')[1].keepers).toEqual({ rotation: '2' });
    const strip = (j: any) => JSON.stringify({ ...j.resource, random_password: undefined });
    expect(strip(a)).toBe(strip(b));
  });

  test('opt-outs are explicit props', () => {
    const { json } = synthApp({ httpsOnly: false, basicAuthPublishingEnabled: true, minimumTlsVersion: '1.3' });
    const [, fn] = onlyResource(json, 'azurerm_function_app_flex_consumption');
    expect(fn).toMatchObject({ https_only: false, webdeploy_publish_basic_authentication_enabled: true });
    expect(fn.site_config.minimum_tls_version).toBe('1.3');
  });
});
