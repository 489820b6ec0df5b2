/**
 * Checks "client connects to the service" and, with `--event`, "round trip: event <name>": a
 * `@azure/web-pubsub-client` connects with the negotiated URL, sends the event and (with `--expect-reply`) waits for
 * the handler's reply. The two share one file because they share one WebSocket session: the event is sent on the
 * connection the first check opened, and a failed connect decides the second.
 */
import { randomUUID } from 'node:crypto';
import { WebPubSubClient } from '@azure/web-pubsub-client';
import type { VerifyContext } from '../context';
import { firstLine } from '../report-lines';

export const CONNECT_CHECK = 'client connects to the service';

/** The name of the event check, or undefined when no `--event` was given (then it is not run at all). */
export function eventCheckName(event: string | undefined): string | undefined {
  return event !== undefined ? `round trip: event "${event}"` : undefined;
}

export async function checkClientRoundTrip(ctx: VerifyContext, clientUrl: URL): Promise<void> {
  const { options, report, progress, timeoutMs } = ctx;
  const eventCheck = eventCheckName(options.event);
  const client = new WebPubSubClient(clientUrl.toString(), {
    autoReconnect: false,
    autoRejoinGroups: false,
    messageRetryOptions: { maxRetries: 0 },
    // A short-lived check: no keep-alive pings or idle monitor timers to outlive it.
    keepAliveIntervalInMs: 0,
    keepAliveTimeoutInMs: 0,
  });
  const stopped = new Promise<void>((resolve) => client.on('stopped', () => resolve()));
  const replies: unknown[] = [];
  let onReply: (() => void) | undefined;
  client.on('server-message', (event) => {
    replies.push(event.message.data);
    onReply?.();
  });
  let step: 'connect' | 'send' | 'reply' = 'connect';
  let opened = false;
  try {
    progress(`… connecting to ${clientUrl.host}`);
    let connection: { connectionId: string; userId: string } | undefined;
    client.on('connected', (e) => (connection = e));
    // The client passes its abortSignal only to the URL lookup, not to the WebSocket handshake: an endpoint that
    // accepts TCP and never answers would hold `start` forever. The race bounds it by the timeout.
    const connectDeadline = AbortSignal.timeout(timeoutMs);
    await Promise.race([client.start({ abortSignal: connectDeadline }), untilAborted(connectDeadline)]);
    opened = true;
    report(CONNECT_CHECK, 'pass', `connected${connection ? ` as ${connection.userId || '(anonymous)'}, connection ${connection.connectionId}` : ''}`);
    if (!eventCheck) return;

    step = 'send';
    const { data, dataType } = eventPayload(options.eventData);
    progress(`… sending event "${options.event}"`);
    const deadline = AbortSignal.timeout(timeoutMs);
    const before = replies.length;
    await client.sendEvent(options.event!, data, dataType, { abortSignal: deadline });
    if (!options.expectReply) {
      report(eventCheck, 'pass', 'accepted by the service');
      return;
    }
    step = 'reply';
    progress('… waiting for the reply');
    await Promise.race([
      new Promise<void>((resolve) => {
        onReply = () => resolve();
        if (replies.length > before) resolve();
      }),
      untilAborted(deadline),
    ]);
    report(eventCheck, 'pass', `accepted by the service, reply ${preview(replies[before])}`);
  } catch (err) {
    if (step === 'connect') {
      report(CONNECT_CHECK, 'fail', explainRoundTripFailure(step, err, timeoutMs, options.event));
      if (eventCheck) report(eventCheck, 'skip', 'not checked: the client did not connect');
    } else {
      report(eventCheck!, 'fail', explainRoundTripFailure(step, err, timeoutMs, options.event));
    }
  } finally {
    try {
      client.stop();
      if (opened) {
        // Let the socket close so nothing keeps the process alive; bounded in case the close handshake never
        // completes. The timer stays referenced: were it the only thing pending (unref'd), Node would exit here,
        // with status 0, before the report is complete.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([stopped, new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
        clearTimeout(timer);
      } else {
        // No connection: no `stopped` will come. `stop` leaves a socket still in its handshake open; close it.
        abandonHandshake(client);
      }
    } catch {
      // already stopped
    }
  }
}

/** Until `signal` aborts: rejects with its reason. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/**
 * Closes the WebSocket of a client whose handshake did not finish (`ws` aborts the handshake on `close`). The client
 * keeps it in a private field and its `stop` closes only open sockets; without this a silent endpoint keeps a socket
 * (and the process) alive after the check has failed.
 */
function abandonHandshake(client: WebPubSubClient): void {
  const socket = (client as unknown as { _wsClient?: { close?: () => void } })._wsClient;
  try {
    socket?.close?.();
  } catch {
    // already closed
  }
}

/** `--event-data`: JSON when it parses, else text; by default a small JSON object with a unique id. */
function eventPayload(eventData: string | undefined): { data: string | Record<string, unknown>; dataType: 'json' | 'text' } {
  if (eventData === undefined) return { data: { text: 'verify', id: `verify-${randomUUID()}` }, dataType: 'json' };
  try {
    return { data: JSON.parse(eventData) as Record<string, unknown>, dataType: 'json' };
  } catch {
    return { data: eventData, dataType: 'text' };
  }
}

function preview(data: unknown): string {
  const text = typeof data === 'string' ? JSON.stringify(data) : JSON.stringify(data) ?? String(data);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function explainRoundTripFailure(step: 'connect' | 'send' | 'reply', err: unknown, timeoutMs: number, event: string | undefined): string {
  const timedOut = (err as { name?: string } | undefined)?.name === 'TimeoutError' || /abort/i.test(firstLine(err));
  if (step === 'connect') {
    return timedOut
      ? `the WebSocket did not connect within ${timeoutMs} ms: check the network allows wss:// to the service`
      : `the WebSocket connection failed (${firstLine(err)}): the access token may be for another hub or expired, or the app's connect handler rejected the connection`;
  }
  if (step === 'send') {
    const detail = (err as { errorDetail?: { name?: string; message?: string } }).errorDetail;
    return timedOut
      ? `the service did not acknowledge the event within ${timeoutMs} ms: retry with a larger --timeout`
      : `the service rejected the event (${detail?.name ?? firstLine(err)}${detail?.message ? `: ${detail.message}` : ''})`;
  }
  return `no reply to "${event}" within ${timeoutMs} ms: the service accepted the event but no handler answered — check the hub's event handler URL and key (checks above), that its user event pattern covers "${event}", and the function's logs (Application Insights)`;
}
