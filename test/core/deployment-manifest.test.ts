import { readFileSync } from 'node:fs';
import { buildDeploymentManifest, writeDeploymentManifest } from '../../lib/deployment-manifest';
import { EventHandler } from '../../lib/event-handler';
import { ServerlessWebPubSub } from '../../lib/serverless-web-pubsub';
import { newStack } from './synth-helpers';

describe('deployment manifest', () => {
  test('records hubs, handler routing and the app connection prefixes; written next to cdk.tf.json', () => {
    const { app, stack } = newStack('chat');
    const t = new ServerlessWebPubSub(stack, 'Chat', {
      resourceGroupProps: { location: 'westeurope' },
      connectionSettingPrefix: 'ChatPubSub',
      hubs: [
        { name: 'chat', systemEvents: ['connect'], userEventPattern: 'message' },
        { name: 'audit', eventHandlers: [EventHandler.url('https://audit.example.com/{event}', { systemEvents: ['disconnected'] })] },
      ],
    });
    app.synth();
    const file = writeDeploymentManifest(stack);
    expect(file).toMatch(/stacks\/chat\/webpubsub-manifest\.json$/);
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    expect(manifest).toEqual(buildDeploymentManifest(stack));
    expect(manifest).toEqual({
      version: 1,
      stack: 'chat',
      services: [
        {
          path: 'chat/Chat/WebPubSub',
          localAuthEnabled: false,
          hubs: [
            {
              name: 'chat',
              eventHandlers: [
                { kind: 'functionsExtension', functionApp: t.functionApp.node.path, urlPath: '/runtime/webhooks/webpubsub', systemEvents: ['connect'], userEventPattern: 'message' },
              ],
            },
            { name: 'audit', eventHandlers: [{ kind: 'url', functionApp: null, urlPath: null, systemEvents: ['disconnected'], userEventPattern: null }] },
          ],
        },
      ],
      functionApps: [{ path: 'chat/Chat/FunctionApp', connectionPrefixes: ['ChatPubSub'], defaultHubName: null }],
    });
  });
});
