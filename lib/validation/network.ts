import { IConstruct } from 'constructs';
import { AzureNameRule } from './azure-resource-names';
import { InvalidPropError, isUnresolved } from './invalid-prop-error';

// Synth-time rules of the private networking constructs (lib/network/). Sources are next to each rule; the table is
// docs/validation-rules.md section 12.

/**
 * Virtual network names: 2-64, letters, digits, underscores, periods and hyphens, starting with a letter or digit,
 * ending with a letter, digit or underscore. Source: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftnetwork
 */
export const VIRTUAL_NETWORK_NAME: AzureNameRule = {
  resource: 'virtual network',
  minLength: 2,
  maxLength: 64,
  pattern: /^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/,
  allowed: 'letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore',
};

/** Subnet names: 1-80, the same characters as virtual networks. Source: RNR, Microsoft.Network `virtualNetworks/subnets`. */
export const SUBNET_NAME: AzureNameRule = { ...VIRTUAL_NETWORK_NAME, resource: 'subnet', minLength: 1, maxLength: 80 };

/** Private endpoint names: 2-64, the same characters as virtual networks. Source: RNR, Microsoft.Network `privateEndpoints`. */
export const PRIVATE_ENDPOINT_NAME: AzureNameRule = { ...VIRTUAL_NETWORK_NAME, resource: 'private endpoint' };

/**
 * Private DNS zone names: 2 to 34 labels of 1-63 characters separated by periods, each of "alphanumerics, underscores,
 * and hyphens" (RNR `privateDnsZones`, and the `name` of the Microsoft.Network/privateDnsZones template reference);
 * "Can't end with period". A label neither starts nor ends with a hyphen (DNS).
 */
