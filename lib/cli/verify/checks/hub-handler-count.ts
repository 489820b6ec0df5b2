/**
 * Check "hub <name> event handlers": the live hub has as many event handlers as the code declares. Handlers are
 * compared by position, so a count that differs means the hub was edited outside the stack; only the common prefix is
 * then compared handler by handler.
 */
import { coreCommand } from '../../cli-edition';
import type { LiveServiceContext } from '../context';
import type { LiveHub } from './hub-exists';

/** Reports a failure only: an equal count is already shown by the hub check ("<n> event handler(s)"). */
export function checkHubHandlerCount(ctx: LiveServiceContext, hub: LiveHub): void {
  if (hub.handlers.length !== hub.declared.eventHandlers.length) {
    ctx.report(
      `hub ${hub.name} event handlers`,
      'fail',
      `the service has ${hub.handlers.length} event handler(s), the code declares ${hub.declared.eventHandlers.length}: run \`${coreCommand('deploy')}\` (someone may have edited the hub in the portal)`,
    );
  }
}
