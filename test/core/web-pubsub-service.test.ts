import { EventHandler } from '../../lib/event-handler';
import { WebPubSubHub } from '../../lib/web-pubsub-hub';
import { WebPubSubService } from '../../lib/web-pubsub-service';
import { newStack, onlyResource, resourcesOf, synthStack } from './synth-helpers';

const placement = { resourceGroupName: 'rg', location: 'westeurope' };

describe('WebPubSubService', () => {
  test('options: Premium, ACL, live trace, diagnostics, tags', () => {
    const { app, stack } = newStack('svc');
    new WebPubSubService(stack, 'Service', {
      ...placement,
      name: 'wps-chat',
      sku: 'Premium_P1',
      capacity: 20,
      publicNetworkAccessEnabled: false,
      tlsClientCertEnabled: true,
      liveTrace: { messagingLogs: false },
      networkAcl: { publicAllowedRequestTypes: ['ClientConnection', 'RESTAPI'] },
      diagnosticsWorkspaceId: '/id/law',
      tags: { team: 'chat' },
    });
    const { json } = synthStack(app, stack);
    const [key, svc] = onlyResource(json, 'azurerm_web_pubsub');
    expect(svc).toMatchObject({
      name: 'wps-chat',
      sku: 'Premium_P1',
      capacity: 20,
      public_network_access_enabled: false,
      tls_client_cert_enabled: true,
      live_trace: { enabled: true, messaging_logs_enabled: false, connectivity_logs_enabled: true },
      tags: { team: 'chat' },
    });
    expect(onlyResource(json, 'azurerm_web_pubsub_network_acl')[1]).toMatchObject({
      web_pubsub_id: `\${azurerm_web_pubsub.${key}.id}`,
      default_action: 'Deny',
      public_network: { allowed_request_types: ['ClientConnection', 'RESTAPI'] },
    });
    expect(onlyResource(json, 'azurerm_monitor_diagnostic_setting')[1]).toMatchObject({ log_analytics_workspace_id: '/id/law' });
  });

  test('hubs alone: ordered handlers for an HTTP function and an arbitrary URL, no webhook key needed', () => {
    const { app, stack } = newStack('hubs');
    const service = WebPubSubService.fromServiceAttributes(stack, 'Existing', { serviceId: '/id/wps', hostname: 'wps.webpubsub.azure.com' });
    const target = { node: stack.node, defaultHostname: 'fn.azurewebsites.net' } as any;
    service.addHub('Notifications', {
      anonymousConnectionsEnabled: true,
      eventHandlers: [
        EventHandler.httpFunction(target, '/api/{event}', { systemEvents: ['connected'] }),
        EventHandler.url('https://example.com/hook/{hub}/{event}', { userEventPattern: 'a,b', authManagedIdentityId: '/id/uai' }),
      ],
    });
    const { json } = synthStack(app, stack);
    const [, hub] = onlyResource(json, 'azurerm_web_pubsub_hub');
    expect(hub).toMatchObject({ name: 'Notifications', anonymous_connections_enabled: true, web_pubsub_id: '/id/wps' });
    expect(hub.event_handler).toEqual([
      { url_template: 'https://fn.azurewebsites.net/api/{event}', system_events: ['connected'] },
      { url_template: 'https://example.com/hook/{hub}/{event}', system_events: [], user_event_pattern: 'a,b', auth: { managed_identity_id: '/id/uai' } },
    ]);
    expect(hub.depends_on).toBeUndefined();
    expect(resourcesOf(json, 'azurerm_web_pubsub')).toEqual({});
  });

  test('handler errors: http URL, no routing, extension handler without routing source', () => {
    const { stack } = newStack('bad');
    const service = WebPubSubService.fromServiceAttributes(stack, 'S', { serviceId: '/id', hostname: 'h' });
    expect(() => new WebPubSubHub(stack, 'H1', { service, eventHandlers: [EventHandler.url('http://plain.example.com', { userEventPattern: '*' })] })).toThrow(
      /`eventHandlers\[0\].urlTemplate` must be an https:\/\/ URL, got "http:\/\/plain.example.com"/,
    );
    expect(() => new WebPubSubHub(stack, 'H2', { service, eventHandlers: [EventHandler.url('https://x.example.com')] })).toThrow(
      /`eventHandlers\[0\]` must route at least one system event or a user event pattern/,
    );
    const appWithoutCode = { node: stack.node, defaultHostname: 'h', webPubSubExtensionKey: { value: 'k', writtenBy: {} as any }, declaredRouting: () => undefined } as any;
    expect(() => new WebPubSubHub(stack, 'H3', { service, eventHandlers: [EventHandler.functionsExtension(appWithoutCode)] })).toThrow(
      /needs `systemEvents` or `userEventPattern`: routing cannot be derived/,
    );
  });
});
