/**
 * What the commands Terraform runs at apply (`publish`, `activate-webhook`, `await-blob-access`) share: a deadline for
 * the whole step, bounded retries, authenticated requests with per-request timeouts, and progress lines that never
 * print a key.
 */
import type { AccessToken } from '@azure/identity';
import { AzureLogin, tokenFor } from '../azure-login';
import { CliError } from '../deployment-inputs';
import type { ReachabilityProbe } from './reachability';
import { redactSecrets, tokenMayGo, urlForMessage } from '../url-safety';

/** The longest any step may run; Terraform's own operation timeouts are of the same order. */
export const MAX_STEP_TIMEOUT_MS = 60 * 60_000;
/** ARM API version of `Microsoft.Web/sites` used by every call (the one azapi validates the site body against). */
export const WEB_SITES_API_VERSION = '2024-04-01';

/** A point in time after which a step gives up, with sleeps that never overshoot it. */
export class Deadline {
  private readonly end: number;

  public constructor(
    public readonly totalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.end = now() + totalMs;
  }

  public remainingMs(): number {
    return Math.max(0, this.end - this.now());
  }

  public expired(): boolean {
    return this.remainingMs() === 0;
  }

  /** Waits `ms` (or less, to the deadline); false when the deadline has passed. */
  public async sleep(ms: number): Promise<boolean> {
    const wait = Math.min(ms, this.remainingMs());
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return !this.expired();
  }
}

/** Everything a step talks to; the bin passes the real ones, tests pass stand-ins. */
export interface StepContext {
  readonly login: AzureLogin;
  /** Where ARM requests go. */
  readonly armEndpoint: string;
  /** Entra scope of ARM tokens (the cloud's Resource Manager audience, e.g. `https://management.azure.com/.default`). */
  readonly armScope: string;
  readonly fetch: typeof fetch;
  /** One progress line (the bin writes to stdout, which Terraform shows as the provisioner's output). */
  readonly log: (line: string) => void;
  /** Multiplier for every wait between retries (tests shorten them). @default 1 */
  readonly pace?: number;
  /** How the reachability check resolves and connects (tests pass stand-ins). @default the system's resolver and sockets */
  readonly reachability?: ReachabilityProbe;
  /** Skip the reachability check of the app's hosts (`CDKTF_AZURE_WEBPUBSUB_SKIP_REACHABILITY_CHECK=true`). @default false */
  readonly skipReachabilityCheck?: boolean;
}

/** Tokens per scope, renewed shortly before they expire. */
export class TokenCache {
  private readonly tokens = new Map<string, AccessToken>();

  public constructor(
    private readonly login: AzureLogin,
    private readonly deadline: Deadline,
  ) {}

  public async get(scope: string): Promise<string> {
    const cached = this.tokens.get(scope);
    if (cached && cached.expiresOnTimestamp - Date.now() > 120_000) return cached.token;
    const token = await tokenFor(this.login, scope, Math.max(1_000, Math.min(60_000, this.deadline.remainingMs())));
    this.tokens.set(scope, token);
    return token.token;
  }
}

/**
 * A bearer token and the one host it may be sent to. A token is bound to the host it was obtained for (the cloud's
 * ARM endpoint for ARM calls, the app's SCM host for publishing, the storage account for blob access), whatever its
 * audience: the ARM-audience token `publish` falls back to is as valid at ARM as at the SCM site, so a URL from a
 * server's answer (a deployment log's `details_url`, a `Location`, a redirect) must never carry it anywhere else.
 */
export interface BearerAuth {
  /** Entra scope of the token. */
  readonly scope: string;
  /** `host[:port]` the token may go to, over https only. */
  readonly host: string;
}

/** The ARM token, bound to the ARM endpoint's host. */
export function armAuth(ctx: Pick<StepContext, 'armEndpoint' | 'armScope'>): BearerAuth {
  return { scope: ctx.armScope, host: new URL(ctx.armEndpoint).host };
}

/** Options of one HTTP request. */
export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** Sent as a fresh copy on every attempt and redirect: fetch may transfer (detach) the buffer it is given. */
  readonly body?: Uint8Array | string;
  /** The bearer token to send and the host it is bound to; none sends no Authorization header. */
  readonly auth?: BearerAuth;
  /** @default 60 s, or less when the deadline is nearer */
  readonly timeoutMs?: number;
}

/** Redirects an authenticated request follows (on its own host) before giving up. */
const MAX_REDIRECTS = 5;

