import { FunctionCode } from '../../lib/packaging/function-code';
import { ServerlessWebPubSub, ServerlessHubOptions } from '../../lib/serverless-web-pubsub';
import { cleanupTempDirs, makeProject } from '../packaging/helpers';
import { newStack, resourcesOf, synthStack } from './synth-helpers';

// Small fixture apps, bundled for real and loaded with the recording stand-in for @azure/functions-core.
const trigger = (name: string, hub: string, eventType: string, eventName: string, extra = '') => `
app.generic(${JSON.stringify(name)}, {
  trigger: trigger.generic({ type: 'webPubSubTrigger', name: 'request', hub: ${JSON.stringify(hub)}, eventType: '${eventType}', eventName: '${eventName}'${extra} }),
  handler: () => ({}),
});`;
const source = (...body: string[]) => `import { app, output, trigger } from '@azure/functions';\n${body.join('\n')}\n`;

function topology(functions: string, hubs: ServerlessHubOptions[], connectionSettingPrefix?: string) {
  const dir = makeProject({ 'src/index.ts': functions });
  const { app, stack } = newStack('drift');
  const code = new FunctionCode(stack, 'Code', { projectDir: dir, entryPoints: ['src/index.ts'], quiet: true });
  const topology = new ServerlessWebPubSub(stack, 'Chat', {
    resourceGroupProps: { location: 'westeurope' },
    hubs,
    connectionSettingPrefix,
    functionAppProps: { code, grantDeployerPackageUpload: false },
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
