/**
 * A fast check, before `publish` and `activate-webhook` talk to an app's own hosts (the SCM site they publish to, the
 * default host whose webhooks they probe), that this machine can reach them: a DNS lookup and a TCP connection to port
 * 443, each with a short timeout. It matters when the app is closed to the public network (`publicNetworkAccess:
 * Disabled`): its hosts are then reachable only through a private endpoint of the app, from a network that resolves
 * `<app>.privatelink.azurewebsites.net` (and `<app>.scm.privatelink...`) to the endpoint's private address. Elsewhere the
 * public name still resolves, to the public front end, which answers 403 to everyone ("Use private endpoints for Azure
 * App Service apps", DNS: "This public IP isn't your private endpoint, you receive a 403 error"), and the step would
 * retry those 403s until its deadline. So for such an app a host that does not resolve, resolves only to public
 * addresses, or does not accept a connection within seconds fails the step at once, saying what to do. These are the
 * two checks Learn "Troubleshoot Azure Private Endpoint connectivity problems" has one make from the client: the name
 * resolves to the endpoint's private address (`nslookup`), then a TCP connection to 443 (Network Watcher's connection
 * troubleshoot, `az network watcher test-connectivity --dest-port 443`, which runs from a VM rather than this machine).
 *
 * For an app open to the public nothing here fails: a new app's name can take a moment to resolve, which the steps'
 * own retries absorb; the check only logs.
 */
import * as dns from 'node:dns';
import * as net from 'node:net';
import { CliError } from '../deployment-inputs';

/** How long the lookup and the connection may each take. */
export const REACHABILITY_TIMEOUT_MS = 5_000;

/** What the check needs from the system; tests pass stand-ins. */
export interface ReachabilityProbe {
  /** Every address of `host` (as `dns.promises.lookup` with `all: true`). */
  lookup(host: string): Promise<string[]>;
  /** Opens and closes a TCP connection; rejects on failure. */
  connect(address: string, port: number, timeoutMs: number): Promise<void>;
}

/** The system's resolver and sockets. */
export const SYSTEM_PROBE: ReachabilityProbe = {
  lookup: async (host) => (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address),
  connect: (address, port, timeoutMs) =>
    new Promise<void>((resolve, reject) => {
      const socket = net.connect({ host: address, port });
      const done = (err?: Error): void => {
        socket.destroy();
        if (err) reject(err);
        else resolve();
      };
      socket.setTimeout(timeoutMs, () => done(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
      socket.once('connect', () => done());
      socket.once('error', (err) => done(err));
    }),
};

/** What one check found. */
export type Reachability =
  | { readonly ok: true; readonly addresses: readonly string[] }
  | { readonly ok: false; readonly reason: 'dns' | 'publicOnly' | 'connect'; readonly detail: string; readonly addresses: readonly string[] };

/**
 * True for addresses a private endpoint can have: RFC 1918, RFC 6598 shared space, IPv6 unique local (fc00::/7). An
 * Azure virtual network may also use other ranges; `CDKTF_AZURE_WEBPUBSUB_SKIP_REACHABILITY_CHECK=true` is for those.
 */
export function isPrivateAddress(address: string): boolean {
  if (net.isIPv4(address)) {
    const [a, b] = address.split('.').map(Number);
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  if (net.isIPv6(address)) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return isPrivateAddress(mapped[1]);
    return /^f[cd]/i.test(address);
  }
  return false;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} took longer than ${ms / 1000} s`), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const describeError = (err: unknown): string => {
  const e = err as NodeJS.ErrnoException;
  return e?.code ? `${e.code}${e.message && !e.message.includes(e.code) ? `: ${e.message}` : ''}` : String((err as Error)?.message ?? err);
};

/**
 * Checks `host`: resolves it, and unless `privateOnly` is false refuses a name that resolves to public addresses only,
 * then connects (to 443, or the port `host` names) on the first address it should use.
 */
export async function checkReachable(host: string, privateOnly: boolean, probe: ReachabilityProbe = SYSTEM_PROBE, timeoutMs = REACHABILITY_TIMEOUT_MS): Promise<Reachability> {
  // `host[:port]`, as ARM lists host names (no port) or a stand-in serves them (with one).
  let name: string;
  let port: number;
  try {
    const url = new URL(`https://${host}`);
    name = url.hostname.replace(/^\[(.*)\]$/, '$1');
    port = url.port === '' ? 443 : Number(url.port);
  } catch {
    return { ok: false, reason: 'dns', detail: 'not a host name', addresses: [] };
  }
  let addresses: string[];
  try {
    addresses = await withTimeout(probe.lookup(name), timeoutMs, `resolving ${name}`);
  } catch (err) {
    return { ok: false, reason: 'dns', detail: describeError(err), addresses: [] };
  }
  if (addresses.length === 0) return { ok: false, reason: 'dns', detail: 'no address', addresses };
  const candidates = privateOnly ? addresses.filter(isPrivateAddress) : addresses;
  if (candidates.length === 0) return { ok: false, reason: 'publicOnly', detail: `resolves to ${addresses.join(', ')}`, addresses };
  try {
    await withTimeout(probe.connect(candidates[0], port, timeoutMs), timeoutMs + 500, `connecting to ${candidates[0]}:${port}`);
  } catch (err) {
    return { ok: false, reason: 'connect', detail: `${candidates[0]}:${port}: ${describeError(err)}`, addresses };
  }
  return { ok: true, addresses };
}

