import { EventHandler } from '../../lib/webpubsub/event-handler';
import { FunctionAppHosting } from '../../lib/functions/function-app-hosting';
import { FunctionCode } from '../../lib/code/function-code';
import { ServerlessWebPubSub, ServerlessHubOptions } from '../../lib/patterns/serverless-web-pubsub';
import { WebPubSubHub } from '../../lib/webpubsub/web-pubsub-hub';
import { cleanupTempDirs, makeProject } from '../code/helpers';
import { httpHandlersSource, httpProject } from '../core/handler-fixtures';
import { newStack, onlyResource, resourcesOf, synthStack } from '../core/synth-helpers';

// Small fixture apps, bundled for real and loaded with the recording stand-in for @azure/functions-core.
const trigger = (name: string, hub: string, eventType: string, eventName: string, extra = '') => `
app.generic(${JSON.stringify(name)}, {
  trigger: trigger.generic({ type: 'webPubSubTrigger', name: 'request', hub: ${JSON.stringify(hub)}, eventType: '${eventType}', eventName: '${eventName}'${extra} }),
  handler: () => ({}),
});`;
const source = (...body: string[]) => `import { app, output, trigger } from '@azure/functions';\n${body.join('\n')}\n`;

// Trigger code runs on Elastic Premium, where the extension webhook is served (Flex refuses it at synth,
// azure-functions-host#11493); the HTTP style (registerWebPubSubHandlers) runs on Flex Consumption, the default.
function topology(functions: string, hubs: ServerlessHubOptions[], connectionSettingPrefix?: string) {
  return topologyOf(makeProject({ 'src/index.ts': functions }), hubs, { connectionSettingPrefix, hosting: FunctionAppHosting.elasticPremium() });
}

function topologyOf(dir: string, hubs: ServerlessHubOptions[], options: { connectionSettingPrefix?: string; hosting?: FunctionAppHosting } = {}) {
  const { app, stack } = newStack('drift');
  const code = new FunctionCode(stack, 'Code', { projectDir: dir, entryPoints: ['src/index.ts'], quiet: true });
  const topology = new ServerlessWebPubSub(stack, 'Chat', {
    resourceGroupProps: { location: 'westeurope' },
    hubs,
    connectionSettingPrefix: options.connectionSettingPrefix,
    functionAppProps: { code, grantDeployerPackageUpload: false, ...(options.hosting ? { hosting: options.hosting } : {}) },
  });
  return { app, stack, topology };
}

afterAll(cleanupTempDirs);

describe('hub routing derived from the packaged code', () => {
  test('system_events and user_event_pattern come from the triggers declared for the hub', () => {
    const { app, stack } = topology(
      source(
        trigger('connect', 'chat', 'system', 'connect'),
        trigger('connected', 'chat', 'system', 'connected'),
        trigger('message', 'chat', 'user', 'message'),
        trigger('typing', 'chat', 'user', 'typing'),
        trigger('other', 'lobby', 'user', 'ping'),
      ),
      [{ name: 'chat' }, { name: 'lobby' }],
    );
    const { json } = synthStack(app, stack);
    const hubs = Object.values(resourcesOf(json, 'azurerm_web_pubsub_hub')) as any[];
    const chat = hubs.find((h) => h.name === 'chat');
    expect(chat.event_handler[0].system_events).toEqual(['connect', 'connected']);
    expect(chat.event_handler[0].user_event_pattern).toBe('message,typing');
    const lobby = hubs.find((h) => h.name === 'lobby');
    expect(lobby.event_handler[0].system_events).toEqual([]);
    expect(lobby.event_handler[0].user_event_pattern).toBe('ping');
  });

  test('explicit routing wins over the code', () => {
    const { app, stack } = topology(source(trigger('message', 'chat', 'user', 'message')), [{ name: 'chat', userEventPattern: '*' }]);
    const hub = Object.values(resourcesOf(synthStack(app, stack).json, 'azurerm_web_pubsub_hub'))[0] as any;
    expect(hub.event_handler[0].user_event_pattern).toBe('*');
  });
});

