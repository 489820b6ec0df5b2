import { TerraformOutput, TerraformVariable } from 'cdktf';
import { PrivateDnsZone } from '../../lib/network/private-dns-zone';
import { PrivateEndpoint } from '../../lib/network/private-endpoint';
import { Subnet } from '../../lib/network/subnet';
import { VirtualNetwork } from '../../lib/network/virtual-network';
import { cidrContains, cidrsOverlap, parseIpv4Cidr, validateCidr } from '../../lib/validation/network';
import { newStack, onlyResource, resourcesOf, synthStack, TEST_SUBSCRIPTION } from '../core/synth-helpers';

const placement = { resourceGroup: { name: 'rg-net', location: 'westeurope' } };
const VNET_ID = `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub`;
const SUBNET_ID = `${VNET_ID}/subnets/snet-pe`;
const ZONE_ID = `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.webpubsub.azure.com`;
const TARGET_ID = `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.SignalRService/webPubSub/wps`;

describe('CIDR rules (validateCidr, cidrContains, cidrsOverlap)', () => {
  const { stack } = newStack('cidr');
  test('accepts network addresses of /0-/32 and IPv6 prefixes; refuses the rest, naming the prop and the fix', () => {
    expect(validateCidr(stack, 'p', '10.0.0.0/16')).toEqual({ base: 10 * 2 ** 24, length: 16 });
    expect(validateCidr(stack, 'p', '0.0.0.0/0')).toEqual({ base: 0, length: 0 });
    expect(validateCidr(stack, 'p', '10.0.1.7/32')).toEqual({ base: 10 * 2 ** 24 + 256 + 7, length: 32 });
    expect(validateCidr(stack, 'p', 'fd00:db8::/64')).toBeUndefined();
    expect(() => validateCidr(stack, 'p', '10.0.1.5/24')).toThrow('`p` must start at its network address: for the given prefix length write 10.0.1.0/24');
    for (const bad of ['10.0.0/16', '10.0.0.256/24', '10.0.0.0/33', '010.0.0.0/8', '10.0.0.0', 'ten/8', '10.0.0.0/08']) {
      expect(() => validateCidr(stack, 'p', bad)).toThrow(`\`p\` must be an address prefix in CIDR notation, such as 10.0.1.0/24, got "${bad}"`);
    }
    expect(() => validateCidr(stack, 'p', 24)).toThrow('`p` must be an address prefix in CIDR notation');
    expect(() => validateCidr(stack, 'p', '10.0.0.0/30', { maxIpv4Length: 29, why: 'room' })).toThrow('`p` must be a /29 or larger (room), got "10.0.0.0/30"');
    expect(validateCidr(stack, 'p', '10.0.0.0/29', { maxIpv4Length: 29 })).toBeDefined();
    const v = new TerraformVariable(stack, 'prefix', { type: 'string' });
    expect(validateCidr(stack, 'p', v.stringValue)).toBeUndefined();
  });
  test('containment and overlap', () => {
    const c = (s: string) => { const p = parseIpv4Cidr(s)!; return { base: p.address, length: p.length }; };
    expect(cidrContains(c('10.0.0.0/16'), c('10.0.2.0/26'))).toBe(true);
    expect(cidrContains(c('10.0.0.0/16'), c('10.1.0.0/24'))).toBe(false);
    expect(cidrContains(c('10.0.2.0/26'), c('10.0.0.0/16'))).toBe(false);
    expect(cidrsOverlap(c('10.0.2.0/26'), c('10.0.2.32/27'))).toBe(true);
    expect(cidrsOverlap(c('10.0.2.0/26'), c('10.0.2.64/26'))).toBe(false);
  });
});

