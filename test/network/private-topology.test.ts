import { AnnotationMetadataEntryType, TerraformStack, TerraformVariable } from 'cdktf';
import { FunctionAppHosting } from '../../lib/functions/function-app-hosting';
import { WebPubSubFunctionApp } from '../../lib/functions/web-pubsub-function-app';
import { PrivateDnsZone } from '../../lib/network/private-dns-zone';
import { Subnet } from '../../lib/network/subnet';
import { VirtualNetwork } from '../../lib/network/virtual-network';
import { ServerlessWebPubSub, ServerlessWebPubSubProps } from '../../lib/patterns/serverless-web-pubsub';
import { WebPubSubHostnameSource } from '../../lib/webpubsub/web-pubsub-hostname';
import { WebPubSubService } from '../../lib/webpubsub/web-pubsub-service';
import { armBodyProblems } from '../core/arm-type-check';
import { flexSiteOf, newStack, onlyResource, resourcesOf, synthStack, TEST_IDS, TEST_SUBSCRIPTION } from '../core/synth-helpers';

const placement = { resourceGroup: { name: 'rg', location: 'westeurope' } };
const VNET_ID = `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub`;
const PE_SUBNET_ID = `${VNET_ID}/subnets/snet-pe`;
const APP_SUBNET_ID = `${VNET_ID}/subnets/snet-app`;
const ZONE_ID = `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.webpubsub.azure.com`;

function peSubnet(stack: TerraformStack, id = 'PeSubnet') {
  return Subnet.fromSubnetAttributes(stack, id, { subnetId: PE_SUBNET_ID, delegation: 'None', location: 'westeurope' });
}

