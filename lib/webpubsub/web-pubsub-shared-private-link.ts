import { createHash } from 'node:crypto';
import { WebPubsubSharedPrivateLinkResource } from '@cdktf/provider-azurerm/lib/web-pubsub-shared-private-link-resource';
import { Construct, IConstruct } from 'constructs';
import { LibraryConstruct } from '../core/edition-guard';
import { warnAtSynth } from '../core/synth-messages';
import { ARM_RESOURCE_TYPES, validateArmResourceId } from '../validation/arm-ids';
import { InvalidPropError, isUnresolved } from '../validation/invalid-prop-error';
import { isApprovedWithReplicas, replicasCreatedEnabled } from './replica-approvals';
import { serviceSkuOf } from './service-sku';
import type { IWebPubSubService } from './web-pubsub-service';
import type { WebPubSubReplica } from './web-pubsub-replica';

/**
 * A shared private link resource of a Web PubSub service or of one of its replicas: a private endpoint the service
 * creates in its own environment to reach a target privately, once the target's owner approves the connection.
 * `SharedPrivateLinkApproval` (on a function app) approves the links given as this interface, so a replica's copy
 * (`Microsoft.SignalRService/webPubSub/replicas/sharedPrivateLinkResources`, `WebPubSubSharedPrivateLink.forReplica`)
 * plugs in with the same shape.
 */
export interface ISharedPrivateLink extends IConstruct {
  /** ARM id of the shared private link resource (`.../webPubSub/<service>[/replicas/<replica>]/sharedPrivateLinkResources/<name>`). */
  readonly sharedPrivateLinkId: string;
  /** The service whose hubs call the target through the link (for a replica's link: its primary). */
  readonly service: IWebPubSubService;
  /** ARM id of the target (a `Microsoft.Web/sites` app). */
  readonly targetResourceId: string;
}

/** Props of {@link WebPubSubSharedPrivateLink}. */
export interface WebPubSubSharedPrivateLinkProps {
  /** The service (Standard_S1 or Premium: Free_F1 has no shared private links). */
  readonly service: IWebPubSubService;
  /** ARM id of the function app (or App Service app) the service calls privately. */
  readonly targetResourceId: string;
  /**
   * Name of the link on the service.
   * @default - `spl-` and a hash of the construct path
   */
  readonly name?: string;
  /**
   * Message sent with the connection request; it appears as the description of the pending connection on the app,
   * where `SharedPrivateLinkApproval` recognises the link's connection by it, so each link targeting one app needs its
   * own.
   * @default - `cdktf-azure-webpubsub: <service name>/<link name>` (unique per link)
   */
  readonly requestMessage?: string;
}

/**
 * Lets a Web PubSub service call a function app's webhook privately: `azurerm_web_pubsub_shared_private_link_resource`
 * with the group `sites`, targeting the app (Learn "Secure outbound traffic through shared private endpoints", Azure
 * Web PubSub). The connection it requests stays Pending until approved on the app (`SharedPrivateLinkApproval`).
 *
 * The hubs' event handler URLs do not change: they keep the app's default host name, which the service resolves to the
 * link's private endpoint in its own environment (an app behind a private endpoint is still called by its default name,
 * whose certificate is `*.azurewebsites.net`: Learn "Use private endpoints for Azure App Service apps", DNS).
 */
export class WebPubSubSharedPrivateLink extends LibraryConstruct implements ISharedPrivateLink {
  /** The `azurerm_web_pubsub_shared_private_link_resource` (escape hatch). */
  public readonly resource: WebPubsubSharedPrivateLinkResource;
  /** ARM id of the link. */
  public readonly sharedPrivateLinkId: string;
  /** The service the link belongs to. */
  public readonly service: IWebPubSubService;
  /** ARM id of the app the link targets. */
  public readonly targetResourceId: string;
  /** The link's name on the service. */
  public readonly linkName: string;
  /** The message its connection request carries. */
  public readonly requestMessage: string;