describe('VirtualNetwork and Subnet', () => {
  test('a created network: default address space, subnets as separate resources, delegation with the action Azure fills in', () => {
    const { app, stack } = newStack('vnet');
    const vnet = new VirtualNetwork(stack, 'Vnet', { ...placement, name: 'vnet-chat', tags: { team: 'chat' } });
    vnet.addSubnet('App', { addressPrefix: '10.0.2.0/26', delegation: 'Microsoft.App/environments', name: 'snet-app' });
    vnet.addSubnet('Plan', { addressPrefix: '10.0.3.0/28', delegation: 'Microsoft.Web/serverFarms' });
    const pe = vnet.addSubnet('Pe', { addressPrefix: '10.0.1.0/28' });
    const { json } = synthStack(app, stack);
    const [vnetKey, net] = onlyResource(json, 'azurerm_virtual_network');
    expect(net).toMatchObject({ name: 'vnet-chat', address_space: ['10.0.0.0/16'], location: 'westeurope', resource_group_name: 'rg-net', tags: { team: 'chat' } });
    expect(net.subnet).toBeUndefined();
    const subnets = Object.values(resourcesOf(json, 'azurerm_subnet')) as any[];
    const byName = Object.fromEntries(subnets.map((s) => [s.name, s]));
    expect(byName['snet-app']).toMatchObject({
      address_prefixes: ['10.0.2.0/26'],
      virtual_network_name: `\${azurerm_virtual_network.${vnetKey}.name}`,
      resource_group_name: 'rg-net',
      delegation: [{ name: 'delegation', service_delegation: { name: 'Microsoft.App/environments', actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'] } }],
    });
    expect(byName.Plan.delegation[0].service_delegation).toEqual({ name: 'Microsoft.Web/serverFarms', actions: ['Microsoft.Network/virtualNetworks/subnets/action'] });
    expect(byName.Pe.delegation).toBeUndefined();
    expect(pe.delegation).toBe('None');
    expect(pe.location).toBe('westeurope');
  });

  test('refuses overlapping spaces, subnets outside the space, overlapping subnets, small and IPv6 subnets', () => {
    const { stack } = newStack('bad');
    expect(() => new VirtualNetwork(stack, 'A', { ...placement, addressSpace: ['10.0.0.0/16', '10.0.128.0/17'] })).toThrow(
      'bad/A: `addressSpace[1]` overlaps addressSpace[0] (10.0.0.0/16), got "10.0.128.0/17"',
    );
    expect(() => new VirtualNetwork(stack, 'B', { ...placement, addressSpace: [] })).toThrow('`addressSpace` must list at least one address prefix');
    const vnet = new VirtualNetwork(stack, 'C', { ...placement, addressSpace: ['10.1.0.0/24'] });
    expect(() => vnet.addSubnet('Out', { addressPrefix: '10.0.2.0/26' })).toThrow("bad/C/Out: `addressPrefix` must lie within the virtual network's address space 10.1.0.0/24, got \"10.0.2.0/26\"");
    vnet.addSubnet('One', { addressPrefix: '10.1.0.0/26' });
    expect(() => vnet.addSubnet('Two', { addressPrefix: '10.1.0.32/27' })).toThrow('bad/C/Two: `addressPrefix` overlaps the prefix of subnet bad/C/One in the same virtual network');
    expect(() => vnet.addSubnet('Tiny', { addressPrefix: '10.1.0.64/30' })).toThrow('`addressPrefix` must be a /29 or larger (Azure keeps 5 addresses of every subnet)');
    expect(() => vnet.addSubnet('Six', { addressPrefix: 'fd00::/64' })).toThrow('`addressPrefix` must be an IPv4 prefix');
    expect(() => vnet.addSubnet('Deleg', { addressPrefix: '10.1.0.128/28', delegation: 'Microsoft.Sql/managedInstances' as any })).toThrow(
      '`delegation` must be one of "Microsoft.App/environments", "Microsoft.Web/serverFarms"',
    );
    expect(() => vnet.addSubnet('Name', { addressPrefix: '10.1.0.128/28', name: '-bad' })).toThrow('`name` must be a subnet name');
    expect(() => new VirtualNetwork(stack, 'D', { ...placement, name: 'x' })).toThrow('`name` must be a virtual network name of 2-64 characters');
  });

  test('an existing network: subnets go into its group and name, read from the ID; its address space checks them when given', () => {
    const { app, stack } = newStack('byo');
    const vnet = VirtualNetwork.fromVirtualNetworkAttributes(stack, 'Hub', { virtualNetworkId: VNET_ID.replace('virtualNetworks', 'virtualnetworks'), location: 'West Europe', addressSpace: ['10.20.0.0/16'] });
    expect(vnet.virtualNetworkId).toBe(VNET_ID); // azurerm's casing
    expect(vnet.resourceGroupName).toBe('rg-hub');
    expect(vnet.virtualNetworkName).toBe('vnet-hub');
    new Subnet(stack, 'App', { virtualNetwork: vnet, addressPrefix: '10.20.5.0/27', delegation: 'Microsoft.App/environments' });
    expect(() => new Subnet(stack, 'Out', { virtualNetwork: vnet, addressPrefix: '10.0.0.0/27' })).toThrow('must lie within the virtual network\'s address space 10.20.0.0/16');
    const [, subnet] = onlyResource(synthStack(app, stack).json, 'azurerm_subnet');
    expect(subnet).toMatchObject({ resource_group_name: 'rg-hub', virtual_network_name: 'vnet-hub', address_prefixes: ['10.20.5.0/27'] });
    expect(() => VirtualNetwork.fromVirtualNetworkAttributes(stack, 'Bad', { virtualNetworkId: SUBNET_ID })).toThrow('`virtualNetworkId` must be an ARM resource ID of a virtual network');
  });

  test('Subnet.fromSubnetAttributes: ID checked and canonicalized, its network derived, delegation literal checked', () => {
    const { app, stack } = newStack('subnet');
    const s = Subnet.fromSubnetAttributes(stack, 'Pe', { subnetId: SUBNET_ID.replace('resourceGroups', 'resourcegroups').replace('subnets', 'Subnets'), delegation: 'None', location: 'westeurope' });
    expect(s.subnetId).toBe(SUBNET_ID);
    expect(s.virtualNetworkId).toBe(VNET_ID);
    expect(s.delegation).toBe('None');
    for (const bad of [VNET_ID, `${SUBNET_ID}/extra`, SUBNET_ID.replace(TEST_SUBSCRIPTION, 'sub')]) {
      expect(() => Subnet.fromSubnetAttributes(stack, `B${bad.length}`, { subnetId: bad })).toThrow('`subnetId` must be the ARM resource ID of a subnet');
    }
    expect(() => Subnet.fromSubnetAttributes(stack, 'D', { subnetId: SUBNET_ID, delegation: 'Microsoft.App' as any })).toThrow('`delegation` must be one of');
    const v = new TerraformVariable(stack, 'sid', { type: 'string' });
    const tokenized = Subnet.fromSubnetAttributes(stack, 'T', { subnetId: v.stringValue });
    expect(tokenized.delegation).toBeUndefined();
    new TerraformOutput(stack, 'vnet', { value: tokenized.virtualNetworkId });
    expect(synthStack(app, stack).json.output.vnet.value).toBe('${join("/", slice(split("/", var.sid), 0, 9))}');
  });
});

describe('PrivateDnsZone and PrivateEndpoint', () => {
  test('a zone linked to a network without auto-registration; an endpoint with a zone group, in its subnet\'s region', () => {
    const { app, stack } = newStack('pe');
    const vnet = new VirtualNetwork(stack, 'Vnet', { resourceGroup: { name: 'rg-net', location: 'swedencentral' } });
    const subnet = vnet.addSubnet('Pe', { addressPrefix: '10.0.1.0/28' });
    const zone = new PrivateDnsZone(stack, 'Zone', { ...placement, zoneName: 'privatelink.webpubsub.azure.com', virtualNetworks: [vnet] });
    expect(zone.addVirtualNetworkLink(vnet)).toBe(zone.links[0]); // once per network
    new PrivateEndpoint(stack, 'Endpoint', { ...placement, name: 'pe-wps', subnet, targetResourceId: TARGET_ID, subresource: 'webpubsub', privateDnsZone: zone });
    const { json } = synthStack(app, stack);
    const [zoneKey, z] = onlyResource(json, 'azurerm_private_dns_zone');
    expect(z).toMatchObject({ name: 'privatelink.webpubsub.azure.com', resource_group_name: 'rg-net' });
    const [vnetKey] = onlyResource(json, 'azurerm_virtual_network');
    expect(onlyResource(json, 'azurerm_private_dns_zone_virtual_network_link')[1]).toMatchObject({
      private_dns_zone_name: `\${azurerm_private_dns_zone.${zoneKey}.name}`,
      virtual_network_id: `\${azurerm_virtual_network.${vnetKey}.id}`,
      registration_enabled: false,
    });
    const [, pe] = onlyResource(json, 'azurerm_private_endpoint');
    expect(pe).toMatchObject({
      name: 'pe-wps',
      location: 'swedencentral',
      resource_group_name: 'rg-net',
      private_service_connection: { name: 'pe-wps-connection', private_connection_resource_id: TARGET_ID, subresource_names: ['webpubsub'], is_manual_connection: false },
      private_dns_zone_group: { name: 'default', private_dns_zone_ids: [`\${azurerm_private_dns_zone.${zoneKey}.id}`] },
    });
  });

  test('an existing zone by ID; an endpoint refuses a delegated subnet and a bad sub-resource', () => {
    const { app, stack } = newStack('pe2');
    const zone = PrivateDnsZone.fromPrivateDnsZoneAttributes(stack, 'Zone', { privateDnsZoneId: ZONE_ID.replace('privateDnsZones', 'privatednszones') });
    expect(zone.privateDnsZoneId).toBe(ZONE_ID);
    expect(zone.privateDnsZoneName).toBe('privatelink.webpubsub.azure.com');
    expect(() => PrivateDnsZone.fromPrivateDnsZoneAttributes(stack, 'Bad', { privateDnsZoneId: VNET_ID })).toThrow('`privateDnsZoneId` must be an ARM resource ID of a private DNS zone');
    expect(() => new PrivateDnsZone(stack, 'BadName', { ...placement, zoneName: 'privatelink..azure.com' })).toThrow('`zoneName` must be a private DNS zone name');
    // Labels may hold underscores (Microsoft's name rules for privateDnsZones); a single label is not a zone name here.
    expect(() => new PrivateDnsZone(stack, 'Underscore', { ...placement, zoneName: '_acme.privatelink.example.com' })).not.toThrow();
    expect(() => new PrivateDnsZone(stack, 'OneLabel', { ...placement, zoneName: 'privatelink' })).toThrow('`zoneName` must be a private DNS zone name');
    const delegated = Subnet.fromSubnetAttributes(stack, 'App', { subnetId: SUBNET_ID, delegation: 'Microsoft.App/environments' });
    expect(() => new PrivateEndpoint(stack, 'E1', { ...placement, subnet: delegated, targetResourceId: TARGET_ID, subresource: 'webpubsub' })).toThrow(
      'pe2/E1: `subnet` must not be delegated: a private endpoint cannot be placed in a delegated subnet (the subnet is delegated to Microsoft.App/environments)',
    );
    const plain = Subnet.fromSubnetAttributes(stack, 'Plain', { subnetId: SUBNET_ID });
    expect(() => new PrivateEndpoint(stack, 'E2', { ...placement, subnet: plain, targetResourceId: TARGET_ID, subresource: 'web pubsub' })).toThrow('`subresource` must be a sub-resource');
    new PrivateEndpoint(stack, 'E3', { ...placement, subnet: plain, targetResourceId: TARGET_ID, subresource: 'blob', privateDnsZone: zone });
    const [, pe] = onlyResource(synthStack(app, stack).json, 'azurerm_private_endpoint');
    // Region unknown for an imported subnet without location: the group's.
    expect(pe).toMatchObject({ location: 'westeurope', subnet_id: SUBNET_ID, private_dns_zone_group: { private_dns_zone_ids: [ZONE_ID] } });
    expect(pe.name).toMatch(/^pe-pe2-E3-[0-9a-f]{6}-\$\{random_string\./);
  });
});
