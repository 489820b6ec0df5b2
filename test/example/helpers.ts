/**
 * Builders for invoking the example's handlers the way the Functions host does: a real `InvocationContext` (with
 * the extra inputs the host would resolve) and Web PubSub payloads shaped as the binding docs describe them.
 */
import { InvocationContext, type FunctionInput, type LogLevel } from '@azure/functions';
import type { WebPubSubConnectionContext } from '../../lib/runtime';

export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
}

export interface Invocation {
  readonly context: InvocationContext;
  /** What the handler logged through the context (kept off the console). */
  readonly logs: LogLine[];
}

/** A real `InvocationContext`; `inputs` are set as the host sets resolved extra inputs before calling the handler. */
export function invocation(
  functionName: string,
  options: { triggerMetadata?: Record<string, unknown>; inputs?: ReadonlyArray<readonly [FunctionInput, unknown]> } = {},
): Invocation {
  const logs: LogLine[] = [];
  const context = new InvocationContext({
    functionName,
    invocationId: `inv-${functionName}`,
    triggerMetadata: options.triggerMetadata,
    logHandler: (level, ...args) => logs.push({ level, message: args.map(String).join(' ') }),
  });
  for (const [input, value] of options.inputs ?? []) context.extraInputs.set(input, value);
  return { context, logs };
}

/**
 * A `connectionContext` as the trigger delivers it ("Usages": EventType, EventName, Hub, ConnectionId,
 * UserId, Headers, Origin, Signature, States).
 */
export function connectionContext(
  eventType: 'system' | 'user',
  eventName: string,
  overrides: Partial<WebPubSubConnectionContext> = {},
): WebPubSubConnectionContext {
  return {
    eventType,
    eventName,
    hub: 'chat',
    connectionId: 'conn-alice-1',
    userId: 'alice',
    headers: { 'ce-source': ['/hubs/chat/client/conn-alice-1'], 'user-agent': ['jest'] },
    origin: 'wps-example.webpubsub.azure.com',
    signature: 'sha256=7767e1b0ce8e4c9a3f5c6d1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c',
    states: { theme: 'dark' },
    ...overrides,
  };
}

/** Trigger metadata the host passes alongside a Web PubSub trigger (the request's fields, camelCase). */
export function triggerMetadataOf(request: { connectionContext: WebPubSubConnectionContext } & Record<string, unknown>): Record<string, unknown> {
  return { ...request, request };
}
