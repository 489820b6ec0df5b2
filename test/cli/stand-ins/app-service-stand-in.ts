/**
 * LOCAL STAND-INS for what the apply-time commands talk to — NOT Azure. One HTTPS server (throwaway certificate)
 * answers, with the shapes of the public APIs:
 * - ARM: `GET {site}` (Microsoft.Web/sites 2024-04-01: defaultHostName, hostNameSslStates), `POST {site}/restart`,
 *   `POST {site}/host/default/listkeys` (WebApps_ListHostKeys);
 * - the SCM (Kudu) site of a Flex app: `POST /api/publish`, `GET /api/deployments/{id}`, `GET .../log`;
 * - the app's Web PubSub upstreams, as the service validates them (`OPTIONS <url>?code=<key>` with
 *   `WebHook-Request-Origin`, the CloudEvents abuse-protection check): the extension webhook
 *   `/runtime/webhooks/webpubsub` (system key `webpubsub_extension`) and HTTP functions under `/api/...` (app key
 *   `webpubsub_upstream`). With `appHost: 'flexHttpGroup'` the host behaves as a Flex Consumption instance of the
 *   HTTP group does (azure-functions-host#11493): the extension webhook checks the key (401 on a wrong one) but has no
 *   trigger listener, so OPTIONS answers 400 (extension >= 1.10.1: the abuse check loops over zero listeners) and
 *   POST answers 404, while HTTP functions are served;
 * - a blob container list (`GET /<container>?restype=container&comp=list`);
 * - GitHub's OIDC token request and an Entra token endpoint (for the federation path).
 * Host names point back at the server (`127.0.0.1:<port>`), so one server plays every host. Tests mutate `state` to
 * produce each behaviour and read `requests`.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestCertificate } from './tls';

export const SITE_ID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/sites/func-chat';
export const ARM_TOKEN = 'stand-in-token-for-https://management.azure.com';
export const APP_SERVICE_TOKEN = 'stand-in-token-for-https://appservice.azure.com';
export const STORAGE_TOKEN = 'stand-in-token-for-https://storage.azure.com';

export interface AppServiceStandInState {
  /** Answers to successive POST /api/publish (last one repeats). */
  publishAnswers: number[];
  /** Deployment statuses returned by successive polls (last one repeats), e.g. [1, 2, 4]. */
  deploymentStatuses: number[];
  /** Deployment log messages (for a failed deployment). */
  deploymentLog: string[];
  /** `details_url` of the last deployment log entry (Kudu links an entry's details this way); absolute. */
  deploymentLogDetailsUrl?: string;
  /** `Location` of a 3xx answer in `publishAnswers` (absolute, or relative to the SCM site). */
  publishLocation?: string;
  /** Whether the SCM site accepts the App Service audience (else only the ARM audience). */
  scmAcceptsAppServiceAudience: boolean;
  /** Answers of successive POST {site}/restart (last one repeats). */
  restartAnswers: number[];
  /**
   * `withTrigger`: the extension webhook has a Web PubSub trigger listener (Premium, Dedicated);
   * `flexHttpGroup`: a Flex Consumption HTTP-group instance (no listener: 400 to OPTIONS, 404 to POST).
   */
  appHost: 'withTrigger' | 'flexHttpGroup';
  /** Whether ARM describes the site as a Flex Consumption app (`properties.functionAppConfig`). */
  flexSite: boolean;
  /** Answers of the extension webhook's check with the right key, `withTrigger` only (last one repeats). */
  webhookAnswers: number[];
  /** `WebHook-Allowed-Origin` the extension webhook answers. */
  allowedOrigin: string;
  /** The `webpubsub_extension` system key listkeys returns; undefined = not yet there. */
  extensionKey?: string;
  /** The `webpubsub_upstream` app key (host-level function key) listkeys returns; undefined = not yet there. */
  upstreamKey?: string;
  /** Paths of the HTTP functions the host has indexed (route prefix included), e.g. `/api/webpubsub/chat/validate`. */
  httpFunctionPaths: string[];
  /**
   * Answers of successive checks of an indexed HTTP function with the right key (last one repeats): e.g. `[401, 200]`
   * while an instance has not loaded the new key yet. 200 answers carry `WebHook-Allowed-Origin` for an allowed origin.
   */
  httpFunctionAnswers: number[];
  /** Origins the HTTP functions allow (the hosts of their `serviceUri`), compared as .NET `Uri.Host`: lower-cased. */
  httpFunctionOrigins: string[];
  /** Answers of the container list (last one repeats). */
  containerAnswers: number[];
  /** Hang (never answer) token requests. */
  hangTokens: boolean;
  /** `properties.defaultHostName` ARM returns. @default - the stand-in's own `127.0.0.1:<port>` */
  defaultHostName?: string;
}

