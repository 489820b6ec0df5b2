/**
 * The reachability check before `publish` and `activate-webhook` talk to an app's own hosts. No network: the resolver
 * is a LOCAL STAND-IN (a function answering lookups), and the connection goes to a port on 127.0.0.1 that was just
 * closed, so the refusal is real.
 */
import * as net from 'node:net';
import { activateWebhook } from '../../../lib/cli/apply/activate-webhook';
import type { StepContext } from '../../../lib/cli/apply/apply-step';
import { publishPackage } from '../../../lib/cli/apply/publish';
import { assertHostReachable, checkReachable, isPrivateAddress, ReachabilityProbe, SYSTEM_PROBE } from '../../../lib/cli/apply/reachability';
import { CliError } from '../../../lib/cli/deployment-inputs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A port on 127.0.0.1 nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** LOCAL STAND-IN resolver: fixed answers per host; every connection goes to 127.0.0.1:`port`. */
function standInProbe(answers: Record<string, string[] | NodeJS.ErrnoException>, port: number): ReachabilityProbe & { lookups: string[] } {
  const lookups: string[] = [];
  return {
    lookups,
    lookup: async (host) => {
      lookups.push(host);
      const answer = answers[host];
      if (answer === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      if (answer instanceof Error) throw answer;
      return answer;
    },
    connect: (_address, _port, timeoutMs) => SYSTEM_PROBE.connect('127.0.0.1', port, timeoutMs),
  };
}

describe('isPrivateAddress', () => {
  test.each([
    ['10.0.0.4', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['100.64.0.1', true],
    ['100.127.255.255', true],
    ['100.63.255.255', false],
    ['100.128.0.1', false],
    ['172.15.255.255', false],
    ['192.169.0.1', false],
    ['11.0.0.1', false],
    ['20.50.2.1', false],
    ['fd00::1', true],
    ['fc00::1', true],
    ['fe80::1', false],
    ['::ffff:20.50.2.1', false],
    ['::ffff:10.1.2.3', true],
    ['2603:1030::1', false],
    ['not an ip', false],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe('checkReachable', () => {
  let port: number;
  beforeAll(async () => {
    port = await closedPort();
  });

  test('a name that does not resolve: dns', async () => {
    const result = await checkReachable('app.scm.azurewebsites.net', true, standInProbe({}, port));
    expect(result).toMatchObject({ ok: false, reason: 'dns', detail: expect.stringMatching(/^ENOTFOUND/) });
  });

  test('a private app whose name resolves only to public addresses (no private DNS here): publicOnly, no connection tried', async () => {
    const probe = standInProbe({ 'app.scm.azurewebsites.net': ['20.50.2.1'] }, port);
    const result = await checkReachable('app.scm.azurewebsites.net', true, probe);
    expect(result).toEqual({ ok: false, reason: 'publicOnly', detail: 'resolves to 20.50.2.1', addresses: ['20.50.2.1'] });
  });

  test('a private address that refuses the connection (a closed port): connect, the refusal itself (not the timeout)', async () => {
    // The timeout is far beyond jest's own: a check that waited for it instead of taking the refusal would not finish.
    const result = await checkReachable('app.scm.azurewebsites.net', true, standInProbe({ 'app.scm.azurewebsites.net': ['10.1.2.3'] }, port), 600_000);
    expect(result).toEqual({ ok: false, reason: 'connect', detail: expect.stringMatching(/^10\.1\.2\.3:443: ECONNREFUSED/), addresses: ['10.1.2.3'] });
  });

  test('a resolver that never answers is cut off at the timeout', async () => {
    const hanging: ReachabilityProbe = { lookup: () => new Promise(() => undefined), connect: async () => undefined };
    const result = await checkReachable('app.azurewebsites.net', true, hanging, 50);
    expect(result).toMatchObject({ ok: false, reason: 'dns', detail: expect.stringMatching(/ETIMEDOUT/) });
  });

  test('a listening port is reachable; host:port is honoured; the system resolver answers for localhost', async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const open = (server.address() as net.AddressInfo).port;
    try {
      expect(await checkReachable(`127.0.0.1:${open}`, false)).toMatchObject({ ok: true });
      expect(await checkReachable(`localhost:${open}`, false, { lookup: SYSTEM_PROBE.lookup, connect: (_a, p, t) => SYSTEM_PROBE.connect('127.0.0.1', p, t) })).toMatchObject({ ok: true });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('assertHostReachable', () => {
  let port: number;
  beforeAll(async () => {
    port = await closedPort();
  });

  test('an app closed to the public network, unreachable from here: one clear error with what to do from a laptop and in CI', async () => {
    const attempt = assertHostReachable(
      { host: 'chat.scm.azurewebsites.net', role: 'SCM site', app: 'chat', publicNetworkAccess: 'Disabled' },
      () => undefined,
      standInProbe({ 'chat.scm.azurewebsites.net': ['20.50.2.1'] }, port),
    );
    await expect(attempt).rejects.toThrow(CliError);
    await expect(attempt).rejects.toThrow(
      /the SCM site chat.scm.azurewebsites.net of chat, which is closed to the public network \(publicNetworkAccess: Disabled\), resolves to 20.50.2.1, a public address: .*403.*VPN.*jump host.*self-hosted runner.*GitHub-hosted runners .*cannot reach a private app/,
    );
  });

  test('an app open to the public: an unreachable host is logged, not fatal (the step retries)', async () => {
    const lines: string[] = [];
    await assertHostReachable({ host: 'chat.scm.azurewebsites.net', role: 'SCM site', app: 'chat', publicNetworkAccess: 'Enabled' }, (l) => lines.push(l), standInProbe({}, port));
    expect(lines).toEqual([expect.stringMatching(/^… SCM site chat.scm.azurewebsites.net of chat is not reachable yet \(ENOTFOUND/)]);
  });

  test('the opt-out skips the check (no lookup at all)', async () => {
    const probe = standInProbe({}, port);
    await assertHostReachable({ host: 'chat.scm.azurewebsites.net', role: 'SCM site', app: 'chat', publicNetworkAccess: 'Disabled', skip: true }, () => undefined, probe);
    expect(probe.lookups).toEqual([]);
  });
});

/** LOCAL STAND-IN for ARM answering the site GET of a Flex app closed to the public network; anything else is recorded. */
function closedSiteContext(probe: ReachabilityProbe, requests: string[]): StepContext {
  const site = {
    properties: {
      defaultHostName: 'chat.azurewebsites.net',
      hostNameSslStates: [{ name: 'chat.scm.azurewebsites.net', hostType: 'Repository' }],
      functionAppConfig: {},
      publicNetworkAccess: 'Disabled',
    },
  };
  const fetchStandIn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    requests.push(`${init?.method ?? 'GET'} ${url.host}${url.pathname}`);
    if (url.host === 'arm.stand-in.test' && (init?.method ?? 'GET') === 'GET') return new Response(JSON.stringify(site), { status: 200 });
    return new Response('{}', { status: 403 });
  };
  return {
    login: { credential: { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) }, description: 'the stand-in principal' },
    armEndpoint: 'https://arm.stand-in.test',
    armScope: 'https://arm.stand-in.test/.default',
    fetch: fetchStandIn as typeof fetch,
    log: () => undefined,
    pace: 0.001,
    reachability: probe,
  };
}

describe('the steps check before they publish or probe', () => {
  const APP = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/sites/chat';

  test('publish to a closed app from outside its network fails at once, before any upload (not after the 900 s deadline)', async () => {
    const zip = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'reach-')), 'p.zip');
    fs.writeFileSync(zip, 'PK stand-in');
    const requests: string[] = [];
    const probe = standInProbe({}, await closedPort());
    await expect(publishPackage({ appId: APP, packagePath: zip, timeoutMs: 900_000 }, closedSiteContext(probe, requests))).rejects.toThrow(
      /the SCM site chat.scm.azurewebsites.net of chat, which is closed to the public network \(publicNetworkAccess: Disabled\), does not resolve here \(ENOTFOUND/,
    );
    // At once: one lookup, one ARM read, no upload and no retry (rather than a wall-clock bound).
    expect(probe.lookups).toEqual(['chat.scm.azurewebsites.net']);
    expect(requests).toEqual([`GET arm.stand-in.test${APP}`]);
  });

  test('activate-webhook on a closed app checks the app host before restarting or probing', async () => {
    const requests: string[] = [];
    const probe = standInProbe({ 'chat.azurewebsites.net': ['10.1.2.3'] }, await closedPort());
    await expect(
      activateWebhook({ appId: APP, origins: ['wps.webpubsub.azure.com'], timeoutMs: 600_000 }, closedSiteContext(probe, requests)),
    ).rejects.toThrow(/the host chat.azurewebsites.net of chat, which is closed to the public network .*resolves to its private endpoint, but does not accept a connection from here \(10.1.2.3:443: ECONNREFUSED/);
    expect(requests).toEqual([`GET arm.stand-in.test${APP}`]);
  });

  test('activate-webhook without a probe (no handlers packaged) does not check', async () => {
    const requests: string[] = [];
    const probe = standInProbe({}, await closedPort());
    await activateWebhook({ appId: APP, origins: [], probe: false, restart: false, timeoutMs: 10_000 }, closedSiteContext(probe, requests));
    expect(probe.lookups).toEqual([]);
  });
});
