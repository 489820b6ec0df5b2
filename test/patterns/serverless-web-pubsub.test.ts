import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformStack, Testing } from 'cdktf';
import { EventHandler } from '../../lib/webpubsub/event-handler';
import { AppIdentity } from '../../lib/functions/app-identity';
import { AppMonitoring } from '../../lib/functions/app-monitoring';
import { FunctionAppHosting } from '../../lib/functions/function-app-hosting';
import { FunctionAppIdentity } from '../../lib/functions/function-app-identity';
import { FunctionHostStorage } from '../../lib/functions/function-host-storage';
import { ServerlessWebPubSub } from '../../lib/patterns/serverless-web-pubsub';
import { WebPubSubService } from '../../lib/webpubsub/web-pubsub-service';
import { cleanupTempDirs } from '../code/helpers';
import { codeOf, httpHandlersSource, httpProject } from '../core/handler-fixtures';
import { flexSiteOf, flexSitesOf, newStack, onlyResource, resourcesOf, siteSettings, synthStack, TEST_CLIENT_ID, TEST_IDS, TEST_PRINCIPAL_ID } from '../core/synth-helpers';

afterAll(cleanupTempDirs);

// The chat hub's handlers as Flex Consumption (the default plan) serves them: one HTTP function registered by
// registerWebPubSubHandlers (connect, connected, disconnected, user `message`), bundled for real.
const CHAT_EVENTS = httpHandlersSource('chat', ['connect', 'connected', 'disconnected'], ['message']);
let chatProject: string | undefined;
const chatCode = (stack: TerraformStack, id = 'Code') => codeOf(stack, (chatProject ??= httpProject(CHAT_EVENTS)), id);

function chatTopology(stack: TerraformStack, props: Partial<ConstructorParameters<typeof ServerlessWebPubSub>[2]> = {}, id = 'Chat') {
  return new ServerlessWebPubSub(stack, id, {
    resourceGroupProps: { location: 'westeurope' },
    hubs: [{ name: 'chat', systemEvents: ['connect', 'connected', 'disconnected'], userEventPattern: 'message' }],
    ...props,
    functionAppProps: { code: chatCode(stack, `${id}Code`), ...props.functionAppProps },
  });
}