describe('drift between code and stack fails synth', () => {
  test('a trigger for a hub the stack does not declare', () => {
    const { app } = topology(source(trigger('message', 'chat', 'user', 'message'), trigger('ghost', 'ghosts', 'user', 'boo')), [{ name: 'chat' }]);
    expect(() => app.synth()).toThrow(/function "ghost" .* uses hub "ghosts", which the stack does not declare; declared hubs: chat/);
  });

  test('an output binding for a hub the stack does not declare', () => {
    const code = source(
      trigger('message', 'chat', 'user', 'message'),
      `const out = output.webPubSub({ name: 'actions', hub: 'elsewhere' });
app.http('send', { extraOutputs: [out], handler: () => ({ status: 200 }) });`,
    );
    const { app } = topology(code, [{ name: 'chat' }]);
    expect(() => app.synth()).toThrow(/function "send" .*binding "actions" \(webPubSub\) uses hub "elsewhere"/);
  });

  test('a connection prefix the app has no identity settings for', () => {
    const code = source(
      trigger('message', 'chat', 'user', 'message'),
      `const out = output.webPubSub({ name: 'actions', hub: 'chat', connection: 'OtherService' });
app.http('send', { extraOutputs: [out], handler: () => ({ status: 200 }) });`,
    );
    const { app } = topology(code, [{ name: 'chat' }]);
    expect(() => app.synth()).toThrow(/uses connection "OtherService", but the app has identity settings only for: WebPubSubConnectionString/);
  });

  test('the default connection is accepted only when the app uses the default prefix', () => {
    const code = source(trigger('message', 'chat', 'user', 'message'), `app.http('negotiate', { extraInputs: [require('@azure/functions').input.webPubSubConnection({ name: 'c', hub: 'chat' })], handler: () => ({ status: 200 }) });`);
    expect(() => topology(code, [{ name: 'chat' }]).app.synth()).not.toThrow();
    expect(() => topology(code, [{ name: 'chat' }], 'Custom').app.synth()).toThrow(/uses connection "WebPubSubConnectionString", but the app has identity settings only for: Custom/);
  });

  test('a system event outside connect/connected/disconnected fails at packaging', () => {
    expect(() => topology(source(trigger('bad', 'chat', 'system', 'connecting')), [{ name: 'chat' }])).toThrow(/connecting/);
  });

  test('a hub routing an event no trigger handles gets a warning, not an error', () => {
    const { app, topology: t } = topology(source(trigger('message', 'chat', 'user', 'message')), [{ name: 'chat', systemEvents: ['connect'], userEventPattern: 'message' }]);
    expect(() => app.synth()).not.toThrow();
    const warnings = t.hubs.chat.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(/hub "chat" routes connect to the function app, but no trigger in its code handles it/)]);
  });

  test('a connect trigger the hub does not route fails: the check in it would never run', () => {
    const { app } = topology(source(trigger('connect', 'chat', 'system', 'connect'), trigger('message', 'chat', 'user', 'message')), [
      { name: 'chat', userEventPattern: 'message' },
    ]);
    expect(() => app.synth()).toThrow(
      /function "connect" \(src\/index.ts\) handles the system event "connect" of hub "chat" .*but the hub routes it to no handler .*connections would be accepted without it .*add "connect" to systemEvents/,
    );
  });

  test('a user event the hub does not route only warns, naming what the code and the stack declare', () => {
    const { app, topology: t } = topology(source(trigger('message', 'chat', 'user', 'message'), trigger('typing', 'chat', 'user', 'typing')), [
      { name: 'chat', userEventPattern: 'message' },
    ]);
    expect(() => app.synth()).not.toThrow();
    const warnings = t.hubs.chat.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(/function "typing" .* handles the user event "typing" of hub "chat" .*routes it to no handler \(its handlers route user:message\), so it never runs/)]);
  });
});

