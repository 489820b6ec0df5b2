import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { buildDeploymentManifest } from '../../lib/deployment-manifest';
import { ChatStack, chatStackOptionsFromEnv } from '../../examples/chat/main';

// The example stack, synthesized for real (FunctionCode bundles examples/chat/functions and records its triggers).
describe('examples/chat ChatStack', () => {
  const app = Testing.app();
  const stack = new ChatStack(app, 'chat', { location: 'westeurope' });
  app.synth();
  const json = JSON.parse(readFileSync(path.join(app.outdir, 'stacks', 'chat', 'cdk.tf.json'), 'utf8'));

  test('the hub has exactly the routing the code declares', () => {
    const hubs = Object.values(json.resource.azurerm_web_pubsub_hub) as any[];
    expect(hubs.map((h) => h.name)).toEqual(['chat']);
    expect(hubs[0].event_handler).toHaveLength(1);
    expect(hubs[0].event_handler[0]).toMatchObject({ system_events: ['connect', 'connected', 'disconnected'], user_event_pattern: 'message' });
    expect(stack.code.declaredRouting('chat')).toEqual({ systemEvents: ['connect', 'connected', 'disconnected'], userEventPattern: 'message' });
  });

  test('the package ships the bundle and the chat page, and the app deploys it', () => {
    expect(stack.code.fileNames).toEqual(expect.arrayContaining(['host.json', 'package.json', 'dist/index.js', 'index.html', 'chat-page.js']));
    const publish = Object.values(json.resource.terraform_data).find((d: any) => d.provisioner?.[0]['local-exec'].command.endsWith(' publish')) as any;
    expect(publish.triggers_replace.package_sha256).toBe(stack.code.contentHash);
  });

  test('the state path is relative (no machine path in cdk.tf.json) and points at the project root, outside cdktf.out', () => {
    expect(json.terraform.backend.local.path).toBe('../../../terraform.chat.tfstate');
    expect(JSON.stringify(json)).not.toContain(process.cwd());
  });

  test('outputs give verify and local-settings what they read, and the manifest says which is which', () => {
    const manifest = buildDeploymentManifest(stack);
    const recorded = [
      ...manifest.services.flatMap((s) => [s.resourceId, s.hostname]),
      ...manifest.functionApps.flatMap((a) => [a.resourceId, a.hostname, a.principalId]),
    ].map((v) => ('output' in v ? v.output.name : v.value));
    expect(Object.keys(json.output).sort()).toEqual(['chat_page_url', ...recorded].sort());
    expect(manifest.functionApps).toEqual([
      expect.objectContaining({ path: 'chat/Chat/FunctionApp', connections: [{ prefix: 'WebPubSubConnectionString', service: 'chat/Chat/WebPubSub' }], defaultHubName: 'chat' }),
    ]);
    expect(manifest.functionApps[0].code).toEqual({
      projectDir: 'examples/chat',
      negotiateFunctions: [
        expect.objectContaining({ name: 'negotiate', path: '/api/negotiate', userId: '{query.userid}' }),
        expect.objectContaining({ name: 'negotiate-principal', path: '/api/negotiate/principal' }),
      ],
    });
  });

  test('no connection string or key anywhere in the synthesized stack', () => {
    expect(JSON.stringify(json)).not.toMatch(/primary_connection_string|primary_access_key|AccountKey=|AccessKey=|connection_string"/);
  });
});

describe('examples/chat inputs from the environment', () => {
  test('an empty AZURE_LOCATION (or CHAT_RESOURCE_GROUP) counts as unset', () => {
    expect(chatStackOptionsFromEnv({ AZURE_LOCATION: '', CHAT_RESOURCE_GROUP: '' })).toEqual({ location: 'westeurope', resourceGroupName: undefined });
    expect(chatStackOptionsFromEnv({})).toEqual({ location: 'westeurope', resourceGroupName: undefined });
    expect(chatStackOptionsFromEnv({ AZURE_LOCATION: 'swedencentral', CHAT_RESOURCE_GROUP: 'rg-x' })).toEqual({ location: 'swedencentral', resourceGroupName: 'rg-x' });
  });
});
