import { EventHandler } from '../../lib/webpubsub/event-handler';
import { WebPubSubHub } from '../../lib/webpubsub/web-pubsub-hub';
import { WebPubSubService } from '../../lib/webpubsub/web-pubsub-service';
import { newStack, onlyResource, resourcesOf, synthStack } from '../core/synth-helpers';

const placement = { resourceGroup: { name: 'rg', location: 'westeurope' } };
const SERVICE_ID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.SignalRService/webPubSub/wps';
const WORKSPACE_ID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law';

describe('WebPubSubService', () => {
  test('options: Premium, live trace, diagnostics, tags', () => {
    const { app, stack } = newStack('svc');
    new WebPubSubService(stack, 'Service', {
      ...placement,
      name: 'wps-chat',
      sku: 'Premium_P1',
      capacity: 20,
      tlsClientCertEnabled: true,
      liveTrace: { messagingLogs: false },
      diagnosticsWorkspaceId: WORKSPACE_ID,
      tags: { team: 'chat' },
    });
    const { json } = synthStack(app, stack);
    const [, svc] = onlyResource(json, 'azurerm_web_pubsub');
    expect(svc).toMatchObject({
      name: 'wps-chat',
      sku: 'Premium_P1',
      capacity: 20,
      tls_client_cert_enabled: true,
      live_trace: { enabled: true, messaging_logs_enabled: false, connectivity_logs_enabled: true },
      tags: { team: 'chat' },
    });
    expect(svc.identity).toBeUndefined();
    expect(onlyResource(json, 'azurerm_monitor_diagnostic_setting')[1]).toMatchObject({ log_analytics_workspace_id: WORKSPACE_ID });
  });

  test('network ACL default keeps the topology working: clients and the app\'s REST calls allowed, server connections denied', () => {
    const { app, stack } = newStack('acl');
    new WebPubSubService(stack, 'Service', { ...placement, networkAcl: {} });
    const [, acl] = onlyResource(synthStack(app, stack).json, 'azurerm_web_pubsub_network_acl');
    expect(acl).toMatchObject({ default_action: 'Deny', public_network: { allowed_request_types: ['ClientConnection', 'RESTAPI'] } });
  });

  test('network ACL: live trace adds Trace; the stricter client-only rule needs the private endpoint declared', () => {
    const traced = newStack('trace');
    new WebPubSubService(traced.stack, 'Service', { ...placement, networkAcl: {}, liveTrace: {} });
    expect(onlyResource(synthStack(traced.app, traced.stack).json, 'azurerm_web_pubsub_network_acl')[1].public_network.allowed_request_types).toEqual([
      'ClientConnection',
      'RESTAPI',
      'Trace',
    ]);
    const strict = newStack('strict');
    expect(() => new WebPubSubService(strict.stack, 'Open', { ...placement, networkAcl: { publicAllowedRequestTypes: ['ClientConnection'] } })).toThrow(
      /`networkAcl` must allow RESTAPI on the public network/,
    );
    new WebPubSubService(strict.stack, 'Private', { ...placement, networkAcl: { publicAllowedRequestTypes: ['ClientConnection'], restApiThroughPrivateEndpoint: true } });
    expect(onlyResource(synthStack(strict.app, strict.stack).json, 'azurerm_web_pubsub_network_acl')[1].public_network.allowed_request_types).toEqual(['ClientConnection']);
  });

  test('Entra ID off while local auth is off is refused (nothing could authenticate)', () => {
    const { stack } = newStack('auth');
    expect(() => new WebPubSubService(stack, 'Service', { ...placement, aadAuthEnabled: false })).toThrow(/`aadAuthEnabled` cannot be false while `localAuthEnabled` is false/);
  });

  test('an existing service: id checked and written in azurerm\'s casing, hostname checked', () => {
    const { stack } = newStack('existing');
    const lower = WebPubSubService.fromWebPubSubServiceAttributes(stack, 'Lower', {
      serviceId: SERVICE_ID.replace('resourceGroups', 'resourcegroups').replace('Microsoft.SignalRService/webPubSub', 'microsoft.signalrservice/webpubsub'),
      hostname: 'wps.webpubsub.azure.com',
    });
    expect(lower.serviceId).toBe(SERVICE_ID);
    expect(lower.serviceName).toBe('wps');
    expect(() => WebPubSubService.fromWebPubSubServiceAttributes(stack, 'BadId', { serviceId: '/id/wps', hostname: 'wps.webpubsub.azure.com' })).toThrow(/`serviceId` must be/);
    expect(() => WebPubSubService.fromWebPubSubServiceAttributes(stack, 'BadHost', { serviceId: SERVICE_ID, hostname: 'https://wps.webpubsub.azure.com/' })).toThrow(/`hostname`/);
  });
});

