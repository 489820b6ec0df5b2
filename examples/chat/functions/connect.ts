// Registers `connect` (system event, blocking). Handler: ./handlers/connect.ts
import { app } from '@azure/functions';
import type { ConnectEventRequest } from '../../../lib/runtime';
import { CHAT_HUB } from './bindings';
import { connectHandler } from './handlers/connect';

app.webPubSub<ConnectEventRequest>('connect', {
  name: 'request',
  hub: CHAT_HUB,
  eventType: 'system',
  eventName: 'connect',
  handler: connectHandler,
});