describe('WebPubSubService privateEndpoint', () => {
  test('an endpoint for group webpubsub; the ACL allows clients publicly and clients plus REST through the endpoint', () => {
    const { app, stack } = newStack('svc');
    const zone = PrivateDnsZone.fromPrivateDnsZoneAttributes(stack, 'Zone', { privateDnsZoneId: ZONE_ID });
    const service = new WebPubSubService(stack, 'Service', { ...placement, privateEndpoint: { subnet: peSubnet(stack), privateDnsZone: zone } });
    const { json } = synthStack(app, stack);
    const [serviceKey, svc] = onlyResource(json, 'azurerm_web_pubsub');
    expect(svc.public_network_access_enabled).toBe(true); // browsers still connect
    const [peKey, pe] = onlyResource(json, 'azurerm_private_endpoint');
    expect(pe).toMatchObject({
      subnet_id: PE_SUBNET_ID,
      location: 'westeurope',
      private_service_connection: { private_connection_resource_id: `\${azurerm_web_pubsub.${serviceKey}.id}`, subresource_names: ['webpubsub'], is_manual_connection: false },
      private_dns_zone_group: { private_dns_zone_ids: [ZONE_ID] },
    });
    const [, acl] = onlyResource(json, 'azurerm_web_pubsub_network_acl');
    expect(acl).toEqual(
      expect.objectContaining({
        default_action: 'Deny',
        public_network: { allowed_request_types: ['ClientConnection'] },
        private_endpoint: [{ id: `\${azurerm_private_endpoint.${peKey}.id}`, allowed_request_types: ['ClientConnection', 'RESTAPI'] }],
      }),
    );
    expect(service.restApiPrivateOnly).toBe(true);
    expect(service.privateEndpoint).toBeDefined();
  });

  test('live trace adds Trace publicly; explicit endpoint types and public ACL win', () => {
    const { app, stack } = newStack('svc2');
    new WebPubSubService(stack, 'A', { ...placement, liveTrace: {}, privateEndpoint: { subnet: peSubnet(stack, 'S1'), allowedRequestTypes: ['RESTAPI'] } });
    const b = new WebPubSubService(stack, 'B', {
      ...placement,
      networkAcl: { publicAllowedRequestTypes: ['ClientConnection', 'RESTAPI'] },
      privateEndpoint: { subnet: peSubnet(stack, 'S2') },
    });
    const acls = Object.values(resourcesOf(synthStack(app, stack).json, 'azurerm_web_pubsub_network_acl')) as any[];
    expect(acls.map((a) => a.public_network.allowed_request_types)).toEqual([['ClientConnection', 'Trace'], ['ClientConnection', 'RESTAPI']]);
    expect(acls[0].private_endpoint[0].allowed_request_types).toEqual(['RESTAPI']);
    expect(b.restApiPrivateOnly).toBe(false);
  });

  test('refused: Free_F1, endpoint types that are not request types, REST API allowed nowhere, defaultAction Allow', () => {
    const { stack } = newStack('svc3');
    const subnet = peSubnet(stack);
    expect(() => new WebPubSubService(stack, 'Free', { ...placement, sku: 'Free_F1', privateEndpoint: { subnet } })).toThrow(
      'svc3/Free: `privateEndpoint` is not supported on sku Free_F1 (the free tier cannot integrate with a private endpoint); use Standard_S1 or Premium',
    );
    expect(() => new WebPubSubService(stack, 'Types', { ...placement, privateEndpoint: { subnet, allowedRequestTypes: ['RestApi' as any] } })).toThrow(
      '`privateEndpoint.allowedRequestTypes[0]` must be one of "ClientConnection", "ServerConnection", "RESTAPI", "Trace"',
    );
    // An endpoint without RESTAPI: the public default keeps RESTAPI; a public ACL without it leaves the REST API nowhere.
    expect(new WebPubSubService(stack, 'PublicRest', { ...placement, privateEndpoint: { subnet, allowedRequestTypes: ['ClientConnection'] } }).restApiPrivateOnly).toBe(false);
    expect(
      () => new WebPubSubService(stack, 'NoRest', { ...placement, networkAcl: { publicAllowedRequestTypes: ['ClientConnection'] }, privateEndpoint: { subnet, allowedRequestTypes: ['ClientConnection'] } }),
    ).toThrow('`networkAcl` must allow RESTAPI on the public network');
    expect(() => new WebPubSubService(stack, 'Closed', { ...placement, publicNetworkAccessEnabled: false, privateEndpoint: { subnet, allowedRequestTypes: ['ClientConnection'] } })).toThrow(
      '`privateEndpoint.allowedRequestTypes` must include RESTAPI while `publicNetworkAccessEnabled` is false',
    );
    // Fully private (clients inside the network too): no warning about public rules the library wrote itself.
    const closed = new WebPubSubService(stack, 'ClosedOk', { ...placement, publicNetworkAccessEnabled: false, privateEndpoint: { subnet } });
    expect(closed.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN)).toEqual([]);
    expect(closed.restApiPrivateOnly).toBe(true);
    expect(() => new WebPubSubService(stack, 'Allow', { ...placement, networkAcl: { defaultAction: 'Allow' }, privateEndpoint: { subnet } })).toThrow(
      '`networkAcl.defaultAction` cannot be Allow with `privateEndpoint`',
    );
    const delegated = Subnet.fromSubnetAttributes(stack, 'App', { subnetId: APP_SUBNET_ID, delegation: 'Microsoft.App/environments' });
    expect(() => new WebPubSubService(stack, 'Deleg', { ...placement, privateEndpoint: { subnet: delegated } })).toThrow('`subnet` must not be delegated');
  });

  test('without a private endpoint: public access off makes the REST API private-only; the default leaves it public', () => {
    const { stack } = newStack('svc4');
    expect(new WebPubSubService(stack, 'Off', { ...placement, publicNetworkAccessEnabled: false }).restApiPrivateOnly).toBe(true);
    expect(new WebPubSubService(stack, 'On', placement).restApiPrivateOnly).toBe(false);
    expect(WebPubSubService.fromWebPubSubServiceAttributes(stack, 'Imp', { serviceId: TEST_IDS.webPubSub, hostname: 'wps-shared.webpubsub.azure.com' }).restApiPrivateOnly).toBeUndefined();
  });

  test('public access known only at apply: undecided where the ACL lets the REST API in publicly, private-only where it does not', () => {
    const { stack } = newStack('svc5');
    const subnet = peSubnet(stack);
    const open = new TerraformVariable(stack, 'public', { type: 'bool' }).booleanValue as unknown as boolean; // a boolean known at apply
    const aclPublic = new WebPubSubService(stack, 'AclPublic', { ...placement, publicNetworkAccessEnabled: open, networkAcl: { publicAllowedRequestTypes: ['ClientConnection', 'RESTAPI'] }, privateEndpoint: { subnet } });
    expect(aclPublic.restApiPrivateOnly).toBeUndefined();
    const aclPrivate = new WebPubSubService(stack, 'AclPrivate', { ...placement, publicNetworkAccessEnabled: open, privateEndpoint: { subnet } });
    expect(aclPrivate.restApiPrivateOnly).toBe(true);
  });
});

