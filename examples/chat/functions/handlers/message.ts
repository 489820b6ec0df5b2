import type { InvocationContext } from '@azure/functions';
import {
  type EventErrorResponse,
  type UserEventRequest,
  type UserEventResponse,
  eventErrorResponse,
  sendToAll,
  userEventResponse,
} from '../../../../lib/runtime';
import { chatActions } from '../bindings';

/** Longest chat message accepted, in UTF-16 code units (`string.length`). */
export const MAX_TEXT_LENGTH = 2000;

/** What the chat broadcasts for a message. `id` is the sender's own message id (or `null`), echoed for de-duplication. */
export interface ChatMessage {
  readonly from: string;
  readonly text: string;
  readonly id: string | number | null;
}

/** The ack returned to the sender (as the `UserEventResponse`, dataType json). */
export interface ChatAck {
  readonly ack: true;
  readonly id: string | number | null;
}

type Parsed = { readonly text: string; readonly id: string | number | null } | { readonly error: string };

/**
 * Reads `{ text, id? }` from the user event. `json` data is a JSON string (an already-parsed object is accepted
 * too); `text` data is the message text itself; `binary` is refused.
 */
export function parseChatInput(request: Pick<UserEventRequest, 'data' | 'dataType'>): Parsed {
  let text: unknown;
  let id: unknown = null;
  if (request.dataType === 'text') {
    text = typeof request.data === 'string' ? request.data : undefined;
  } else if (request.dataType === 'json') {
    let body: unknown = request.data;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        return { error: 'message data is not valid JSON' };
      }
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return { error: 'message must be a JSON object { "text": string, "id"?: string | number }' };
    }
    ({ text, id = null } = body as { text?: unknown; id?: unknown });
  } else {
    return { error: `dataType "${String(request.dataType)}" is not supported: send json or text` };
  }
  if (typeof text !== 'string' || text.trim() === '') return { error: '"text" must be a non-empty string' };
  if (text.length > MAX_TEXT_LENGTH) return { error: `"text" must be at most ${MAX_TEXT_LENGTH} characters, got ${text.length}` };
  if (id !== null && typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
    return { error: '"id" must be a string or a number when given' };
  }
  return { text, id };
}

/**
 * `message` (user event, blocking): validates the message, broadcasts `{ from, text, id }` to every connection of the
 * hub through the `webPubSub` output binding and returns an ack to the sender. Invalid input gets a `userError`
 * and nothing is broadcast.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#return-response (UserEventResponse, EventErrorResponse)
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output
 */
export async function messageHandler(request: UserEventRequest, context: InvocationContext): Promise<UserEventResponse | EventErrorResponse> {
  const { userId, connectionId } = request.connectionContext;
  const parsed = parseChatInput(request);
  if ('error' in parsed) {
    context.warn(`message: refused from ${connectionId}: ${parsed.error}`);
    return eventErrorResponse('userError', parsed.error);
  }
  const message: ChatMessage = { from: userId ?? connectionId, text: parsed.text, id: parsed.id };
  context.extraOutputs.set(chatActions, [sendToAll({ dataType: 'json', data: JSON.stringify(message) })]);
  const ack: ChatAck = { ack: true, id: parsed.id };
  return userEventResponse({ dataType: 'json', data: JSON.stringify(ack) });
}
