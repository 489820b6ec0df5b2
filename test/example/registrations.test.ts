import * as path from 'path';
import { anonymousContextFunctions, declaredHttpHandlers, undeclaredContextFunctionNames } from '../../lib/code/private/declared-event-handlers';
import { bundleFunctionApp, resolveEntryPoints, BUNDLE_PATH } from '../../lib/code/private/function-bundler';
import {
  deriveEventRouting,
  getTriggerBinding,
  listWebPubSubHandlers,
  listWebPubSubTriggers,
  recordRegistrations,
  validateRegistrations,
  type RegisteredFunction,
} from '../../lib/code/private/function-registration-recorder';

// The bundles the example stacks ship (FunctionCode: projectDir examples/chat), loaded with the recording stand-in for
// @azure/functions-core: `functions/index.ts` (main.ts, Flex Consumption: the hub's handlers behind one HTTP function
// registered by registerWebPubSubHandlers) and `functions-triggers/index.ts` (premium.ts, Elastic Premium: the same
// handlers as webPubSubTrigger functions).
const PROJECT_DIR = path.resolve(__dirname, '../../examples/chat');
const HTTP_ENTRY = 'functions/index.ts';
const TRIGGERS_ENTRY = 'functions-triggers/index.ts';

const bundles: Record<string, { code: string; registrations: RegisteredFunction[] }> = {};

function load(entry: string) {
  const entryPoints = resolveEntryPoints(PROJECT_DIR, [entry]);
  const bundle = bundleFunctionApp({ projectDir: PROJECT_DIR, entryPoints, nodeVersion: '22', externals: [], minify: false, sourceMap: false, define: {} });
  return { code: bundle.code, registrations: recordRegistrations({ bundleCode: bundle.code, bundleFilename: path.join(PROJECT_DIR, BUNDLE_PATH), entryPoints: [entry] }) };
}

beforeAll(() => {
  bundles[HTTP_ENTRY] = load(HTTP_ENTRY);
  bundles[TRIGGERS_ENTRY] = load(TRIGGERS_ENTRY);
});

const byName = (registrations: RegisteredFunction[], name: string): RegisteredFunction => {
  const fn = registrations.find((r) => r.name === name);
  if (!fn) throw new Error(`function ${name} is not registered`);
  return fn;
};
const COMMON = ['index', 'negotiate', 'negotiate-principal', 'negotiate-roles', 'webpubsub-context'];

describe('the example function app bundle (functions/index.ts: registerWebPubSubHandlers, every plan)', () => {
  const registrations = () => bundles[HTTP_ENTRY].registrations;

  test('registers the six functions, all valid for the packager', () => {
    expect(registrations().map((r) => r.name).sort()).toEqual([...COMMON, 'webpubsub-chat'].sort());
    expect(() => validateRegistrations(registrations(), [HTTP_ENTRY])).not.toThrow();
  });

  test('declares exactly system connect/connected/disconnected and user message for hub chat, through one HTTP function; no trigger', () => {
    expect(listWebPubSubTriggers(registrations())).toEqual([]);
    expect(deriveEventRouting(registrations(), 'chat')).toBeUndefined();
    expect(listWebPubSubHandlers(registrations())).toEqual([
      { functionName: 'webpubsub-chat', hub: 'chat', route: 'webpubsub/chat/{event}', systemEvents: ['connect', 'connected', 'disconnected'], userEventPattern: 'message' },
    ]);
    expect(declaredHttpHandlers(registrations(), undefined, 'chat')).toEqual({
      functionName: 'webpubsub-chat',
      path: 'api/webpubsub/chat/{event}',
      systemEvents: ['connect', 'connected', 'disconnected'],
      userEventPattern: 'message',
    });
  });

  test('the hub function is key-protected (authLevel function), POST and OPTIONS, with the webPubSubContext input and the webPubSub output', () => {
    const fn = byName(registrations(), 'webpubsub-chat');
    expect(getTriggerBinding(fn)).toMatchObject({ type: 'httpTrigger', route: 'webpubsub/chat/{event}', methods: ['POST', 'OPTIONS'], authLevel: 'function' });
    expect(Object.values(fn.bindings).filter((b) => b.type === 'webPubSubContext')).toEqual([expect.objectContaining({ name: 'webPubSubContext', direction: 'in' })]);
    expect(Object.values(fn.bindings).some((b) => b.type === 'webPubSub' && b.direction === 'out' && b.hub === 'chat')).toBe(true);
  });

  test('no webPubSubContext function is anonymous; the one not registered by the helper is webpubsub-context', () => {
    expect(anonymousContextFunctions(registrations())).toEqual([]);
    expect(undeclaredContextFunctionNames(registrations())).toEqual(['webpubsub-context']);
  });

  test('uses webPubSubConnection, webPubSubContext and the webPubSub output, and no webPubSubTrigger', () => {
    const types = new Set(registrations().flatMap((r) => Object.values(r.bindings).map((b) => `${b.type}/${b.direction}`)));
    for (const expected of ['webPubSubConnection/in', 'webPubSubContext/in', 'webPubSub/out']) expect(types).toContain(expected);
    expect([...types].some((t) => t.startsWith('webPubSubTrigger/'))).toBe(false);
  });

  test('the output binding is on the function that announces and broadcasts', () => {
    const withOutput = registrations().filter((r) => Object.values(r.bindings).some((b) => b.type === 'webPubSub' && b.direction === 'out'));
    expect(withOutput.map((r) => r.name)).toEqual(['webpubsub-chat']);
  });
});

