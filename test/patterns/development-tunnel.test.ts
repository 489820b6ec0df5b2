/**
 * The development tunnel choice (`developmentTunnel` on a hub, `EventHandler.tunnel`): the hub's handler URL becomes
 * `tunnel:///<the app's path>` with no key and no wait for the key activation, the synth warns, the manifest marks the
 * handler for `dev` and `verify`, and it is never the default.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { App, TerraformStack } from 'cdktf';
import { FunctionCode } from '../../lib/code/function-code';
import { FunctionAppHosting } from '../../lib/functions/function-app-hosting';
import { ServerlessWebPubSub } from '../../lib/patterns/serverless-web-pubsub';
import { EventHandler } from '../../lib/webpubsub/event-handler';
import { WebPubSubHub } from '../../lib/webpubsub/web-pubsub-hub';
import { cleanupTempDirs } from '../code/helpers';
import { codeOf, httpHandlersSource, httpProject } from '../core/handler-fixtures';
import { newStack, onlyResource, resourcesOf, synthStack } from '../core/synth-helpers';

afterAll(cleanupTempDirs);

const CHAT_EVENTS = httpHandlersSource('chat', ['connect', 'connected', 'disconnected'], ['message']);
let chatProject: string | undefined;
const TRIGGER_APP = path.join(__dirname, '..', 'code', 'fixtures', 'chat-app');

function warnings(stack: TerraformStack): string[] {
  return stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => `${c.node.path}: ${m.data}`));
}

function manifestOf(app: App, stack: string): any {
  return JSON.parse(readFileSync(path.join(app.outdir, 'stacks', stack, 'webpubsub-manifest.json'), 'utf8'));
}

describe('developmentTunnel on a hub of the HTTP handler style (Flex)', () => {
  const { app, stack } = newStack('dev');
  new ServerlessWebPubSub(stack, 'Chat', {
    resourceGroupProps: { location: 'westeurope' },
    hubs: [{ name: 'chat', developmentTunnel: true }],
    functionAppProps: { code: codeOf(stack, (chatProject ??= httpProject(CHAT_EVENTS))) },
  });
  const { json } = synthStack(app, stack);
  const [, hub] = onlyResource(json, 'azurerm_web_pubsub_hub');

  test('the handler is tunnel:/// plus the route registerWebPubSubHandlers serves, with no key and no dependency on the activation', () => {
    expect(hub.event_handler).toEqual([
      expect.objectContaining({ url_template: 'tunnel:///api/webpubsub/chat/{event}', system_events: ['connect', 'connected', 'disconnected'], user_event_pattern: 'message' }),
    ]);
    expect(JSON.stringify(hub)).not.toMatch(/code=|random_password|azapi_resource_action/);
    expect(hub.depends_on).toBeUndefined();
  });

  test('the deployed app keeps its key chain: the activation still probes the app\'s own URL', () => {
    const activation = Object.values(resourcesOf(json, 'terraform_data')).find((d: any) => d.provisioner?.[0]['local-exec'].command.endsWith('activate-webhook')) as any;
    expect(activation.provisioner[0]['local-exec'].environment.CDKTF_AZURE_WEBPUBSUB_WEBHOOKS).toContain('/api/webpubsub/chat/validate');
  });

  test('the synth warns, naming the hub, the tunnel URL and the deployed app', () => {
    const found = warnings(stack).filter((w) => w.includes('development tunnel'));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('tunnel:///api/webpubsub/chat/{event}');
    expect(found[0]).toContain('hub "chat"');
    expect(found[0]).toContain('never production');
  });

  test('the manifest marks the handler as a tunnel, with its local path, and records the package dev runs', () => {
    const manifest = manifestOf(app, 'dev');
    expect(manifest.services[0].hubs[0].eventHandlers[0]).toMatchObject({ kind: 'httpFunction', urlPath: '/api/webpubsub/chat/{event}', tunnel: true });
    const code = manifest.functionApps[0].code;
    expect(code.packagePath).toMatch(/^assets\/.+\/functions-[0-9a-f]{16}\.zip$/);
    expect(code.contentHash).toMatch(/^[0-9a-f]{64}$/);
    // The path is relative to the stack directory, where cdktf copied the asset.
    expect(readFileSync(path.join(app.outdir, 'stacks', 'dev', code.packagePath)).length).toBeGreaterThan(0);
  });
});

describe('developmentTunnel for webPubSubTrigger functions (Premium)', () => {
  test('the extension webhook path behind tunnel:///, no system key, routing from the code', () => {
    const { app, stack } = newStack('dev');
    const code = new FunctionCode(stack, 'Code', { projectDir: TRIGGER_APP, entryPoints: ['src/functions/negotiate.ts', 'src/functions/chat.ts'], quiet: true });
    new ServerlessWebPubSub(stack, 'Chat', {
      resourceGroupProps: { location: 'westeurope' },
      hubs: [{ name: 'chat', developmentTunnel: true }],
      connectionSettingPrefix: 'WebPubSubConnection',
      functionAppProps: { code, hosting: FunctionAppHosting.elasticPremium() },
    });
    const { json } = synthStack(app, stack);
    const [, hub] = onlyResource(json, 'azurerm_web_pubsub_hub');
    expect(hub.event_handler).toEqual([expect.objectContaining({ url_template: 'tunnel:///runtime/webhooks/webpubsub', system_events: ['connect'], user_event_pattern: 'message' })]);
    expect(hub.depends_on).toBeUndefined();
    expect(manifestOf(app, 'dev').services[0].hubs[0].eventHandlers[0]).toMatchObject({ kind: 'functionsExtension', urlPath: '/runtime/webhooks/webpubsub', tunnel: true });
  });
});

describe('EventHandler.tunnel on a hub of its own', () => {
  test('a development hub next to the real one: only the development hub goes through the tunnel', () => {
    const { app, stack } = newStack('dev');
    const topology = new ServerlessWebPubSub(stack, 'Chat', {
      resourceGroupProps: { location: 'westeurope' },
      hubs: [{ name: 'chat' }],
      functionAppProps: { code: codeOf(stack, (chatProject ??= httpProject(CHAT_EVENTS))) },
    });
    new WebPubSubHub(stack, 'DevHub', { service: topology.service, name: 'chat_dev', eventHandlers: [EventHandler.tunnel(topology.functionApp, { systemEvents: ['connect'], userEventPattern: '*' })] });
    const { json } = synthStack(app, stack);
    const hubs = Object.values(resourcesOf(json, 'azurerm_web_pubsub_hub')) as any[];
    expect(hubs.find((h) => h.name === 'chat').event_handler[0].url_template).toMatch(/^https:\/\/.*code=/);
    // chat_dev has no HTTP handlers of its own in the code: the extension webhook path, as functionApp resolves it.
    expect(hubs.find((h) => h.name === 'chat_dev').event_handler[0]).toMatchObject({ url_template: 'tunnel:///runtime/webhooks/webpubsub', user_event_pattern: '*' });
    expect(warnings(stack).filter((w) => w.includes('development tunnel')).map((w) => w.split(':')[0])).toEqual(['dev/DevHub']);
  });
});

describe('a tunnel hub never goes through the deployed app', () => {
  test('so an app closed to the public network needs no shared private link for it (a hub calling the app still does)', () => {
    const closed = (tunnel: boolean) => {
      const { app, stack } = newStack(tunnel ? 'closed-tunnel' : 'closed-real');
      new ServerlessWebPubSub(stack, 'Chat', {
        resourceGroupProps: { location: 'westeurope' },
        hubs: [{ name: 'chat', developmentTunnel: tunnel }],
        functionAppProps: { code: codeOf(stack, (chatProject ??= httpProject(CHAT_EVENTS))), publicNetworkAccessEnabled: false },
      });
      return () => app.synth();
    };
    expect(closed(true)).not.toThrow();
    expect(closed(false)).toThrow(/Hub-chat: `eventHandlers` call closed-real\/Chat\/FunctionApp, which is closed to the public network .* has no approved shared private link/);
  });
});

describe('never the default, and not mixed with explicit handlers', () => {
  test('a hub without developmentTunnel calls the deployed app, and its manifest handler has no tunnel mark', () => {
    const { app, stack } = newStack('prod');
    new ServerlessWebPubSub(stack, 'Chat', {
      resourceGroupProps: { location: 'westeurope' },
      hubs: [{ name: 'chat' }],
      functionAppProps: { code: codeOf(stack, (chatProject ??= httpProject(CHAT_EVENTS))) },
    });
    const { json } = synthStack(app, stack);
    const [, hub] = onlyResource(json, 'azurerm_web_pubsub_hub');
    expect(hub.event_handler[0].url_template).toMatch(/^https:\/\//);
    expect(manifestOf(app, 'prod').services[0].hubs[0].eventHandlers[0]).not.toHaveProperty('tunnel');
    expect(warnings(stack).filter((w) => w.includes('tunnel'))).toEqual([]);
  });

  test('developmentTunnel with eventHandlers is refused, naming the prop', () => {
    const { stack } = newStack('bad');
    expect(
      () =>
        new ServerlessWebPubSub(stack, 'Chat', {
          resourceGroupProps: { location: 'westeurope' },
          hubs: [{ name: 'chat', developmentTunnel: true, eventHandlers: [] }],
          functionAppProps: { code: codeOf(stack, (chatProject ??= httpProject(CHAT_EVENTS))) },
        }),
    ).toThrow(/hubs\[0\]\.developmentTunnel.*cannot be combined with `eventHandlers`/);
  });
});
