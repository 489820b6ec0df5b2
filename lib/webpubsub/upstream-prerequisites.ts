import { dependable, ITerraformDependable, TerraformResource, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import type { IWebPubSubService } from './web-pubsub-service';

/**
 * What a hub must wait for before its first save, beyond the keys its handlers carry: the service validates every
 * event handler URL when a hub is saved (https://learn.microsoft.com/azure/azure-web-pubsub/howto-develop-eventhandler),
 * and a service that reaches an app through a shared private link can only do so once the link is approved on the app.
 * Kept per (service, target app), on both sides: a prerequisite registered after a hub was created is added to that
 * hub's `depends_on`, so the order in which a stack creates hubs and links does not matter.
 */
interface Entry {
  readonly prerequisites: ITerraformDependable[];
  readonly hubs: TerraformResource[];
}

const ENTRIES = new WeakMap<IWebPubSubService, Map<string, Entry>>();
// Apps closed to the public network (`publicNetworkAccessEnabled: false`), by construct path, per construct tree.
const CLOSED_TARGETS = new WeakMap<IConstruct, Set<string>>();

function entryOf(service: IWebPubSubService, targetPath: string): Entry {
  let byTarget = ENTRIES.get(service);
  if (!byTarget) ENTRIES.set(service, (byTarget = new Map()));
  let entry = byTarget.get(targetPath);
  if (!entry) byTarget.set(targetPath, (entry = { prerequisites: [], hubs: [] }));
  return entry;
}

/** Terraform's `depends_on` names objects of the same configuration only (another stack's are applied first anyway). */
function addDependency(hub: TerraformResource, prerequisite: ITerraformDependable): void {
  if (prerequisite instanceof Construct && TerraformStack.of(prerequisite) !== TerraformStack.of(hub)) return;
  const reference = dependable(prerequisite);
  if (!(hub.dependsOn ?? []).includes(reference)) hub.dependsOn = [...(hub.dependsOn ?? []), reference];
}

/** Hubs of `service` whose handlers call `target` wait for `prerequisite` (created before or after them). */
export function registerUpstreamPrerequisite(service: IWebPubSubService, target: IConstruct, prerequisite: ITerraformDependable): void {
  const entry = entryOf(service, target.node.path);
  entry.prerequisites.push(prerequisite);
  for (const hub of entry.hubs) addDependency(hub, prerequisite);
}

// Writes on the service itself that its hubs wait for, whichever app they call (see registerServiceWrite).
const SERVICE_WRITES = new WeakMap<object, Entry>();

/**
 * Hubs of `service` (created before or after) wait for `write`, another write on the same service. Writes on one Web
 * PubSub service are not run side by side: azurerm serializes its own hub and network-ACL writes per service
 * (`locks.ByName(<service name>, "azurerm_web_pubsub")` in its web_pubsub_hub and web_pubsub_network_acl resources),
 * and a write through azapi (a replica) is outside that lock, so the library orders it instead.
 */
export function registerServiceWrite(service: object, write: ITerraformDependable): void {
  let entry = SERVICE_WRITES.get(service);
  if (!entry) SERVICE_WRITES.set(service, (entry = { prerequisites: [], hubs: [] }));
  entry.prerequisites.push(write);
  for (const hub of entry.hubs) addDependency(hub, write);
}

/** Records a hub resource of `service` calling `targets`, and makes it wait for what is registered for them. */
export function attachUpstreamPrerequisites(service: IWebPubSubService, targetPaths: readonly string[], hub: TerraformResource): void {
  let writes = SERVICE_WRITES.get(service);
  if (!writes) SERVICE_WRITES.set(service, (writes = { prerequisites: [], hubs: [] }));
  writes.hubs.push(hub);
  for (const write of writes.prerequisites) addDependency(hub, write);
  for (const path of new Set(targetPaths)) {
    const entry = entryOf(service, path);
    entry.hubs.push(hub);
    for (const prerequisite of entry.prerequisites) addDependency(hub, prerequisite);
  }
}

/** Whether anything lets `service` reach `targetPath` privately (a registered prerequisite: an approved shared private link). */
export function hasPrivateRoute(service: IWebPubSubService, targetPath: string): boolean {
  return (ENTRIES.get(service)?.get(targetPath)?.prerequisites.length ?? 0) > 0;
}

/** Records that an app is closed to the public network: the service reaches it only through a shared private link. */
export function registerClosedTarget(target: IConstruct): void {
  const root = target.node.root;
  let paths = CLOSED_TARGETS.get(root);
  if (!paths) CLOSED_TARGETS.set(root, (paths = new Set()));
  paths.add(target.node.path);
}

/** Whether the app at `targetPath` (in the tree of `scope`) is closed to the public network. */
export function isClosedTarget(scope: IConstruct, targetPath: string): boolean {
  return CLOSED_TARGETS.get(scope.node.root)?.has(targetPath) ?? false;
}
