import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { buildDeploymentManifest } from '../../lib/core/deployment-manifest';
import { deployGraph, summarizeDeployGraph } from '../../bench/deploy-graph';
import { ChatStack, chatStackOptionsFromEnv } from '../../examples/chat/main';

// The example stack, synthesized for real (FunctionCode bundles examples/chat/functions and records what
// registerWebPubSubHandlers declares for hub chat).
describe('examples/chat ChatStack', () => {
  const app = Testing.app();
  const stack = new ChatStack(app, 'chat', { location: 'westeurope' });
  app.synth();
  const json = JSON.parse(readFileSync(path.join(app.outdir, 'stacks', 'chat', 'cdk.tf.json'), 'utf8'));

  test('the deploy graph (npm run bench, P7): the app waits neither for the service nor its role there; at most 5 slow steps in a row', () => {
    const summary = summarizeDeployGraph(json);
    expect(summary.serviceOnAppChain).toBe(false);
    expect(summary.critical.slowSteps).toBeLessThanOrEqual(5);
    // The service joins the app's path at the activation, which waits for the role on it; the hub comes after.
    const graph = deployGraph(json);
    const activation = [...graph.steps.values()].find((s) => s.kind.startsWith('webhook activation'))!;
    expect(activation.dependsOn.some((d) => d.startsWith('azurerm_role_assignment.') && d.includes('WebPubSubServiceOwner'))).toBe(true);
  });

  test('the hub has exactly the routing the code declares, at the chat-hub function with the app key', () => {
    const hubs = Object.values(json.resource.azurerm_web_pubsub_hub) as any[];
    expect(hubs.map((h) => h.name)).toEqual(['chat']);
    expect(hubs[0].event_handler).toHaveLength(1);
    expect(hubs[0].event_handler[0]).toMatchObject({ system_events: ['connect', 'connected', 'disconnected'], user_event_pattern: 'message' });
    const site = Object.keys(json.resource.azapi_resource).find((k) => String(json.resource.azapi_resource[k].type).startsWith('Microsoft.Web/sites@'))!;
    const password = Object.keys(json.resource.random_password).find((k) => k.includes('WebPubSubUpstreamKey'))!;
    expect(hubs[0].event_handler[0].url_template).toBe(
      `https://\${azapi_resource.${site}.output.properties.defaultHostName}/api/webpubsub/chat/{event}?code=\${random_password.${password}.result}`,
    );
    // No trigger routes it (Flex does not serve the extension webhook): the HTTP function does.
    expect(stack.code.declaredRouting('chat')).toBeUndefined();
    expect(stack.topology.hubs.chat.eventHandlers).toEqual([
      expect.objectContaining({
        kind: 'httpFunction',
        functionAppPath: stack.topology.functionApp.node.path,
        urlPath: '/api/webpubsub/chat/{event}',
        systemEvents: ['connect', 'connected', 'disconnected'],
        userEventPattern: 'message',
      }),
    ]);
  });

  test('Flex: only the app key is written; the activation probes the chat function\'s validate URL', () => {
    expect(Object.values(json.resource.azapi_resource_action).map((a: any) => a.action)).toEqual(['host/default/functionKeys/webpubsub_upstream']);
    const activation = Object.values(json.resource.terraform_data).find((d: any) => d.provisioner?.[0]['local-exec'].command.endsWith(' activate-webhook')) as any;
    const env = activation.provisioner[0]['local-exec'].environment;
    expect(JSON.parse(env.CDKTF_AZURE_WEBPUBSUB_WEBHOOKS)).toEqual([
      { kind: 'httpFunction', path: '/api/webpubsub/chat/validate', keyType: 'functionKeys', keyName: 'webpubsub_upstream', hubs: ['chat'] },
    ]);
    expect(env.CDKTF_AZURE_WEBPUBSUB_HOSTING).toBe('FlexConsumption');
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
      ...manifest.functionApps.flatMap((a) => [a.resourceId, a.hostname, a.principalId, ...a.connections.map((c) => c.serviceUri!)]),
    ].map((v) => ('output' in v ? v.output.name : v.value));
    expect(Object.keys(json.output).sort()).toEqual(['chat_page_url', ...recorded].sort());
    expect(manifest.functionApps).toEqual([
      expect.objectContaining({
        path: 'chat/Chat/FunctionApp',
        connections: [{ prefix: 'WebPubSubConnectionString', service: 'chat/Chat/WebPubSub', serviceUri: { output: expect.objectContaining({ path: 'chat/Chat/FunctionApp/DeploymentOutputs/ServiceUri-WebPubSubConnectionString' }) } }],
        defaultHubName: 'chat',
      }),
    ]);
    expect(manifest.functionApps[0].code).toEqual({
      projectDir: 'examples/chat',
      negotiateFunctions: [
        expect.objectContaining({ name: 'negotiate', path: '/api/negotiate', userId: '{query.userid}' }),
        expect.objectContaining({ name: 'negotiate-principal', path: '/api/negotiate/principal' }),
      ],
      // What `dev` unpacks: the package the deploy uploads, next to the manifest.
      packagePath: stack.code.assetPath,
      contentHash: stack.code.contentHash,
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

// The Premium variant (premium.ts): the same handlers as webPubSubTrigger functions behind the extension webhook, on EP1.
describe('examples/chat ChatStack, variant premium', () => {
  const app = Testing.app();
  const stack = new ChatStack(app, 'chat-premium', { location: 'westeurope', variant: 'premium' });
  app.synth();
  const json = JSON.parse(readFileSync(path.join(app.outdir, 'stacks', 'chat-premium', 'cdk.tf.json'), 'utf8'));

  test('an EP1 plan, the triggers\' routing and the extension webhook URL with the system key', () => {
    const [plan] = Object.values(json.resource.azurerm_service_plan) as any[];
    expect(plan.sku_name).toBe('EP1');
    expect(stack.code.declaredRouting('chat')).toEqual({ systemEvents: ['connect', 'connected', 'disconnected'], userEventPattern: 'message' });
    const hubs = Object.values(json.resource.azurerm_web_pubsub_hub) as any[];
    expect(hubs.map((h) => h.name)).toEqual(['chat']);
    const [fnKey] = Object.keys(json.resource.azurerm_linux_function_app);
    const password = Object.keys(json.resource.random_password).find((k) => k.includes('WebPubSubExtensionKey'))!;
    expect(hubs[0].event_handler).toEqual([
      {
        url_template: `https://\${azurerm_linux_function_app.${fnKey}.default_hostname}/runtime/webhooks/webpubsub?code=\${random_password.${password}.result}`,
        system_events: ['connect', 'connected', 'disconnected'],
        user_event_pattern: 'message',
      },
    ]);
  });

  test('the system key is written and the activation probes the extension webhook', () => {
    expect(Object.values(json.resource.azapi_resource_action).map((a: any) => a.action)).toEqual(['host/default/systemKeys/webpubsub_extension']);
    const activation = Object.values(json.resource.terraform_data).find((d: any) => d.provisioner?.[0]['local-exec'].command.endsWith(' activate-webhook')) as any;
    const env = activation.provisioner[0]['local-exec'].environment;
    expect(JSON.parse(env.CDKTF_AZURE_WEBPUBSUB_WEBHOOKS)).toEqual([
      { kind: 'extensionWebhook', path: '/runtime/webhooks/webpubsub', keyType: 'systemKeys', keyName: 'webpubsub_extension', hubs: ['chat'] },
    ]);
    expect(env.CDKTF_AZURE_WEBPUBSUB_HOSTING).toBe('ElasticPremium');
  });

  test('no storage or service key anywhere in the synthesized stack (the app reads its package and storage with its identity)', () => {
    // (The Premium site carries Application Insights' connection string in site_config; ingestion is Entra-only.)
    expect(JSON.stringify(json)).not.toMatch(/primary_connection_string|primary_access_key|AccountKey=|AccessKey=/);
  });
});
