// Registers `connect` (system event, blocking). Handler: ../functions/handlers/connect.ts
import { app } from '@azure/functions';
import type { ConnectEventRequest } from '../../../lib/runtime';
import { CHAT_HUB } from '../functions/bindings';
import { connectHandler } from '../functions/handlers/connect';

app.webPubSub<ConnectEventRequest>('connect', {
  name: 'request',
  hub: CHAT_HUB,
  eventType: 'system',
  eventName: 'connect',
  handler: connectHandler,
});
