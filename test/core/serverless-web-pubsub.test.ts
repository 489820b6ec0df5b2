import { TerraformStack, Testing } from 'cdktf';
import { ServerlessWebPubSub } from '../../lib/serverless-web-pubsub';
import { newStack, onlyResource, resourcesOf, synthStack } from './synth-helpers';

function chatTopology(stack: TerraformStack, props: Partial<ConstructorParameters<typeof ServerlessWebPubSub>[2]> = {}) {
  return new ServerlessWebPubSub(stack, 'Chat', {
    resourceGroupProps: { location: 'westeurope' },
    hubs: [{ name: 'chat', systemEvents: ['connect', 'connected', 'disconnected'], userEventPattern: 'message' }],
    ...props,
  });
}

describe('ServerlessWebPubSub: the full topology', () => {
  // GIVEN the default topology, WHEN fully synthesized (validations and all)
  const { app, stack } = newStack('chat');
  const topology = chatTopology(stack);
  const { json } = synthStack(app, stack);
  const [serviceKey, service] = onlyResource(json, 'azurerm_web_pubsub');
  const [appKey, fnApp] = onlyResource(json, 'azurerm_function_app_flex_consumption');
  const [, hub] = onlyResource(json, 'azurerm_web_pubsub_hub');
  const [keyWriteKey, keyWrite] = onlyResource(json, 'azapi_resource_action');
  const [passwordKey, password] = onlyResource(json, 'random_password');
  const [identityKey] = onlyResource(json, 'azurerm_user_assigned_identity');
  const roles = Object.entries(resourcesOf(json, 'azurerm_role_assignment'));

  test('the service is secure by default: local auth off, Entra auth on, Standard_S1 x1', () => {
    expect(service).toMatchObject({ local_auth_enabled: false, aad_auth_enabled: true, sku: 'Standard_S1', capacity: 1 });
    expect(service.name).toMatch(/^wps-[a-z0-9-]+[0-9a-f]{8}$/i);
  });

  test('the hub handler calls the extension webhook on the app default_hostname with the generated key', () => {
    expect(hub.event_handler).toHaveLength(1);
    expect(hub.event_handler[0].url_template).toBe(
      `https://\${azurerm_function_app_flex_consumption.${appKey}.default_hostname}/runtime/webhooks/webpubsub?code=\${random_password.${passwordKey}.result}`,
    );
    expect(hub.event_handler[0]).toMatchObject({ system_events: ['connect', 'connected', 'disconnected'], user_event_pattern: 'message' });
    expect(hub.anonymous_connections_enabled).toBe(false);
    expect(hub.web_pubsub_id).toBe(`\${azurerm_web_pubsub.${serviceKey}.id}`);
  });

  test('the hub waits for the key write; the key write waits for the app and every role of its identity', () => {
    expect(hub.depends_on).toEqual([`azapi_resource_action.${keyWriteKey}`]);
    expect(keyWrite.depends_on).toContain(`azurerm_function_app_flex_consumption.${appKey}`);
    for (const [roleKey] of roles) expect(keyWrite.depends_on).toContain(`azurerm_role_assignment.${roleKey}`);
  });

  test('the key is written as system key webpubsub_extension through ARM (PUT host/default/systemKeys)', () => {
    expect(keyWrite).toMatchObject({
      type: 'Microsoft.Web/sites@2024-04-01',
      resource_id: `\${azurerm_function_app_flex_consumption.${appKey}.id}`,
      action: 'host/default/systemKeys/webpubsub_extension',
      method: 'PUT',
      body: { properties: { name: 'webpubsub_extension', value: `\${random_password.${passwordKey}.result}` } },
    });
    expect(password).toMatchObject({ special: false, keepers: { rotation: '1' } });
    expect(password.length).toBeGreaterThanOrEqual(40);
  });

  test('Web PubSub Service Owner is scoped to the service, for the identity principal, by role GUID', () => {
    const owner = roles.map(([, r]) => r).filter((r) => String(r.role_definition_id).endsWith('12cf5a90-567b-43ae-8102-96cf46c7d9b4'));
    expect(owner).toHaveLength(1);
    expect(owner[0]).toMatchObject({
      scope: `\${azurerm_web_pubsub.${serviceKey}.id}`,
      principal_id: `\${azurerm_user_assigned_identity.${identityKey}.principal_id}`,
      principal_type: 'ServicePrincipal',
    });
    expect(owner[0].role_definition_id).toContain('/providers/Microsoft.Authorization/roleDefinitions/');
  });

  test('the app is created after the roles of its user-assigned identity', () => {
    for (const [roleKey] of roles) expect(fnApp.depends_on).toContain(`azurerm_role_assignment.${roleKey}`);
  });

  test('identity-based Web PubSub settings with the default prefix, and WebPubSubHub for the single hub', () => {
    expect(fnApp.app_settings).toMatchObject({
      WebPubSubConnectionString__serviceUri: `https://\${azurerm_web_pubsub.${serviceKey}.hostname}`,
      WebPubSubConnectionString__credential: 'managedidentity',
      WebPubSubConnectionString__clientId: `\${azurerm_user_assigned_identity.${identityKey}.client_id}`,
      WebPubSubHub: 'chat',
    });
  });

  test('host storage is identity only: no keys in settings, shared keys off on the account', () => {
    const [, account] = onlyResource(json, 'azurerm_storage_account');
    expect(account).toMatchObject({ shared_access_key_enabled: false, min_tls_version: 'TLS1_2', https_traffic_only_enabled: true, allow_nested_items_to_be_public: false });
    expect(fnApp.app_settings).toMatchObject({ AzureWebJobsStorage__credential: 'managedidentity' });
    expect(fnApp.app_settings.AzureWebJobsStorage__clientId).toContain('.client_id}');
    expect(fnApp).toMatchObject({ storage_authentication_type: 'UserAssignedIdentity', storage_container_type: 'blobContainer' });
    expect(fnApp.storage_access_key).toBeUndefined();
    expect(JSON.stringify(json)).not.toMatch(/primary_connection_string|primary_access_key|AccountKey=|AccessKey=/);
  });

  test('the app is HTTPS only with TLS 1.2+, basic-auth publishing off, Node 22 on Flex Consumption', () => {
    expect(fnApp).toMatchObject({ https_only: true, webdeploy_publish_basic_authentication_enabled: false, runtime_name: 'node', runtime_version: '22' });
    expect(fnApp.site_config).toMatchObject({ minimum_tls_version: '1.2' });
    const [, plan] = onlyResource(json, 'azurerm_service_plan');
    expect(plan).toMatchObject({ sku_name: 'FC1', os_type: 'Linux' });
  });

  test('Application Insights is workspace-based, Entra-only, and the identity can publish', () => {
    const [insightsKey, insights] = onlyResource(json, 'azurerm_application_insights');
    expect(insights).toMatchObject({ local_authentication_disabled: true });
    expect(insights.workspace_id).toContain('azurerm_log_analytics_workspace.');
    expect(fnApp.app_settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING).toBe(
      `Authorization=AAD;ClientId=\${azurerm_user_assigned_identity.${identityKey}.client_id}`,
    );
    const publisher = roles.map(([, r]) => r).find((r) => String(r.role_definition_id).endsWith('3913510d-42f4-4e42-8a64-420c390055eb'));
    expect(publisher.scope).toBe(`\${azurerm_application_insights.${insightsKey}.id}`);
  });

  test('exposes what other stacks need as properties', () => {
    expect(topology.hubNames).toEqual(['chat']);
    expect(topology.serviceHostname).toMatch(/^\$\{TfToken/);
    expect(topology.functionApp.defaultHostname).toBeDefined();
    expect(topology.functionApp.clientId).toBeDefined();
  });

  test('the azapi provider is required from Azure/azapi', () => {
    expect(json.terraform.required_providers.azapi).toEqual({ source: 'Azure/azapi', version: '~> 2.3' });
  });
});

describe('ServerlessWebPubSub: determinism and composition', () => {
  test('two synths of the same input give byte-identical cdk.tf.json', () => {
    const first = newStack('chat');
    chatTopology(first.stack);
    const second = newStack('chat');
    chatTopology(second.stack);
    expect(synthStack(first.app, first.stack).text).toBe(synthStack(second.app, second.stack).text);
  });

  test('two topologies in one stack get distinct names and no id collisions', () => {
    const { app, stack } = newStack('two');
    chatTopology(stack);
    new ServerlessWebPubSub(stack, 'Other', { resourceGroupProps: { location: 'westeurope' }, hubs: [{ name: 'chat', userEventPattern: '*' }] });
    const { json } = synthStack(app, stack);
    const names = Object.values(resourcesOf(json, 'azurerm_web_pubsub')).map((r: any) => r.name);
    expect(new Set(names).size).toBe(2);
    const apps = Object.values(resourcesOf(json, 'azurerm_function_app_flex_consumption')).map((r: any) => r.name);
    expect(new Set(apps).size).toBe(2);
  });

  test('existing resource group and existing service are used, not created', () => {
    const { app, stack } = newStack('existing');
    const topology = chatTopology(stack, {
      resourceGroupProps: undefined,
      existingResourceGroup: { name: 'rg-shared', location: 'northeurope' },
      existingWebPubSub: { serviceId: '/subscriptions/0000/resourceGroups/rg-shared/providers/Microsoft.SignalRService/webPubSub/wps1', hostname: 'wps1.webpubsub.azure.com' },
    });
    const { json } = synthStack(app, stack);
    expect(resourcesOf(json, 'azurerm_resource_group')).toEqual({});
    expect(resourcesOf(json, 'azurerm_web_pubsub')).toEqual({});
    const [, hub] = onlyResource(json, 'azurerm_web_pubsub_hub');
    expect(hub.web_pubsub_id).toBe('/subscriptions/0000/resourceGroups/rg-shared/providers/Microsoft.SignalRService/webPubSub/wps1');
    expect(topology.service.serviceName).toBe('wps1');
    const [, fnApp] = onlyResource(json, 'azurerm_function_app_flex_consumption');
    expect(fnApp).toMatchObject({ resource_group_name: 'rg-shared', location: 'northeurope' });
    expect(fnApp.app_settings.WebPubSubConnectionString__serviceUri).toBe('https://wps1.webpubsub.azure.com');
    const owner = Object.values(resourcesOf(json, 'azurerm_role_assignment')).find((r: any) => r.scope.endsWith('/wps1')) as any;
    expect(owner.role_definition_id).toContain('12cf5a90-567b-43ae-8102-96cf46c7d9b4');
  });

  test('a custom connection prefix names every identity setting', () => {
    const { app, stack } = newStack('prefix');
    chatTopology(stack, { connectionSettingPrefix: 'ChatPubSub' });
    const [, fnApp] = onlyResource(synthStack(app, stack).json, 'azurerm_function_app_flex_consumption');
    expect(Object.keys(fnApp.app_settings).filter((k) => k.startsWith('ChatPubSub__')).sort()).toEqual([
      'ChatPubSub__clientId',
      'ChatPubSub__credential',
      'ChatPubSub__serviceUri',
    ]);
    expect(Object.keys(fnApp.app_settings).some((k) => k.startsWith('WebPubSubConnectionString'))).toBe(false);
  });

  test('without a provider for azapi, synth fails naming the missing provider', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'noazapi');
    // Only azurerm and random providers on purpose.
    const { AzurermProvider } = require('@cdktf/provider-azurerm/lib/provider');
    const { RandomProvider } = require('@cdktf/provider-random/lib/provider');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    new RandomProvider(stack, 'random');
    chatTopology(stack);
    expect(() => app.synth()).toThrow(/azapi/);
  });
});

