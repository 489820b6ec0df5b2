/**
 * `approve-private-links` against a LOCAL STAND-IN for Azure Resource Manager (an in-process `fetch` answering the
 * Web PubSub shared private link GET and the site's private endpoint connection list and PUT with the public REST
 * API's shapes) — NOT Azure. What Azure really puts in a connection's description, and how long the service takes to
 * report the approval, only a live run shows (docs/private-networking.md).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { approvalBody, approvePrivateLinks, parseSharedPrivateLinkIds } from '../../../lib/cli/apply/approve-private-links';
import type { StepContext } from '../../../lib/cli/apply/apply-step';
import { CliError } from '../../../lib/cli/deployment-inputs';
import { armBodyProblems } from '../../core/arm-type-check';

const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'cdktf-azure-webpubsub.js');
const ARM = 'https://arm.stand-in.test';
const RG = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg';
const APP_ID = `${RG}/providers/Microsoft.Web/sites/chat-app`;
const SERVICE_LINK = `${RG}/providers/Microsoft.SignalRService/webPubSub/wps/sharedPrivateLinkResources/spl-a`;
const REPLICA_LINK = `${RG}/providers/Microsoft.SignalRService/webPubSub/wps/replicas/wps-eastus/sharedPrivateLinkResources/spl-b`;

interface StandInLink {
  provisioningState: string;
  status: string;
  requestMessage: string;
  privateLinkResourceId: string;
}
interface StandInConnection {
  name: string;
  status: string;
  description: string;
  /** The link whose status turns Approved (on the next read) when this connection is approved. */
  link?: string;
}

/** LOCAL STAND-IN for ARM: links by id, the app's connections, and every request seen. */
function armStandIn(links: Record<string, StandInLink>, connections: StandInConnection[], options: { listAfter?: number; putStatus?: number } = {}) {
  const requests: { method: string; path: string; body?: unknown }[] = [];
  let lists = 0;
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchStandIn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    requests.push({ method, path: url.pathname, body });
    if (new Headers(init?.headers).get('authorization') !== 'Bearer stand-in-token') return json(401, {});
    const link = links[url.pathname];
    if (link && method === 'GET') {
      expect(url.searchParams.get('api-version')).toBe('2024-03-01');
      return json(200, { id: url.pathname, properties: { groupId: 'sites', ...link } });
    }
    if (url.pathname === `${APP_ID}/privateEndpointConnections` && method === 'GET') {
      expect(url.searchParams.get('api-version')).toBe('2024-04-01');
      lists++;
      const visible = lists > (options.listAfter ?? 0) ? connections : [];
      return json(200, {
        value: visible.map((c) => ({
          id: `${APP_ID}/privateEndpointConnections/${c.name}`,
          name: c.name,
          properties: { privateEndpoint: { id: '/subscriptions/managed/providers/Microsoft.Network/privateEndpoints/x' }, privateLinkServiceConnectionState: { status: c.status, description: c.description, actionsRequired: 'None' } },
        })),
      });
    }
    const connection = connections.find((c) => url.pathname === `${APP_ID}/privateEndpointConnections/${c.name}`);
    if (connection && method === 'PUT') {
      if (options.putStatus) return json(options.putStatus, { error: { code: 'AuthorizationFailed' } });
      connection.status = 'Approved';
      if (connection.link) links[connection.link].status = 'Approved';
      return json(202, {});
    }
    return json(404, { error: { code: 'NotFound' } });
  };
  return { fetch: fetchStandIn as typeof fetch, requests };
}

function context(fetchImpl: typeof fetch, lines: string[]): StepContext {
  return {
    login: { credential: { getToken: async () => ({ token: 'stand-in-token', expiresOnTimestamp: Date.now() + 3_600_000 }) }, description: 'the stand-in principal' },
    armEndpoint: ARM,
    armScope: `${ARM}/.default`,
    fetch: fetchImpl,
    log: (line) => lines.push(line),
    pace: 0.001,
  };
}

const pendingLink = (requestMessage: string): StandInLink => ({ provisioningState: 'Succeeded', status: 'Pending', requestMessage, privateLinkResourceId: APP_ID });

