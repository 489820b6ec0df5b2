/**
 * LOCAL STAND-IN for the deployed example — NOT Azure. One plain-HTTP server plays three roles:
 *  - the Function App: `GET /api/negotiate?userid=` (returns `{ baseUrl, url, accessToken }` like the
 *    webPubSubConnection input binding), the Functions host's Web PubSub webhook preflight
 *    (`OPTIONS /runtime/webhooks/webpubsub?code=`, 401 on a wrong key), HTTP-function upstreams with the
 *    `webPubSubContext` input (`OPTIONS /api/<route>?code=<webpubsub_upstream app key>`, 404 for a route it does not
 *    have), and optional static pages (`/api/index`); the allowed origin it answers is lower-cased, as the extension
 *    keeps it (.NET `Uri.Host`);
 *  - the Web PubSub data plane: a WebSocket endpoint `/client/hubs/<hub>` speaking enough of the
 *    `json.reliable.webpubsub.azure.v1` / `json.webpubsub.azure.v1` subprotocols for `@azure/web-pubsub-client`
 *    (`connected` system message, `ack` for events with an `ackId`, `pong`, sequence ids on the reliable protocol);
 *  - a `message` user-event handler: broadcast `{ from, text }` to every connection and answer the caller with
 *    `{ ack: true, id }` — as the real service delivers a UserEventResponse to the calling client. Other events are
 *    acknowledged by the "service" and get no reply.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';

export const SUBPROTOCOLS = ['json.reliable.webpubsub.azure.v1', 'json.webpubsub.azure.v1'];

export interface DataPlaneStandInState {
  hub: string;
  /** Status of `/api/negotiate`; 200 returns the connection info. */
  negotiateStatus: number;
  /** The Functions host's `webpubsub_extension` system key. */
  webhookKey: string;
  /** The `webpubsub_upstream` app key that opens the HTTP-function upstreams. */
  upstreamKey: string;
  /** Paths of the HTTP-function upstreams (e.g. `/api/webpubsub/chat/validate`). */
  upstreamPaths: string[];
  /** When false, events are acknowledged by the "service" but the "function" never answers (no ack). */
  handlerAnswers: boolean;
  /** `/api/<route>` → file served as is (the chat page). */
  staticFiles: Record<string, { file: string; contentType: string }>;
  /** The client URL negotiate returns instead of this stand-in's own (a data-plane endpoint that misbehaves). */
  clientUrl?: string;
}

export interface DataPlaneStandIn {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  readonly state: DataPlaneStandInState;
  /** Events the "service" received from clients. */
  readonly events: Array<{ userId: string; event: string; data: unknown }>;
  /** HTTP request lines seen. */
  readonly requests: string[];
  close(): Promise<void>;
}

interface ClientState {
  readonly userId: string;
  readonly reliable: boolean;
  sequenceId: number;
}

function encodeToken(userId: string, hub: string): string {
  // Not a JWT: the stand-in only needs to recognise its own tokens.
  return Buffer.from(JSON.stringify({ sub: userId, hub, iss: 'stand-in' })).toString('base64url');
}

function decodeToken(token: string | null): { sub: string; hub: string } | undefined {
  if (!token) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { sub?: unknown; hub?: unknown; iss?: unknown };
    if (parsed.iss !== 'stand-in' || typeof parsed.sub !== 'string' || typeof parsed.hub !== 'string') return undefined;
    return { sub: parsed.sub, hub: parsed.hub };
  } catch {
    return undefined;
  }
}

