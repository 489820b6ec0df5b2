// Registers `negotiate-roles` (server SDK + managed identity, for roles and groups). Handler: ./handlers/negotiate-roles.ts
import { app } from '@azure/functions';
import { negotiateRolesHandler } from './handlers/negotiate-roles';

app.http('negotiate-roles', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'negotiate/roles',
  handler: negotiateRolesHandler,
});
