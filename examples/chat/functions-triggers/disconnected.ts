// Registers `disconnected` (system event; announces through the webPubSub output). Handler: ../functions/handlers/disconnected.ts
import { app } from '@azure/functions';
import type { DisconnectedEventRequest } from '../../../lib/runtime';
import { CHAT_HUB, chatActions } from '../functions/bindings';
import { disconnectedHandler } from '../functions/handlers/disconnected';

app.webPubSub<DisconnectedEventRequest>('disconnected', {
  name: 'request',
  hub: CHAT_HUB,
  eventType: 'system',
  eventName: 'disconnected',
  extraOutputs: [chatActions],
  handler: disconnectedHandler,
});
