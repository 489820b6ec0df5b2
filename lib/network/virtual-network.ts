import { VirtualNetwork as AzurermVirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { Fn } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { defaultResourceName } from '../core/default-resource-name';
import { LibraryConstruct } from '../core/edition-guard';
import { type IResourceGroup, validateResourceGroup } from '../core/resource-group';
import { validateArmResourceId, validateAzureRegion } from '../validation/arm-ids';
import { validateAzureName } from '../validation/azure-resource-names';
import { InvalidPropError, isUnresolved } from '../validation/invalid-prop-error';
import { cidrsOverlap, Ipv4Cidr, NETWORK_RESOURCE_TYPES, validateCidr, VIRTUAL_NETWORK_NAME } from '../validation/network';
import { validateTags } from '../validation/tags';
import { Subnet, SubnetOptions } from './subnet';

/** A virtual network, created here or referenced by its attributes. */
export interface IVirtualNetwork extends IConstruct {
  /** ARM resource ID. */
  readonly virtualNetworkId: string;
  /** Name of the network. */
  readonly virtualNetworkName: string;
  /** Resource group of the network (subnets are created there). */
  readonly resourceGroupName: string;
  /** Region of the network; undefined when not known at synth (an imported network without `location`). */
  readonly location?: string;
  /** Address spaces, when known at synth (checked against the subnets created in it). */
  readonly addressSpace?: readonly string[];
}

/** Attributes of an existing virtual network. */
export interface VirtualNetworkAttributes {
  /** ARM resource ID: `/subscriptions/<GUID>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name>`. */
  readonly virtualNetworkId: string;
  /**
   * Its region, to check that the function app integrating with it is in the same one.
   * @default - unknown: not checked at synth (Azure refuses a network of another region at apply)
   */
  readonly location?: string;
  /**
   * Its address spaces, to check the subnets created in it.
   * @default - unknown: not checked at synth
   */
  readonly addressSpace?: string[];
}

/** Props of {@link VirtualNetwork}. */
export interface VirtualNetworkProps {
  /** Resource group and region of the network: an azurerm `ResourceGroup`, or `{ name, location }`. */
  readonly resourceGroup: IResourceGroup;
  /**
   * Network name.
   * @default - derived from the construct path plus a per-deployment random suffix
   */
  readonly name?: string;
  /**
   * Address spaces (CIDR).
   * @default ['10.0.0.0/16'] (the address space of Microsoft's Flex Consumption azd templates, `infra/app/vnet.bicep`)
   */
  readonly addressSpace?: string[];
  /**
   * Tags.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/** The default address space of a created network. */
export const DEFAULT_VIRTUAL_NETWORK_ADDRESS_SPACE = ['10.0.0.0/16'] as const;

abstract class VirtualNetworkBase extends LibraryConstruct implements IVirtualNetwork {
  public abstract readonly virtualNetworkId: string;
  public abstract readonly virtualNetworkName: string;
  public abstract readonly resourceGroupName: string;
  public abstract readonly location?: string;
  public abstract readonly addressSpace?: readonly string[];

  /** Adds a subnet to this network (a child of this construct). */
  public addSubnet(id: string, options: SubnetOptions): Subnet {
    return new Subnet(this, id, { ...options, virtualNetwork: this });
  }
}

const claimedPrefixes = new WeakMap<IVirtualNetwork, { path: string; cidr: Ipv4Cidr }[]>();

/**
 * Records the prefix of a subnet created in `network` and fails when it overlaps another subnet created there or lies
 * outside the network's known address spaces (Azure refuses both at apply: NetcfgSubnetRangeOutsideVnet,
 * NetcfgSubnetRangesOverlap; https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-subnet).
 */
export function claimSubnetPrefix(network: IVirtualNetwork, scope: IConstruct, prop: string, literal: string, cidr: Ipv4Cidr | undefined): void {
  if (!cidr) return;
  const spaces = network.addressSpace;
  if (spaces !== undefined && !isUnresolved(spaces) && !spaces.some((s) => isUnresolved(s))) {
    const parsed = spaces.map((s) => validateCidr(network, 'addressSpace', s)).filter((c): c is Ipv4Cidr => c !== undefined);
    if (!parsed.some((space) => space.length <= cidr.length && cidrsOverlap(space, cidr))) {
      throw new InvalidPropError(scope, prop, literal, `must lie within the virtual network's address space ${spaces.join(', ')}`);
    }
  }
  const claims = claimedPrefixes.get(network) ?? [];
  const clash = claims.find((c) => cidrsOverlap(c.cidr, cidr));
  if (clash) throw new InvalidPropError(scope, prop, literal, `overlaps the prefix of subnet ${clash.path} in the same virtual network`);
  claims.push({ path: scope.node.path, cidr });
  claimedPrefixes.set(network, claims);
}

/**
 * A virtual network (`azurerm_virtual_network`) for the private topology: the function app's integration subnet and
 * the private endpoints' subnet live in it. Subnets are separate `azurerm_subnet` resources ({@link Subnet}), never
 * inline blocks, so that subnets created elsewhere in the same network do not fight over it.
 */
export class VirtualNetwork extends VirtualNetworkBase {
  /** References an existing network; subnets can be added to it. */
  public static fromVirtualNetworkAttributes(scope: Construct, id: string, attrs: VirtualNetworkAttributes): IVirtualNetwork {
    class Imported extends VirtualNetworkBase {
      public readonly virtualNetworkId: string;
      public readonly virtualNetworkName: string;
      public readonly resourceGroupName: string;
      public readonly location = attrs.location;
      public readonly addressSpace = attrs.addressSpace;
      public constructor() {
        super(scope, id);
        this.virtualNetworkId = validateArmResourceId(this, 'virtualNetworkId', attrs.virtualNetworkId, NETWORK_RESOURCE_TYPES.VIRTUAL_NETWORK);
        validateAzureRegion(this, 'location', attrs.location);
        (attrs.addressSpace ?? []).forEach((s, i) => validateCidr(this, `addressSpace[${i}]`, s));
        // /subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>
        const segment = (i: number) => (isUnresolved(this.virtualNetworkId) ? Fn.element(Fn.split('/', this.virtualNetworkId), i) : this.virtualNetworkId.split('/')[i]);
        this.resourceGroupName = segment(4);
        this.virtualNetworkName = segment(8);
      }
    }
    return new Imported();
  }

  public readonly virtualNetworkId: string;
  public readonly virtualNetworkName: string;
  public readonly resourceGroupName: string;
  public readonly location: string;
  public readonly addressSpace: readonly string[];
  /** The `azurerm_virtual_network` (escape hatch). */
  public readonly resource: AzurermVirtualNetwork;

  public constructor(scope: Construct, id: string, props: VirtualNetworkProps) {
    super(scope, id);
    validateResourceGroup(this, props);
    validateTags(this, 'tags', props.tags);
    const name = props.name ?? defaultResourceName(this, VIRTUAL_NETWORK_NAME, 'vnet');
    validateAzureName(this, 'name', name, VIRTUAL_NETWORK_NAME);
    const addressSpace = props.addressSpace ?? [...DEFAULT_VIRTUAL_NETWORK_ADDRESS_SPACE];
    if (!isUnresolved(addressSpace)) {
      if (!Array.isArray(addressSpace) || addressSpace.length === 0) {
        throw new InvalidPropError(this, 'addressSpace', addressSpace, 'must list at least one address prefix in CIDR notation, such as 10.0.0.0/16');
      }
      const parsed = addressSpace.map((s, i) => ({ i, cidr: validateCidr(this, `addressSpace[${i}]`, s) }));
      parsed.forEach((a, k) =>
        parsed.slice(k + 1).forEach((b) => {
          if (a.cidr && b.cidr && cidrsOverlap(a.cidr, b.cidr)) {
            throw new InvalidPropError(this, `addressSpace[${b.i}]`, addressSpace[b.i], `overlaps addressSpace[${a.i}] (${addressSpace[a.i]})`);
          }
        }),
      );
    }
    this.resource = new AzurermVirtualNetwork(this, 'Resource', {
      name,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      addressSpace,
      tags: props.tags,
    });
    this.virtualNetworkId = this.resource.id;
    this.virtualNetworkName = this.resource.name;
    this.resourceGroupName = props.resourceGroup.name;
    this.location = props.resourceGroup.location;
    this.addressSpace = addressSpace;
  }
}