export async function startDataPlaneStandIn(initial: Partial<DataPlaneStandInState> = {}): Promise<DataPlaneStandIn> {
  const state: DataPlaneStandInState = {
    hub: 'chat',
    negotiateStatus: 200,
    webhookKey: 'stand-in-extension-key',
    upstreamKey: 'stand-in-upstream-key',
    upstreamPaths: [],
    handlerAnswers: true,
    staticFiles: {},
    ...initial,
  };
  const events: DataPlaneStandIn['events'] = [];
  const requests: string[] = [];
  let baseUrl = '';

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    requests.push(`${req.method} ${url.pathname}`);
    if (url.pathname === '/api/negotiate' && req.method === 'GET') {
      if (state.negotiateStatus !== 200) {
        res.writeHead(state.negotiateStatus, { 'content-type': 'text/plain' });
        res.end('stand-in negotiate failure');
        return;
      }
      // Whichever query parameter the app's binding reads the user id from (`{query.userid}` or `{query.userId}`).
      const userId = url.searchParams.get('userid') ?? url.searchParams.get('userId') ?? '';
      const accessToken = encodeToken(userId, state.hub);
      const wsBase = `${baseUrl.replace(/^http/, 'ws')}/client/hubs/${state.hub}`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ baseUrl: wsBase, url: state.clientUrl ?? `${wsBase}?access_token=${accessToken}`, accessToken }));
      return;
    }
    if (url.pathname === '/runtime/webhooks/webpubsub' && req.method === 'OPTIONS') {
      if (url.searchParams.get('code') !== state.webhookKey) {
        res.writeHead(401);
        res.end();
        return;
      }
      const origin = req.headers['webhook-request-origin'];
      res.writeHead(200, typeof origin === 'string' ? { 'WebHook-Allowed-Origin': origin.toLowerCase() } : {});
      res.end();
      return;
    }
    if (url.pathname.startsWith('/api/') && req.method === 'OPTIONS') {
      const known = state.upstreamPaths.some((p) => p.toLowerCase() === url.pathname.toLowerCase());
      const status = !known ? 404 : url.searchParams.get('code') !== state.upstreamKey ? 401 : 200;
      const origin = req.headers['webhook-request-origin'];
      res.writeHead(status, status === 200 && typeof origin === 'string' ? { 'WebHook-Allowed-Origin': origin.toLowerCase() } : {});
      res.end();
      return;
    }
    const route = url.pathname.replace(/^\/api\//, '');
    const staticFile = url.pathname.startsWith('/api/') ? state.staticFiles[route] : undefined;
    if (staticFile && req.method === 'GET') {
      res.writeHead(200, { 'content-type': staticFile.contentType });
      res.end(fs.readFileSync(staticFile.file));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });

  const clients = new Map<WebSocket, ClientState>();
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => SUBPROTOCOLS.find((p) => protocols.has(p)) ?? false,
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const token = decodeToken(url.searchParams.get('access_token'));
    if (url.pathname !== `/client/hubs/${state.hub}` || !token || token.hub !== state.hub) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client: ClientState = { userId: token.sub, reliable: ws.protocol.startsWith('json.reliable.'), sequenceId: 0 };
      clients.set(ws, client);
      ws.on('close', () => clients.delete(ws));
      const connectionId = `stand-in-${clients.size}-${Date.now()}`;
      ws.send(
        JSON.stringify({
          type: 'system',
          event: 'connected',
          userId: client.userId,
          connectionId,
          ...(client.reliable ? { reconnectionToken: 'stand-in-reconnection-token' } : {}),
        }),
      );
      ws.on('message', (raw) => onClientMessage(ws, client, raw.toString()));
    });
  });

  const sendServerData = (ws: WebSocket, client: ClientState, data: unknown): void => {
    const message: Record<string, unknown> = { type: 'message', from: 'server', dataType: 'json', data };
    if (client.reliable) message.sequenceId = ++client.sequenceId;
    ws.send(JSON.stringify(message));
  };

  const onClientMessage = (ws: WebSocket, client: ClientState, text: string): void => {
    let message: { type?: string; event?: string; ackId?: number; data?: unknown; dataType?: string };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    switch (message.type) {
      case 'ping':
        ws.send(JSON.stringify({ type: 'pong' }));
        return;
      case 'sequenceAck':
        return;
      case 'joinGroup':
      case 'leaveGroup':
      case 'sendToGroup':
        if (message.ackId !== undefined) ws.send(JSON.stringify({ type: 'ack', ackId: message.ackId, success: true }));
        return;
      case 'event': {
        if (message.ackId !== undefined) ws.send(JSON.stringify({ type: 'ack', ackId: message.ackId, success: true }));
        events.push({ userId: client.userId, event: message.event ?? '', data: message.data });
        if (!state.handlerAnswers || message.event !== 'message') return;
        // The example's `message` handler: broadcast, then answer the caller (UserEventResponse, dataType json).
        const data = (message.data ?? {}) as { text?: unknown; id?: unknown };
        for (const [other, otherState] of clients) {
          if (other.readyState === WebSocket.OPEN) sendServerData(other, otherState, { from: client.userId, text: data.text });
        }
        sendServerData(ws, client, { ack: true, id: data.id ?? null });
        return;
      }
      default:
        return;
    }
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    state,
    events,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of clients.keys()) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * LOCAL STAND-IN for a Web PubSub client endpoint that accepts TCP connections and never answers — NOT Azure: the
 * way a WebSocket handshake hangs behind a proxy or firewall that swallows it. Counts the connections it accepted.
 */
export async function startSilentTcpServer(): Promise<{ readonly url: string; readonly accepted: () => number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/client/hubs/chat?access_token=stand-in`,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A `ws://` URL on a local port nothing listens on (bound, then closed): connections to it are refused. */
export async function refusedWebSocketUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `ws://127.0.0.1:${port}/client/hubs/chat?access_token=stand-in`;
}