describe('WebPubSubFunctionApp virtualNetworkSubnet', () => {
  const flexSubnet = (stack: TerraformStack, extra: Partial<Parameters<typeof Subnet.fromSubnetAttributes>[2]> = {}) =>
    Subnet.fromSubnetAttributes(stack, 'AppSubnet', { subnetId: APP_SUBNET_ID, delegation: 'Microsoft.App/environments', location: 'westeurope', ...extra });

  test('Flex: the site body carries virtualNetworkSubnetId, and the body still fits the ARM type data', () => {
    const { app, stack } = newStack('flex');
    const service = new WebPubSubService(stack, 'Service', placement);
    new WebPubSubFunctionApp(stack, 'Fn', { ...placement, webPubSubConnections: [{ service }], virtualNetworkSubnet: flexSubnet(stack) });
    const [, site] = flexSiteOf(synthStack(app, stack).json);
    expect(site.body.properties.virtualNetworkSubnetId).toBe(APP_SUBNET_ID);
    expect(armBodyProblems('Microsoft.Web/sites@2024-04-01', site.body)).toEqual([]);
  });

  test('Premium: azurerm virtual_network_subnet_id on a serverFarms-delegated subnet; no integration writes none', () => {
    const { app, stack } = newStack('premium');
    const service = new WebPubSubService(stack, 'Service', placement);
    const subnet = Subnet.fromSubnetAttributes(stack, 'Plan', { subnetId: APP_SUBNET_ID, delegation: 'Microsoft.Web/serverFarms' });
    new WebPubSubFunctionApp(stack, 'Fn', { ...placement, hosting: FunctionAppHosting.elasticPremium(), webPubSubConnections: [{ service }], virtualNetworkSubnet: subnet });
    new WebPubSubFunctionApp(stack, 'Plain', { ...placement, hosting: FunctionAppHosting.elasticPremium(), webPubSubConnections: [{ service }] });
    const apps = Object.values(resourcesOf(synthStack(app, stack).json, 'azurerm_linux_function_app')) as any[];
    expect(apps.map((a) => a.virtual_network_subnet_id)).toEqual([APP_SUBNET_ID, undefined]);
  });

  test('refused: the wrong delegation for the plan, another region, a subnet under /28, not a subnet', () => {
    const { stack } = newStack('bad');
    const service = new WebPubSubService(stack, 'Service', placement);
    const connections = [{ service }];
    const planSubnet = Subnet.fromSubnetAttributes(stack, 'Plan', { subnetId: APP_SUBNET_ID, delegation: 'Microsoft.Web/serverFarms' });
    expect(() => new WebPubSubFunctionApp(stack, 'F1', { ...placement, webPubSubConnections: connections, virtualNetworkSubnet: planSubnet })).toThrow(
      'bad/F1: `virtualNetworkSubnet` must be delegated to Microsoft.App/environments: Flex Consumption apps integrate only with a subnet delegated to it (the subnet is delegated to Microsoft.Web/serverFarms), got "Microsoft.Web/serverFarms"',
    );
    const none = Subnet.fromSubnetAttributes(stack, 'None', { subnetId: APP_SUBNET_ID, delegation: 'None' });
    expect(() => new WebPubSubFunctionApp(stack, 'F2', { ...placement, hosting: FunctionAppHosting.dedicated('P1v3'), webPubSubConnections: connections, virtualNetworkSubnet: none })).toThrow(
      '`virtualNetworkSubnet` must be delegated to Microsoft.Web/serverFarms: Dedicated apps integrate only with a subnet delegated to it (the subnet is not delegated)',
    );
    const east = Subnet.fromSubnetAttributes(stack, 'East', { subnetId: APP_SUBNET_ID, location: 'eastus' });
    expect(() => new WebPubSubFunctionApp(stack, 'F3', { ...placement, webPubSubConnections: connections, virtualNetworkSubnet: east })).toThrow(
      "`virtualNetworkSubnet` must be in the app's region westeurope: the app and the virtual network must be in the same region, got \"eastus\"",
    );
    // Display names are the same region (azurerm normalizes them).
    const display = Subnet.fromSubnetAttributes(stack, 'Display', { subnetId: APP_SUBNET_ID, location: 'West Europe', delegation: 'Microsoft.App/environments' });
    new WebPubSubFunctionApp(stack, 'F4', { ...placement, webPubSubConnections: connections, virtualNetworkSubnet: display });
    const vnet = new VirtualNetwork(stack, 'Vnet', placement);
    const small = vnet.addSubnet('Small', { addressPrefix: '10.0.9.0/29', delegation: 'Microsoft.App/environments' });
    expect(() => new WebPubSubFunctionApp(stack, 'F5', { ...placement, webPubSubConnections: connections, virtualNetworkSubnet: small })).toThrow(
      '`virtualNetworkSubnet` must be a /28 or larger for virtual network integration, got "10.0.9.0/29"',
    );
    expect(() => new WebPubSubFunctionApp(stack, 'F7', { ...placement, webPubSubConnections: connections, virtualNetworkSubnet: 'subnet-id' as any })).toThrow('`virtualNetworkSubnet` must be a subnet');
  });

  test('warned: an app connected to a service whose REST API is private-only, without virtualNetworkSubnet (it may be integrated elsewhere)', () => {
    const { stack } = newStack('warn');
    const service = new WebPubSubService(stack, 'Service', placement);
    const privateOnly = new WebPubSubService(stack, 'Private', { ...placement, privateEndpoint: { subnet: peSubnet(stack) } });
    const fn = new WebPubSubFunctionApp(stack, 'F6', { ...placement, webPubSubConnections: [{ service }, { service: privateOnly, settingPrefix: 'Private' }] });
    const warnings = fn.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringContaining('`webPubSubConnections[1].service` (warn/Private) refuses REST API calls from the public network')]);
    const integrated = new WebPubSubFunctionApp(stack, 'F8', {
      ...placement,
      webPubSubConnections: [{ service: privateOnly }],
      virtualNetworkSubnet: Subnet.fromSubnetAttributes(stack, 'S', { subnetId: APP_SUBNET_ID }),
    });
    expect(integrated.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN)).toEqual([]);
  });
});

