// Registers `webpubsub-context` (HTTP trigger + webPubSubContext input). Handler: ./handlers/webpubsub-context.ts
import { app } from '@azure/functions';
import { webPubSubContextInput } from './bindings';
import { webPubSubContextHandler } from './handlers/webpubsub-context';

app.http('webpubsub-context', {
  methods: ['POST', 'OPTIONS'],
  // Never anonymous: with identity-based connections the extension skips the signature check, so the key is the guard.
  authLevel: 'function',
  route: 'webpubsub-context/{event}',
  extraInputs: [webPubSubContextInput],
  handler: webPubSubContextHandler,
});