describe('ServerlessWebPubSub: the full topology', () => {
  // GIVEN the default topology, WHEN fully synthesized (validations and all)
  const { app, stack } = newStack('chat');
  const topology = chatTopology(stack);
  const { json } = synthStack(app, stack);
  const [serviceKey, service] = onlyResource(json, 'azurerm_web_pubsub');
  const [appKey, fnApp] = flexSiteOf(json);
  const settings = siteSettings(fnApp);
  const [, hub] = onlyResource(json, 'azurerm_web_pubsub_hub');
  const [keyWriteKey, keyWrite] = onlyResource(json, 'azapi_resource_action');
  const [activationKey] = Object.entries(resourcesOf(json, 'terraform_data')).find(([, d]: any) => d.provisioner?.[0]['local-exec'].command.endsWith('activate-webhook'))!;
  const [passwordKey, password] = onlyResource(json, 'random_password');
  const [identityKey] = onlyResource(json, 'azurerm_user_assigned_identity');
  const roles = Object.entries(resourcesOf(json, 'azurerm_role_assignment'));

  test('resourceGroup is the created group, and every part is placed with it', () => {
    const [groupKey] = onlyResource(json, 'azurerm_resource_group');
    expect(topology.resourceGroup).toBe(topology.resourceGroupResource);
    expect(service).toMatchObject({ resource_group_name: `\${azurerm_resource_group.${groupKey}.name}`, location: `\${azurerm_resource_group.${groupKey}.location}` });
    expect(fnApp.location).toBe(`\${azurerm_resource_group.${groupKey}.location}`);
  });

  test('the service is secure by default: local auth off, Entra auth on, Standard_S1 x1', () => {
    expect(service).toMatchObject({ local_auth_enabled: false, aad_auth_enabled: true, sku: 'Standard_S1', capacity: 1 });
    expect(service.name).toMatch(/^wps-[A-Za-z0-9-]+-[0-9a-f]{6}-\$\{random_string\.[A-Za-z0-9_]+\.result\}$/);
  });

  test('the hub handler calls the code\'s HTTP handler function on the app\'s default host name (from ARM) with the generated app key', () => {
    expect(hub.event_handler).toHaveLength(1);
    expect(hub.event_handler[0].url_template).toBe(
      `https://\${azapi_resource.${appKey}.output.properties.defaultHostName}/api/webpubsub/chat/{event}?code=\${random_password.${passwordKey}.result}`,
    );
    expect(hub.event_handler[0]).toMatchObject({ system_events: ['connect', 'connected', 'disconnected'], user_event_pattern: 'message' });
    expect(hub.anonymous_connections_enabled).toBe(false);
    expect(hub.web_pubsub_id).toBe(`\${azurerm_web_pubsub.${serviceKey}.id}`);
  });

  const ownerRoleKey = roles.find(([, r]) => String(r.scope).includes('azurerm_web_pubsub.'))![0];
  const hostRoleKeys = roles.map(([k]) => k).filter((k) => k !== ownerRoleKey);

  test('the hub waits until the app serves the key; the key write waits for the app and its host roles; the activation also for the role on the service', () => {
    expect(hub.depends_on).toEqual([`terraform_data.${activationKey}`]);
    expect(resourcesOf(json, 'terraform_data')[activationKey].depends_on).toEqual([`azapi_resource_action.${keyWriteKey}`, `azurerm_role_assignment.${ownerRoleKey}`]);
    expect(keyWrite.depends_on).toContain(`azapi_resource.${appKey}`);
    expect(hostRoleKeys).toHaveLength(3);
    for (const roleKey of hostRoleKeys) expect(keyWrite.depends_on).toContain(`azurerm_role_assignment.${roleKey}`);
  });

  test('the key is written as app key webpubsub_upstream through ARM (PUT host/default/functionKeys); no system key on Flex', () => {
    expect(keyWrite).toMatchObject({
      type: 'Microsoft.Web/sites@2024-04-01',
      resource_id: `\${azapi_resource.${appKey}.id}`,
      action: 'host/default/functionKeys/webpubsub_upstream',
      method: 'PUT',
      body: { properties: { name: 'webpubsub_upstream', value: `\${random_password.${passwordKey}.result}` } },
    });
    expect(topology.functionApp.webPubSubExtensionKey).toBeUndefined();
    expect(JSON.stringify(json)).not.toMatch(/systemKeys|webpubsub_extension/);
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

  test('the app is created after the host roles of its user-assigned identity, not after the service or its role there', () => {
    expect([...fnApp.depends_on].sort()).toEqual(hostRoleKeys.map((k) => `azurerm_role_assignment.${k}`).sort());
    expect(JSON.stringify(fnApp)).not.toContain('azurerm_web_pubsub.');
  });

  test('identity-based Web PubSub settings with the default prefix (the host name built from the service name), and WebPubSubHub for the single hub', () => {
    const [suffixKey] = onlyResource(json, 'random_string');
    expect(settings).toMatchObject({
      WebPubSubConnectionString__serviceUri: `https://${service.name.replace(/^(.*?)\$\{.*$/, '$1').toLowerCase()}\${lower(random_string.${suffixKey}.result)}.webpubsub.azure.com`,
      WebPubSubConnectionString__credential: 'managedidentity',
      WebPubSubConnectionString__clientId: `\${azurerm_user_assigned_identity.${identityKey}.client_id}`,
      WebPubSubHub: 'chat',
    });
  });

  test('host storage is identity only: no keys in settings, shared keys off on the account', () => {
    const [, account] = onlyResource(json, 'azurerm_storage_account');
    expect(account).toMatchObject({ shared_access_key_enabled: false, min_tls_version: 'TLS1_2', https_traffic_only_enabled: true, allow_nested_items_to_be_public: false });
    expect(settings).toMatchObject({ AzureWebJobsStorage__credential: 'managedidentity' });
    expect(settings.AzureWebJobsStorage__clientId).toContain('.client_id}');
    expect(settings.AzureWebJobsStorage).toBeUndefined();
    expect(fnApp.body.properties.functionAppConfig.deployment.storage).toMatchObject({ type: 'blobContainer', authentication: { type: 'UserAssignedIdentity' } });
    expect(JSON.stringify(json)).not.toMatch(/primary_connection_string|primary_access_key|AccountKey=|AccessKey=/);
  });

  test('the app is HTTPS only with TLS 1.2+, basic-auth publishing off, Node 22 on Flex Consumption', () => {
    expect(fnApp.body.properties).toMatchObject({ httpsOnly: true, functionAppConfig: { runtime: { name: 'node', version: '22' } } });
    expect(fnApp.body.properties.siteConfig).toMatchObject({ minTlsVersion: '1.2', scmMinTlsVersion: '1.2' });
    expect(Object.values(resourcesOf(json, 'azapi_update_resource')).some((r: any) => r.resource_id.endsWith('/scm') && r.body.properties.allow === false)).toBe(true);
    const [, plan] = onlyResource(json, 'azurerm_service_plan');
    expect(plan).toMatchObject({ sku_name: 'FC1', os_type: 'Linux' });
  });

  test('Application Insights is workspace-based, Entra-only, and the identity can publish', () => {
    const [insightsKey, insights] = onlyResource(json, 'azurerm_application_insights');
    expect(insights).toMatchObject({ local_authentication_disabled: true });
    expect(insights.workspace_id).toContain('azurerm_log_analytics_workspace.');
    expect(settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING).toBe(
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
    expect(json.terraform.required_providers.azapi.source).toBe('Azure/azapi');
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

  test("on Free_F1 (the README's way to run the quick start without the Standard unit): the same topology with the service on one Free unit, no network ACL", () => {
    // GIVEN the default topology and the same one with webPubSubProps.sku 'Free_F1'
    const standard = newStack('chat');
    chatTopology(standard.stack);
    const free = newStack('chat');
    chatTopology(free.stack, { webPubSubProps: { sku: 'Free_F1' } });

    // WHEN both are synthesized (validations and all)
    const standardJson = synthStack(standard.app, standard.stack).json;
    const freeJson = synthStack(free.app, free.stack).json;

    // THEN only the service's SKU differs: same resources (no network ACL, which Free_F1 refuses), same hub handler
    const addresses = (json: any) => Object.entries(json.resource).flatMap(([type, byName]) => Object.keys(byName as object).map((name) => `${type}.${name}`)).sort();
    expect(addresses(freeJson)).toEqual(addresses(standardJson));
    expect(Object.keys(freeJson.resource)).not.toContain('azurerm_web_pubsub_network_acl');
    const [, freeService] = onlyResource(freeJson, 'azurerm_web_pubsub');
    const [, standardService] = onlyResource(standardJson, 'azurerm_web_pubsub');
    expect(freeService).toMatchObject({ sku: 'Free_F1', capacity: 1, local_auth_enabled: false, aad_auth_enabled: true });
    expect({ ...freeService, sku: 'Standard_S1' }).toEqual(standardService);
    expect(onlyResource(freeJson, 'azurerm_web_pubsub_hub')[1]).toEqual(onlyResource(standardJson, 'azurerm_web_pubsub_hub')[1]);
  });

  test('two topologies in one stack get distinct names and no id collisions', () => {
    const { app, stack } = newStack('two');
    chatTopology(stack);
    chatTopology(stack, { hubs: [{ name: 'chat' }] }, 'Other'); // routing from the code
    const { json } = synthStack(app, stack);
    const names = Object.values(resourcesOf(json, 'azurerm_web_pubsub')).map((r: any) => r.name);
    expect(new Set(names).size).toBe(2);
    const apps = flexSitesOf(json).map(([, r]) => r.name);
    expect(new Set(apps).size).toBe(2);
  });

  test('existing resource group and existing service are used, not created', () => {
    const { app, stack } = newStack('existing');
    const topology = chatTopology(stack, {
      resourceGroupProps: undefined,
      existingResourceGroup: { name: 'rg-shared', location: 'northeurope' },
      existingWebPubSub: WebPubSubService.fromWebPubSubServiceAttributes(stack, 'Shared', {
        serviceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shared/providers/Microsoft.SignalRService/webPubSub/wps1',
        hostname: 'wps1.webpubsub.azure.com',
      }),
    });
    const { json } = synthStack(app, stack);
    expect(resourcesOf(json, 'azurerm_resource_group')).toEqual({});
    expect(resourcesOf(json, 'azurerm_web_pubsub')).toEqual({});
    const [, hub] = onlyResource(json, 'azurerm_web_pubsub_hub');
    expect(hub.web_pubsub_id).toBe('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shared/providers/Microsoft.SignalRService/webPubSub/wps1');
    expect(topology.service.serviceName).toBe('wps1');
    expect(topology.resourceGroup).toEqual({ name: 'rg-shared', location: 'northeurope' });
    const [, fnApp] = flexSiteOf(json);
    expect(fnApp).toMatchObject({ location: 'northeurope' });
    expect(fnApp.parent_id).toMatch(/\/resourceGroups\/rg-shared$/);
    expect(siteSettings(fnApp).WebPubSubConnectionString__serviceUri).toBe('https://wps1.webpubsub.azure.com');
    const owner = Object.values(resourcesOf(json, 'azurerm_role_assignment')).find((r: any) => r.scope.endsWith('/wps1')) as any;
    expect(owner.role_definition_id).toContain('12cf5a90-567b-43ae-8102-96cf46c7d9b4');
  });

  test('an azurerm ResourceGroup as existingResourceGroup: no group created, every part placed with it, passed on as resourceGroup', () => {
    const { app, stack } = newStack('rgobject');
    const group = new ResourceGroup(stack, 'Group', { name: 'rg-platform', location: 'northeurope' });
    const topology = chatTopology(stack, { resourceGroupProps: undefined, existingResourceGroup: group });
    const { json } = synthStack(app, stack);
    expect(Object.keys(resourcesOf(json, 'azurerm_resource_group'))).toEqual(['Group']);
    expect(topology.resourceGroup).toBe(group);
    expect(topology.resourceGroupResource).toBeUndefined();
    expect(onlyResource(json, 'azurerm_web_pubsub')[1]).toMatchObject({ resource_group_name: '${azurerm_resource_group.Group.name}', location: '${azurerm_resource_group.Group.location}' });
    expect(onlyResource(json, 'azurerm_storage_account')[1]).toMatchObject({ resource_group_name: '${azurerm_resource_group.Group.name}', location: '${azurerm_resource_group.Group.location}' });
    const [, fnApp] = flexSiteOf(json);
    expect(fnApp.location).toBe('${azurerm_resource_group.Group.location}');
    expect(fnApp.parent_id).toMatch(/\/resourceGroups\/\$\{azurerm_resource_group\.Group\.name\}$/);
  });

  test('tags of a part add to the topology\'s tags (and win on the same key)', () => {
    const { app, stack } = newStack('tags');
    chatTopology(stack, { tags: { team: 'chat', env: 'dev' }, functionAppProps: { tags: { env: 'prod', cost: 'x' } }, webPubSubProps: { tags: { tier: 's1' } } });
    const { json } = synthStack(app, stack);
    expect(flexSiteOf(json)[1].tags).toEqual({ team: 'chat', env: 'prod', cost: 'x' });
    expect(onlyResource(json, 'azurerm_web_pubsub')[1].tags).toEqual({ team: 'chat', env: 'dev', tier: 's1' });
  });

  test('a custom connection prefix names every identity setting', () => {
    const { app, stack } = newStack('prefix');
    // The code's webPubSubContext input names the same prefix (its default would be WebPubSubConnectionString).
    const code = codeOf(stack, httpProject(httpHandlersSource('chat', ['connect', 'connected', 'disconnected'], ['message'], " connections: ['ChatPubSub'],")), 'PrefixCode');
    chatTopology(stack, { connectionSettingPrefix: 'ChatPubSub', functionAppProps: { code } });
    const settings = siteSettings(flexSiteOf(synthStack(app, stack).json)[1]);
    expect(Object.keys(settings).filter((k) => k.startsWith('ChatPubSub__')).sort()).toEqual([
      'ChatPubSub__clientId',
      'ChatPubSub__credential',
      'ChatPubSub__serviceUri',
    ]);
    expect(Object.keys(settings).some((k) => k.startsWith('WebPubSubConnectionString'))).toBe(false);
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
  // Placeholders for existing resources, made in the test's stack: 'SERVICE', 'IDENTITY', 'STORAGE'.
  const build = (props: any) => () => {
    const { stack } = newStack();
    const existing: Record<string, () => unknown> = {
      SERVICE: () => WebPubSubService.fromWebPubSubServiceAttributes(stack, 'Svc', { serviceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/r/providers/Microsoft.SignalRService/webPubSub/w', hostname: 'w.webpubsub.azure.com' }),
      IDENTITY: () => FunctionAppIdentity.fromFunctionAppIdentityAttributes(stack, 'Id', { identityId: TEST_IDS.identity, clientId: TEST_CLIENT_ID, principalId: TEST_PRINCIPAL_ID }),
      STORAGE: () => FunctionHostStorage.fromFunctionHostStorageAttributes(stack, 'St', { accountId: TEST_IDS.storage, accountName: 'stshared' }),
    };
    const resolve = (v: any): any =>
      typeof v === 'string' && existing[v] ? existing[v]() : Array.isArray(v) ? v.map(resolve) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)])) : v;
    return chatTopology(stack, resolve(props));
  };

  test.each([
    [{ existingResourceGroup: { name: 'rg', location: 'westeurope' } }, /`existingResourceGroup` .*mutually exclusive/],
    [{ resourceGroupProps: undefined }, /`resourceGroupProps` or `existingResourceGroup` is required/],
    [{ resourceGroupProps: { location: 'west europe!' } }, /`resourceGroupProps.location` must be an Azure region/],
    [{ resourceGroupProps: { location: 'westeurope', name: 'rg.' } }, /`resourceGroupProps.name` must be a resource group name.*got "rg."/],
    [{ resourceGroupProps: undefined, existingResourceGroup: { name: 'rg.', location: 'westeurope' } }, /`existingResourceGroup.name` must be a resource group name.*got "rg."/],
    [{ resourceGroupProps: undefined, existingResourceGroup: { name: 'rg', location: 'west europe!' } }, /`existingResourceGroup.location` must be an Azure region/],
    [{ resourceGroupProps: {} }, /^test\/Chat: `resourceGroupProps.location` is required/],
    [{ resourceGroupProps: undefined, existingResourceGroup: { name: 'rg' } }, /^test\/Chat: `existingResourceGroup.location` is required/],
    // A second group slipped into a part's props would be silently overridden (or win): refused.
    [{ webPubSubProps: { resourceGroup: { name: 'other', location: 'eastus' } } }, /`webPubSubProps.resourceGroup` is set by the topology/],
    [{ functionAppProps: { resourceGroup: { name: 'other', location: 'eastus' } } }, /`functionAppProps.resourceGroup` is set by the topology/],
    [{ functionAppProps: { storageProps: { resourceGroup: { name: 'other', location: 'eastus' } } } }, /Chat\/FunctionApp: `storageProps.resourceGroup` is set by the app/],
    [{ functionAppProps: { monitoring: AppMonitoring.applicationInsights({ resourceGroup: { name: 'other', location: 'eastus' } } as any) } }, /Chat\/FunctionApp: `monitoring.resourceGroup` is set by the app/],
    // Spread or JavaScript: a part's own region would otherwise be ignored silently.
    [{ webPubSubProps: { location: 'northeurope' } }, /Chat\/WebPubSub: `location` was replaced by one prop per concept; use `resourceGroup: \{ name, location \} \(or an azurerm ResourceGroup\)`, got "northeurope"/],
    [{ functionAppProps: { resourceGroupName: 'rg-other' } }, /Chat\/FunctionApp: `resourceGroupName` was replaced by one prop per concept; use `resourceGroup: /],
    [{ functionAppProps: { storageProps: { location: 'northeurope' } } }, /Chat\/FunctionApp\/Storage: `location` was replaced by one prop per concept; use `resourceGroup: /],
    [{ hubs: [] }, /`hubs` must declare at least one hub/],
    [{ hubs: [{ name: 'a', userEventPattern: '*' }, { name: 'a', userEventPattern: '*' }] }, /must not declare hub "a" twice/],
    [{ hubs: [{ name: 'Chat', userEventPattern: '*' }, { name: 'chat', userEventPattern: '*' }] }, /must not declare hub "chat" twice \(hub names are case-insensitive\)/],
    [{ hubs: [{ name: '1chat', userEventPattern: '*' }] }, /`hubs\[0\].name` must be a Web PubSub hub name of .*starting with a letter, got "1chat"/],
    [{ hubs: [{ name: 'chat', systemEvents: ['connecting' as any] }] }, /`eventHandlers\[0\].systemEvents` must only contain connect, connected, disconnected, got "connecting"/],
    [{ hubs: [{ name: 'chat', userEventPattern: 'a,,b' }] }, /`eventHandlers\[0\].userEventPattern`/],
    [{ existingWebPubSub: 'SERVICE', webPubSubProps: { sku: 'Free_F1' } }, /`existingWebPubSub` .*mutually exclusive/],
    [{ webPubSubProps: { sku: 'Basic_B1' as any } }, /`sku` must be one of Free_F1, Standard_S1, Premium_P1, Premium_P2, got "Basic_B1"/],
    [{ webPubSubProps: { sku: 'Free_F1', capacity: 2 } }, /`capacity` must be one of 1 for sku Free_F1, got 2/],
    [{ webPubSubProps: { sku: 'Premium_P2', capacity: 50 } }, /`capacity` must be one of 100, 200.*for sku Premium_P2, got 50/],
    [{ webPubSubProps: { sku: 'Standard_S1', capacity: 11 } }, /`capacity` must be one of .* for sku Standard_S1, got 11/],
    [{ webPubSubProps: { sku: 'Free_F1', networkAcl: {} } }, /`networkAcl` is not supported on sku Free_F1/],
    [{ webPubSubProps: { name: 'wps_bad' } }, /`name` must be a Web PubSub service name of letters, digits and hyphens.*got "wps_bad"/],
    [{ webPubSubProps: { name: 'ab' } }, /`name` must be a Web PubSub service name of 3-63 characters \(2 given\), got "ab"/],
    [{ functionAppProps: { nodeVersion: '18' as any } }, /`nodeVersion` must be one of "20", "22".*got "18"/],
    [{ functionAppProps: { name: '-fn' } }, /`name` must be a Function App .* name of letters, digits and hyphens/],
    [{ functionAppProps: { identity: AppIdentity.userAssigned({ name: '-bad' }) } }, /^test\/Chat\/FunctionApp: `identity.name` must be a user-assigned managed identity name of letters, digits, hyphens and underscores, starting with a letter or digit, got "-bad"/],
    [{ functionAppProps: { identity: AppIdentity.userAssigned({ name: '' }) } }, /`identity.name` must be a user-assigned managed identity name of 3-128 characters \(0 given\), got ""/],
    [{ functionAppProps: { identity: 'SystemAssigned' } }, /`identity` must be AppIdentity.userAssigned\(\), AppIdentity.fromIdentity\(identity\) or AppIdentity.systemAssigned\(\), got "SystemAssigned"/],
    [{ functionAppProps: { monitoring: false } }, /`monitoring` must be AppMonitoring.applicationInsights\(\), AppMonitoring.fromApplicationInsights\(insights\) or AppMonitoring.off\(\), got false/],
    [{ functionAppProps: { identityType: 'SystemAssigned' } }, /`identityType` was replaced by one prop per concept; use `identity: AppIdentity.systemAssigned\(\)/],
    [{ functionAppProps: { existingIdentity: 'IDENTITY' } }, /`existingIdentity` was replaced by one prop per concept; use `identity: AppIdentity.fromIdentity\(identity\)`/],
    [{ functionAppProps: { identityName: 'id-chat' } }, /`identityName` was replaced by one prop per concept; use `identity: AppIdentity.userAssigned\(\{ name \}\)`/],
    [{ functionAppProps: { applicationInsightsEnabled: false } }, /`applicationInsightsEnabled` was replaced by one prop per concept; use `monitoring: AppMonitoring.off\(\)`/],
    [{ functionAppProps: { existingApplicationInsights: 'INSIGHTS' } }, /`existingApplicationInsights` was replaced .*AppMonitoring.fromApplicationInsights\(insights\)/],
    [{ functionAppProps: { applicationInsightsProps: { retentionInDays: 60 } } }, /`applicationInsightsProps` was replaced .*AppMonitoring.applicationInsights\(props\)/],
    [{ functionAppProps: { monitoring: AppMonitoring.applicationInsights({ retentionInDays: 7 }) } }, /^test\/Chat\/FunctionApp\/Insights: `retentionInDays` must be an integer between 30 and 730/],
    [{ functionAppProps: { appSettings: { APPLICATIONINSIGHTS_CONNECTION_STRING: 'x' } } }, /`appSettings.APPLICATIONINSIGHTS_CONNECTION_STRING` is managed by the library's Application Insights .*AppMonitoring.off\(\)/],
    [{ functionAppProps: { storageProps: { name: 'Has-Upper' } } }, /`name` must be a storage account name of lowercase letters and digits only, got "Has-Upper"/],
    [{ functionAppProps: { existingStorage: 'STORAGE', storageProps: {} } }, /`existingStorage` .*mutually exclusive/],
    [{ hubs: [{ name: 'chat', userEventPattern: '*', eventHandlers: [] }] }, /`hubs\[0\].userEventPattern` only applies to the default handler and would be ignored because `eventHandlers` is given/],
    [{ functionAppProps: { appSettings: { WebPubSubHub: 'other' } } }, /`appSettings.WebPubSubHub` is managed by this construct/],
    [{ connectionSettingPrefix: 'Bad__Prefix' }, /`webPubSubConnections\[0\].settingPrefix` must be letters, digits and single underscores/],
  ])('%j fails with a clear error', (props, message) => {
    expect(build(props as any)).toThrow(message);
  });

  test('errors name the construct path', () => {
    expect(build({ webPubSubProps: { sku: 'Free_F1', capacity: 3 } })).toThrow(/^test\/Chat\/WebPubSub: `capacity`/);
  });
});

/** The activation step (`activate-webhook`) and its environment. */
function activationOf(json: any): [string, any, Record<string, string>] {
  const found = Object.entries(resourcesOf(json, 'terraform_data')).filter(([, d]: any) => d.provisioner?.[0]['local-exec'].command.endsWith(' activate-webhook'));
  if (found.length !== 1) throw new Error(`expected one activate-webhook step, found ${found.length}`);
  const [key, step] = found[0] as [string, any];
  return [key, step, step.provisioner[0]['local-exec'].environment];
}
const keyWrites = (json: any): Record<string, any> => resourcesOf(json, 'azapi_resource_action');
const passwordOf = (json: any, keyConstruct: string): string => {
  const found = Object.keys(resourcesOf(json, 'random_password')).filter((k) => k.includes(`_${keyConstruct}_`));
  if (found.length !== 1) throw new Error(`expected one random_password of ${keyConstruct}, found ${found.length}`);
  return found[0];
};
const TRIGGER = (name: string, hub: string, eventType: string, eventName: string) =>
  `app.generic(${JSON.stringify(name)}, { trigger: trigger.generic({ type: 'webPubSubTrigger', name: 'request', hub: ${JSON.stringify(hub)}, eventType: '${eventType}', eventName: '${eventName}' }), handler: () => ({}) });`;
// Microsoft's simplechat-wpscontext_v4 sample (Azure/azure-webpubsub samples/functions/js/simplechat-wpscontext_v4): one
// HTTP function per event, each reading the request with the webPubSubContext input, and `validate` answering the
// service's OPTIONS check; here with authLevel 'function' (the key is the guard).
const WPS_CONTEXT_SAMPLE = ['validate', 'connect', 'message']
  .map(
    (name) => `app.http(${JSON.stringify(name)}, {
  methods: [${name === 'validate' ? "'OPTIONS'" : "'POST'"}],
  authLevel: 'function',
  route: ${JSON.stringify(name)},
  extraInputs: [input.webPubSubContext({ name: 'wpsReq' })],
  handler: () => ({ status: 200 }),
});`,
  )
  .join('\n');

describe('Web PubSub events per plan, on the synthesized JSON', () => {
  function synthTopology(dir: string, props: Partial<ConstructorParameters<typeof ServerlessWebPubSub>[2]> = {}, hubs: any[] = [{ name: 'chat' }]) {
    const { app, stack } = newStack('events');
    const topology = new ServerlessWebPubSub(stack, 'Chat', {
      resourceGroupProps: { location: 'westeurope' },
      hubs,
      ...props,
      functionAppProps: { code: codeOf(stack, dir), ...props.functionAppProps },
    });
    return { app, stack, topology, synth: () => synthStack(app, stack).json };
  }

  test('Flex + registerWebPubSubHandlers: the HTTP URL with the app key, routed as declared, after the activation, which probes the validate URL', () => {
    const { synth } = synthTopology(httpProject(httpHandlersSource('chat', ['connect', 'disconnected'], ['message', 'typing'])));
    const json = synth();
    const [siteKey] = flexSiteOf(json);
    const passwordKey = passwordOf(json, 'WebPubSubUpstreamKey');
    const [, hub] = onlyResource(json, 'azurerm_web_pubsub_hub');
    expect(hub.event_handler).toEqual([
      {
        url_template: `https://\${azapi_resource.${siteKey}.output.properties.defaultHostName}/api/webpubsub/chat/{event}?code=\${random_password.${passwordKey}.result}`,
        system_events: ['connect', 'disconnected'],
        user_event_pattern: 'message,typing',
      },
    ]);
    const [activationKey, activation, env] = activationOf(json);
    expect(hub.depends_on).toEqual([`terraform_data.${activationKey}`]);
    // One key write: the app key; no system key on Flex.
    const writes = Object.entries(keyWrites(json));
    expect(writes.map(([, w]) => [w.action, w.method])).toEqual([['host/default/functionKeys/webpubsub_upstream', 'PUT']]);
    expect(writes[0][0]).toMatch(/WebPubSubUpstreamKey/);
    expect(writes.some(([, w]) => String(w.action).includes('systemKeys'))).toBe(false);
    expect(activation.depends_on).toEqual([`azapi_resource_action.${writes[0][0]}`, expect.stringMatching(/^azurerm_role_assignment\..*WebPubSubServiceOwner/)]);
    expect(JSON.parse(env.CDKTF_AZURE_WEBPUBSUB_WEBHOOKS)).toEqual([
      { kind: 'httpFunction', path: '/api/webpubsub/chat/validate', keyType: 'functionKeys', keyName: 'webpubsub_upstream', hubs: ['chat'] },
    ]);
    expect(env.CDKTF_AZURE_WEBPUBSUB_HOSTING).toBe('FlexConsumption');
    expect(env.CDKTF_AZURE_WEBPUBSUB_PROBE).toBeUndefined();
    expect(activation.triggers_replace.key_sha256).toBe(`\${sha256(join(",", [random_password.${passwordKey}.result]))}`);
    expect(JSON.parse(activation.triggers_replace.webhooks)).toEqual(JSON.parse(env.CDKTF_AZURE_WEBPUBSUB_WEBHOOKS));
  });

  test('Premium + triggers: the extension webhook URL with the system key; the activation probes the extension webhook', () => {
    const dir = httpProject(TRIGGER('connect', 'chat', 'system', 'connect'), TRIGGER('message', 'chat', 'user', 'message'));
    const { synth } = synthTopology(dir, { functionAppProps: { hosting: FunctionAppHosting.elasticPremium() } });
    const json = synth();
    const [appKey] = onlyResource(json, 'azurerm_linux_function_app');
    const passwordKey = passwordOf(json, 'WebPubSubExtensionKey');
    const [, hub] = onlyResource(json, 'azurerm_web_pubsub_hub');
    expect(hub.event_handler).toEqual([
      {
        url_template: `https://\${azurerm_linux_function_app.${appKey}.default_hostname}/runtime/webhooks/webpubsub?code=\${random_password.${passwordKey}.result}`,
        system_events: ['connect'],
        user_event_pattern: 'message',
      },
    ]);
    const [activationKey, , env] = activationOf(json);
    expect(hub.depends_on).toEqual([`terraform_data.${activationKey}`]);
    expect(Object.values(keyWrites(json)).map((w: any) => w.action)).toEqual(['host/default/systemKeys/webpubsub_extension']);
    expect(JSON.parse(env.CDKTF_AZURE_WEBPUBSUB_WEBHOOKS)).toEqual([
      { kind: 'extensionWebhook', path: '/runtime/webhooks/webpubsub', keyType: 'systemKeys', keyName: 'webpubsub_extension', hubs: ['chat'] },
    ]);
    expect(env.CDKTF_AZURE_WEBPUBSUB_HOSTING).toBe('ElasticPremium');
  });

  test('Premium + registerWebPubSubHandlers: the HTTP URL with the app key (the HTTP path on every plan)', () => {
    const { synth } = synthTopology(httpProject(httpHandlersSource('chat', ['connect'], ['message'])), { functionAppProps: { hosting: FunctionAppHosting.elasticPremium() } });
    const json = synth();
    const [appKey] = onlyResource(json, 'azurerm_linux_function_app');
    const passwordKey = passwordOf(json, 'WebPubSubUpstreamKey');
    const [, hub] = onlyResource(json, 'azurerm_web_pubsub_hub');
    expect(hub.event_handler).toEqual([
      {
        url_template: `https://\${azurerm_linux_function_app.${appKey}.default_hostname}/api/webpubsub/chat/{event}?code=\${random_password.${passwordKey}.result}`,
        system_events: ['connect'],
        user_event_pattern: 'message',
      },
    ]);
    const [, , env] = activationOf(json);
    expect(JSON.parse(env.CDKTF_AZURE_WEBPUBSUB_WEBHOOKS)).toEqual([
      { kind: 'httpFunction', path: '/api/webpubsub/chat/validate', keyType: 'functionKeys', keyName: 'webpubsub_upstream', hubs: ['chat'] },
    ]);
    expect(env.CDKTF_AZURE_WEBPUBSUB_HOSTING).toBe('ElasticPremium');
  });

  test('Flex + webPubSubTrigger code fails at synth naming the issue and both ways out; with webPubSubTriggersOnFlex it uses the extension webhook', () => {
    const dir = httpProject(TRIGGER('connect', 'chat', 'system', 'connect'), TRIGGER('message', 'chat', 'user', 'message'));
    let message = '';
    try {
      synthTopology(dir);
    } catch (e) {
      message = String((e as Error).message);
    }
    expect(message).toMatch(/^events\/Chat\/FunctionApp: `code` registers webPubSubTrigger functions on a Flex Consumption app/);
    for (const part of ['azure-functions-host#11493', 'registerWebPubSubHandlers', 'webPubSubTriggersOnFlex']) expect(message).toContain(part);

    const { synth } = synthTopology(dir, { functionAppProps: { webPubSubTriggersOnFlex: true } });
    const json = synth();
    const [siteKey] = flexSiteOf(json);
    const passwordKey = passwordOf(json, 'WebPubSubExtensionKey');
    const [, hub] = onlyResource(json, 'azurerm_web_pubsub_hub');
    expect(hub.event_handler[0]).toEqual({
      url_template: `https://\${azapi_resource.${siteKey}.output.properties.defaultHostName}/runtime/webhooks/webpubsub?code=\${random_password.${passwordKey}.result}`,
      system_events: ['connect'],
      user_event_pattern: 'message',
    });
    const [, , env] = activationOf(json);
    expect(JSON.parse(env.CDKTF_AZURE_WEBPUBSUB_WEBHOOKS)).toEqual([
      { kind: 'extensionWebhook', path: '/runtime/webhooks/webpubsub', keyType: 'systemKeys', keyName: 'webpubsub_extension', hubs: ['chat'] },
    ]);
    expect(Object.values(keyWrites(json)).map((w: any) => w.action)).toContain('host/default/systemKeys/webpubsub_extension');
  });

  test('an anonymous HTTP function with the webPubSubContext input fails at synth, asking for authLevel \'function\'', () => {
    const dir = httpProject(
      httpHandlersSource('chat', ['connect'], ['message']),
      `app.http('events', { methods: ['POST', 'OPTIONS'], authLevel: 'anonymous', route: 'events/{event}', extraInputs: [input.webPubSubContext({ name: 'wpsReq' })], handler: () => ({ status: 200 }) });`,
    );
    expect(() => synthTopology(dir)).toThrow(
      /`code` registers HTTP functions with the webPubSubContext input and authLevel 'anonymous': .*anyone could post forged Web PubSub events to them\. Use authLevel 'function'.*got \["events"\]/,
    );
  });

  test('a hub the code only sends to gets no event handler and no error', () => {
    const dir = httpProject(
      httpHandlersSource('chat', ['connect'], ['message']),
      `const out = output.webPubSub({ name: 'actions', hub: 'notifications' });
app.http('notify', { methods: ['POST'], authLevel: 'function', extraOutputs: [out], handler: () => ({ status: 202 }) });`,
    );
    const { synth } = synthTopology(dir, {}, [{ name: 'chat' }, { name: 'notifications' }]);
    const hubs = Object.values(resourcesOf(synth(), 'azurerm_web_pubsub_hub')) as any[];
    expect(hubs.map((h) => h.name).sort()).toEqual(['chat', 'notifications']);
    const notifications = hubs.find((h) => h.name === 'notifications');
    expect(notifications.event_handler ?? []).toEqual([]);
    expect(hubs.find((h) => h.name === 'chat').event_handler).toHaveLength(1);
  });

  test('code like simplechat-wpscontext_v4: the error names its functions and both fixes; an explicit httpFunction handler gets the app key', () => {
    const dir = httpProject(WPS_CONTEXT_SAMPLE);
    expect(() => synthTopology(dir)).toThrow(
      /`hubs\[0\].name` gets its event routing from the app's code, but the code's HTTP functions with the webPubSubContext input \("validate", "connect", "message"\) do not say which hub and events they handle: register them with `registerWebPubSubHandlers.*or give the hub an explicit handler, e\.g\. `EventHandler\.httpFunction\(app, 'api\/\{event\}'/,
    );

    // The handler needs the app, which ServerlessWebPubSub creates: the hub is added to its service afterwards.
    const { app, stack } = newStack('sample');
    const topology = new ServerlessWebPubSub(stack, 'Chat', {
      resourceGroupProps: { location: 'westeurope' },
      hubs: [{ name: 'lobby', eventHandlers: [] }],
      functionAppProps: { code: codeOf(stack, dir) },
    });
    topology.service.addHub('SampleHub', {
      name: 'sample',
      eventHandlers: [EventHandler.httpFunction(topology.functionApp, 'api/{event}', { systemEvents: ['connect'], userEventPattern: 'message' })],
    });
    const json = synthStack(app, stack).json;
    const [siteKey] = flexSiteOf(json);
    const passwordKey = passwordOf(json, 'WebPubSubUpstreamKey');
    const sample = (Object.values(resourcesOf(json, 'azurerm_web_pubsub_hub')) as any[]).find((h) => h.name === 'sample');
    expect(sample.event_handler).toEqual([
      {
        url_template: `https://\${azapi_resource.${siteKey}.output.properties.defaultHostName}/api/{event}?code=\${random_password.${passwordKey}.result}`,
        system_events: ['connect'],
        user_event_pattern: 'message',
      },
    ]);
    expect(sample.depends_on).toEqual([`terraform_data.${activationOf(json)[0]}`]);
  });
});

describe('ServerlessWebPubSub: multi-region', () => {
  test('replicas and autoscale through webPubSubProps; the app keeps the one service host name the replicas share', () => {
    const { app, stack } = newStack('multi');
    const chat = chatTopology(stack, {
      tags: { team: 'chat' },
      webPubSubProps: { name: 'wps-chat', sku: 'Premium_P1', capacity: 2, autoscale: { maxUnits: 10 }, replicas: [{ location: 'westus' }, { location: 'japaneast', units: 1 }] },
    });
    const { json } = synthStack(app, stack);
    const [serviceKey] = onlyResource(json, 'azurerm_web_pubsub');
    const replicas = Object.values(resourcesOf(json, 'azapi_resource')).filter((r: any) => String(r.type).startsWith('Microsoft.SignalRService/webPubSub/replicas@')) as any[];
    expect(replicas.map((r) => [r.name, r.location, r.body.sku.capacity, r.tags]).sort()).toEqual([
      ['wps-chat-japaneast', 'japaneast', 1, { team: 'chat' }],
      ['wps-chat-westus', 'westus', 2, { team: 'chat' }],
    ]);
    expect(chat.replicas.map((r) => r.location)).toEqual(['westus', 'japaneast']);
    expect(Object.keys(resourcesOf(json, 'azurerm_monitor_autoscale_setting'))).toHaveLength(1);
    // All replicas answer on the primary's host name (Traffic Manager routes each client to the nearest one), so the
    // identity-based connection and the abuse-protection origin stay that one host: nothing per replica.
    expect(siteSettings(flexSiteOf(json)[1]).WebPubSubConnectionString__serviceUri).toBe('https://wps-chat.webpubsub.azure.com');
    expect(activationOf(json)[2].CDKTF_AZURE_WEBPUBSUB_ORIGINS).toBe(`\${join(",", [azurerm_web_pubsub.${serviceKey}.hostname])}`);
  });

  test('a replica in the region of resourceGroupProps fails at synth (the group the pattern creates gives the service a reference as location)', () => {
    const { stack } = newStack('multi-home');
    expect(() => chatTopology(stack, { webPubSubProps: { sku: 'Premium_P1', replicas: [{ location: 'westeurope' }] } })).toThrow(
      /`replicas\[0\].location` must be another region than the primary's \(westeurope\)/,
    );
  });

  test('replicas of an existing service are not the pattern\'s', () => {
    const { stack } = newStack('existing-multi');
    const chat = chatTopology(stack, {
      existingWebPubSub: WebPubSubService.fromWebPubSubServiceAttributes(stack, 'Wps', { serviceId: `/subscriptions/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}/resourceGroups/rg/providers/Microsoft.SignalRService/webPubSub/wps1`, hostname: 'wps1.webpubsub.azure.com' }),
    });
    expect(chat.replicas).toEqual([]);
  });
});
