import type { Construct } from 'constructs';
import { warnAtSynth } from '../../core/synth-messages';
import type { IResourceGroup } from '../../core/resource-group';
import type { ISubnet } from '../../network/subnet';
import { normalizeAzureRegion } from '../../validation/arm-ids';
import { InvalidPropError, isUnresolved } from '../../validation/invalid-prop-error';
import { INTEGRATION_SUBNET_MAX_PREFIX_LENGTH, parseIpv4Cidr, validateSubnetDelegation } from '../../validation/network';
import type { IWebPubSubService } from '../../webpubsub/web-pubsub-service';
import type { FunctionAppHosting } from '../function-app-hosting';

/**
 * Checks `virtualNetworkSubnet` of a function app against its hosting and region, and that every connected service
 * whose REST API is private-only can be reached:
 * - delegation (when known): `Microsoft.App/environments` on Flex Consumption (Learn "Azure Functions Flex Consumption
 *   plan hosting", considerations), `Microsoft.Web/serverFarms` on Elastic Premium and Dedicated (Learn "Enable
 *   integration with an Azure virtual network");
 * - region (when both are literals): "The app and the virtual network must be in the same region" (Learn "Azure
 *   Functions networking options", regional virtual network integration);
 * - size (when the prefix is known): a /28 or larger (same page);
 * - a connected service that refuses public REST API calls (`restApiPrivateOnly`) needs a path through the network,
 *   or every negotiate and output binding gets 403 (docs/validation-rules.md section 9): a warning, not an error,
 *   since the app may be integrated outside the library (e.g. an `azurerm_app_service_virtual_network_swift_connection`).
 * Returns the warnings (also added to the construct).
 */
export function validateVirtualNetworkIntegration(
  app: Construct,
  subnet: ISubnet | undefined,
  context: { readonly hosting: FunctionAppHosting; readonly resourceGroup: IResourceGroup; readonly services: readonly IWebPubSubService[] },
): string[] {
  if (subnet === undefined) {
    const warnings = context.services.flatMap((service, i) =>
      service.restApiPrivateOnly === true
        ? [
            `\`webPubSubConnections[${i}].service\` (${service.node.path}) refuses REST API calls from the public network (public access off, or its network ACL denies RESTAPI there), but the app has no \`virtualNetworkSubnet\`: unless you integrate it with the network some other way, its calls (client tokens for negotiate, every output binding) get 403. Set \`virtualNetworkSubnet\` to a subnet of a network that resolves the service's private endpoint, or allow RESTAPI publicly`,
          ]
        : [],
    );
    warnings.forEach((w) => warnAtSynth(app, w));
    return warnings;
  }
  if (typeof subnet !== 'object' || subnet === null || typeof (subnet as ISubnet).subnetId !== 'string') {
    throw new InvalidPropError(app, 'virtualNetworkSubnet', subnet, 'must be a subnet: `Subnet`, `VirtualNetwork.addSubnet(...)` or `Subnet.fromSubnetAttributes(...)`');
  }
  const flex = context.hosting.kind === 'FlexConsumption';
  validateSubnetDelegation(
    app,
    'virtualNetworkSubnet',
    subnet.delegation,
    flex ? 'Microsoft.App/environments' : 'Microsoft.Web/serverFarms',
    `${flex ? 'Flex Consumption' : context.hosting.kind === 'ElasticPremium' ? 'Elastic Premium' : 'Dedicated'} apps integrate only with a subnet delegated to it`,
  );
  const appRegion = context.resourceGroup.location;
  if (subnet.location !== undefined && !isUnresolved(subnet.location) && !isUnresolved(appRegion) && typeof appRegion === 'string') {
    if (normalizeAzureRegion(subnet.location) !== normalizeAzureRegion(appRegion)) {
      throw new InvalidPropError(app, 'virtualNetworkSubnet', subnet.location, `must be in the app's region ${appRegion}: the app and the virtual network must be in the same region`);
    }
  }
  const prefix = subnet.addressPrefix;
  if (prefix !== undefined && !isUnresolved(prefix)) {
    const parsed = parseIpv4Cidr(prefix);
    if (parsed && parsed.length > INTEGRATION_SUBNET_MAX_PREFIX_LENGTH) {
      throw new InvalidPropError(app, 'virtualNetworkSubnet', prefix, `must be a /${INTEGRATION_SUBNET_MAX_PREFIX_LENGTH} or larger for virtual network integration`);
    }
  }
  return [];
}
