import { PrivateEndpoint as AzurermPrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { Construct } from 'constructs';
import { defaultResourceName } from '../core/default-resource-name';
import { LibraryConstruct } from '../core/edition-guard';
import { type IResourceGroup, validateResourceGroup } from '../core/resource-group';
import { validateAzureName } from '../validation/azure-resource-names';
import { InvalidPropError, isUnresolved } from '../validation/invalid-prop-error';
import { requireDefined } from '../validation/literals';
import { PRIVATE_ENDPOINT_NAME, validateSubnetDelegation } from '../validation/network';
import { validateTags } from '../validation/tags';
import type { IPrivateDnsZone } from './private-dns-zone';
import type { ISubnet } from './subnet';

/** Props of {@link PrivateEndpoint}. */
export interface PrivateEndpointProps {
  /**
   * Resource group of the endpoint. Its region is used only when the subnet's region is unknown: an endpoint lives in
   * its network's region ("The private endpoint must be deployed in the same region and subscription as the virtual
   * network", Learn "What is a private endpoint?").
   */
  readonly resourceGroup: IResourceGroup;
  /** The subnet the endpoint's network interface gets its IP from (not delegated). */
  readonly subnet: ISubnet;
  /** ARM resource ID of the resource the endpoint connects to. */
  readonly targetResourceId: string;
  /** The target's sub-resource (group ID), e.g. `webpubsub`, `blob` (`PRIVATE_LINK_DNS_ZONES` lists this topology's). */
  readonly subresource: string;
  /**
   * The private DNS zone the endpoint registers its A record in (a DNS zone group named `default`).
   * @default - no zone group: resolve the target's name to the endpoint's IP in your own DNS
   */
  readonly privateDnsZone?: IPrivateDnsZone;
  /**
   * Endpoint name (its connection and network interface names derive from it).
   * @default - derived from the construct path plus a per-deployment random suffix
   */
  readonly name?: string;
  /**
   * Tags.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * A private endpoint (`azurerm_private_endpoint`) with an automatically approved connection (the deployer needs the
 * target's `privateEndpointConnectionsApproval/action`, which Owner and Contributor have) and, with a zone, a DNS zone
 * group, so the target's public host name resolves to the endpoint's private IP in every network linked to the zone.
 * Sources: Learn "What is a private endpoint?", "Azure Private Endpoint DNS integration" (DNS zone groups); azurerm
 * `azurerm_private_endpoint` (`private_service_connection`, `private_dns_zone_group`).
 */
export class PrivateEndpoint extends LibraryConstruct {
  /** ARM resource ID of the endpoint. */
  public readonly privateEndpointId: string;
  /** Its private IP address (known after apply). */
  public readonly privateIpAddress: string;
  /** The `azurerm_private_endpoint` (escape hatch). */
  public readonly resource: AzurermPrivateEndpoint;

  public constructor(scope: Construct, id: string, props: PrivateEndpointProps) {
    super(scope, id);
    validateResourceGroup(this, props);
    requireDefined(this, 'subnet', props.subnet);
    requireDefined(this, 'targetResourceId', props.targetResourceId);
    requireDefined(this, 'subresource', props.subresource);
    if (!isUnresolved(props.subresource) && (typeof props.subresource !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(props.subresource))) {
      throw new InvalidPropError(this, 'subresource', props.subresource, 'must be a sub-resource (group ID) name such as webpubsub or blob');
    }
    // "The selected subnet has a delegation and cannot be used with a private endpoint" (Azure portal;
    // MicrosoftDocs/azure-docs#47048).
    validateSubnetDelegation(this, 'subnet', props.subnet.delegation, 'None', 'a private endpoint cannot be placed in a delegated subnet');
    validateTags(this, 'tags', props.tags);
    const name = props.name ?? defaultResourceName(this, PRIVATE_ENDPOINT_NAME, 'pe');
    validateAzureName(this, 'name', name, PRIVATE_ENDPOINT_NAME);
    this.resource = new AzurermPrivateEndpoint(this, 'Resource', {
      name,
      resourceGroupName: props.resourceGroup.name,
      location: props.subnet.location ?? props.resourceGroup.location,
      subnetId: props.subnet.subnetId,
      privateServiceConnection: {
        name: `${name}-connection`,
        privateConnectionResourceId: props.targetResourceId,
        subresourceNames: [props.subresource],
        isManualConnection: false,
      },
      privateDnsZoneGroup: props.privateDnsZone ? { name: 'default', privateDnsZoneIds: [props.privateDnsZone.privateDnsZoneId] } : undefined,
      tags: props.tags,
    });
    this.privateEndpointId = this.resource.id;
    this.privateIpAddress = this.resource.privateServiceConnection.privateIpAddress;
  }
}
