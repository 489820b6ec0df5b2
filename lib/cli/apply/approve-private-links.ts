/**
 * `approve-private-links`: approves, on a Function App, the private endpoint connections that Web PubSub shared private
 * link resources (the service's, and each replica's) request, then waits until every link reports `Approved`, so the
 * hubs created next (the service validates their event handler URL through the link when a hub is saved) succeed.
 *
 * The same steps as Microsoft's how-to "Secure outbound traffic through shared private endpoints" (Azure Web PubSub):
 * the link is created on the service with `groupId: sites`; its connection appears `Pending` on the app; the app's
 * owner lists the app's connections (`az network private-endpoint-connection list --type Microsoft.Web/sites`), approves
 * the pending one (`az network private-endpoint-connection approve --id <connection id>`, which PUTs the connection
 * with `privateLinkServiceConnectionState.status = Approved`: WebApps_ApproveOrRejectPrivateEndpointConnection,
 * https://learn.microsoft.com/rest/api/appservice/web-apps/approve-or-reject-private-endpoint-connection), and "it takes a
 * few minutes for the approval to be reflected in Web PubSub": the link's `properties.status` turns `Approved`.
 *
 * Which connection belongs to which link: the connection's name and its private endpoint (created in the service's own
 * environment, not visible to the user) are only known once the link exists, so the step matches the connection's
 * `privateLinkServiceConnectionState.description`, which carries the link's `requestMessage` (the how-to's listing
 * shows it), against the message it reads from the link itself. The library writes a message unique to each link; a
 * pending connection that matches no link is never approved (it could be anyone's request for private access).
 *
 * Geo-replicas: "shared private endpoints are automatically replicated to replicas, separate approvals are required on
 * target private link resources" (Learn "Geo-replication in Azure Web PubSub"). A replica's copy
 * (`.../replicas/<replica>/sharedPrivateLinkResources/<name>`) carries the same message, so one message stands for the
 * primary's link and each replica's copy given here, and for at most that many connections; more connections than
 * given links with a message (a replica's copy left out) fail without approving anything.
 */
import { armAuth, bodyExcerpt, Deadline, elapsed, isTransient, send, siteNameOf, StepContext, TokenCache, WEB_SITES_API_VERSION } from './apply-step';
import { CliError } from '../deployment-inputs';

/** ARM API version of `Microsoft.SignalRService/webPubSub` (GA with replicas and their shared private links). */
export const WEB_PUBSUB_API_VERSION = '2024-03-01';

/** Input of {@link approvePrivateLinks}. */
export interface ApprovePrivateLinksOptions {
  /** ARM id of the Function App (the links' target). */
  readonly appId: string;
  /**
   * ARM ids of the shared private link resources: `.../webPubSub/<service>/sharedPrivateLinkResources/<name>` or
   * `.../webPubSub/<service>/replicas/<replica>/sharedPrivateLinkResources/<name>`.
   */
  readonly sharedPrivateLinkIds: readonly string[];
  /** Time allowed for the whole step. */
  readonly timeoutMs: number;
}

/** A Web PubSub shared private link resource id (of the service or of a replica). */
const SHARED_PRIVATE_LINK_ID =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.SignalRService\/webPubSub\/[^/]+(\/replicas\/[^/]+)?\/sharedPrivateLinkResources\/[^/]+$/i;

