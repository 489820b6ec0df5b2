/**
 * Records which Azure Functions a bundled Node.js v4 programming-model app registers, by loading the bundle
 * in a child process with a recording stand-in for `@azure/functions-core` (see `functions-core-stand-in.ts`).
 */
import { spawnSync } from 'child_process';
import { FUNCTIONS_CORE_STAND_IN_SCRIPT, type RecorderOutput } from './functions-core-stand-in';
import { WEB_PUBSUB_CONTEXT_INPUT_NAME, type WebPubSubHandlersDeclaration } from '../../runtime/web-pubsub-handlers';

/**
 * One binding of a registered function, exactly as `@azure/functions` v4 hands it to the worker's
 * `registerFunction` (`coreTypes.RpcBindingInfo` plus the binding options spread in). Typed members are the
 * ones this library reads; every other option the app set is kept under its own key.
 *
 * Values can be binding expressions or app-setting references (e.g. `hub: '%HUB_NAME%'`), which are resolved
 * by the Functions host at runtime, not here.
 */
export interface RegisteredBinding {
  /** Binding type, e.g. `httpTrigger`, `http`, `webPubSubTrigger`, `webPubSubConnection`, `webPubSubContext`, `webPubSub`. */
  readonly type: string;
  /** `in` for triggers and inputs, `out` for outputs and the `$return` binding. */
  readonly direction: 'in' | 'out' | 'inout';
  /** Binding name as used by the app (the `$return` binding has none). */
  readonly name?: string;
  /** Extra properties added by the library, e.g. `{ supportsDeferredBinding: 'false' }`. */
  readonly properties?: Record<string, string>;
  readonly dataType?: string;
  /** Web PubSub hub (trigger, `webPubSubConnection` input, `webPubSub` output). */
  readonly hub?: string;
  /** Web PubSub trigger: `system` or `user`. */
  readonly eventType?: string;
  /** Web PubSub trigger: `connect`, `connected`, `disconnected` (system) or the user event name / `message`. */
  readonly eventName?: string;
  /** Web PubSub trigger: `all`, `webPubSub` or `mqtt`. */
  readonly clientProtocols?: string;
  /** `webPubSubConnection` input: `default` or `mqtt`. */
  readonly clientProtocol?: string;
  /** App-setting name (prefix) of the service connection (deprecated single form). */
  readonly connection?: string;
  /** App-setting names (prefixes) of the upstream services used for signature validation. */
  readonly connections?: string[];
  /** `webPubSubConnection` input: user id claim (may be a binding expression such as `{headers.x-ms-client-principal-name}`). */
  readonly userId?: string;
  /** HTTP trigger route. */
  readonly route?: string;
  /** HTTP trigger methods. */
  readonly methods?: string[];
  /** HTTP trigger auth level: `anonymous`, `function` or `admin`. */
  readonly authLevel?: string;
  readonly [option: string]: unknown;
}

/**
 * A function registered by the app at import time (`coreTypes.FunctionMetadata` + the entry it came from).
 */
export interface RegisteredFunction {
  /** Function name (first argument of `app.http(name, ...)` etc.). */
  readonly name: string;
  /** The `entryPoints` item whose import registered the function, as given in the props. */
  readonly entryPoint: string;
  /** Bindings keyed by binding name; the return binding is keyed `$return`. Insertion order: trigger, inputs, return, outputs. */
  readonly bindings: Record<string, RegisteredBinding>;
  /** Retry options, when the app set `retry`. */
  readonly retryOptions?: Record<string, unknown>;
  /** What `registerWebPubSubHandlers` declared for this function (hub, route, routed events), when it registered it. */
  readonly webPubSubHandlers?: WebPubSubHandlersDeclaration;
}

/** A `webPubSubTrigger` binding flattened with its function name (input for event-handler routing). */
export interface WebPubSubTriggerRegistration {
  readonly functionName: string;
  readonly bindingName: string;
  /** Absent when the trigger names no hub (the host then uses the `WebPubSubHub` app setting). */
  readonly hub?: string;
  readonly eventType: 'system' | 'user';
  readonly eventName: string;
  readonly clientProtocols?: string;
  readonly connections: string[];
}