describe('the Premium variant bundle (functions-triggers/index.ts: webPubSubTrigger functions)', () => {
  const registrations = () => bundles[TRIGGERS_ENTRY].registrations;

  test('registers the nine functions, all valid for the packager', () => {
    expect(registrations().map((r) => r.name).sort()).toEqual([...COMMON, 'connect', 'connected', 'disconnected', 'message'].sort());
    expect(() => validateRegistrations(registrations(), [TRIGGERS_ENTRY])).not.toThrow();
  });

  test('declares exactly system connect/connected/disconnected and user message for hub chat', () => {
    const triggers = listWebPubSubTriggers(registrations()).map(({ functionName, hub, eventType, eventName }) => ({ functionName, hub, eventType, eventName }));
    expect(triggers.sort((a, b) => a.functionName.localeCompare(b.functionName))).toEqual([
      { functionName: 'connect', hub: 'chat', eventType: 'system', eventName: 'connect' },
      { functionName: 'connected', hub: 'chat', eventType: 'system', eventName: 'connected' },
      { functionName: 'disconnected', hub: 'chat', eventType: 'system', eventName: 'disconnected' },
      { functionName: 'message', hub: 'chat', eventType: 'user', eventName: 'message' },
    ]);
    expect(deriveEventRouting(registrations(), 'chat')).toEqual({
      systemEvents: ['connect', 'connected', 'disconnected'],
      userEventPattern: 'message',
    });
    expect(listWebPubSubHandlers(registrations())).toEqual([]);
  });

  test('uses every Web PubSub binding: webPubSubTrigger, webPubSubConnection, webPubSubContext and the webPubSub output', () => {
    const types = new Set(registrations().flatMap((r) => Object.values(r.bindings).map((b) => `${b.type}/${b.direction}`)));
    for (const expected of ['webPubSubTrigger/in', 'webPubSubConnection/in', 'webPubSubContext/in', 'webPubSub/out']) {
      expect(types).toContain(expected);
    }
  });

  test('the output binding is on the functions that announce or broadcast', () => {
    const withOutput = registrations().filter((r) => Object.values(r.bindings).some((b) => b.type === 'webPubSub' && b.direction === 'out'));
    expect(withOutput.map((r) => r.name).sort()).toEqual(['connected', 'disconnected', 'message']);
  });
});

describe.each([HTTP_ENTRY, TRIGGERS_ENTRY])('both bundles (%s)', (entry) => {
  test('every Web PubSub binding keeps the default connection (WebPubSubConnectionString) and names hub chat where it takes one', () => {
    const wps = bundles[entry].registrations.flatMap((r) => Object.values(r.bindings).filter((b) => b.type.startsWith('webPubSub')));
    expect(wps.length).toBeGreaterThanOrEqual(entry === HTTP_ENTRY ? 5 : 8);
    for (const b of wps) {
      expect(b.connection).toBeUndefined();
      expect(b.connections).toBeUndefined();
      if (b.type !== 'webPubSubContext') expect(b.hub).toBe('chat');
    }
  });

  test('HTTP functions: routes, methods, auth levels and the negotiate user id expressions', () => {
    const registrations = bundles[entry].registrations;
    const http = (name: string) => {
      const t = getTriggerBinding(byName(registrations, name))!;
      return { type: t.type, route: t.route, methods: t.methods, authLevel: t.authLevel };
    };
    expect(http('negotiate')).toEqual({ type: 'httpTrigger', route: 'negotiate', methods: ['GET'], authLevel: 'anonymous' });
    expect(http('negotiate-principal')).toMatchObject({ route: 'negotiate/principal', methods: ['GET'] });
    expect(http('negotiate-roles')).toMatchObject({ route: 'negotiate/roles', methods: ['GET'] });
    expect(http('webpubsub-context')).toMatchObject({ route: 'webpubsub-context/{event}', methods: ['POST', 'OPTIONS'], authLevel: 'function' });
    expect(http('index')).toMatchObject({ route: 'index/{file?}', methods: ['GET'] });
    const userIdOf = (name: string) => Object.values(byName(registrations, name).bindings).find((b) => b.type === 'webPubSubConnection')?.userId;
    expect(userIdOf('negotiate')).toBe('{query.userid}');
    expect(userIdOf('negotiate-principal')).toBe('{headers.x-ms-client-principal-id}');
  });

  test('the bundle carries the server SDK but no infrastructure code (cdktf, constructs, providers)', () => {
    const bundleCode = bundles[entry].code;
    expect(bundleCode).toMatch(/node_modules\/@azure\/web-pubsub\//);
    expect(bundleCode).toMatch(/node_modules\/@azure\/identity\//);
    expect(bundleCode).not.toMatch(/node_modules\/(cdktf|constructs|@cdktf)\//);
    expect(bundleCode).not.toMatch(/lib\/packaging\//);
  });
});
