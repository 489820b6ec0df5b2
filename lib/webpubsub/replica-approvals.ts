import { ITerraformDependable } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import type { IWebPubSubService } from './web-pubsub-service';
import { createdEnabled, holdRegionEndpointUntil, WebPubSubReplica } from './web-pubsub-replica';

/**
 * Shared private links and geo-replicas, whichever is declared first: Web PubSub copies each shared private link of a
 * service to every replica, each copy's connection needs its own approval on the target, and a replica must not be
 * enabled before that (Learn "Geo-replication in Azure Web PubSub", non-inherited configurations: "While shared private
 * endpoints are automatically replicated to replicas, separate approvals are required on target private link
 * resources ... Do not enable the replica until its shared private endpoint has been approved").
 * An approval of a service's link registers here; every replica of the service, existing or added later with
 * `addReplica`, then has its copy added to the approval and its region endpoint held until the approval.
 */
export interface ReplicaApprovalHook {
  /** The link of the service the approval approves (its copies are the replicas'). */
  readonly link: IConstruct;
  /** The approval the replicas' region endpoints wait for. */
  readonly approval: ITerraformDependable & Construct;
  /** Adds the replica's copy of the approved link(s) to the approval. */
  readonly coverReplica: (replica: WebPubSubReplica) => void;
}

const HOOKS = new WeakMap<IWebPubSubService, ReplicaApprovalHook[]>();

/** The replicas of a service created in the app (an imported service has none the library knows of). */
export function replicasOf(service: IWebPubSubService): readonly WebPubSubReplica[] {
  const replicas = (service as { replicas?: unknown }).replicas;
  return Array.isArray(replicas) ? replicas.filter((r): r is WebPubSubReplica => r instanceof WebPubSubReplica) : [];
}

function apply(hook: ReplicaApprovalHook, replica: WebPubSubReplica): void {
  hook.coverReplica(replica);
  holdRegionEndpointUntil(replica, hook.approval);
}

/** Registers an approval of a link of `service`: covers the service's replicas now and those added later. */
export function registerReplicaApproval(service: IWebPubSubService, hook: ReplicaApprovalHook): void {
  let hooks = HOOKS.get(service);
  if (!hooks) HOOKS.set(service, (hooks = []));
  hooks.push(hook);
  for (const replica of replicasOf(service)) apply(hook, replica);
}

/** Called by `WebPubSubService.addReplica` for each new replica. */
export function coverNewReplica(service: IWebPubSubService, replica: WebPubSubReplica): void {
  for (const hook of HOOKS.get(service) ?? []) apply(hook, replica);
}

/** The replicas of `service` created with their region endpoint on. */
export function replicasCreatedEnabled(service: IWebPubSubService): WebPubSubReplica[] {
  return replicasOf(service).filter(createdEnabled);
}

/** Whether an approval in the app approves `link` of `service` (and so its replicas' copies). */
export function isApprovedWithReplicas(service: IWebPubSubService, link: IConstruct): boolean {
  return (HOOKS.get(service) ?? []).some((hook) => hook.link === link);
}
