import type { TopologyNetworkOptions } from '../network/topology-network';
import type { WebPubSubRequestType } from '../webpubsub/web-pubsub-service';

/**
 * Private networking of `ServerlessWebPubSub` (README "Private networking"): the service behind a private endpoint,
 * its public network narrowed to client connections, and the function app integrated with the network, so its REST
 * API calls to the service stay private. Every part can be brought (`virtualNetwork`, `privateEndpointSubnet`,
 * `appSubnet`, `webPubSubPrivateDnsZone`); what is not given is created.
 */
export interface ServerlessNetworkOptions extends TopologyNetworkOptions {
  /**
   * Request types the service's private endpoint accepts.
   * @default ['ClientConnection', 'RESTAPI']
   */
  readonly privateEndpointAllowedRequestTypes?: WebPubSubRequestType[];
}
