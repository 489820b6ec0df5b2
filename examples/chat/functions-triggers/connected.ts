// Registers `connected` (system event; announces through the webPubSub output). Handler: ../functions/handlers/connected.ts
import { app } from '@azure/functions';
import type { ConnectedEventRequest } from '../../../lib/runtime';
import { CHAT_HUB, chatActions } from '../functions/bindings';
import { connectedHandler } from '../functions/handlers/connected';

app.webPubSub<ConnectedEventRequest>('connected', {
  name: 'request',
  hub: CHAT_HUB,
  eventType: 'system',
  eventName: 'connected',
  extraOutputs: [chatActions],
  handler: connectedHandler,
});
