import type { InvocationContext } from '@azure/functions';
import { type ConnectedEventRequest, sendToAll, sendToConnection } from '../../../../lib/runtime';
import { chatActions } from '../bindings';

/** The JSON message the chat sends for joins and leaves. */
export interface SystemNotice {
  readonly type: 'system';
  readonly text: string;
}

/**
 * `connected` (system event, non-blocking): welcomes the new connection and announces `<user> joined` to everyone,
 * through the `webPubSub` output binding. The trigger ignores a return value for this event.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction (sendToAll, sendToConnection; `data` is a string for json, per the
 *   IMPORTANT note)
 */
export async function connectedHandler(request: ConnectedEventRequest, context: InvocationContext): Promise<void> {
  const { userId, connectionId } = request.connectionContext;
  const who = userId ?? connectionId;
  const welcome: SystemNotice = { type: 'system', text: `welcome, ${who}` };
  const joined: SystemNotice = { type: 'system', text: `${who} joined` };
  context.extraOutputs.set(chatActions, [
    sendToConnection({ connectionId, dataType: 'json', data: JSON.stringify(welcome) }),
    sendToAll({ dataType: 'json', data: JSON.stringify(joined), excluded: [connectionId] }),
  ]);
}
