import { Construct } from 'constructs';
import { LibraryConstruct } from '../core/edition-guard';
import type { IResourceGroup } from '../core/resource-group';
import { warnAtSynth } from '../core/synth-messages';
import { InvalidPropError, isUnresolved } from '../validation/invalid-prop-error';
import {
  cidrContains,
  cidrsOverlap,
  INTEGRATION_SUBNET_MAX_PREFIX_LENGTH,
  type Ipv4Cidr,
  SUBNET_MAX_PREFIX_LENGTH,
  SUBNET_SIZE_REASON,
  type SubnetDelegation,
  validateCidr,
} from '../validation/network';
import { IPrivateDnsZone, PrivateDnsZone } from './private-dns-zone';
import { PRIVATE_LINK_DNS_ZONES } from './private-link-zones';
import { ISubnet, Subnet } from './subnet';
import { DEFAULT_VIRTUAL_NETWORK_ADDRESS_SPACE, IVirtualNetwork, VirtualNetwork } from './virtual-network';

/** Default prefix of the private endpoints' subnet (Microsoft's Flex azd templates: `10.0.1.0/28`, 11 usable addresses). */
export const DEFAULT_PRIVATE_ENDPOINT_SUBNET_PREFIX = '10.0.1.0/28';
/** Default prefix of the app's integration subnet (Microsoft's Flex azd templates: `10.0.2.0/26`, 59 usable addresses; a Flex app may use up to 40). */
export const DEFAULT_APP_SUBNET_PREFIX = '10.0.2.0/26';

/** What the topology's network is made of: given parts are used, the others created (one prop per part). */
export interface TopologyNetworkOptions {
  /**
   * The network to create missing subnets in (a `VirtualNetwork` or `VirtualNetwork.fromVirtualNetworkAttributes`).
   * @default - a new network with `addressSpace` in the topology's group, unless both subnets are given
   */
  readonly virtualNetwork?: IVirtualNetwork;
  /**
   * Address spaces of the network created here (not with `virtualNetwork`).
   * @default ['10.0.0.0/16']
   */
  readonly addressSpace?: string[];
  /**
   * The subnet the private endpoints get their IPs from (not delegated).
   * @default - a new subnet `privateEndpointSubnetPrefix` named `snet-private-endpoints`
   */
  readonly privateEndpointSubnet?: ISubnet;
  /**
   * Prefix of the private endpoints' subnet created here (not with `privateEndpointSubnet`).
   * @default '10.0.1.0/28'
   */
  readonly privateEndpointSubnetPrefix?: string;
  /**
   * The function app's integration subnet, dedicated to it and delegated as its plan needs (`Microsoft.App/environments`
   * on Flex Consumption, `Microsoft.Web/serverFarms` on Elastic Premium and Dedicated).
   * @default - a new subnet `appSubnetPrefix` named `snet-app`, delegated as the plan needs
   */
  readonly appSubnet?: ISubnet;
  /**
   * Prefix of the app's subnet created here (not with `appSubnet`).
   * @default '10.0.2.0/26'
   */
  readonly appSubnetPrefix?: string;
  /**
   * The private DNS zone `privatelink.webpubsub.azure.com` the service's endpoint registers in. A given zone gets no
   * link from the library: it must already be linked to (or resolvable from) the app's network.
   * @default - a new zone, linked to the app's network
   */
  readonly webPubSubPrivateDnsZone?: IPrivateDnsZone;
}

/** Props of {@link TopologyNetwork}. */
export interface TopologyNetworkProps extends TopologyNetworkOptions {
  /** Where created parts go. */
  readonly resourceGroup: IResourceGroup;
  /** The delegation the app's plan needs. */
  readonly appDelegation: SubnetDelegation;
  /** Whether the service's private endpoint (and its DNS zone) are wanted. */
  readonly servicePrivateEndpoint: boolean;
  /** The prop path errors name (e.g. `network`). */
  readonly prop: string;
  /**
   * The Web PubSub DNS suffix of the cloud the service is in (its `hostnameSource`): the created zone is
   * `privatelink.<suffix>`, as the public cloud's is (Learn "Azure Private Endpoint private DNS zone values":
   * `privatelink.webpubsub.azure.com`); for another cloud that pattern is unconfirmed, so such users can bring the zone.
   * @default - the public cloud's `webpubsub.azure.com`, with a warning when `webPubSubCloudUnknown` is set
   */
  readonly webPubSubDnsSuffix?: string;
  /**
   * Whether the service's cloud is unknown at synth (it keeps its `hostname` attribute): the created zone then warns
   * that it is the public cloud's.
   * @default false
   */
  readonly webPubSubCloudUnknown?: boolean;
  /**
   * Tags of created parts.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * The network parts of the private topology (wiring only): the given ones, and what is missing created with the
 * defaults of Microsoft's Flex Consumption azd templates (`infra/app/vnet.bicep`).
 */
export class TopologyNetwork extends LibraryConstruct {
  /** The network (given or created); undefined when both subnets were given without it. */
  public readonly virtualNetwork?: IVirtualNetwork;
  /** The private endpoints' subnet; undefined without the service's private endpoint. */
  public readonly privateEndpointSubnet?: ISubnet;
  /** The app's integration subnet. */
  public readonly appSubnet: ISubnet;
  /** The Web PubSub private DNS zone; undefined without the service's private endpoint. */
  public readonly webPubSubPrivateDnsZone?: IPrivateDnsZone;