/** What to do when a private app's host cannot be reached from here (laptops and CI). */
export const PRIVATE_APP_ADVICE =
  'Run the apply from a machine inside the app\'s virtual network, or one connected to it: from a laptop, a VPN (point-to-site or a corporate one) or a jump host (e.g. Azure Bastion) ' +
  'whose DNS resolves <app>.privatelink.azurewebsites.net and <app>.scm.privatelink.azurewebsites.net to the app\'s private endpoint; ' +
  'in CI, a self-hosted runner in (or peered with) that virtual network: GitHub-hosted runners are on the public internet and cannot reach a private app. ' +
  'docs/private-networking.md "Where the apply runs"';

/**
 * Runs the check for one host of an app before a step talks to it. For an app closed to the public network, failure is
 * a {@link CliError} that says why and what to do; otherwise it is logged and the step goes on. `skip` (the
 * `CDKTF_AZURE_WEBPUBSUB_SKIP_REACHABILITY_CHECK` opt-out) does nothing.
 */
export async function assertHostReachable(
  options: { host: string; role: string; app: string; publicNetworkAccess?: string; skip?: boolean },
  log: (line: string) => void,
  probe: ReachabilityProbe = SYSTEM_PROBE,
  timeoutMs = REACHABILITY_TIMEOUT_MS,
): Promise<void> {
  if (options.skip) return;
  const closed = options.publicNetworkAccess?.toLowerCase() === 'disabled';
  const result = await checkReachable(options.host, closed, probe, timeoutMs);
  if (result.ok) return;
  if (!closed) {
    log(`… ${options.role} ${options.host} of ${options.app} is not reachable yet (${result.detail}); going on (the step retries)`);
    return;
  }
  const why = {
    dns: `does not resolve here (${result.detail})`,
    publicOnly: `${result.detail}, a public address: this machine does not see the private DNS record of the app's private endpoint, so it would reach the public front end, which refuses every request to an app closed to the public network (403)`,
    connect: `resolves to its private endpoint, but does not accept a connection from here (${result.detail})`,
  }[result.reason];
  throw new CliError(
    `the ${options.role} ${options.host} of ${options.app}, which is closed to the public network (publicNetworkAccess: Disabled), ${why}. ${PRIVATE_APP_ADVICE}. ` +
      'If the private endpoint uses an address range not recognised as private, set CDKTF_AZURE_WEBPUBSUB_SKIP_REACHABILITY_CHECK=true',
  );
}
