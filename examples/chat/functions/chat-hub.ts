// Registers `webpubsub-chat`: the chat hub's event handlers as one key-protected HTTP function with the
// webPubSubContext input (every plan, Flex Consumption included). Handlers: ./handlers/
import { app, input } from '@azure/functions';
import { registerWebPubSubHandlers } from '../../../lib/runtime';
import { CHAT_HUB, chatActions } from './bindings';
import { connectHandler } from './handlers/connect';
import { connectedHandler } from './handlers/connected';
import { disconnectedHandler } from './handlers/disconnected';
import { messageHandler } from './handlers/message';

// POST/OPTIONS /api/webpubsub/chat/{event}; the infrastructure routes connect, connected, disconnected and the user
// event `message` of hub `chat` here, with the app key `webpubsub_upstream` in the URL.
registerWebPubSubHandlers(
  { app, input },
  {
    hub: CHAT_HUB,
    extraOutputs: [chatActions],
    connect: connectHandler,
    connected: connectedHandler,
    disconnected: disconnectedHandler,
    userEvents: { message: messageHandler },
  },
);