/** Checks the ids given on the command line or in the environment: comma-separated (or a JSON array). */
export function parseSharedPrivateLinkIds(text: string | undefined, what: string): string[] {
  if (text === undefined || text.trim() === '') throw new CliError(`${what} is required (comma-separated shared private link resource ids)`);
  let value: unknown = text.split(',').map((id) => id.trim()).filter((id) => id !== '');
  if (text.trim().startsWith('[')) {
    try {
      value = JSON.parse(text);
    } catch {
      throw new CliError(`${what} must be comma-separated shared private link resource ids (or a JSON array of them), got ${JSON.stringify(text.slice(0, 80))}`);
    }
  }
  if (!Array.isArray(value) || value.length === 0) throw new CliError(`${what} must name at least one shared private link resource id`);
  const ids = value.map((id, i) => {
    if (typeof id !== 'string' || !SHARED_PRIVATE_LINK_ID.test(id)) {
      throw new CliError(
        `${what}[${i}] must be a shared private link resource id (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.SignalRService/webPubSub/<service>[/replicas/<replica>]/sharedPrivateLinkResources/<name>), got ${JSON.stringify(id)}`,
      );
    }
    return id;
  });
  // Once each (ARM ids are case-insensitive): a replica's copy given by hand and found by the library resolves to the
  // same id, and counting it twice would let one more connection with its message be approved.
  const byKey = new Map<string, string>();
  for (const id of ids) if (!byKey.has(id.toLowerCase())) byKey.set(id.toLowerCase(), id);
  return [...byKey.values()];
}

/**
 * The body that approves a connection (`Microsoft.Web/sites/privateEndpointConnections`, RemotePrivateEndpointConnectionARMResource):
 * only `privateLinkServiceConnectionState`, keeping the description so a re-run still recognises the connection.
 */
export function approvalBody(description: string): { properties: { privateLinkServiceConnectionState: { status: 'Approved'; description: string } } } {
  return { properties: { privateLinkServiceConnectionState: { status: 'Approved', description } } };
}

interface LinkState {
  readonly id: string;
  readonly name: string;
  provisioningState?: string;
  status?: string;
  requestMessage?: string;
  privateLinkResourceId?: string;
}

interface Connection {
  id?: string;
  name?: string;
  properties?: { privateLinkServiceConnectionState?: { status?: string; description?: string } };
}

/** Descriptions compare trimmed and case-insensitively (the how-to's listing shows the message with another capital). */
const normalized = (message: string | undefined): string => (message ?? '').trim().toLowerCase();
const stateOf = (c: Connection): string => (c.properties?.privateLinkServiceConnectionState?.status ?? '').toLowerCase();

