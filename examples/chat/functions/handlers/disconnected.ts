import type { InvocationContext } from '@azure/functions';
import { type DisconnectedEventRequest, sendToAll } from '../../../../lib/runtime';
import { chatActions } from '../bindings';
import type { SystemNotice } from './connected';

/**
 * `disconnected` (system event, non-blocking): announces `<user> left` through the `webPubSub` output binding.
 *
 * Group membership needs no clean-up: `connect` joined the *connection* to the lobby, and the service drops a
 * connection's groups when it closes. `removeUserFromAllGroups` is deliberately not used: it would also remove the
 * user's other open connections (a second tab) from the lobby.
 */
export async function disconnectedHandler(request: DisconnectedEventRequest, context: InvocationContext): Promise<void> {
  const { userId, connectionId } = request.connectionContext;
  const who = userId ?? connectionId;
  if (request.reason) context.log(`disconnected: ${who} (${connectionId}): ${request.reason}`);
  const left: SystemNotice = { type: 'system', text: `${who} left` };
  context.extraOutputs.set(chatActions, [sendToAll({ dataType: 'json', data: JSON.stringify(left) })]);
}