export interface AppServiceStandIn {
  readonly origin: string;
  readonly host: string;
  readonly state: AppServiceStandInState;
  readonly requests: string[];
  /** Query strings of the restart requests (`?api-version=...&softRestart=false`). */
  readonly restartQueries: string[];
  /** The zip bytes the last publish received. */
  lastUpload?: Buffer;
  close(): Promise<void>;
}

export async function startAppServiceStandIn(tls: TestCertificate, initial: Partial<AppServiceStandInState> = {}): Promise<AppServiceStandIn> {
  const state: AppServiceStandInState = {
    publishAnswers: [202],
    deploymentStatuses: [4],
    deploymentLog: [],
    scmAcceptsAppServiceAudience: true,
    restartAnswers: [200],
    appHost: 'withTrigger',
    flexSite: true,
    webhookAnswers: [200],
    allowedOrigin: '*',
    extensionKey: 'the-written-key',
    upstreamKey: 'the-upstream-key',
    httpFunctionPaths: [],
    httpFunctionAnswers: [200],
    httpFunctionOrigins: [],
    containerAnswers: [200],
    hangTokens: false,
    ...initial,
  };
  const requests: string[] = [];
  const restartQueries: string[] = [];
  const counters = new Map<string, number>();
  const next = (name: string, answers: number[]): number => {
    const n = counters.get(name) ?? 0;
    counters.set(name, n + 1);
    return answers[Math.min(n, answers.length - 1)];
  };
  let standIn: AppServiceStandIn;

  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://stand-in');
    const auth = req.headers.authorization ?? '';
    requests.push(`${req.method} ${url.pathname}${url.search.includes('code=') ? '?code=***' : ''} ${auth.replace(/^Bearer /, '')}`);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body?: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body === undefined ? '' : JSON.stringify(body));
      };
      const arm = auth === `Bearer ${ARM_TOKEN}`;
      // GitHub Actions OIDC token request, then the Entra token endpoint (OIDC discovery + token).
      if (url.pathname === '/github-oidc') {
        if (auth !== 'Bearer github-request-token' || url.searchParams.get('audience') !== 'api://AzureADTokenExchange') return send(401, {});
        return send(200, { value: 'github-id-token' });
      }
      if (url.pathname.endsWith('/.well-known/openid-configuration')) {
        const tenant = url.pathname.split('/')[1];
        return send(200, {
          token_endpoint: `${standIn.origin}/${tenant}/oauth2/v2.0/token`,
          issuer: `${standIn.origin}/${tenant}/v2.0`,
          authorization_endpoint: `${standIn.origin}/${tenant}/oauth2/v2.0/authorize`,
          jwks_uri: `${standIn.origin}/${tenant}/discovery/v2.0/keys`,
          end_session_endpoint: `${standIn.origin}/${tenant}/oauth2/v2.0/logout`,
        });
      }
      if (url.pathname.endsWith('/oauth2/v2.0/token')) {
        if (state.hangTokens) return; // never answers
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        if (form.get('client_assertion') !== 'github-id-token' && form.get('client_secret') !== 'stand-in-secret') return send(401, { error: 'invalid_client' });
        const scope = form.get('scope') ?? '';
        const resource = scope.split(' ').find((s) => s.endsWith('/.default'))?.replace(/\/\.default$/, '') ?? '';
        return send(200, { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: `stand-in-token-for-${resource}` });
      }
      // ARM
      if (url.pathname.toLowerCase() === SITE_ID.toLowerCase() && req.method === 'GET') {
        if (!arm) return send(401, { error: { code: 'InvalidAuthenticationToken' } });
        return send(200, {
          id: SITE_ID,
          properties: {
            defaultHostName: state.defaultHostName ?? standIn.host,
            hostNameSslStates: [
              { name: standIn.host, hostType: 'Standard' },
              { name: standIn.host, hostType: 'Repository' },
            ],
            ...(state.flexSite ? { functionAppConfig: { runtime: { name: 'node', version: '22' } } } : {}),
          },
        });
      }
      if (url.pathname.toLowerCase() === `${SITE_ID}/restart`.toLowerCase() && req.method === 'POST') {
        if (!arm) return send(401, {});
        restartQueries.push(url.search);
        const status = next('restart', state.restartAnswers);
        return send(status, status === 200 ? undefined : { error: { code: status === 403 ? 'AuthorizationFailed' : 'Conflict', message: `stand-in restart answer ${status}` } });
      }
      if (url.pathname.toLowerCase() === `${SITE_ID}/host/default/listkeys`.toLowerCase() && req.method === 'POST') {
        if (!arm) return send(401, {});
        return send(200, {
          masterKey: 'master',
          functionKeys: { default: 'the-default-app-key', ...(state.upstreamKey ? { webpubsub_upstream: state.upstreamKey } : {}) },
          systemKeys: state.extensionKey ? { webpubsub_extension: state.extensionKey } : {},
        });
      }
      // SCM
      const scmAuthorized = auth === `Bearer ${ARM_TOKEN}` || (state.scmAcceptsAppServiceAudience && auth === `Bearer ${APP_SERVICE_TOKEN}`);
      if (url.pathname === '/api/publish' && req.method === 'POST') {
        if (!scmAuthorized) return send(401, {});
        // What Microsoft's tools send for a Flex deployment (no remote build, a zip body); anything else is refused.
        if (url.searchParams.get('RemoteBuild') !== 'false' || req.headers['content-type'] !== 'application/zip') {
          return send(400, { message: `stand-in publish expects ?RemoteBuild=false and Content-Type: application/zip, got ${url.search} and ${req.headers['content-type']}` });
        }
        const status = next('publish', state.publishAnswers);
        if (status >= 300 && status < 400) return send(status, undefined, { location: state.publishLocation ?? '/' });
        if (status === 202) {
          standIn.lastUpload = Buffer.concat(chunks);
          return send(202, 'deployment-1', { 'scm-deployment-id': 'deployment-1' });
        }
        return send(status, { message: `stand-in publish answer ${status}` });
      }
      if (url.pathname === '/api/deployments/deployment-1' && req.method === 'GET') {
        if (!scmAuthorized) return send(401, {});
        return send(200, { id: 'deployment-1', status: next('status', state.deploymentStatuses), complete: false });
      }
      if (url.pathname === '/api/deployments/deployment-1/log') {
        return send(
          200,
          state.deploymentLog.map((message, i, all) => ({
            message,
            log_time: '2026-11-26T12:00:00Z',
            ...(i === all.length - 1 && state.deploymentLogDetailsUrl ? { details_url: state.deploymentLogDetailsUrl } : {}),
          })),
        );
      }
      if (url.pathname === '/api/deployments/deployment-1/log/details' && req.method === 'GET') {
        if (!scmAuthorized) return send(401, {});
        return send(200, [{ message: 'stand-in detail: rsync failed', log_time: '2026-11-26T12:00:01Z' }]);
      }
      // The app's Web PubSub extension webhook (system key).
      if (url.pathname === '/runtime/webhooks/webpubsub' && (req.method === 'OPTIONS' || req.method === 'POST')) {
        if (!state.extensionKey || url.searchParams.get('code') !== state.extensionKey) return send(401);
        if (state.appHost === 'flexHttpGroup') return send(req.method === 'OPTIONS' ? 400 : 404);
        const status = next('webhook', state.webhookAnswers);
        return send(status, undefined, status === 200 ? { 'WebHook-Allowed-Origin': state.allowedOrigin } : {});
      }
      // The app's HTTP functions (authLevel function: any host-level function key opens them).
      if (url.pathname.startsWith('/api/') && req.method === 'OPTIONS') {
        if (!state.httpFunctionPaths.some((p) => p.toLowerCase() === url.pathname.toLowerCase())) return send(404);
        if (!state.upstreamKey || url.searchParams.get('code') !== state.upstreamKey) return send(401);
        const status = next('httpFunction', state.httpFunctionAnswers);
        if (status !== 200) return send(status);
        const origin = String(req.headers['webhook-request-origin'] ?? '').toLowerCase();
        if (!state.httpFunctionOrigins.includes(origin)) return send(400, { message: 'origin not allowed' });
        return send(200, undefined, { 'WebHook-Allowed-Origin': origin });
      }
      // Storage
      if (url.pathname === '/app-package' && url.searchParams.get('comp') === 'list') {
        if (auth !== `Bearer ${STORAGE_TOKEN}` || req.headers['x-ms-version'] === undefined) return send(401);
        const status = next('container', state.containerAnswers);
        return send(status, status === 403 ? { code: 'AuthorizationPermissionMismatch' } : {});
      }
      send(404, { error: { code: 'NotFound', message: `stand-in has no ${req.method} ${url.pathname}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  standIn = {
    origin: `https://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    state,
    requests,
    restartQueries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return standIn;
}

/**
 * A STAND-IN `az` on PATH: answers `az account get-access-token --resource <r>` with a token named after the
 * resource (the shape Azure CLI 2.54+ prints), and records each call. Returns the directory to put on PATH.
 */
export function fakeAzureCli(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-az-'))): { binDir: string; callsFile: string } {
  const callsFile = path.join(dir, 'calls.log');
  const script = [
    '#!/bin/sh',
    `echo "$@" >> "${callsFile}"`,
    'resource=""',
    'while [ $# -gt 0 ]; do if [ "$1" = "--resource" ]; then resource="$2"; fi; shift; done',
    "resource=$(echo \"$resource\" | sed 's#/*$##')",
    'echo "{\\"accessToken\\": \\"stand-in-token-for-$resource\\", \\"expires_on\\": 4102444800, \\"expiresOn\\": \\"2100-01-01 00:00:00.000000\\", \\"tokenType\\": \\"Bearer\\"}"',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'az'), `${script}\n`, { mode: 0o755 });
  return { binDir: dir, callsFile };
}

/** What a {@link HostileServer} saw: `METHOD /path <Authorization header value or "-">`. */
export interface HostileServer {
  /** `https://127.0.0.1:<port>` or `http://127.0.0.1:<port>`: another host than the stand-in (another port). */
  readonly origin: string;
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * A LOCAL host nobody chose — NOT Azure: where a hostile or misconfigured answer (a `details_url`, a `Location`, a
 * `nextLink`) points. It records every request with its Authorization header and answers 200 with a deployment-log
 * shaped body, so a client that does go there finds a plausible answer. `protocol: 'http'` plays a plain-http URL.
 */
export async function startHostileServer(tls: TestCertificate, protocol: 'https' | 'http' = 'https'): Promise<HostileServer> {
  const requests: string[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    requests.push(`${req.method} ${new URL(req.url ?? '/', 'https://x').pathname} ${req.headers.authorization ?? '-'}`);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ message: 'hostile details' }]));
    });
  };
  const server = protocol === 'https' ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `${protocol}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