const linkLabel = (id: string): string => id.replace(/^.*\/webPubSub\//i, '');

export async function approvePrivateLinks(options: ApprovePrivateLinksOptions, ctx: StepContext): Promise<void> {
  const started = Date.now();
  const deadline = new Deadline(options.timeoutMs);
  const tokens = new TokenCache(ctx.login, deadline);
  const app = siteNameOf(options.appId);
  const pace = ctx.pace ?? 1;
  const links: LinkState[] = options.sharedPrivateLinkIds.map((id) => ({ id, name: linkLabel(id) }));
  let last = '';
  for (let attempt = 0; ; attempt++) {
    const notYetListed: string[] = [];
    for (const link of links) if (link.status?.toLowerCase() !== 'approved') await readLink(ctx, tokens, deadline, link, options.appId);
    const waiting = links.filter((l) => l.status?.toLowerCase() !== 'approved');
    if (waiting.length === 0) break;
    const refused = waiting.find((l) => ['rejected', 'disconnected', 'timeout'].includes(l.status?.toLowerCase() ?? ''));
    if (refused) {
      throw new CliError(
        `the shared private link ${refused.name} is ${refused.status} on ${app}: its connection was refused or removed on the app, and Web PubSub cannot reach the app through it. Delete and re-create the link (e.g. \`terraform apply -replace\` on it), then apply again`,
      );
    }
    const ready = waiting.filter((l) => l.provisioningState?.toLowerCase() === 'succeeded');
    if (ready.length > 0) {
      const connections = await listConnections(ctx, tokens, deadline, options.appId);
      // A replica's link is the primary's, replicated, with the same request message ("shared private endpoints are
      // automatically replicated to replicas, separate approvals are required"): one message may stand for several
      // of the given links, and then for as many connections, never more.
      const messages = [...new Set(ready.map((l) => normalized(l.requestMessage)))];
      for (const message of messages) {
        const sharing = links.filter((l) => normalized(l.requestMessage) === message);
        const names = sharing.map((l) => l.name).join(', ');
        const matching = connections.filter(
          (c) => normalized(c.properties?.privateLinkServiceConnectionState?.description) === message && ['pending', 'approved'].includes(stateOf(c)),
        );
        if (matching.length > sharing.length) {
          throw new CliError(
            `${matching.length} private endpoint connections of ${app} carry the request message ${JSON.stringify(ready.find((l) => normalized(l.requestMessage) === message)?.requestMessage)}, ` +
              `but only ${sharing.length} of the given links (${names}) do: nothing was approved. If the service has geo-replicas, each replica has a copy of the link ` +
              '(.../replicas/<replica>/sharedPrivateLinkResources/<name>) that needs its own approval: add it to the approval; otherwise give each link its own requestMessage',
          );
        }
        if (matching.length === 0) notYetListed.push(names);
        for (const connection of matching.filter((c) => stateOf(c) === 'pending' && c.id)) {
          await approve(ctx, tokens, deadline, app, connection.id!, connection.properties?.privateLinkServiceConnectionState?.description ?? '');
          ctx.log(`approved the private endpoint connection ${connection.name ?? connection.id} on ${app} (the request of ${names})`);
        }
      }
    }
    const summary = waiting.map((l) => `${l.name}: ${l.provisioningState ?? '?'}/${l.status ?? '?'}`).join(', ');
    const line =
      notYetListed.length > 0
        ? `no private endpoint connection of ${app} carries the request message of ${notYetListed.join(', ')} yet`
        : `waiting for Web PubSub to report the approval (${summary})`;
    if (line !== last) ctx.log(`… ${line}`);
    last = line;
    if (!(await deadline.sleep(Math.min(30_000, 5_000 * 2 ** Math.min(attempt, 3)) * pace))) {
      throw new CliError(
        `the shared private link${waiting.length > 1 ? 's' : ''} ${waiting.map((l) => l.name).join(', ')} to ${app} did not report Approved within ${deadline.totalMs / 1000} s (last: ${last})`,
      );
    }
  }
  ctx.log(`Web PubSub reaches ${app} privately through ${links.map((l) => l.name).join(', ')} (${elapsed(started)})`);
}

function linkUrl(ctx: StepContext, id: string): string {
  const url = new URL(`${ctx.armEndpoint.replace(/\/+$/, '')}${id}`);
  url.searchParams.set('api-version', WEB_PUBSUB_API_VERSION);
  return url.toString();
}

/** GETs a link; 404 and transient answers leave its state unknown (it is being created). */
async function readLink(ctx: StepContext, tokens: TokenCache, deadline: Deadline, link: LinkState, appId: string): Promise<void> {
  const { response } = await send(ctx, tokens, deadline, linkUrl(ctx, link.id), { auth: armAuth(ctx), timeoutMs: 30_000 });
  if (response?.ok) {
    const body = (await response.json().catch(() => ({}))) as { properties?: Record<string, unknown> };
    const p = body.properties ?? {};
    link.provisioningState = typeof p.provisioningState === 'string' ? p.provisioningState : undefined;
    link.status = typeof p.status === 'string' ? p.status : undefined;
    link.requestMessage = typeof p.requestMessage === 'string' ? p.requestMessage : undefined;
    link.privateLinkResourceId = typeof p.privateLinkResourceId === 'string' ? p.privateLinkResourceId : undefined;
    if (link.privateLinkResourceId && link.privateLinkResourceId.toLowerCase() !== appId.toLowerCase()) {
      throw new CliError(`the shared private link ${link.name} targets ${link.privateLinkResourceId}, not the app ${appId}`);
    }
    if (link.provisioningState?.toLowerCase() === 'failed') {
      throw new CliError(`the shared private link ${link.name} failed to provision on Web PubSub: re-create it (the service must be on Standard or Premium)`);
    }
    if (link.status?.toLowerCase() !== 'approved' && !link.requestMessage?.trim()) {
      throw new CliError(`the shared private link ${link.name} has no requestMessage: the step recognises its connection on the app by that message, so give the link one`);
    }
    return;
  }
  if (response && (response.status === 401 || response.status === 403)) {
    throw new CliError(`reading the shared private link ${link.name} was refused (${response.status}): ${ctx.login.description} needs Reader on the Web PubSub service. ${await bodyExcerpt(response)}`);
  }
  if (response && !isTransient(response.status) && response.status !== 404) {
    throw new CliError(`reading the shared private link ${link.name} failed with ${response.status}: ${await bodyExcerpt(response)}`);
  }
  await response?.body?.cancel();
}

/** The app's private endpoint connections (WebApps_GetPrivateEndpointConnectionList, following `nextLink` on ARM). */
async function listConnections(ctx: StepContext, tokens: TokenCache, deadline: Deadline, appId: string): Promise<Connection[]> {
  const url = new URL(`${ctx.armEndpoint.replace(/\/+$/, '')}${appId}/privateEndpointConnections`);
  url.searchParams.set('api-version', WEB_SITES_API_VERSION);
  const all: Connection[] = [];
  let next: string | undefined = url.toString();
  for (let page = 0; next && page < 20; page++) {
    const { response, error } = await send(ctx, tokens, deadline, next, { auth: armAuth(ctx), timeoutMs: 30_000 });
    if (response?.ok) {
      const body = (await response.json().catch(() => ({}))) as { value?: Connection[]; nextLink?: string };
      all.push(...(Array.isArray(body.value) ? body.value : []));
      next = typeof body.nextLink === 'string' && body.nextLink !== '' ? body.nextLink : undefined;
      continue;
    }
    if (response && (response.status === 401 || response.status === 403)) {
      throw new CliError(`listing the private endpoint connections of ${siteNameOf(appId)} was refused (${response.status}): ${ctx.login.description} needs Reader on the app. ${await bodyExcerpt(response)}`);
    }
    await response?.body?.cancel();
    ctx.log(`… listing the private endpoint connections of ${siteNameOf(appId)}: ${response ? response.status : error}; retrying`);
    return all;
  }
  return all;
}

/** PUTs the approval (a long-running operation: 200 or 202; the link's status is what the step then waits for). */
async function approve(ctx: StepContext, tokens: TokenCache, deadline: Deadline, app: string, connectionId: string, description: string): Promise<void> {
  const url = new URL(`${ctx.armEndpoint.replace(/\/+$/, '')}${connectionId}`);
  if (!/\/providers\/Microsoft\.Web\/sites\/[^/]+\/privateEndpointConnections\/[^/]+$/i.test(url.pathname)) {
    throw new CliError(`ARM listed a private endpoint connection of ${app} with an unexpected id: ${JSON.stringify(connectionId.slice(0, 200))}`);
  }
  url.searchParams.set('api-version', WEB_SITES_API_VERSION);
  for (let attempt = 0; ; attempt++) {
    const { response, error } = await send(ctx, tokens, deadline, url.toString(), {
      method: 'PUT',
      auth: armAuth(ctx),
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(approvalBody(description)),
      timeoutMs: 60_000,
    });
    if (response && (response.ok || response.status === 202)) {
      await response.body?.cancel();
      return;
    }
    if (response && (response.status === 401 || response.status === 403)) {
      throw new CliError(
        `approving the private endpoint connection on ${app} was refused (${response.status}): ${ctx.login.description} needs Microsoft.Web/sites/privateEndpointConnectionsApproval/action on the app (Contributor, or Website Contributor). ${await bodyExcerpt(response)}`,
      );
    }
    const detail = response ? `${response.status}: ${await bodyExcerpt(response)}` : (error ?? 'no response');
    if (response && !isTransient(response.status) && response.status !== 409) throw new CliError(`approving the private endpoint connection on ${app} failed with ${detail}`);
    if (!(await deadline.sleep(Math.min(30_000, 5_000 * 2 ** attempt) * (ctx.pace ?? 1)))) {
      throw new CliError(`approving the private endpoint connection on ${app} did not succeed within ${deadline.totalMs / 1000} s (last: ${detail})`);
    }
  }
}