describe('ServerlessWebPubSub: bad input', () => {
  const build = (props: Partial<ConstructorParameters<typeof ServerlessWebPubSub>[2]>) => () => chatTopology(newStack().stack, props);

  test.each([
    [{ existingResourceGroup: { name: 'rg', location: 'westeurope' } }, /`existingResourceGroup` .*mutually exclusive/],
    [{ resourceGroupProps: undefined }, /`resourceGroupProps` or `existingResourceGroup` is required/],
    [{ resourceGroupProps: { location: 'west europe!' } }, /`resourceGroupProps.location` must be an Azure region/],
    [{ resourceGroupProps: { location: 'westeurope', name: 'rg.' } }, /`resourceGroupProps.name` must be a resource group name.*got "rg."/],
    [{ hubs: [] }, /`hubs` must declare at least one hub/],
    [{ hubs: [{ name: 'a', userEventPattern: '*' }, { name: 'a', userEventPattern: '*' }] }, /must not declare hub "a" twice/],
    [{ hubs: [{ name: '1chat', userEventPattern: '*' }] }, /`name` must be a Web PubSub hub name of letters, digits and underscores, starting with a letter, got "1chat"/],
    [{ hubs: [{ name: 'chat', systemEvents: ['connecting' as any] }] }, /`eventHandlers\[0\].systemEvents` must only contain connect, connected, disconnected, got "connecting"/],
    [{ hubs: [{ name: 'chat', userEventPattern: 'a, b' }] }, /`eventHandlers\[0\].userEventPattern` must be "\*", one event name, or comma-separated/],
    [{ existingWebPubSub: { serviceId: 'x', hostname: 'y' }, webPubSubProps: { sku: 'Free_F1' } }, /`existingWebPubSub` .*mutually exclusive/],
    [{ webPubSubProps: { sku: 'Basic_B1' as any } }, /`sku` must be one of Free_F1, Standard_S1, Premium_P1, Premium_P2, got "Basic_B1"/],
    [{ webPubSubProps: { sku: 'Free_F1', capacity: 2 } }, /`capacity` must be one of 1 for sku Free_F1, got 2/],
    [{ webPubSubProps: { sku: 'Premium_P2', capacity: 50 } }, /`capacity` must be one of 100, 200.*for sku Premium_P2, got 50/],
    [{ webPubSubProps: { sku: 'Standard_S1', capacity: 11 } }, /`capacity` must be one of .* for sku Standard_S1, got 11/],
    [{ webPubSubProps: { sku: 'Free_F1', networkAcl: {} } }, /`networkAcl` is not supported on sku Free_F1/],
    [{ webPubSubProps: { name: 'wps_bad' } }, /`name` must be a Web PubSub service name of letters, digits and hyphens.*got "wps_bad"/],
    [{ webPubSubProps: { name: 'ab' } }, /`name` must be a Web PubSub service name of 3-63 characters \(2 given\), got "ab"/],
    [{ functionAppProps: { nodeVersion: '18' as any } }, /`nodeVersion` must be one of 20, 22.*got "18"/],
    [{ functionAppProps: { name: '-fn' } }, /`name` must be a Function App .* name of letters, digits and hyphens/],
    [{ functionAppProps: { identityType: 'SystemAssigned', existingIdentity: { identityId: 'i', clientId: 'c', principalId: 'p' } } }, /`existingIdentity` cannot be combined with identityType SystemAssigned/],
    [{ functionAppProps: { identityName: '-bad' } }, /`name` must be a user-assigned managed identity name of letters, digits, hyphens and underscores, starting with a letter or digit, got "-bad"/],
    [{ functionAppProps: { identityName: 'id-chat', existingIdentity: { identityId: 'i', clientId: 'c', principalId: 'p' } } }, /`existingIdentity` .*mutually exclusive/],
    [{ functionAppProps: { identityType: 'SystemAssigned', identityName: 'id-chat' } }, /`identityName` cannot be combined with identityType SystemAssigned/],
    [{ functionAppProps: { storageProps: { name: 'Has-Upper' } } }, /`name` must be a storage account name of lowercase letters and digits only, got "Has-Upper"/],
    [{ functionAppProps: { existingStorageAccount: { accountId: 'a', accountName: 'b', primaryBlobEndpoint: 'c', primaryQueueEndpoint: 'd', primaryTableEndpoint: 'e' }, storageProps: {} } }, /`existingStorageAccount` .*mutually exclusive/],
    [{ functionAppProps: { appSettings: { WebPubSubHub: 'other' } } }, /`appSettings.WebPubSubHub` is managed by this construct/],
    [{ connectionSettingPrefix: 'Bad__Prefix' }, /`webPubSubConnections\[0\].settingPrefix` must be letters, digits and single underscores/],
  ])('%j fails with a clear error', (props, message) => {
    expect(build(props as any)).toThrow(message);
  });

  test('errors name the construct path', () => {
    expect(build({ webPubSubProps: { sku: 'Free_F1', capacity: 3 } })).toThrow(/^test\/Chat\/WebPubSub: `capacity`/);
  });
});