  /**
   * Checks the prefixes of the subnets created here under the props the user writes (`network.appSubnetPrefix`, ...):
   * the subnet and function app constructs check them too, but would name their own props (`addressPrefix`,
   * `virtualNetworkSubnet`) and, for an overlap, the second subnet even when the user changed the first.
   */
  private checkPrefixes(props: TopologyNetworkProps): void {
    const p = props.prop;
    const given = (prop: 'appSubnetPrefix' | 'privateEndpointSubnetPrefix', fallback: string) =>
      props[prop] === undefined ? { prop: `${p}.${prop}`, value: fallback, isDefault: true } : { prop: `${p}.${prop}`, value: props[prop]!, isDefault: false };
    const created: { prop: string; value: string; isDefault: boolean; cidr?: Ipv4Cidr }[] = [];
    if (props.appSubnet === undefined) {
      const app = given('appSubnetPrefix', DEFAULT_APP_SUBNET_PREFIX);
      const why = 'for virtual network integration, Learn "Azure Functions networking options"';
      created.push({ ...app, cidr: validateCidr(this, app.prop, app.value, { maxIpv4Length: INTEGRATION_SUBNET_MAX_PREFIX_LENGTH, why }) });
    }
    if (props.servicePrivateEndpoint && props.privateEndpointSubnet === undefined) {
      const endpoints = given('privateEndpointSubnetPrefix', DEFAULT_PRIVATE_ENDPOINT_SUBNET_PREFIX);
      created.push({ ...endpoints, cidr: validateCidr(this, endpoints.prop, endpoints.value, { maxIpv4Length: SUBNET_MAX_PREFIX_LENGTH, why: SUBNET_SIZE_REASON }) });
    }
    // Only a network created here has a known address space; a brought one is checked by the subnet construct.
    if (props.virtualNetwork === undefined) {
      const spaces = (props.addressSpace ?? DEFAULT_VIRTUAL_NETWORK_ADDRESS_SPACE).map((s) => (isUnresolved(s) ? undefined : validateCidr(this, `${p}.addressSpace`, s)));
      for (const s of created) {
        if (!s.cidr || spaces.some((space) => space === undefined)) continue;
        if (!spaces.some((space) => cidrContains(space!, s.cidr!))) {
          const rule = `must lie within the virtual network's address space ${(props.addressSpace ?? DEFAULT_VIRTUAL_NETWORK_ADDRESS_SPACE).join(', ')} (\`${p}.addressSpace\`)`;
          throw new InvalidPropError(this, s.prop, s.value, s.isDefault ? `${rule}: its default does not; give \`${s.prop.split('.').pop()}\`` : rule);
        }
      }
    }
    const [a, b] = created;
    if (a?.cidr && b?.cidr && cidrsOverlap(a.cidr, b.cidr)) {
      // Name the one the user wrote (the other is then its default).
      const [mine, other] = a.isDefault && !b.isDefault ? [b, a] : [a, b];
      throw new InvalidPropError(this, mine.prop, mine.value, `overlaps \`${other.prop}\` (${other.value}${other.isDefault ? ', its default' : ''}): the two subnets must not share addresses`);
    }
  }