  public constructor(scope: Construct, id: string, props: WebPubSubSharedPrivateLinkProps) {
    super(scope, id);
    const sku = serviceSkuOf(props.service);
    // "The Web PubSub resource must be on the Standard tier or the Premium tier" (the how-to's requirements).
    if (sku === 'Free_F1') {
      throw new InvalidPropError(this, 'service', props.service.node.path, `has sku Free_F1, which has no shared private links: set the service's \`sku\` to Standard_S1, Premium_P1 or Premium_P2`);
    }
    this.service = props.service;
    this.targetResourceId = validateArmResourceId(this, 'targetResourceId', props.targetResourceId, ARM_RESOURCE_TYPES.WEB_SITE);
    this.linkName = props.name ?? `spl-${createHash('sha256').update(this.node.path).digest('hex').slice(0, 12)}`;
    if (!isUnresolved(this.linkName) && (typeof this.linkName !== 'string' || this.linkName.trim() === '')) {
      throw new InvalidPropError(this, 'name', this.linkName, 'must be a non-empty name');
    }
    this.requestMessage = props.requestMessage ?? `cdktf-azure-webpubsub: ${props.service.serviceName}/${this.linkName}`;
    if (!isUnresolved(this.requestMessage) && (typeof this.requestMessage !== 'string' || this.requestMessage.trim() === '')) {
      throw new InvalidPropError(this, 'requestMessage', this.requestMessage, 'must be a non-empty message: the approval recognises the connection by it');
    }
    this.resource = new WebPubsubSharedPrivateLinkResource(this, 'Resource', {
      name: this.linkName,
      webPubsubId: props.service.serviceId,
      subresourceName: 'sites',
      targetResourceId: this.targetResourceId,
      requestMessage: this.requestMessage,
    });
    this.sharedPrivateLinkId = this.resource.id;
    // Approved outside the app (portal, CLI), the replicas' copies are not waited for: say so rather than enable
    // replicas Microsoft says to keep disabled until then.
    this.node.addValidation({
      validate: () => {
        const replicas = replicasCreatedEnabled(this.service);
        if (replicas.length > 0 && !isApprovedWithReplicas(this.service, this)) {
          warnAtSynth(
            this,
            `no SharedPrivateLinkApproval in this app approves this link, and the service has geo-replicas (${replicas.map((r) => r.node.id).join(', ')}) whose copies of it need their own approval; ` +
              'Microsoft says not to enable a replica before ("Geo-replication in Azure Web PubSub", non-inherited configurations), but nothing here waits for an approval made elsewhere. ' +
              'Add a SharedPrivateLinkApproval with this link (it approves the copies and enables the replicas after), or create the replicas with `regionEndpointEnabled: false` and enable them once approved',
          );
        }
        return [];
      },
    });
  }

  /**
   * The copy of this link on a geo-replica, for its approval: Web PubSub replicates shared private links to every
   * replica itself, and each copy's connection needs its own approval on the app (Learn "Geo-replication in Azure Web
   * PubSub", non-inherited configurations). Nothing is created: the copy is
   * `<service id>/replicas/<replicaName>/sharedPrivateLinkResources/<link name>`. Pass the replica resource's name
   * attribute, so the approval runs after the replica exists; keep the replica's `regionEndpointEnabled` `Disabled`
   * until the approval is done.
   * Replicas of a `WebPubSubService` created in the app need none of this: an approval of this link covers their copies
   * and enables them after itself. This is for replicas the library does not know of (`WebPubSubReplica.fromReplicaAttributes`).
   */
  public forReplica(id: string, replicaName: string): ISharedPrivateLink {
    if (!isUnresolved(replicaName) && (typeof replicaName !== 'string' || replicaName.trim() === '')) {
      throw new InvalidPropError(this, 'replicaName', replicaName, 'must be the name of a replica of the service');
    }
    return new ReplicaSharedPrivateLink(this, id, {
      sharedPrivateLinkId: `${this.service.serviceId}/replicas/${replicaName}/sharedPrivateLinkResources/${this.linkName}`,
      service: this.service,
      targetResourceId: this.targetResourceId,
    });
  }
}

/** A replica's copy of a shared private link (created by the service, not by Terraform). */
class ReplicaSharedPrivateLink extends LibraryConstruct implements ISharedPrivateLink {
  public readonly sharedPrivateLinkId: string;
  public readonly service: IWebPubSubService;
  public readonly targetResourceId: string;

  public constructor(scope: Construct, id: string, attrs: Pick<ISharedPrivateLink, 'sharedPrivateLinkId' | 'service' | 'targetResourceId'>) {
    super(scope, id);
    this.sharedPrivateLinkId = attrs.sharedPrivateLinkId;
    this.service = attrs.service;
    this.targetResourceId = attrs.targetResourceId;
  }
}

const COPIES = new WeakMap<WebPubSubSharedPrivateLink, Map<WebPubSubReplica, ISharedPrivateLink>>();

/**
 * The copy of `link` on a replica of its service, once per (link, replica), named by the replica resource's `name`
 * attribute so that an approval listing it runs after the replica exists (the copy only appears then). Internal.
 */
export function replicaCopyOf(link: WebPubSubSharedPrivateLink, replica: WebPubSubReplica): ISharedPrivateLink {
  let copies = COPIES.get(link);
  if (!copies) COPIES.set(link, (copies = new Map()));
  let copy = copies.get(replica);
  if (!copy) copies.set(replica, (copy = link.forReplica(`Copy-${replica.node.id}`, replica.resource.name)));
  return copy;
}