describe('ServerlessWebPubSub network', () => {
  const base = (props: Partial<ServerlessWebPubSubProps> = {}): ServerlessWebPubSubProps => ({
    resourceGroupProps: { location: 'westeurope', name: 'rg-chat' },
    hubs: [{ name: 'chat', systemEvents: ['connect'] }],
    ...props,
  });

  test('network: {} creates the network, both subnets, the zone linked to it, the endpoint, and integrates the app', () => {
    const { app, stack } = newStack('private');
    const topology = new ServerlessWebPubSub(stack, 'Chat', base({ network: {} }));
    const { json, text } = synthStack(app, stack);
    const [vnetKey, vnet] = onlyResource(json, 'azurerm_virtual_network');
    expect(vnet.address_space).toEqual(['10.0.0.0/16']);
    const subnets = Object.entries(resourcesOf(json, 'azurerm_subnet')) as [string, any][];
    expect(subnets.map(([, s]) => [s.name, s.address_prefixes[0], s.delegation?.[0].service_delegation.name])).toEqual([
      ['snet-app', '10.0.2.0/26', 'Microsoft.App/environments'],
      ['snet-private-endpoints', '10.0.1.0/28', undefined],
    ]);
    const appSubnetKey = subnets.find(([, s]) => s.name === 'snet-app')![0];
    const peSubnetKey = subnets.find(([, s]) => s.name === 'snet-private-endpoints')![0];
    const [zoneKey] = onlyResource(json, 'azurerm_private_dns_zone');
    expect(onlyResource(json, 'azurerm_private_dns_zone_virtual_network_link')[1].virtual_network_id).toBe(`\${azurerm_virtual_network.${vnetKey}.id}`);
    const [, pe] = onlyResource(json, 'azurerm_private_endpoint');
    expect(pe.subnet_id).toBe(`\${azurerm_subnet.${peSubnetKey}.id}`);
    expect(pe.private_dns_zone_group.private_dns_zone_ids).toEqual([`\${azurerm_private_dns_zone.${zoneKey}.id}`]);
    expect(flexSiteOf(json)[1].body.properties.virtualNetworkSubnetId).toBe(`\${azurerm_subnet.${appSubnetKey}.id}`);
    expect(onlyResource(json, 'azurerm_web_pubsub_network_acl')[1].public_network.allowed_request_types).toEqual(['ClientConnection']);
    expect(topology.network?.appSubnet).toBe(topology.functionApp.virtualNetworkSubnet);
    // Deterministic: the same input gives the same bytes.
    const again = newStack('private');
    new ServerlessWebPubSub(again.stack, 'Chat', base({ network: {} }));
    expect(synthStack(again.app, again.stack).text).toBe(text);
  });

  test("the created zone follows the service's cloud: privatelink.<its DNS suffix>; a service read from its attribute warns that the zone is the public cloud's", () => {
    const zoneOf = (hostnameSource?: WebPubSubHostnameSource): { name: string; warnings: string[] } => {
      const { app, stack } = newStack('clouds');
      const topology = new ServerlessWebPubSub(stack, 'Chat', base({ network: {}, webPubSubProps: hostnameSource ? { hostnameSource } : {} }));
      const json = synthStack(app, stack).json;
      const warnings = topology.network!.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data));
      return { name: onlyResource(json, 'azurerm_private_dns_zone')[1].name, warnings };
    };
    expect(zoneOf()).toEqual({ name: 'privatelink.webpubsub.azure.com', warnings: [] });
    expect(zoneOf(WebPubSubHostnameSource.dnsSuffix('WebPubSub.Azure.CN'))).toEqual({ name: 'privatelink.webpubsub.azure.cn', warnings: [] });
    const attribute = zoneOf(WebPubSubHostnameSource.serviceAttribute());
    expect(attribute.name).toBe('privatelink.webpubsub.azure.com');
    expect(attribute.warnings).toEqual([expect.stringContaining("the private DNS zone created for the service is the public cloud's privatelink.webpubsub.azure.com")]);
  });

  test('Premium: the app subnet is delegated to Microsoft.Web/serverFarms; custom prefixes and address space', () => {
    const { app, stack } = newStack('premium');
    new ServerlessWebPubSub(stack, 'Chat', base({
      functionAppProps: { hosting: FunctionAppHosting.elasticPremium() },
      network: { addressSpace: ['172.16.0.0/20'], appSubnetPrefix: '172.16.1.0/26', privateEndpointSubnetPrefix: '172.16.0.0/28' },
    }));
    const json = synthStack(app, stack).json;
    const subnets = Object.values(resourcesOf(json, 'azurerm_subnet')) as any[];
    expect(subnets.map((s) => [s.address_prefixes[0], s.delegation?.[0].service_delegation.name])).toEqual([
      ['172.16.1.0/26', 'Microsoft.Web/serverFarms'],
      ['172.16.0.0/28', undefined],
    ]);
    expect((Object.values(resourcesOf(json, 'azurerm_linux_function_app'))[0] as any).virtual_network_subnet_id).toMatch(/^\$\{azurerm_subnet\./);
  });

  test('bring your own: subnets and zone given, nothing network-wide created; a given network gets the missing subnets', () => {
    const { app, stack } = newStack('byo');
    const zone = PrivateDnsZone.fromPrivateDnsZoneAttributes(stack, 'Zone', { privateDnsZoneId: ZONE_ID });
    new ServerlessWebPubSub(stack, 'Chat', base({
      network: {
        privateEndpointSubnet: peSubnet(stack),
        appSubnet: Subnet.fromSubnetAttributes(stack, 'App', { subnetId: APP_SUBNET_ID, delegation: 'Microsoft.App/environments', location: 'westeurope' }),
        webPubSubPrivateDnsZone: zone,
      },
    }));
    const json = synthStack(app, stack).json;
    for (const type of ['azurerm_virtual_network', 'azurerm_subnet', 'azurerm_private_dns_zone', 'azurerm_private_dns_zone_virtual_network_link']) {
      expect(resourcesOf(json, type)).toEqual({});
    }
    expect(onlyResource(json, 'azurerm_private_endpoint')[1]).toMatchObject({ subnet_id: PE_SUBNET_ID, private_dns_zone_group: { private_dns_zone_ids: [ZONE_ID] } });
    expect(flexSiteOf(json)[1].body.properties.virtualNetworkSubnetId).toBe(APP_SUBNET_ID);

    const second = newStack('byo2');
    const vnet = VirtualNetwork.fromVirtualNetworkAttributes(second.stack, 'Hub', { virtualNetworkId: VNET_ID, location: 'westeurope', addressSpace: ['10.0.0.0/16'] });
    new ServerlessWebPubSub(second.stack, 'Chat', base({ network: { virtualNetwork: vnet } }));
    const json2 = synthStack(second.app, second.stack).json;
    expect(resourcesOf(json2, 'azurerm_virtual_network')).toEqual({});
    expect((Object.values(resourcesOf(json2, 'azurerm_subnet')) as any[]).map((s) => [s.virtual_network_name, s.resource_group_name])).toEqual([
      ['vnet-hub', 'rg-hub'],
      ['vnet-hub', 'rg-hub'],
    ]);
    expect(onlyResource(json2, 'azurerm_private_dns_zone_virtual_network_link')[1].virtual_network_id).toBe(VNET_ID);

    // Only the app's subnet given: the zone is linked to that subnet's network.
    const third = newStack('byo3');
    new ServerlessWebPubSub(third.stack, 'Chat', base({
      network: { privateEndpointSubnet: peSubnet(third.stack), appSubnet: Subnet.fromSubnetAttributes(third.stack, 'App', { subnetId: APP_SUBNET_ID }) },
    }));
    expect(onlyResource(synthStack(third.app, third.stack).json, 'azurerm_private_dns_zone_virtual_network_link')[1].virtual_network_id).toBe(VNET_ID);
  });

  test('an existing service: only the app is integrated; its endpoint options are refused', () => {
    const { app, stack } = newStack('existing');
    const existingWebPubSub = WebPubSubService.fromWebPubSubServiceAttributes(stack, 'Wps', { serviceId: TEST_IDS.webPubSub, hostname: 'wps-shared.webpubsub.azure.com' });
    new ServerlessWebPubSub(stack, 'Chat', base({ existingWebPubSub, network: {} }));
    const json = synthStack(app, stack).json;
    expect(resourcesOf(json, 'azurerm_private_endpoint')).toEqual({});
    expect(resourcesOf(json, 'azurerm_private_dns_zone')).toEqual({});
    expect((Object.values(resourcesOf(json, 'azurerm_subnet')) as any[]).map((s) => s.name)).toEqual(['snet-app']);
    const other = newStack('existing2');
    const wps = WebPubSubService.fromWebPubSubServiceAttributes(other.stack, 'Wps', { serviceId: TEST_IDS.webPubSub, hostname: 'wps-shared.webpubsub.azure.com' });
    expect(() => new ServerlessWebPubSub(other.stack, 'A', base({ existingWebPubSub: wps, network: { privateEndpointSubnetPrefix: '10.0.1.0/28' } }))).toThrow(
      "existing2/A/Network: `network.privateEndpointSubnetPrefix` has no use with an existing Web PubSub service: its private endpoint and DNS are its owner's",
    );
    expect(() => new ServerlessWebPubSub(other.stack, 'B', base({ existingWebPubSub: wps, network: { privateEndpointAllowedRequestTypes: ['RESTAPI'] } }))).toThrow(
      '`network.privateEndpointAllowedRequestTypes` has no use with an existing Web PubSub service',
    );
  });

  test('refused: one subnet for both uses, a part given with its prefix, a second way to set the endpoint or the subnet, Free_F1', () => {
    const { stack } = newStack('refused');
    const same = Subnet.fromSubnetAttributes(stack, 'Same', { subnetId: APP_SUBNET_ID });
    const sameAgain = Subnet.fromSubnetAttributes(stack, 'SameAgain', { subnetId: APP_SUBNET_ID.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/').replace(TEST_SUBSCRIPTION.toUpperCase(), TEST_SUBSCRIPTION) });
    expect(() => new ServerlessWebPubSub(stack, 'A', base({ network: { appSubnet: same, privateEndpointSubnet: same } }))).toThrow(
      "refused/A/Network: `network.privateEndpointSubnet` must not be the app's integration subnet",
    );
    expect(() => new ServerlessWebPubSub(stack, 'A2', base({ network: { appSubnet: same, privateEndpointSubnet: sameAgain } }))).toThrow("must not be the app's integration subnet");
    expect(() => new ServerlessWebPubSub(stack, 'B', base({ network: { appSubnet: same, appSubnetPrefix: '10.0.2.0/26' } }))).toThrow(
      '`network.appSubnet` and `network.appSubnetPrefix` are mutually exclusive',
    );
    expect(() => new ServerlessWebPubSub(stack, 'C', base({ network: { virtualNetwork: VirtualNetwork.fromVirtualNetworkAttributes(stack, 'V', { virtualNetworkId: VNET_ID }), addressSpace: ['10.0.0.0/16'] } }))).toThrow(
      '`network.virtualNetwork` and `network.addressSpace` are mutually exclusive',
    );
    expect(() => new ServerlessWebPubSub(stack, 'D', base({ network: {}, webPubSubProps: { privateEndpoint: { subnet: same } } }))).toThrow(
      '`webPubSubProps.privateEndpoint` and `network` are mutually exclusive',
    );
    expect(() => new ServerlessWebPubSub(stack, 'E', base({ network: {}, functionAppProps: { virtualNetworkSubnet: same } }))).toThrow(
      '`functionAppProps.virtualNetworkSubnet` and `network` are mutually exclusive',
    );
    expect(() => new ServerlessWebPubSub(stack, 'F', base({ network: {}, webPubSubProps: { sku: 'Free_F1' } }))).toThrow('refused/F: `webPubSubProps.sku` cannot have a private endpoint, which `network` gives the service');
    expect(() => new ServerlessWebPubSub(stack, 'G', base({ network: { appSubnetPrefix: '10.0.1.0/27' } }))).toThrow(
      'refused/G/Network: `network.appSubnetPrefix` overlaps `network.privateEndpointSubnetPrefix` (10.0.1.0/28, its default): the two subnets must not share addresses, got "10.0.1.0/27"',
    );
  });

  test('a bad prefix is reported under the prop the user wrote, not the inner subnet\'s or app\'s', () => {
    const { stack } = newStack('prefixes');
    expect(() => new ServerlessWebPubSub(stack, 'A', base({ network: { appSubnetPrefix: '10.0.2.0/29' } }))).toThrow(
      'prefixes/A/Network: `network.appSubnetPrefix` must be a /28 or larger (for virtual network integration, Learn "Azure Functions networking options"), got "10.0.2.0/29"',
    );
    expect(() => new ServerlessWebPubSub(stack, 'B', base({ network: { privateEndpointSubnetPrefix: '10.0.1.1/28' } }))).toThrow(
      'prefixes/B/Network: `network.privateEndpointSubnetPrefix` must start at its network address: for the given prefix length write 10.0.1.0/28',
    );
    expect(() => new ServerlessWebPubSub(stack, 'C', base({ network: { appSubnetPrefix: '10.1.2.0/26' } }))).toThrow(
      "prefixes/C/Network: `network.appSubnetPrefix` must lie within the virtual network's address space 10.0.0.0/16 (`network.addressSpace`), got \"10.1.2.0/26\"",
    );
    // Only the address space given: the default prefixes fall outside it, and the message says which prop to give.
    expect(() => new ServerlessWebPubSub(stack, 'D', base({ network: { addressSpace: ['172.16.0.0/20'] } }))).toThrow(
      "prefixes/D/Network: `network.appSubnetPrefix` must lie within the virtual network's address space 172.16.0.0/20 (`network.addressSpace`): its default does not; give `appSubnetPrefix`, got \"10.0.2.0/26\"",
    );
    // Changing the endpoints' prefix onto the app's default names the endpoints' prop, the one written.
    expect(() => new ServerlessWebPubSub(stack, 'E', base({ network: { privateEndpointSubnetPrefix: '10.0.2.0/28' } }))).toThrow(
      '`network.privateEndpointSubnetPrefix` overlaps `network.appSubnetPrefix` (10.0.2.0/26, its default)',
    );
    // Named under the pattern's prop, not the inner Subnet's addressPrefix.
    expect(() => new ServerlessWebPubSub(stack, 'F', base({ network: { privateEndpointSubnetPrefix: '10.0.1.0/30' } }))).toThrow(
      'prefixes/F/Network: `network.privateEndpointSubnetPrefix` must be a /29 or larger (Azure keeps 5 addresses of every subnet), got "10.0.1.0/30"',
    );
  });
});
