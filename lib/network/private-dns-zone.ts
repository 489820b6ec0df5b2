import { PrivateDnsZone as AzurermPrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { Fn } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { LibraryConstruct } from '../core/edition-guard';
import { type IResourceGroup, validateResourceGroup } from '../core/resource-group';
import { validateArmResourceId } from '../validation/arm-ids';
import { validateAzureName } from '../validation/azure-resource-names';
import { isUnresolved } from '../validation/invalid-prop-error';
import { requireDefined } from '../validation/literals';
import { NETWORK_RESOURCE_TYPES, PRIVATE_DNS_ZONE_NAME } from '../validation/network';
import { validateTags } from '../validation/tags';
import type { IVirtualNetwork } from './virtual-network';

/** A private DNS zone, created here or referenced by its attributes. */
export interface IPrivateDnsZone extends IConstruct {
  /** ARM resource ID. */
  readonly privateDnsZoneId: string;
  /** The zone's name, e.g. `privatelink.webpubsub.azure.com`. */
  readonly privateDnsZoneName: string;
}

/** Attributes of an existing private DNS zone. */
export interface PrivateDnsZoneAttributes {
  /** ARM resource ID: `/subscriptions/<GUID>/resourceGroups/<group>/providers/Microsoft.Network/privateDnsZones/<name>`. */
  readonly privateDnsZoneId: string;
}

/** Props of {@link PrivateDnsZone}. */
export interface PrivateDnsZoneProps {
  /** Resource group of the zone (zones are global: its `location` is not used). */
  readonly resourceGroup: IResourceGroup;
  /** Zone name, e.g. `privatelink.webpubsub.azure.com` (`PRIVATE_LINK_DNS_ZONES`). */
  readonly zoneName: string;
  /**
   * Networks whose resources resolve names through this zone (one `azurerm_private_dns_zone_virtual_network_link`
   * each, without auto-registration); more with `addVirtualNetworkLink`.
   * @default - none
   */
  readonly virtualNetworks?: IVirtualNetwork[];
  /**
   * Tags (of the zone and its links).
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * A private DNS zone (`azurerm_private_dns_zone`) and its links to virtual networks. A private endpoint with a DNS zone
 * group writes its A record here, and every linked network resolves the service's public host name to the private IP
 * (Learn "Azure Private Endpoint DNS configuration"; "Use private endpoints for Azure Web PubSub", DNS changes).
 */
export class PrivateDnsZone extends LibraryConstruct implements IPrivateDnsZone {
  /** References an existing zone (its links are its owner's business: the library adds none). */
  public static fromPrivateDnsZoneAttributes(scope: Construct, id: string, attrs: PrivateDnsZoneAttributes): IPrivateDnsZone {
    class Imported extends LibraryConstruct implements IPrivateDnsZone {
      public readonly privateDnsZoneId: string;
      public readonly privateDnsZoneName: string;
      public constructor() {
        super(scope, id);
        requireDefined(this, 'privateDnsZoneId', attrs.privateDnsZoneId);
        this.privateDnsZoneId = validateArmResourceId(this, 'privateDnsZoneId', attrs.privateDnsZoneId, NETWORK_RESOURCE_TYPES.PRIVATE_DNS_ZONE);
        this.privateDnsZoneName = isUnresolved(this.privateDnsZoneId) ? Fn.element(Fn.split('/', this.privateDnsZoneId), 8) : this.privateDnsZoneId.split('/')[8];
      }
    }
    return new Imported();
  }

  public readonly privateDnsZoneId: string;
  public readonly privateDnsZoneName: string;
  /** The `azurerm_private_dns_zone` (escape hatch). */
  public readonly resource: AzurermPrivateDnsZone;
  /** The links, in the order they were added. */
  public readonly links: PrivateDnsZoneVirtualNetworkLink[] = [];
  private readonly resourceGroupName: string;
  private readonly tags?: Record<string, string>;
  private readonly linked = new Set<IVirtualNetwork>();

  public constructor(scope: Construct, id: string, props: PrivateDnsZoneProps) {
    super(scope, id);
    validateResourceGroup(this, props);
    requireDefined(this, 'zoneName', props.zoneName);
    validateAzureName(this, 'zoneName', props.zoneName, PRIVATE_DNS_ZONE_NAME);
    validateTags(this, 'tags', props.tags);
    this.resourceGroupName = props.resourceGroup.name;
    this.tags = props.tags;
    this.resource = new AzurermPrivateDnsZone(this, 'Resource', { name: props.zoneName, resourceGroupName: props.resourceGroup.name, tags: props.tags });
    this.privateDnsZoneId = this.resource.id;
    this.privateDnsZoneName = this.resource.name;
    for (const network of props.virtualNetworks ?? []) this.addVirtualNetworkLink(network);
  }

  /**
   * Links a network to the zone (once per network): its resources then resolve the zone's records. The link's construct
   * id is `Link-<network construct id>`, its name `<network name>-link`.
   */
  public addVirtualNetworkLink(network: IVirtualNetwork): PrivateDnsZoneVirtualNetworkLink {
    const existing = this.node.tryFindChild(`Link-${network.node.id}`) as PrivateDnsZoneVirtualNetworkLink | undefined;
    if (existing && this.linked.has(network)) return existing;
    this.linked.add(network);
    const link = new PrivateDnsZoneVirtualNetworkLink(this, existing ? `Link-${network.node.addr}` : `Link-${network.node.id}`, {
      name: `${network.virtualNetworkName}-link`,
      resourceGroupName: this.resourceGroupName,
      privateDnsZoneName: this.resource.name,
      virtualNetworkId: network.virtualNetworkId,
      registrationEnabled: false,
      tags: this.tags,
    });
    this.links.push(link);
    return link;
  }
}