describe('a hub whose routing cannot come from the code says what the code declares', () => {
  test('a typo in the stack\'s hub name: the code\'s hub is suggested, on the prop the user set', () => {
    expect(() => topology(source(trigger('message', 'chat', 'user', 'message')), [{ name: 'chta' }])).toThrow(
      /Chat: `hubs\[0\].name` is "chta", but the app's Web PubSub triggers use hub "chat"; did you mean "chat"\? \(or set `systemEvents`\/`userEventPattern` for it explicitly\), got "chta"/,
    );
  });

  test('triggers naming their hub through an app setting (%WebPubSubHub%): routing must be explicit, and says why', () => {
    expect(() => topology(source(trigger('message', '%WebPubSubHub%', 'user', 'message')), [{ name: 'chat' }])).toThrow(
      /`hubs\[0\].name` gets its event routing from the app's code, but the code's Web PubSub triggers name their hub as "%WebPubSubHub%", resolved only at runtime/,
    );
    const { app } = topology(source(trigger('message', '%WebPubSubHub%', 'user', 'message')), [{ name: 'chat', userEventPattern: 'message' }]);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('hub routing and drift with registerWebPubSubHandlers (HTTP handlers, Flex Consumption)', () => {
  test('routing comes from the declared handlers of each hub; each hub calls its own function with the app key', () => {
    const { app, stack } = topologyOf(
      httpProject(httpHandlersSource('chat', ['connect', 'connected'], ['typing', 'message']), httpHandlersSource('lobby', [], ['ping'])),
      [{ name: 'chat' }, { name: 'lobby' }],
    );
    const { json } = synthStack(app, stack);
    const [passwordKey] = onlyResource(json, 'random_password');
    const hubs = Object.values(resourcesOf(json, 'azurerm_web_pubsub_hub')) as any[];
    const chat = hubs.find((h) => h.name === 'chat');
    expect(chat.event_handler).toHaveLength(1);
    expect(chat.event_handler[0].system_events).toEqual(['connect', 'connected']);
    expect(chat.event_handler[0].user_event_pattern).toBe('message,typing');
    expect(chat.event_handler[0].url_template).toMatch(new RegExp(`/api/webpubsub/chat/\\{event\\}\\?code=\\$\\{random_password\\.${passwordKey}\\.result\\}$`));
    const lobby = hubs.find((h) => h.name === 'lobby');
    expect(lobby.event_handler[0].system_events).toEqual([]);
    expect(lobby.event_handler[0].user_event_pattern).toBe('ping');
    expect(lobby.event_handler[0].url_template).toMatch(/\/api\/webpubsub\/lobby\/\{event\}\?code=/);
  });

  test('a connect the hub sends to another handler first fails synth: the check in it would never run', () => {
    const dir = httpProject(httpHandlersSource('chat', ['connect'], ['message']));
    const { app } = topologyOf(dir, [
      {
        name: 'chat',
        eventHandlers: [EventHandler.url('https://auth.example.com/{event}', { systemEvents: ['connect'] })],
      },
    ]);
    expect(() => app.synth()).toThrow(
      /function "webpubsub-chat" \(registerWebPubSubHandlers\) handles the system event "connect" of hub "chat", but the hub sends it to another URL first \(the first matching handler wins\): connections would be accepted without it/,
    );
  });

  test('the app\'s handlers first (EventHandler.functionApp), another URL for an event the code does not handle: synthesizes, routed as the code declares', () => {
    const dir = httpProject(httpHandlersSource('chat', ['connect'], ['message']));
    const { app, stack } = newStack('drift');
    const code = new FunctionCode(stack, 'Code', { projectDir: dir, entryPoints: ['src/index.ts'], quiet: true });
    const t = new ServerlessWebPubSub(stack, 'Chat', {
      resourceGroupProps: { location: 'westeurope' },
      hubs: [{ name: 'lobby', eventHandlers: [] }],
      functionAppProps: { code, grantDeployerPackageUpload: false },
    });
    new WebPubSubHub(t, 'ChatHub', {
      service: t.service,
      name: 'chat',
      eventHandlers: [EventHandler.functionApp(t.functionApp), EventHandler.url('https://audit.example.com/{event}', { systemEvents: ['disconnected'] })],
    });
    const { json } = synthStack(app, stack);
    const chat = (Object.values(resourcesOf(json, 'azurerm_web_pubsub_hub')) as any[]).find((h) => h.name === 'chat');
    expect(chat.event_handler.map((h: any) => [h.url_template.replace(/\?code=.*$/, ''), h.system_events, h.user_event_pattern])).toEqual([
      [expect.stringMatching(/\/api\/webpubsub\/chat\/\{event\}$/), ['connect'], 'message'],
      ['https://audit.example.com/{event}', ['disconnected'], undefined],
    ]);
  });

  test('handlers declared for a hub the stack does not declare fail synth', () => {
    const { app } = topologyOf(httpProject(httpHandlersSource('chat', ['connect'], ['message']), httpHandlersSource('ghosts', [], ['boo'])), [{ name: 'chat' }]);
    expect(() => app.synth()).toThrow(/function "webpubsub-ghosts" \(registerWebPubSubHandlers\) handles hub "ghosts", which the stack does not declare; declared hubs: chat/);
  });

  test('a user event the hub routes elsewhere only warns', () => {
    const { app, topology: t } = topologyOf(httpProject(httpHandlersSource('chat', ['connect'], ['message'])), [
      { name: 'chat', systemEvents: ['connect'] },
    ]);
    expect(() => app.synth()).not.toThrow();
    const warnings = t.hubs.chat.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(/function "webpubsub-chat" \(registerWebPubSubHandlers\) handles the user event "message" of hub "chat", but the hub routes it to no handler, so it never runs/)]);
  });
});
