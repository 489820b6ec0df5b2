// Registers `index` (serves the chat page files). Handler: ./handlers/index-page.ts
import { app } from '@azure/functions';
import { indexHandler } from './handlers/index-page';

app.http('index', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'index/{file?}',
  handler: indexHandler,
});
