// Registers `message` (user event `message`; broadcast + ack). Handler: ../functions/handlers/message.ts
import { app } from '@azure/functions';
import type { UserEventRequest } from '../../../lib/runtime';
import { CHAT_HUB, chatActions } from '../functions/bindings';
import { messageHandler } from '../functions/handlers/message';

app.webPubSub<UserEventRequest>('message', {
  name: 'request',
  hub: CHAT_HUB,
  eventType: 'user',
  eventName: 'message',
  extraOutputs: [chatActions],
  handler: messageHandler,
});
