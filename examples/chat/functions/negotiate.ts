// Registers `negotiate` and `negotiate-principal` (webPubSubConnection input). Handlers: ./handlers/negotiate.ts
import { app } from '@azure/functions';
import { connectionFromPrincipal, connectionFromQuery } from './bindings';
import { negotiatePrincipalHandler, negotiateHandler } from './handlers/negotiate';

app.http('negotiate', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'negotiate',
  extraInputs: [connectionFromQuery],
  handler: negotiateHandler,
});

app.http('negotiate-principal', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'negotiate/principal',
  extraInputs: [connectionFromPrincipal],
  handler: negotiatePrincipalHandler,
});