/**
 * Sends one request, bounded by its own timeout and by the step's deadline. Network errors become `error`.
 *
 * An authenticated request never goes to a URL outside its token's host ({@link CliError}, before anything is
 * sent), and its redirects are handled here rather than by fetch (which would re-send the Authorization header to
 * wherever `Location` points): a redirect on the token's host over https is followed with the token; any other is
 * refused with a {@link CliError}: following it without the token would still hand the request (a code package, say)
 * to a host nobody chose.
 */
export async function send(
  ctx: StepContext,
  tokens: TokenCache,
  deadline: Deadline,
  url: string,
  options: RequestOptions = {},
): Promise<{ response?: Response; error?: string }> {
  const headers: Record<string, string> = { 'User-Agent': 'cdktf-azure-webpubsub', ...options.headers };
  const auth = options.auth;
  if (auth) {
    if (!tokenMayGo(url, auth)) {
      throw new CliError(`refusing to send an Azure token to ${urlForMessage(url)}: it goes only to https://${auth.host}`);
    }
    headers.Authorization = `Bearer ${await tokens.get(auth.scope)}`;
  }
  const timeoutMs = Math.max(1, Math.min(options.timeoutMs ?? 60_000, deadline.remainingMs()));
  const signal = AbortSignal.timeout(timeoutMs);
  let target = url;
  let method = options.method ?? 'GET';
  let body = options.body;
  for (let redirects = 0; ; redirects++) {
    let response: Response;
    try {
      response = await ctx.fetch(target, {
        method,
        headers,
        body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body),
        signal,
        redirect: auth ? 'manual' : 'follow',
      });
    } catch (err) {
      return { error: firstLine(err) };
    }
    const location = response.headers.get('location');
    if (!auth || !REDIRECT_STATUSES.has(response.status) || !location) return { response };
    await response.body?.cancel();
    let next: URL | undefined;
    try {
      next = new URL(location, target);
    } catch {
      next = undefined;
    }
    if (!next || !tokenMayGo(next, auth)) {
      throw new CliError(
        `${urlForMessage(target)} redirected ${method} to ${next ? urlForMessage(next.toString()) : JSON.stringify(redactSecrets(location.slice(0, 100)))}: not followed (the token goes only to https://${auth.host})`,
      );
    }
    if (redirects >= MAX_REDIRECTS) return { error: `more than ${MAX_REDIRECTS} redirects from ${urlForMessage(url)}` };
    // As fetch does (WHATWG Fetch, HTTP-redirect fetch): 303, and 301/302 after a POST, continue as a GET without the body.
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      if (method !== 'HEAD') method = 'GET';
      body = undefined;
      delete headers['Content-Type'];
    }
    target = next.toString();
  }
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Status codes worth retrying: throttling, server errors, and 404/409 while a new resource settles. */
export function isTransient(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** The ARM URL of `resourceId` (+ `suffix`) with the sites API version and extra query parameters. */
export function armUrl(armEndpoint: string, resourceId: string, suffix = '', query: Record<string, string> = {}): string {
  const url = new URL(`${armEndpoint.replace(/\/+$/, '')}${resourceId}${suffix}`);
  url.searchParams.set('api-version', WEB_SITES_API_VERSION);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.toString();
}

/** A short, single-line excerpt of a response body for messages (never more than 300 characters). */
export async function bodyExcerpt(response: Response): Promise<string> {
  const text = (await response.text().catch(() => '')).replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** Checks an ARM resource id of `Microsoft.Web/sites` given on the command line or in the environment. */
export function parseSiteId(value: string | undefined, what: string): string {
  if (!value) throw new CliError(`${what} is required (the Function App's ARM resource id)`);
  if (!/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Web\/sites\/[^/]+$/i.test(value)) {
    throw new CliError(`${what} must be a Function App resource id (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Web/sites/<name>), got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The site name (last segment) of a `Microsoft.Web/sites` id. */
export function siteNameOf(siteId: string): string {
  return siteId.slice(siteId.lastIndexOf('/') + 1);
}

/** Parses a timeout given in seconds, capped at {@link MAX_STEP_TIMEOUT_MS}. */
export function parseTimeoutSeconds(value: string | undefined, fallbackSeconds: number, what: string): number {
  if (value === undefined || value === '') return fallbackSeconds * 1000;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds <= 0 || seconds * 1000 > MAX_STEP_TIMEOUT_MS) {
    throw new CliError(`${what} must be a whole number of seconds between 1 and ${MAX_STEP_TIMEOUT_MS / 1000}, got ${JSON.stringify(value)}`);
  }
  return seconds * 1000;
}

export function firstLine(err: unknown): string {
  const message = err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err);
  return message.split('\n')[0];
}

/** Seconds since `start`, for progress lines. */
export function elapsed(start: number): string {
  return `${Math.round((Date.now() - start) / 1000)} s`;
}
