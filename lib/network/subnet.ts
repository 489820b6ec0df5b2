import { Subnet as AzurermSubnet } from '@cdktf/provider-azurerm/lib/subnet';
import { Fn } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { LibraryConstruct } from '../core/edition-guard';
import { validateAzureRegion } from '../validation/arm-ids';
import { validateAzureName } from '../validation/azure-resource-names';
import { InvalidPropError, isUnresolved } from '../validation/invalid-prop-error';
import { oneOf, requireDefined } from '../validation/literals';
import { SUBNET_DELEGATION_ACTIONS, SUBNET_DELEGATIONS, SUBNET_MAX_PREFIX_LENGTH, SUBNET_NAME, SUBNET_SIZE_REASON, SubnetDelegation, validateCidr, validateSubnetId } from '../validation/network';
import { claimSubnetPrefix, type IVirtualNetwork } from './virtual-network';

export type { SubnetDelegation } from '../validation/network';

/** A subnet, created here or referenced by its attributes. */
export interface ISubnet extends IConstruct {
  /** ARM resource ID. */
  readonly subnetId: string;
  /** ARM resource ID of the network the subnet belongs to. */
  readonly virtualNetworkId: string;
  /** Region of its network; undefined when not known at synth. */
  readonly location?: string;
  /**
   * The service the subnet is delegated to (`'None'`: not delegated); undefined when not known at synth (then the
   * library does not check it and Azure decides at apply).
   */
  readonly delegation?: SubnetDelegation | 'None';
  /** Its IPv4 address prefix, when known at synth. */
  readonly addressPrefix?: string;
}

/** Attributes of an existing subnet. */
export interface SubnetAttributes {
  /**
   * ARM resource ID:
   * `/subscriptions/<GUID>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<name>`.
   */
  readonly subnetId: string;
  /**
   * Region of its network, to check that a function app integrating with it is in the same one.
   * @default - unknown: not checked at synth
   */
  readonly location?: string;
  /**
   * The service it is delegated to (`'None'` when it is not delegated), to check it against its use at synth.
   * @default - unknown: not checked at synth (Azure refuses a wrong delegation at apply)
   */
  readonly delegation?: SubnetDelegation | 'None';
}

/** Options of a subnet added to a network with `VirtualNetwork.addSubnet`. */
export interface SubnetOptions {
  /** IPv4 address prefix (CIDR), within the network's address space; at least a /29 (Azure keeps 5 addresses). */
  readonly addressPrefix: string;
  /**
   * Subnet name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Delegate the subnet to a service: `Microsoft.App/environments` for a Flex Consumption app's virtual network
   * integration, `Microsoft.Web/serverFarms` for Elastic Premium and Dedicated apps.
   * @default - not delegated (what private endpoints need)
   */
  readonly delegation?: SubnetDelegation;
}

/** Props of {@link Subnet}. */
export interface SubnetProps extends SubnetOptions {
  /** The network to create the subnet in (a `VirtualNetwork`, or `VirtualNetwork.fromVirtualNetworkAttributes`). */
  readonly virtualNetwork: IVirtualNetwork;
}

/**
 * A subnet (`azurerm_subnet`). Network policies for private endpoints stay at azurerm's default (`Disabled`: NSGs and
 * route tables do not apply to private endpoints in it), as in Microsoft's templates; default outbound access stays
 * at azurerm's default (`true`), since the function app reaches its storage and Application Insights over their public
 * endpoints.
 */
export class Subnet extends LibraryConstruct implements ISubnet {
  /** References an existing subnet. */
  public static fromSubnetAttributes(scope: Construct, id: string, attrs: SubnetAttributes): ISubnet {
    class Imported extends LibraryConstruct implements ISubnet {
      public readonly subnetId: string;
      public readonly virtualNetworkId: string;
      public readonly location = attrs.location;
      public readonly delegation = attrs.delegation;
      public constructor() {
        super(scope, id);
        requireDefined(this, 'subnetId', attrs.subnetId);
        const { id: subnetId, parts } = validateSubnetId(this, 'subnetId', attrs.subnetId);
        validateAzureRegion(this, 'location', attrs.location);
        if (attrs.delegation !== undefined) oneOf(this, 'delegation', attrs.delegation, [...SUBNET_DELEGATIONS, 'None']);
        this.subnetId = subnetId;
        // The network's ID is the subnet's without `/subnets/<name>`.
        this.virtualNetworkId = parts
          ? `/subscriptions/${parts.subscriptionId}/resourceGroups/${parts.resourceGroupName}/providers/Microsoft.Network/virtualNetworks/${parts.virtualNetworkName}`
          : Fn.join('/', Fn.slice(Fn.split('/', subnetId), 0, 9));
      }
    }
    return new Imported();
  }

  public readonly subnetId: string;
  public readonly virtualNetworkId: string;
  public readonly location?: string;
  public readonly delegation: SubnetDelegation | 'None';
  public readonly addressPrefix: string;
  /** The `azurerm_subnet` (escape hatch). */
  public readonly resource: AzurermSubnet;

  public constructor(scope: Construct, id: string, props: SubnetProps) {
    super(scope, id);
    requireDefined(this, 'virtualNetwork', props.virtualNetwork);
    requireDefined(this, 'addressPrefix', props.addressPrefix);
    const name = props.name ?? id;
    validateAzureName(this, 'name', name, SUBNET_NAME);
    if (props.delegation !== undefined) oneOf(this, 'delegation', props.delegation, SUBNET_DELEGATIONS);
    if (!isUnresolved(props.addressPrefix) && typeof props.addressPrefix === 'string' && props.addressPrefix.includes(':')) {
      throw new InvalidPropError(this, 'addressPrefix', props.addressPrefix, 'must be an IPv4 prefix (the library creates IPv4 subnets)');
    }
    const cidr = validateCidr(this, 'addressPrefix', props.addressPrefix, { maxIpv4Length: SUBNET_MAX_PREFIX_LENGTH, why: SUBNET_SIZE_REASON });
    claimSubnetPrefix(props.virtualNetwork, this, 'addressPrefix', props.addressPrefix, cidr);
    this.resource = new AzurermSubnet(this, 'Resource', {
      name,
      resourceGroupName: props.virtualNetwork.resourceGroupName,
      virtualNetworkName: props.virtualNetwork.virtualNetworkName,
      addressPrefixes: [props.addressPrefix],
      delegation: props.delegation
        ? [{ name: 'delegation', serviceDelegation: { name: props.delegation, actions: [...SUBNET_DELEGATION_ACTIONS[props.delegation]] } }]
        : undefined,
    });
    this.subnetId = this.resource.id;
    this.virtualNetworkId = props.virtualNetwork.virtualNetworkId;
    this.location = props.virtualNetwork.location;
    this.delegation = props.delegation ?? 'None';
    this.addressPrefix = props.addressPrefix;
  }
}