export const PRIVATE_DNS_ZONE_NAME: AzureNameRule = {
  resource: 'private DNS zone',
  minLength: 1,
  maxLength: 253,
  pattern: /^(?=.{1,253}$)(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.){1,33}[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/,
  allowed: '2-34 labels of 1-63 letters, digits, underscores and hyphens separated by periods, such as privatelink.webpubsub.azure.com',
};

/**
 * The services a subnet can be delegated to for the function app's regional virtual network integration.
 * - Flex Consumption: `Microsoft.App/environments` (Learn "Azure Functions Flex Consumption plan hosting",
 *   considerations: "The subnet delegation required by Flex Consumption apps is `Microsoft.App/environments`";
 *   Azure-Samples/functions-quickstart-typescript-azd `infra/app/vnet.bicep`).
 * - Elastic Premium and Dedicated: `Microsoft.Web/serverFarms` (Learn "Enable integration with an Azure virtual
 *   network": "The subnet must be delegated to Microsoft.Web/serverFarms").
 */
export const SUBNET_DELEGATIONS: readonly SubnetDelegation[] = ['Microsoft.App/environments', 'Microsoft.Web/serverFarms'];

/** The service a subnet is delegated to for a function app's integration ({@link SUBNET_DELEGATIONS}). */
export type SubnetDelegation = 'Microsoft.App/environments' | 'Microsoft.Web/serverFarms';

/**
 * The action each delegation grants, as Azure fills it in when a delegation is created without actions (written
 * explicitly so that azurerm's plan shows no difference after the first apply). Sources: azurerm `azurerm_subnet`
 * docs (`service_delegation.actions`) and the Azure network `availableDelegations` list
 * (https://learn.microsoft.com/rest/api/virtualnetwork/available-delegations/list).
 */
export const SUBNET_DELEGATION_ACTIONS: Readonly<Record<SubnetDelegation, readonly string[]>> = {
  'Microsoft.App/environments': ['Microsoft.Network/virtualNetworks/subnets/join/action'],
  'Microsoft.Web/serverFarms': ['Microsoft.Network/virtualNetworks/subnets/action'],
};

/**
 * The smallest subnet, and why: "Azure reserves the first four and last IP address for a total of 5 IP addresses
 * within each subnet" (Virtual Network FAQ,
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq), so a /29 leaves three usable addresses.
 */
export const SUBNET_MAX_PREFIX_LENGTH = 29;
/** The reason {@link SUBNET_MAX_PREFIX_LENGTH} errors give. */
export const SUBNET_SIZE_REASON = 'Azure keeps 5 addresses of every subnet';

/** The smallest integration subnet: "The feature requires a subnet that's a /28 or larger" (Learn "Azure Functions networking options"). */
export const INTEGRATION_SUBNET_MAX_PREFIX_LENGTH = 28;

/** An IPv4 prefix, parsed. */
export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit number. */
  readonly base: number;
  /** The prefix length (0-32). */
  readonly length: number;
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n` (octets 0-255 without leading zeros, n 0-32); undefined when it is not one. */
export function parseIpv4Cidr(value: string): { address: number; length: number } | undefined {
  const m = IPV4_CIDR.exec(value);
  if (!m) return undefined;
  const octets = m.slice(1, 5);
  if (octets.some((o) => Number(o) > 255 || (o.length > 1 && o.startsWith('0')))) return undefined;
  const length = Number(m[5]);
  if (length > 32 || (m[5].length > 1 && m[5].startsWith('0'))) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + Number(o), 0);
  return { address, length };
}

function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

function networkOf(address: number, length: number): number {
  const size = 2 ** (32 - length);
  return Math.floor(address / size) * size;
}

/** A loose IPv6 CIDR shape (hex groups and colons, `/0`-`/128`): Azure address spaces may be dual-stack. */
const IPV6_CIDR = /^[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*\/(\d{1,3})$/;

/**
 * Fails unless the value is an address prefix in CIDR notation whose address is the network address: IPv4
 * `10.0.1.0/24` (not `10.0.1.5/24`, which Azure refuses with InvalidCIDRNotation: "For the given prefix length, the
 * address prefix should be 10.0.1.0/24"), or an IPv6 prefix (checked for shape only). `maxIpv4Length` bounds the
 * IPv4 prefix length (a subnet needs room: Azure reserves 5 addresses of each, so /29 is the smallest,
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq#are-there-any-restrictions-on-using-ip-addresses-within-these-subnets).
 * Returns the parsed IPv4 prefix (undefined for IPv6, tokens and `undefined`).
 */
export function validateCidr(scope: IConstruct, prop: string, value: unknown, options: { readonly maxIpv4Length?: number; readonly why?: string } = {}): Ipv4Cidr | undefined {
  if (value === undefined || isUnresolved(value)) return undefined;
  if (typeof value !== 'string') throw new InvalidPropError(scope, prop, value, 'must be an address prefix in CIDR notation, such as 10.0.1.0/24');
  if (IPV6_CIDR.test(value) && Number(IPV6_CIDR.exec(value)![1]) <= 128) return undefined;
  const parsed = parseIpv4Cidr(value);
  if (!parsed) throw new InvalidPropError(scope, prop, value, 'must be an address prefix in CIDR notation, such as 10.0.1.0/24');
  const base = networkOf(parsed.address, parsed.length);
  if (base !== parsed.address) {
    throw new InvalidPropError(scope, prop, value, `must start at its network address: for the given prefix length write ${formatIpv4(base)}/${parsed.length} (Azure refuses the prefix with InvalidCIDRNotation)`);
  }
  if (options.maxIpv4Length !== undefined && parsed.length > options.maxIpv4Length) {
    throw new InvalidPropError(scope, prop, value, `must be a /${options.maxIpv4Length} or larger${options.why ? ` (${options.why})` : ''}`);
  }
  return { base, length: parsed.length };
}

/** Whether `inner` lies within `outer`. */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.length >= outer.length && networkOf(inner.base, outer.length) === outer.base;
}

/** Whether two prefixes share an address. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.length <= b.length ? cidrContains(a, b) : cidrContains(b, a);
}

/** The parts of a subnet's ARM ID. */
export interface SubnetIdParts {
  readonly subscriptionId: string;
  readonly resourceGroupName: string;
  readonly virtualNetworkName: string;
  readonly subnetName: string;
}

const SUBNET_ID =
  /^\/subscriptions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/resourceGroups\/([-\p{L}\p{N}_.()]{0,89}[-\p{L}\p{N}_()])\/providers\/Microsoft\.Network\/virtualNetworks\/([^/?#]+)\/subnets\/([^/?#]+)$/iu;

/**
 * Fails unless the value is a subnet's ARM ID,
 * `/subscriptions/<GUID>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>`
 * (the form `virtualNetworkSubnetId` of `Microsoft.Web/sites` documents: "This must be of the form
 * /subscriptions/{subscriptionName}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/virtualNetworks/{vnetName}/subnets/{subnetName}"),
 * keywords compared case-insensitively as ARM does; returns it with the fixed segments in azurerm's casing
 * (`commonids.SubnetId`), and its parts (undefined for tokens).
 */
export function validateSubnetId(scope: IConstruct, prop: string, value: unknown): { id: string; parts?: SubnetIdParts } {
  if (isUnresolved(value)) return { id: value as string };
  const m = typeof value === 'string' ? SUBNET_ID.exec(value) : null;
  if (!m) {
    throw new InvalidPropError(
      scope,
      prop,
      value,
      'must be the ARM resource ID of a subnet: /subscriptions/<subscription GUID>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>',
    );
  }
  const [, subscriptionId, resourceGroupName, virtualNetworkName, subnetName] = m;
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.Network/virtualNetworks/${virtualNetworkName}/subnets/${subnetName}`,
    parts: { subscriptionId, resourceGroupName, virtualNetworkName, subnetName },
  };
}

/** ARM resource types of lib/network (azurerm's casing: `commonids.VirtualNetworkId`, privatedns `PrivateDnsZoneId`). */
export const NETWORK_RESOURCE_TYPES = {
  VIRTUAL_NETWORK: { namespace: 'Microsoft.Network', type: 'virtualNetworks', description: 'virtual network' },
  PRIVATE_DNS_ZONE: { namespace: 'Microsoft.Network', type: 'privateDnsZones', description: 'private DNS zone' },
} as const;

/**
 * Fails unless the subnet's delegation (when known) is the one the use needs. `actual` undefined means unknown (an
 * imported subnet whose delegation was not given): not checked, Azure decides at apply.
 */
export function validateSubnetDelegation(scope: IConstruct, prop: string, actual: SubnetDelegation | 'None' | undefined, expected: SubnetDelegation | 'None', use: string): void {
  if (actual === undefined || isUnresolved(actual) || actual === expected) return;
  const rule =
    expected === 'None'
      ? `must not be delegated: ${use} (the subnet is delegated to ${actual})`
      : `must be delegated to ${expected}: ${use} (the subnet is ${actual === 'None' ? 'not delegated' : `delegated to ${actual}`})`;
  throw new InvalidPropError(scope, prop, actual, rule);
}
