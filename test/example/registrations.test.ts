import * as path from 'path';
import { bundleFunctionApp, resolveEntryPoints, BUNDLE_PATH } from '../../lib/packaging/function-bundler';
import {
  deriveEventRouting,
  getTriggerBinding,
  listWebPubSubTriggers,
  recordRegistrations,
  validateRegistrations,
  type RegisteredFunction,
} from '../../lib/packaging/function-registration-recorder';

// The same bundle main.ts ships (FunctionCode: projectDir examples/chat, entry functions/index.ts), loaded with the
// recording stand-in for @azure/functions-core.
const PROJECT_DIR = path.resolve(__dirname, '../../examples/chat');
const ENTRY = 'functions/index.ts';

let registrations: RegisteredFunction[];
let bundleCode: string;

beforeAll(() => {
  const entryPoints = resolveEntryPoints(PROJECT_DIR, [ENTRY]);
  const bundle = bundleFunctionApp({ projectDir: PROJECT_DIR, entryPoints, nodeVersion: '22', externals: [], minify: false, sourceMap: false, define: {} });
  bundleCode = bundle.code;
  registrations = recordRegistrations({ bundleCode, bundleFilename: path.join(PROJECT_DIR, BUNDLE_PATH), entryPoints: [ENTRY] });
});

const byName = (name: string): RegisteredFunction => {
  const fn = registrations.find((r) => r.name === name);
  if (!fn) throw new Error(`function ${name} is not registered`);
  return fn;
};

describe('the example function app bundle', () => {
  test('registers the nine functions, all valid for the packager', () => {
    expect(registrations.map((r) => r.name).sort()).toEqual(
      ['connect', 'connected', 'disconnected', 'index', 'message', 'negotiate', 'negotiate-principal', 'negotiate-roles', 'webpubsub-context'].sort(),
    );
    expect(() => validateRegistrations(registrations, [ENTRY])).not.toThrow();
  });

  test('declares exactly system connect/connected/disconnected and user message for hub chat', () => {
    const triggers = listWebPubSubTriggers(registrations).map(({ functionName, hub, eventType, eventName }) => ({ functionName, hub, eventType, eventName }));
    expect(triggers.sort((a, b) => a.functionName.localeCompare(b.functionName))).toEqual([
      { functionName: 'connect', hub: 'chat', eventType: 'system', eventName: 'connect' },
      { functionName: 'connected', hub: 'chat', eventType: 'system', eventName: 'connected' },
      { functionName: 'disconnected', hub: 'chat', eventType: 'system', eventName: 'disconnected' },
      { functionName: 'message', hub: 'chat', eventType: 'user', eventName: 'message' },
    ]);
    expect(deriveEventRouting(registrations, 'chat')).toEqual({
      systemEvents: ['connect', 'connected', 'disconnected'],
      userEventPattern: 'message',
    });
  });

  test('uses every Web PubSub binding: webPubSubTrigger, webPubSubConnection, webPubSubContext and the webPubSub output', () => {
    const types = new Set(registrations.flatMap((r) => Object.values(r.bindings).map((b) => `${b.type}/${b.direction}`)));
    for (const expected of ['webPubSubTrigger/in', 'webPubSubConnection/in', 'webPubSubContext/in', 'webPubSub/out']) {
      expect(types).toContain(expected);
    }
  });

  test('every Web PubSub binding keeps the default connection (WebPubSubConnectionString) and names hub chat where it takes one', () => {
    const wps = registrations.flatMap((r) => Object.values(r.bindings).filter((b) => b.type.startsWith('webPubSub')));
    expect(wps.length).toBeGreaterThanOrEqual(8);
    for (const b of wps) {
      expect(b.connection).toBeUndefined();
      expect(b.connections).toBeUndefined();
      if (b.type !== 'webPubSubContext') expect(b.hub).toBe('chat');
    }
  });

  test('the output binding is on the functions that announce or broadcast', () => {
    const withOutput = registrations.filter((r) => Object.values(r.bindings).some((b) => b.type === 'webPubSub' && b.direction === 'out'));
    expect(withOutput.map((r) => r.name).sort()).toEqual(['connected', 'disconnected', 'message']);
  });

  test('HTTP functions: routes, methods and the negotiate user id expressions', () => {
    const http = (name: string) => {
      const t = getTriggerBinding(byName(name))!;
      return { type: t.type, route: t.route, methods: t.methods, authLevel: t.authLevel };
    };
    expect(http('negotiate')).toEqual({ type: 'httpTrigger', route: 'negotiate', methods: ['GET'], authLevel: 'anonymous' });
    expect(http('negotiate-principal')).toMatchObject({ route: 'negotiate/principal', methods: ['GET'] });
    expect(http('negotiate-roles')).toMatchObject({ route: 'negotiate/roles', methods: ['GET'] });
    expect(http('webpubsub-context')).toMatchObject({ route: 'webpubsub-context/{event}', methods: ['POST', 'OPTIONS'] });
    expect(http('index')).toMatchObject({ route: 'index/{file?}', methods: ['GET'] });
    const userIdOf = (name: string) => Object.values(byName(name).bindings).find((b) => b.type === 'webPubSubConnection')?.userId;
    expect(userIdOf('negotiate')).toBe('{query.userid}');
    expect(userIdOf('negotiate-principal')).toBe('{headers.x-ms-client-principal-id}');
  });

  test('the bundle carries the server SDK but no infrastructure code (cdktf, constructs, providers)', () => {
    expect(bundleCode).toMatch(/node_modules\/@azure\/web-pubsub\//);
    expect(bundleCode).toMatch(/node_modules\/@azure\/identity\//);
    expect(bundleCode).not.toMatch(/node_modules\/(cdktf|constructs|@cdktf)\//);
    expect(bundleCode).not.toMatch(/lib\/packaging\//);
  });
});