  public constructor(scope: Construct, id: string, props: TopologyNetworkProps) {
    super(scope, id);
    const p = props.prop;
    const both = (given: unknown, givenProp: string, other: unknown, otherProp: string) => {
      if (given !== undefined && other !== undefined) {
        throw new InvalidPropError(this, `${p}.${givenProp}`, '(given)', `and \`${p}.${otherProp}\` are mutually exclusive: \`${otherProp}\` is for the one created here`);
      }
    };
    both(props.virtualNetwork, 'virtualNetwork', props.addressSpace, 'addressSpace');
    both(props.privateEndpointSubnet, 'privateEndpointSubnet', props.privateEndpointSubnetPrefix, 'privateEndpointSubnetPrefix');
    both(props.appSubnet, 'appSubnet', props.appSubnetPrefix, 'appSubnetPrefix');
    if (!props.servicePrivateEndpoint) {
      for (const unused of ['privateEndpointSubnet', 'privateEndpointSubnetPrefix', 'webPubSubPrivateDnsZone'] as const) {
        if (props[unused] !== undefined) {
          throw new InvalidPropError(this, `${p}.${unused}`, '(given)', "has no use with an existing Web PubSub service: its private endpoint and DNS are its owner's (`WebPubSubService` `privateEndpoint`)");
        }
      }
    }
    const needsNetwork = props.appSubnet === undefined || (props.servicePrivateEndpoint && props.privateEndpointSubnet === undefined);
    this.virtualNetwork =
      props.virtualNetwork ??
      (needsNetwork ? new VirtualNetwork(this, 'VirtualNetwork', { resourceGroup: props.resourceGroup, addressSpace: props.addressSpace, tags: props.tags }) : undefined);
    this.checkPrefixes(props);
    const subnet = (subnetId: string, name: string, addressPrefix: string, delegation?: SubnetDelegation) =>
      new Subnet(this, subnetId, { virtualNetwork: this.virtualNetwork!, name, addressPrefix, delegation });

    this.appSubnet = props.appSubnet ?? subnet('AppSubnet', 'snet-app', props.appSubnetPrefix ?? DEFAULT_APP_SUBNET_PREFIX, props.appDelegation);
    if (!props.servicePrivateEndpoint) return;
    this.privateEndpointSubnet =
      props.privateEndpointSubnet ??
      subnet('PrivateEndpointSubnet', 'snet-private-endpoints', props.privateEndpointSubnetPrefix ?? DEFAULT_PRIVATE_ENDPOINT_SUBNET_PREFIX);
    // "The subnet you choose can't already be used for other purposes, such as with private endpoints" (Learn "Create and
    // manage function apps in the Flex Consumption plan", virtual network integration).
    const sameId = !isUnresolved(this.appSubnet.subnetId) && this.appSubnet.subnetId.toLowerCase() === this.privateEndpointSubnet.subnetId.toLowerCase();
    if (this.appSubnet === this.privateEndpointSubnet || sameId) {
      throw new InvalidPropError(
        this,
        `${p}.privateEndpointSubnet`,
        this.privateEndpointSubnet.subnetId,
        "must not be the app's integration subnet: the integration needs a dedicated subnet delegated to the app's plan, and private endpoints cannot be placed in a delegated subnet",
      );
    }
    if (props.webPubSubPrivateDnsZone) {
      this.webPubSubPrivateDnsZone = props.webPubSubPrivateDnsZone;
    } else {
      // The app resolves the service's name in its own network: the zone is linked there.
      const appNetwork =
        this.virtualNetwork && this.virtualNetwork.virtualNetworkId === this.appSubnet.virtualNetworkId
          ? this.virtualNetwork
          : VirtualNetwork.fromVirtualNetworkAttributes(this, 'AppVirtualNetwork', { virtualNetworkId: this.appSubnet.virtualNetworkId, location: this.appSubnet.location });
      this.webPubSubPrivateDnsZone = new PrivateDnsZone(this, 'WebPubSubDnsZone', {
        resourceGroup: props.resourceGroup,
        zoneName: props.webPubSubDnsSuffix !== undefined && !isUnresolved(props.webPubSubDnsSuffix) ? `privatelink.${props.webPubSubDnsSuffix.toLowerCase()}` : PRIVATE_LINK_DNS_ZONES.webpubsub,
        virtualNetworks: [appNetwork],
        tags: props.tags,
      });
      if (props.webPubSubDnsSuffix === undefined && props.webPubSubCloudUnknown === true) {
        warnAtSynth(
          this,
          `the private DNS zone created for the service is the public cloud's ${PRIVATE_LINK_DNS_ZONES.webpubsub}, and the service's cloud is not known at synth (its hostnameSource reads the hostname attribute): ` +
            'in another cloud give `webPubSubProps.hostnameSource: WebPubSubHostnameSource.dnsSuffix(...)` or bring the zone (`network.webPubSubPrivateDnsZone`), or the app resolves the public address and is refused',
        );
      }
    }
  }
}