describe('approve-private-links (stand-in ARM)', () => {
  test('approves exactly the connection carrying the link\'s request message, then waits for the link to report Approved', async () => {
    const links = { [SERVICE_LINK]: pendingLink('cdktf-azure-webpubsub: wps/spl-a') };
    const connections: StandInConnection[] = [
      { name: 'someone-else', status: 'Pending', description: 'please let me in' },
      // The how-to's listing shows the message with another capital: compared case-insensitively, trimmed.
      { name: 'wps-conn', status: 'Pending', description: 'CDKTF-azure-webpubsub: wps/spl-a ', link: SERVICE_LINK },
    ];
    const arm = armStandIn(links, connections);
    const lines: string[] = [];
    await approvePrivateLinks({ appId: APP_ID, sharedPrivateLinkIds: [SERVICE_LINK], timeoutMs: 10_000 }, context(arm.fetch, lines));
    const puts = arm.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((p) => p.path)).toEqual([`${APP_ID}/privateEndpointConnections/wps-conn`]);
    // The connection's own description is kept (a re-run still recognises it).
    expect(puts[0].body).toEqual({ properties: { privateLinkServiceConnectionState: { status: 'Approved', description: 'CDKTF-azure-webpubsub: wps/spl-a ' } } });
    expect(connections[0].status).toBe('Pending');
    expect(lines[0]).toBe('approved the private endpoint connection wps-conn on chat-app (the request of wps/sharedPrivateLinkResources/spl-a)');
    expect(lines.at(-1)).toMatch(/^Web PubSub reaches chat-app privately through wps\/sharedPrivateLinkResources\/spl-a \(\d+ s\)$/);
  });

  test('after approving, the step keeps reading the link until Web PubSub reports it Approved (not done at the PUT)', async () => {
    const links = { [SERVICE_LINK]: pendingLink('m') };
    // No `link`: approving the connection does not change the link; the stand-in's service reports it on the 3rd read.
    const connections: StandInConnection[] = [{ name: 'c', status: 'Pending', description: 'm' }];
    const arm = armStandIn(links, connections);
    let linkReads = 0;
    const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
      if (new URL(String(input)).pathname === SERVICE_LINK && ++linkReads === 3) links[SERVICE_LINK].status = 'Approved';
      return arm.fetch(input, init);
    }) as typeof fetch;
    const lines: string[] = [];
    await approvePrivateLinks({ appId: APP_ID, sharedPrivateLinkIds: [SERVICE_LINK], timeoutMs: 10_000 }, context(fetchImpl, lines));
    expect(linkReads).toBe(3);
    expect(arm.requests.filter((r) => r.method === 'PUT').map((p) => p.path)).toEqual([`${APP_ID}/privateEndpointConnections/c`]);
    expect(lines).toEqual([
      'approved the private endpoint connection c on chat-app (the request of wps/sharedPrivateLinkResources/spl-a)',
      '… waiting for Web PubSub to report the approval (wps/sharedPrivateLinkResources/spl-a: Succeeded/Pending)',
      expect.stringMatching(/^Web PubSub reaches chat-app privately through wps\/sharedPrivateLinkResources\/spl-a/),
    ]);
  });

  test('the approval body is a valid Microsoft.Web/sites/privateEndpointConnections@2024-04-01 body (ARM type data)', () => {
    expect(armBodyProblems('Microsoft.Web/sites/privateEndpointConnections@2024-04-01', approvalBody('m'))).toEqual([]);
    // and the checker does reject a wrong shape for this type
    expect(armBodyProblems('Microsoft.Web/sites/privateEndpointConnections@2024-04-01', { properties: { status: 'Approved' } })).not.toEqual([]);
  });

  test('a replica\'s copy of the link (same request message) gets its own connection approved too; a connection that appears late is waited for', async () => {
    // "Shared private endpoints are automatically replicated to replicas, separate approvals are required" (geo-replication guide).
    const links = { [SERVICE_LINK]: pendingLink('msg'), [REPLICA_LINK]: pendingLink('msg') };
    const connections: StandInConnection[] = [
      { name: 'c-replica', status: 'Pending', description: 'msg', link: REPLICA_LINK },
      { name: 'c-service', status: 'Pending', description: 'msg', link: SERVICE_LINK },
    ];
    const arm = armStandIn(links, connections, { listAfter: 2 });
    const lines: string[] = [];
    await approvePrivateLinks({ appId: APP_ID, sharedPrivateLinkIds: [SERVICE_LINK, REPLICA_LINK], timeoutMs: 10_000 }, context(arm.fetch, lines));
    expect(arm.requests.filter((r) => r.method === 'PUT').map((p) => p.path.split('/').pop()).sort()).toEqual(['c-replica', 'c-service']);
    expect(lines).toContain('… no private endpoint connection of chat-app carries the request message of wps/sharedPrivateLinkResources/spl-a, wps/replicas/wps-eastus/sharedPrivateLinkResources/spl-b yet');
  });

  test('links with different messages are matched each to its own connection; stale (Disconnected) connections are ignored', async () => {
    const links = { [SERVICE_LINK]: pendingLink('msg a'), [REPLICA_LINK]: pendingLink('msg b') };
    const connections: StandInConnection[] = [
      { name: 'old', status: 'Disconnected', description: 'msg a' },
      { name: 'c-b', status: 'Pending', description: 'msg b', link: REPLICA_LINK },
      { name: 'c-a', status: 'Pending', description: 'msg a', link: SERVICE_LINK },
    ];
    const arm = armStandIn(links, connections);
    await approvePrivateLinks({ appId: APP_ID, sharedPrivateLinkIds: [SERVICE_LINK, REPLICA_LINK], timeoutMs: 10_000 }, context(arm.fetch, []));
    expect(arm.requests.filter((r) => r.method === 'PUT').map((p) => p.path.split('/').pop()).sort()).toEqual(['c-a', 'c-b']);
  });

  test('a link already Approved is left alone (a re-run after a partial apply)', async () => {
    const arm = armStandIn({ [SERVICE_LINK]: { ...pendingLink('m'), status: 'Approved' } }, []);
    await approvePrivateLinks({ appId: APP_ID, sharedPrivateLinkIds: [SERVICE_LINK], timeoutMs: 5_000 }, context(arm.fetch, []));
    expect(arm.requests.map((r) => r.method)).toEqual(['GET']);
  });

  test('a rejected link fails at once, saying what to do', async () => {
    const arm = armStandIn({ [SERVICE_LINK]: { ...pendingLink('m'), status: 'Rejected' } }, []);
    await expect(approvePrivateLinks({ appId: APP_ID, sharedPrivateLinkIds: [SERVICE_LINK], timeoutMs: 5_000 }, context(arm.fetch, []))).rejects.toThrow(
      /the shared private link wps\/sharedPrivateLinkResources\/spl-a is Rejected on chat-app: .*re-create the link/,
    );
  });

  test('more connections with a message than links with it (a replica\'s copy not given): nothing is approved, the error says to add it', async () => {
    const arm = armStandIn({ [SERVICE_LINK]: pendingLink('same') }, [
      { name: 'a', status: 'Pending', description: 'same' },
      { name: 'b', status: 'Pending', description: 'same' },
    ]);
    await expect(approvePrivateLinks({ appId: APP_ID, sharedPrivateLinkIds: [SERVICE_LINK], timeoutMs: 5_000 }, context(arm.fetch, []))).rejects.toThrow(
      /2 private endpoint connections of chat-app carry the request message "same", but only 1 of the given links \(wps\/sharedPrivateLinkResources\/spl-a\) do: nothing was approved. If the service has geo-replicas, .*needs its own approval: add it to the approval/,
    );
    expect(arm.requests.some((r) => r.method === 'PUT')).toBe(false);
  });

  test('no matching connection within the deadline: fails naming the link and what it waited for', async () => {
    const arm = armStandIn({ [SERVICE_LINK]: pendingLink('mine') }, [{ name: 'x', status: 'Pending', description: 'not mine' }]);
    await expect(approvePrivateLinks({ appId: APP_ID, sharedPrivateLinkIds: [SERVICE_LINK], timeoutMs: 300 }, context(arm.fetch, []))).rejects.toThrow(
      /the shared private link wps\/sharedPrivateLinkResources\/spl-a to chat-app did not report Approved within 0.3 s \(last: no private endpoint connection of chat-app carries the request message/,
    );
    expect(arm.requests.some((r) => r.method === 'PUT')).toBe(false);
  });

  test('a refused approval names the permission it needs', async () => {
    const arm = armStandIn({ [SERVICE_LINK]: pendingLink('m') }, [{ name: 'c', status: 'Pending', description: 'm' }], { putStatus: 403 });
    await expect(approvePrivateLinks({ appId: APP_ID, sharedPrivateLinkIds: [SERVICE_LINK], timeoutMs: 5_000 }, context(arm.fetch, []))).rejects.toThrow(
      /refused \(403\): the stand-in principal needs Microsoft.Web\/sites\/privateEndpointConnectionsApproval\/action on the app/,
    );
  });

  test('a link that targets another app is refused before anything is approved', async () => {
    const arm = armStandIn({ [SERVICE_LINK]: { ...pendingLink('m'), privateLinkResourceId: `${RG}/providers/Microsoft.Web/sites/other` } }, [{ name: 'c', status: 'Pending', description: 'm' }]);
    await expect(approvePrivateLinks({ appId: APP_ID, sharedPrivateLinkIds: [SERVICE_LINK], timeoutMs: 5_000 }, context(arm.fetch, []))).rejects.toThrow(/targets .*\/sites\/other, not the app/);
    expect(arm.requests.some((r) => r.method === 'PUT')).toBe(false);
  });

  test('the ids from the environment are checked: comma-separated (or JSON), non-empty, shared private link ids of a service or a replica', () => {
    expect(parseSharedPrivateLinkIds(`${SERVICE_LINK},${REPLICA_LINK}`, 'X')).toEqual([SERVICE_LINK, REPLICA_LINK]);
    expect(parseSharedPrivateLinkIds(` ${SERVICE_LINK} , `, 'X')).toEqual([SERVICE_LINK]);
    // A replica's copy given by hand and found by the library is one link (counted twice, it would let one more
    // connection with its message be approved).
    expect(parseSharedPrivateLinkIds(`${SERVICE_LINK},${REPLICA_LINK},${REPLICA_LINK.toUpperCase()}`, 'X')).toEqual([SERVICE_LINK, REPLICA_LINK]);
    expect(parseSharedPrivateLinkIds(JSON.stringify([SERVICE_LINK, REPLICA_LINK]), 'X')).toEqual([SERVICE_LINK, REPLICA_LINK]);
    expect(() => parseSharedPrivateLinkIds(undefined, 'X')).toThrow(CliError);
    expect(() => parseSharedPrivateLinkIds(',', 'X')).toThrow(/X must name at least one shared private link resource id/);
    expect(() => parseSharedPrivateLinkIds('[]', 'X')).toThrow(/X must name at least one/);
    expect(() => parseSharedPrivateLinkIds('[not json', 'X')).toThrow(/X must be comma-separated shared private link resource ids \(or a JSON array/);
    expect(() => parseSharedPrivateLinkIds(`${SERVICE_LINK},${APP_ID}`, 'X')).toThrow(/X\[1\] must be a shared private link resource id/);
  });

  test('the bin runs the command and checks its inputs before logging in (a bad link id fails in one line)', () => {
    const run = spawnSync(process.execPath, [BIN, 'approve-private-links'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CDKTF_AZURE_WEBPUBSUB_APP_ID: APP_ID, CDKTF_AZURE_WEBPUBSUB_SHARED_PRIVATE_LINKS: APP_ID },
      encoding: 'utf8',
      timeout: 45_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(/^error: --links \(or CDKTF_AZURE_WEBPUBSUB_SHARED_PRIVATE_LINKS\)\[0\] must be a shared private link resource id/);
  }, 60_000);
});