describe('WebPubSubHub', () => {
  test('hubs alone: ordered handlers for an HTTP function and an arbitrary URL, no webhook key needed', () => {
    const { app, stack } = newStack('hubs');
    const service = WebPubSubService.fromWebPubSubServiceAttributes(stack, 'Existing', { serviceId: SERVICE_ID, hostname: 'wps.webpubsub.azure.com' });
    const target = { node: stack.node, defaultHostname: 'fn.azurewebsites.net' } as any;
    service.addHub('Notifications', {
      anonymousConnectionsEnabled: true,
      eventHandlers: [
        EventHandler.httpFunction(target, '/api/{event}', { systemEvents: ['connected'] }),
        EventHandler.url('https://example.com/hook/{hub}/{event}', { userEventPattern: 'a,b', upstreamAuthAudience: 'api://8f3c2a41-0000-4000-8000-000000000001' }),
      ],
    });
    const { json } = synthStack(app, stack);
    const [, hub] = onlyResource(json, 'azurerm_web_pubsub_hub');
    expect(hub).toMatchObject({ name: 'Notifications', anonymous_connections_enabled: true, web_pubsub_id: SERVICE_ID });
    expect(hub.event_handler).toEqual([
      { url_template: 'https://fn.azurewebsites.net/api/{event}', system_events: ['connected'] },
      {
        url_template: 'https://example.com/hook/{hub}/{event}',
        system_events: [],
        user_event_pattern: 'a,b',
        auth: { managed_identity_id: 'api://8f3c2a41-0000-4000-8000-000000000001' },
      },
    ]);
    expect(hub.depends_on).toBeUndefined();
    expect(resourcesOf(json, 'azurerm_web_pubsub')).toEqual({});
  });

  test('a handler that authenticates to its upstream gives a created service its managed identity', () => {
    const { app, stack } = newStack('identity');
    const service = new WebPubSubService(stack, 'Service', placement);
    service.addHub('chat', { eventHandlers: [EventHandler.url('https://api.example.com/{event}', { userEventPattern: '*', upstreamAuthAudience: 'api://my-api' })] });
    expect(onlyResource(synthStack(app, stack).json, 'azurerm_web_pubsub')[1].identity).toEqual({ type: 'SystemAssigned' });
    const bad = newStack('bad-audience');
    const s = new WebPubSubService(bad.stack, 'Service', placement);
    const identityId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id';
    expect(() => s.addHub('chat', { eventHandlers: [EventHandler.url('https://api.example.com/{event}', { userEventPattern: '*', upstreamAuthAudience: identityId })] })).toThrow(
      /`eventHandlers\[0\].upstreamAuthAudience` must be the audience/,
    );
  });

  test('two hubs with the same name on one service (case-insensitive) fail at synth', () => {
    const { stack } = newStack('dup');
    const service = new WebPubSubService(stack, 'Service', placement);
    service.addHub('Chat', { eventHandlers: [EventHandler.url('https://x.example.com/{event}', { userEventPattern: '*' })] });
    expect(() => new WebPubSubHub(stack, 'Other', { service, name: 'chat' })).toThrow(/`name` is already a hub of dup\/Service \(declared by dup\/Service\/Chat\); hub names are case-insensitive/);
  });

  test('handler errors: http URL, placeholder outside the documented ones, no routing, shadowed handler, extension handler without routing source', () => {
    const { stack } = newStack('bad');
    const service = WebPubSubService.fromWebPubSubServiceAttributes(stack, 'S', { serviceId: SERVICE_ID, hostname: 'wps.webpubsub.azure.com' });
    expect(() => new WebPubSubHub(stack, 'H1', { service, eventHandlers: [EventHandler.url('http://plain.example.com', { userEventPattern: '*' })] })).toThrow(
      /`eventHandlers\[0\].urlTemplate`.*https/,
    );
    expect(() => new WebPubSubHub(stack, 'H2', { service, eventHandlers: [EventHandler.url('https://x.example.com/{user}', { userEventPattern: '*' })] })).toThrow(
      /`eventHandlers\[0\].urlTemplate`.*\{hub\}.*\{event\}/,
    );
    expect(() => new WebPubSubHub(stack, 'H3', { service, eventHandlers: [EventHandler.url('https://x.example.com')] })).toThrow(
      /`eventHandlers\[0\]` must route at least one system event or a user event pattern/,
    );
    expect(() =>
      new WebPubSubHub(stack, 'H4', {
        service,
        eventHandlers: [EventHandler.url('https://a.example.com', { userEventPattern: '*' }), EventHandler.url('https://b.example.com', { userEventPattern: 'message' })],
      }),
    ).toThrow(/`eventHandlers\[1\].userEventPattern` is shadowed by "\*" in eventHandlers\[0\]/);
    const appWithoutCode = { node: stack.node, defaultHostname: 'h.example.com', extensionWebhookKey: { value: 'k' } } as any;
    expect(() => new WebPubSubHub(stack, 'H5', { service, eventHandlers: [EventHandler.functionsExtension(appWithoutCode)] })).toThrow(
      /`name` gets its event routing from the app's code, but the app's code is not packaged by this stack \(no `code`\), so it is unknown/,
    );
  });
});