/** Web PubSub system events a hub can forward to an event handler. */
export type WebPubSubSystemEvent = 'connect' | 'connected' | 'disconnected';
const SYSTEM_EVENTS: readonly WebPubSubSystemEvent[] = ['connect', 'connected', 'disconnected'];

/** Event routing of one hub as declared by the app's `webPubSubTrigger` bindings. */
export interface DeclaredEventRouting {
  /** System events with a trigger, in the order connect, connected, disconnected; omitted when none. */
  readonly systemEvents?: WebPubSubSystemEvent[];
  /** User event names with a trigger, sorted and comma-separated; omitted when none. */
  readonly userEventPattern?: string;
}

/**
 * The event routing a hub needs so that every `webPubSubTrigger` of the app for that hub receives its events.
 * Hub names compare case-insensitively (as the extension does). Returns `undefined` when it cannot be derived:
 * no trigger names this hub, or some trigger's hub is only known at runtime (omitted, i.e. taken from the
 * `WebPubSubHub` app setting, or an app-setting/binding expression such as `%...%` or `{...}`).
 */
export function deriveEventRouting(registrations: readonly RegisteredFunction[], hub: string): DeclaredEventRouting | undefined {
  const triggers = listWebPubSubTriggers(registrations);
  if (triggers.some((t) => t.hub === undefined || /[%{]/.test(t.hub))) return undefined;
  const mine = triggers.filter((t) => t.hub!.toLowerCase() === hub.toLowerCase());
  if (mine.length === 0) return undefined;
  const system = new Set(mine.filter((t) => t.eventType === 'system').map((t) => t.eventName.toLowerCase()));
  const user = [...new Set(mine.filter((t) => t.eventType === 'user').map((t) => t.eventName))].sort();
  const systemEvents = SYSTEM_EVENTS.filter((e) => system.has(e));
  return {
    ...(systemEvents.length > 0 ? { systemEvents } : {}),
    ...(user.length > 0 ? { userEventPattern: user.join(',') } : {}),
  };
}

/** Options of {@link recordRegistrations}. */
export interface RecordRegistrationsOptions {
  /** Bundle JavaScript (CommonJS) produced by the bundler. */
  readonly bundleCode: string;
  /** Absolute (virtual) path the bundle is evaluated as; externals resolve from its directory upward. */
  readonly bundleFilename: string;
  /** Display names of the entry points, in the order the generated main loads them. */
  readonly entryPoints: readonly string[];
  /**
   * Variables set for the app on top of the {@link RECORDER_INHERITED_VARIABLES} taken from this process (which
   * they override).
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 60000 */
  readonly timeoutMs?: number;
}

/**
 * The only variables of the synth process copied into the environment of the child that loads the app to record its
 * functions: what Node.js and common libraries need to run at all (executable and DLL search path, home and temp
 * directories; `SystemRoot` on Windows). Anything else, such as CI credentials (`ACTIONS_ID_TOKEN_REQUEST_*`,
 * `GITHUB_TOKEN`, `ARM_*`, `AZURE_*`), `NODE_OPTIONS` or `NODE_PATH`, is left out of the child's `process.env`, so the
 * app's code and its SDKs do not pick them up by accident (in Azure it does not see the deployer's environment
 * either), and the recorded functions do not depend on them.
 *
 * This is hygiene, not a security boundary: the child runs as the same user as the synth, so code in it can still
 * read the synth's environment (`/proc/<parent pid>/environ` on Linux), the user's files (`~/.azure`, `~/.npmrc`) and
 * whatever else that user can reach. Do not synthesize where credentials are present that the app's code and its
 * dependencies must not have (docs/deploying.md, "What a synth can read").
 */
export const RECORDER_INHERITED_VARIABLES: readonly string[] = ['PATH', 'HOME', 'USERPROFILE', 'TMPDIR', 'TMP', 'TEMP', 'SystemRoot'];

/**
 * The environment of the recorder child: {@link RECORDER_INHERITED_VARIABLES} present in `from` (matched
 * case-insensitively on Windows, where variable names are), then `extra`. Keys are sorted (stable cache keys).
 */
export function recorderEnvironment(
  extra: Readonly<Record<string, string>> = {},
  from: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Record<string, string> {
  const env: Record<string, string> = {};
  const fold = (name: string): string => (platform === 'win32' ? name.toUpperCase() : name);
  const wanted = new Set(RECORDER_INHERITED_VARIABLES.map(fold));
  for (const [name, value] of Object.entries(from)) {
    if (value !== undefined && wanted.has(fold(name))) env[name] = value;
  }
  for (const [name, value] of Object.entries(extra)) {
    for (const existing of Object.keys(env)) if (fold(existing) === fold(name)) delete env[existing];
    env[name] = value;
  }
  return Object.fromEntries(Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;

/** The trigger binding (direction `in`, type ending in `Trigger`) of a registered function, if any. */
export function getTriggerBinding(fn: RegisteredFunction): RegisteredBinding | undefined {
  return Object.values(fn.bindings).find((b) => b.direction === 'in' && /trigger$/i.test(b.type));
}

/** All `webPubSubTrigger` bindings, in registration order. */
export function listWebPubSubTriggers(registrations: readonly RegisteredFunction[]): WebPubSubTriggerRegistration[] {
  const result: WebPubSubTriggerRegistration[] = [];
  for (const fn of registrations) {
    for (const [bindingName, b] of Object.entries(fn.bindings)) {
      if (b.type !== 'webPubSubTrigger') continue;
      const connections = b.connections ?? (b.connection !== undefined ? [b.connection] : []);
      result.push({
        functionName: fn.name,
        bindingName,
        ...(typeof b.hub === 'string' && b.hub !== '' ? { hub: b.hub } : {}),
        eventType: String(b.eventType).toLowerCase() === 'system' ? 'system' : 'user',
        eventName: String(b.eventName),
        ...(b.clientProtocols !== undefined ? { clientProtocols: b.clientProtocols } : {}),
        connections,
      });
    }
  }
  return result;
}

/**
 * Loads the bundle in a child Node.js process (same executable as this one) with the recording stand-in and
 * returns the registered functions. The child gets only {@link recorderEnvironment} (the app is user code run at
 * synth: it must not see the deployer's credentials). Throws if the bundle throws at import (naming the entry point) or if the
 * child fails. Does not validate the result: see {@link validateRegistrations}.
 */
export function recordRegistrations(options: RecordRegistrationsOptions): RegisteredFunction[] {
  const env = recorderEnvironment(options.environment);
  const child = spawnSync(process.execPath, ['-e', FUNCTIONS_CORE_STAND_IN_SCRIPT, options.bundleFilename], {
    input: options.bundleCode,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    env,
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
    windowsHide: true,
  });
  const stderr = child.stderr?.toString('utf8').trim() ?? '';
  const report = child.output?.[3]?.toString('utf8') ?? '';
  if (child.error || !report) {
    const reason = child.error ? child.error.message : `exit code ${child.status ?? child.signal}`;
    throw new Error(`could not load the bundled function app to record its functions (${reason})${stderr ? `:\n${tail(stderr)}` : ''}`);
  }
  const output = JSON.parse(report) as RecorderOutput;
  const entryName = (index: number | null): string =>
    index !== null && index >= 0 && index < options.entryPoints.length ? options.entryPoints[index] : '<generated main>';
  if (output.error) {
    const where = entryName(output.error.entryIndex);
    throw new Error(`entry point "${where}" threw while being imported: ${output.error.message}\n${cleanStack(output.error.stack)}`.trimEnd());
  }
  const declarations = new Map<string, WebPubSubHandlersDeclaration>();
  for (const { declaration } of output.webPubSubHandlers ?? []) {
    const d = declaration as WebPubSubHandlersDeclaration;
    if (d && typeof d.functionName === 'string') declarations.set(d.functionName, d);
  }
  return output.registrations.map(({ entryIndex, metadata }) => {
    const fn = toRegisteredFunction(metadata, entryName(entryIndex));
    const declared = declarations.get(fn.name);
    return declared ? { ...fn, webPubSubHandlers: declared } : fn;
  });
}

/** The hub handlers `registerWebPubSubHandlers` declared, in registration order. */
export function listWebPubSubHandlers(registrations: readonly RegisteredFunction[]): WebPubSubHandlersDeclaration[] {
  return registrations.flatMap((fn) => (fn.webPubSubHandlers ? [fn.webPubSubHandlers] : []));
}

/**
 * HTTP functions that read upstream requests with the `webPubSubContext` input but were not registered by
 * `registerWebPubSubHandlers` (Microsoft's `simplechat-wpscontext` layout: one function per event); their hub and
 * events cannot be read from the code.
 */
export function listUndeclaredContextFunctions(registrations: readonly RegisteredFunction[]): RegisteredFunction[] {
  return registrations.filter((fn) => !fn.webPubSubHandlers && Object.values(fn.bindings).some((b) => b.type === 'webPubSubContext'));
}

function toRegisteredFunction(metadata: unknown, entryPoint: string): RegisteredFunction {
  const m = (metadata ?? {}) as { name?: unknown; bindings?: unknown; retryOptions?: unknown };
  const rawBindings = (m.bindings ?? {}) as Record<string, RegisteredBinding>;
  return {
    name: String(m.name),
    entryPoint,
    bindings: rawBindings,
    ...(m.retryOptions && typeof m.retryOptions === 'object' ? { retryOptions: m.retryOptions as Record<string, unknown> } : {}),
  };
}

/**
 * Checks the recorded registrations: every entry point registers at least one function, names are valid
 * Azure Functions names and unique. Throws an Error describing the first problem.
 */
export function validateRegistrations(registrations: readonly RegisteredFunction[], entryPoints: readonly string[]): void {
  for (const entry of entryPoints) {
    if (!registrations.some((r) => r.entryPoint === entry)) {
      throw new Error(
        `entry point "${entry}" registers no function: an entry must call app.http(), app.webPubSub(), app.generic() ... ` +
          `from '@azure/functions' (v4 programming model) when it is imported`,
      );
    }
  }
  const seen = new Map<string, string>();
  for (const r of registrations) {
    if (!FUNCTION_NAME.test(r.name)) {
      throw new Error(`entry point "${r.entryPoint}" registers a function named ${JSON.stringify(r.name)}: names must match ${FUNCTION_NAME}`);
    }
    const key = r.name.toLowerCase(); // function names are case-insensitive in the host
    const previous = seen.get(key);
    if (previous !== undefined) {
      throw new Error(`function "${r.name}" is registered twice (entry points "${previous}" and "${r.entryPoint}")`);
    }
    seen.set(key, r.entryPoint);
    if (!getTriggerBinding(r)) {
      throw new Error(`function "${r.name}" (entry point "${r.entryPoint}") has no trigger binding`);
    }
    if (r.webPubSubHandlers) {
      const trigger = getTriggerBinding(r);
      const context = Object.values(r.bindings).find((b) => b.type === 'webPubSubContext');
      if (trigger?.type !== 'httpTrigger' || trigger.route !== r.webPubSubHandlers.route || !context || context.name !== WEB_PUBSUB_CONTEXT_INPUT_NAME) {
        throw new Error(`function "${r.name}" (entry point "${r.entryPoint}") was declared by registerWebPubSubHandlers but registered differently (route ${JSON.stringify(trigger?.route)}): register it only through registerWebPubSubHandlers`);
      }
    }
    for (const b of Object.values(r.bindings)) {
      if (b.type !== 'webPubSubTrigger') continue;
      const what = `function "${r.name}" (entry point "${r.entryPoint}"): webPubSubTrigger`;
      if (typeof b.eventName !== 'string' || b.eventName === '') throw new Error(`${what} needs an \`eventName\``);
      const eventType = String(b.eventType).toLowerCase();
      if (eventType !== 'system' && eventType !== 'user') {
        throw new Error(`${what} \`eventType\` must be "system" or "user", got ${JSON.stringify(b.eventType)}`);
      }
      if (eventType === 'system' && !(SYSTEM_EVENTS as readonly string[]).includes(b.eventName.toLowerCase())) {
        throw new Error(`${what} system \`eventName\` must be one of ${SYSTEM_EVENTS.join(', ')}, got ${JSON.stringify(b.eventName)}`);
      }
    }
  }
}

function tail(text: string, lines = 20): string {
  return text.split('\n').slice(-lines).join('\n');
}

function cleanStack(stack: string | undefined): string {
  if (!stack) return '';
  // keep the frames that point into the bundle; drop node internals and the recorder itself
  return stack
    .split('\n')
    .slice(1)
    .filter((l) => !l.includes('node:internal') && !l.includes('[eval]'))
    .slice(0, 8)
    .join('\n');
}
