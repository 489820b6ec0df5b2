/**
 * Check "<handler> events": the events the live handler receives (system events and user event pattern) are the ones
 * the code handles. A mismatch means events the app handles never arrive, or arrive at a handler that has no code.
 */
import { coreCommand } from '../../cli-edition';
import type { HandlerUnderCheck, LiveServiceContext } from '../context';

export function checkHandlerEvents(ctx: LiveServiceContext, handler: HandlerUnderCheck): void {
  const { name, declared, live } = handler;
  const liveSystem = live.systemEvents ?? [];
  const livePattern = live.userEventPattern || null;
  const problems: string[] = [];
  if (!sameSet(liveSystem, declared.systemEvents)) {
    problems.push(`system events are [${liveSystem.join(', ')}], the code handles [${declared.systemEvents.join(', ')}]`);
  }
  if (livePattern !== (declared.userEventPattern || null)) {
    problems.push(`user event pattern is ${JSON.stringify(livePattern)}, the code declares ${JSON.stringify(declared.userEventPattern || null)}`);
  }
  if (problems.length) {
    ctx.report(`${name} events`, 'fail', `${problems.join('; ')}: synthesize and run \`${coreCommand('deploy')}\` so the hub matches the code`);
  } else {
    ctx.report(`${name} events`, 'pass', `system [${liveSystem.join(', ')}], user ${JSON.stringify(livePattern)}`);
  }
}

/** Same members, ignoring order and case (the service may return event names in another case). */
function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a.map((s) => s.toLowerCase()));
  const right = new Set(b.map((s) => s.toLowerCase()));
  return left.size === right.size && [...left].every((s) => right.has(s));
}
