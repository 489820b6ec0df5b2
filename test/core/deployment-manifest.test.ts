import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { AzapiProvider } from '../../lib/azapi/azapi-provider';
import { Construct } from 'constructs';
import { buildDeploymentManifest } from '../../lib/core/deployment-manifest';
import { recordWebPubSubFunctionApp } from '../../lib/core/deployment-outputs';
import { EventHandler } from '../../lib/webpubsub/event-handler';
import { FunctionAppHosting } from '../../lib/functions/function-app-hosting';
import { parseDeploymentManifest } from '../../lib/common/manifest-schema';
import { FunctionCode } from '../../lib/code/function-code';
import { ServerlessWebPubSub } from '../../lib/patterns/serverless-web-pubsub';
import { WebPubSubFunctionApp } from '../../lib/functions/web-pubsub-function-app';
import { WebPubSubHub } from '../../lib/webpubsub/web-pubsub-hub';
import { WebPubSubService } from '../../lib/webpubsub/web-pubsub-service';
import { newStack } from './synth-helpers';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
// The chat fixture with its handlers behind registerWebPubSubHandlers (served on Flex Consumption, the default plan).
const CHAT_APP = path.join(REPO_ROOT, 'test', 'core', 'fixtures', 'http-chat-app');
// Topologies without packaged code whose hubs use the extension webhook (Flex does not serve it: azure-functions-host#11493).
const premium = { hosting: FunctionAppHosting.elasticPremium() };

function readManifest(app: App, stack: string): any {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', stack, 'webpubsub-manifest.json'), 'utf8'));
}

function readStackJson(app: App, stack: string): any {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
}

describe('deployment manifest, written by a plain app.synth() (no call from the app)', () => {
  test('records hubs, handler routing, connections and the outputs that hold each deploy-time value', () => {
    const { app, stack } = newStack('chat');
    const t = new ServerlessWebPubSub(stack, 'Chat', {
      resourceGroupProps: { location: 'westeurope' },
      connectionSettingPrefix: 'ChatPubSub',
      functionAppProps: premium,
      hubs: [
        { name: 'chat', systemEvents: ['connect'], userEventPattern: 'message' },
        { name: 'audit', eventHandlers: [EventHandler.url('https://audit.example.com/{event}', { systemEvents: ['disconnected'] })] },
      ],
    });
    // The Terraform expression of each attribute, to compare the recorded outputs with.
    const probes = {
      probe_service_id: t.service.serviceId,
      probe_service_host: t.service.hostname,
      probe_service_uri: t.service.serviceUri,
      probe_app_id: t.functionApp.appId,
      probe_app_host: t.functionApp.defaultHostname,
      probe_app_principal: t.functionApp.principalId,
    };
    for (const [id, value] of Object.entries(probes)) new TerraformOutput(stack, id, { value });
    app.synth();
    const manifest = readManifest(app, 'chat');
    expect(manifest).toEqual(JSON.parse(JSON.stringify(buildDeploymentManifest(stack))));
    const out = (construct: string, id: string) => ({
      output: { stack: 'chat', path: `chat/Chat/${construct}/DeploymentOutputs/${id}`, name: expect.stringMatching(new RegExp(`^Chat_${construct}_DeploymentOutputs_${id}_[0-9A-F]{8}$`)) },
    });
    expect(manifest).toEqual({
      version: 2,
      stack: 'chat',
      services: [
        {
          path: 'chat/Chat/WebPubSub',
          resourceId: out('WebPubSub', 'ResourceId'),
          hostname: out('WebPubSub', 'Hostname'),
          localAuthEnabled: false,
          hubs: [
            { path: t.hubs.audit.node.path, name: { value: 'audit' }, eventHandlers: [{ kind: 'url', functionApp: null, urlPath: null, systemEvents: ['disconnected'], userEventPattern: null }] },
            {
              path: t.hubs.chat.node.path,
              name: { value: 'chat' },
              eventHandlers: [
                { kind: 'functionsExtension', functionApp: t.functionApp.node.path, urlPath: '/runtime/webhooks/webpubsub', systemEvents: ['connect'], userEventPattern: 'message' },
              ],
            },
          ],
        },
      ],
      functionApps: [
        {
          path: 'chat/Chat/FunctionApp',
          resourceId: out('FunctionApp', 'ResourceId'),
          hostname: out('FunctionApp', 'Hostname'),
          principalId: out('FunctionApp', 'PrincipalId'),
          connections: [{ prefix: 'ChatPubSub', service: 'chat/Chat/WebPubSub', serviceUri: out('FunctionApp', 'ServiceUri-ChatPubSub') }],
          defaultHubName: null,
          code: null,
        },
      ],
    });
    // The readers accept what the writer writes.
    expect(parseDeploymentManifest(manifest)).toEqual(manifest);

    // Each recorded output exists in cdk.tf.json under its name and holds the attribute it stands for.
    const json = readStackJson(app, 'chat');
    const valueOf = (ref: { output: { name: string } }) => json.output[ref.output.name]?.value;
    const expression = (probe: string) => json.output[probe].value;
    expect(valueOf(manifest.services[0].resourceId)).toBe(expression('probe_service_id'));
    expect(valueOf(manifest.services[0].hostname)).toBe(expression('probe_service_host'));
    expect(valueOf(manifest.functionApps[0].resourceId)).toBe(expression('probe_app_id'));
    expect(valueOf(manifest.functionApps[0].hostname)).toBe(expression('probe_app_host'));
    expect(valueOf(manifest.functionApps[0].principalId)).toBe(expression('probe_app_principal'));
    expect(valueOf(manifest.functionApps[0].principalId)).toMatch(/^\$\{azurerm_user_assigned_identity\.[^.]+\.principal_id\}$/);
    // The serviceUri setting the app was given: built from the service name, no reference to the service.
    expect(valueOf(manifest.functionApps[0].connections[0].serviceUri)).toBe(expression('probe_service_uri'));
    expect(valueOf(manifest.functionApps[0].connections[0].serviceUri)).toMatch(/^https:\/\/wps-[a-z0-9-]+-\$\{lower\(random_string\.[^.]+\.result\)\}\.webpubsub\.azure\.com$/);
    // ...and where `cdktf deploy --outputs-file` puts it: nested by construct path.
    expect(json['//'].outputs.chat.Chat.WebPubSub.DeploymentOutputs.Hostname).toBe(manifest.services[0].hostname.output.name);
  });

  test('two topologies in one stack: every output has its own id, from the construct path', () => {
    const { app, stack } = newStack('two');
    for (const id of ['Blue', 'Green']) {
      new ServerlessWebPubSub(stack, id, { resourceGroupProps: { location: 'westeurope' }, hubs: [{ name: 'chat', systemEvents: ['connect'] }], functionAppProps: premium });
    }
    app.synth();
    const manifest = readManifest(app, 'two');
    const refs = [
      ...manifest.services.flatMap((s: any) => [s.resourceId, s.hostname]),
      ...manifest.functionApps.flatMap((a: any) => [a.resourceId, a.hostname, a.principalId, ...a.connections.map((c: any) => c.serviceUri)]),
    ].map((v: any) => v.output);
    expect(refs).toHaveLength(12);
    expect(new Set(refs.map((r: any) => r.name)).size).toBe(12);
    expect(manifest.services.map((s: any) => s.hostname.output.path)).toEqual(['two/Blue/WebPubSub/DeploymentOutputs/Hostname', 'two/Green/WebPubSub/DeploymentOutputs/Hostname']);
    expect(Object.keys(readStackJson(app, 'two').output).sort()).toEqual(refs.map((r: any) => r.name).sort());
  });

  test('a hub name that is a token: an output holds it (its id from the construct path, not from the token)', () => {
    const { app, stack } = newStack('tokens');
    const hubName = new TerraformVariable(stack, 'hub_name', { type: 'string' });
    const t = new ServerlessWebPubSub(stack, 'Chat', { resourceGroupProps: { location: 'westeurope' }, hubs: [{ name: hubName.stringValue, systemEvents: ['connect'] }], functionAppProps: premium });
    app.synth();
    const [hub] = readManifest(app, 'tokens').services[0].hubs;
    const [hubConstruct] = Object.values(t.hubs);
    expect(hubConstruct.node.id).toBe('Hub0');
    expect(hub.name.output).toMatchObject({ stack: 'tokens', path: `${hubConstruct.node.path}/DeploymentOutputs/HubName` });
    expect(readStackJson(app, 'tokens').output[hub.name.output.name].value).toBe('${var.hub_name}');
  });

  test('an imported service: literal attributes go into the manifest as values, local auth is null (not managed)', () => {
    const { app, stack } = newStack('existing');
    const serviceId = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-shared/providers/Microsoft.SignalRService/webPubSub/wps-shared';
    const shared = WebPubSubService.fromWebPubSubServiceAttributes(stack, 'Shared', { serviceId, hostname: 'wps-shared.webpubsub.azure.com' });
    new ServerlessWebPubSub(stack, 'Chat', {
      existingResourceGroup: { name: 'rg-app', location: 'westeurope' },
      existingWebPubSub: shared,
      hubs: [{ name: 'chat', systemEvents: ['connect'] }],
      functionAppProps: premium,
    });
    app.synth();
    const manifest = readManifest(app, 'existing');
    const withHubs = manifest.services.filter((s: any) => s.hubs.length > 0);
    expect(withHubs).toEqual([
      expect.objectContaining({ resourceId: { value: serviceId }, hostname: { value: 'wps-shared.webpubsub.azure.com' }, localAuthEnabled: null }),
    ]);
    expect(manifest.functionApps[0].connections).toEqual([{ prefix: 'WebPubSubConnectionString', service: withHubs[0].path, serviceUri: { value: 'https://wps-shared.webpubsub.azure.com' } }]);
    expect(parseDeploymentManifest(manifest).services.every((s) => s.localAuthEnabled === null)).toBe(true);
    // Literal values need no output: the only outputs are the app's.
    expect(Object.keys(readStackJson(app, 'existing').output).every((name) => name.startsWith('Chat_FunctionApp_'))).toBe(true);
  });

  test('a hub targeting an app this stack does not create: the app is listed with the host name it was given', () => {
    const { app, stack } = newStack('byo');
    const service = new WebPubSubService(stack, 'Service', { resourceGroup: { name: 'rg', location: 'westeurope' } });
    // An app deployed elsewhere, as an imported app records itself (the same hook the constructs call).
    const existing = Object.assign(new Construct(stack, 'ExistingApp'), { appId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/byo', defaultHostname: 'byo.azurewebsites.net', principalId: '00000000-0000-0000-0000-0000000000aa' });
    recordWebPubSubFunctionApp(existing);
    service.addHub('Hub', { name: 'chat', eventHandlers: [EventHandler.httpFunction(existing, 'api/events', { systemEvents: ['connect'] })] });
    app.synth();
    const manifest = readManifest(app, 'byo');
    expect(manifest.functionApps).toEqual([
      { path: 'byo/ExistingApp', resourceId: { value: existing.appId }, hostname: { value: 'byo.azurewebsites.net' }, principalId: { value: existing.principalId }, connections: [], defaultHubName: null, code: null },
    ]);
    expect(manifest.services[0].hubs[0].eventHandlers[0]).toMatchObject({ kind: 'httpFunction', functionApp: 'byo/ExistingApp', urlPath: '/api/events' });
  });

  test('cross-stack: outputs live in the stack that owns the resource; each stack writes its own manifest', () => {
    const { app, stack: shared } = newStack('shared');
    const service = new WebPubSubService(shared, 'Service', { resourceGroup: { name: 'rg', location: 'westeurope' } });
    const appStack = new TerraformStack(app, 'app');
    new AzurermProvider(appStack, 'azurerm', { features: [{}], storageUseAzuread: true });
    new RandomProvider(appStack, 'random');
    new AzapiProvider(appStack, 'azapi');
    const fn = new WebPubSubFunctionApp(appStack, 'Api', { resourceGroup: { name: 'rg', location: 'westeurope' }, ...premium, webPubSubConnections: [{ service }] });
    new WebPubSubHub(appStack, 'Hub', { service, name: 'chat', eventHandlers: [EventHandler.functionsExtension(fn, { systemEvents: ['connect'] })] });
    app.synth();

    const appManifest = readManifest(app, 'app');
    expect(appManifest.services).toEqual([
      expect.objectContaining({
        path: 'shared/Service',
        hostname: { output: expect.objectContaining({ stack: 'shared', path: 'shared/Service/DeploymentOutputs/Hostname' }) },
        hubs: [expect.objectContaining({ path: 'app/Hub', name: { value: 'chat' } })],
      }),
    ]);
    expect(appManifest.functionApps[0]).toMatchObject({
      path: 'app/Api',
      hostname: { output: { stack: 'app', path: 'app/Api/DeploymentOutputs/Hostname' } },
      connections: [{ prefix: 'WebPubSubConnectionString', service: 'shared/Service' }],
    });
    const sharedManifest = readManifest(app, 'shared');
    expect(sharedManifest.services).toEqual([expect.objectContaining({ path: 'shared/Service', hubs: [] })]);
    expect(sharedManifest.functionApps).toEqual([]);
    // The service's outputs are declared in its own stack, not in the app stack.
    const sharedOutputs = Object.keys(readStackJson(app, 'shared').output);
    expect(sharedOutputs).toContain(appManifest.services[0].hostname.output.name);
    expect(Object.keys(readStackJson(app, 'app').output ?? {}).filter((n) => n.startsWith('Service_'))).toEqual([]);
  });

  test('packaged code: the project directory (relative to the cdktf project) and the negotiate functions', () => {
    const { app, stack } = newStack('coded');
    const code = new FunctionCode(stack, 'Code', {
      projectDir: CHAT_APP,
      entryPoints: ['src/functions/negotiate.ts', 'src/functions/chat.ts'],
      stagingDirectory: fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-code-')),
      hostJson: { extensions: { http: { routePrefix: 'v1' } } },
    });
    const t = new ServerlessWebPubSub(stack, 'Chat', { resourceGroupProps: { location: 'westeurope' }, hubs: [{ name: 'chat' }], connectionSettingPrefix: 'WebPubSubConnection', functionAppProps: { code } });
    app.synth();
    const manifest = readManifest(app, 'coded');
    const { code: recorded, defaultHubName } = manifest.functionApps[0];
    expect(defaultHubName).toBe('chat');
    // The hub calls the code's HTTP handler function, under the route prefix of the package's host.json.
    expect(manifest.services[0].hubs[0].eventHandlers).toEqual([
      { kind: 'httpFunction', functionApp: t.functionApp.node.path, urlPath: '/v1/webpubsub/chat/{event}', systemEvents: ['connect'], userEventPattern: 'message' },
    ]);
    // Jest runs in the repository, whose cdktf.json makes it the cdktf project directory.
    expect(recorded).toEqual({
      projectDir: 'test/core/fixtures/http-chat-app',
      negotiateFunctions: [{ name: 'negotiate', path: '/v1/negotiate', authLevel: 'anonymous', userId: '{query.userId}', hub: 'chat' }],
      // The package `dev` runs: the asset cdktf copied next to the manifest, and its hash.
      packagePath: code.assetPath,
      contentHash: code.contentHash,
    });
    expect(fs.existsSync(path.join(app.outdir, 'stacks', 'coded', code.assetPath))).toBe(true);
  });
});

describe('deployment manifest through a user program, run as the cdktf CLI runs it', () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-user-app-'));
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  function synthUserApp(outdir: string): { status: number | null; stderr: string } {
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'main.ts'], {
      cwd: project,
      encoding: 'utf8',
      // What `cdktf synth` sets for the app command.
      env: { ...process.env, CDKTF_OUTDIR: outdir, CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true' },
    });
    return { status: run.status, stderr: run.stderr };
  }

  test('the manifest is written next to cdk.tf.json with no call from the app, byte-identical on every synth', () => {
    const lib = (file: string) => JSON.stringify(path.join(REPO_ROOT, 'lib', file));
    fs.writeFileSync(path.join(project, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'npx tsx main.ts' }));
    fs.writeFileSync(
      path.join(project, 'main.ts'),
      `import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { AzapiProvider } from '../../lib/azapi/azapi-provider';
import { AzapiProvider } from ${lib('azapi/azapi-provider')};
import { FunctionCode } from ${lib('code/function-code')};
import { ServerlessWebPubSub } from ${lib('patterns/serverless-web-pubsub')};

const app = new App();
const stack = new TerraformStack(app, 'mine');
new AzurermProvider(stack, 'azurerm', { features: [{}], storageUseAzuread: true });
new RandomProvider(stack, 'random');
new AzapiProvider(stack, 'azapi');
const code = new FunctionCode(stack, 'Code', { projectDir: ${JSON.stringify(CHAT_APP)}, entryPoints: ['src/functions/negotiate.ts', 'src/functions/chat.ts'], quiet: true });
new ServerlessWebPubSub(stack, 'Rt', { resourceGroupProps: { location: 'westeurope' }, hubs: [{ name: 'chat' }], connectionSettingPrefix: 'WebPubSubConnection', functionAppProps: { code } });
app.synth();
`,
    );
    // The program resolves cdktf and the providers from the repository's node_modules.
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(project, 'node_modules'), 'dir');

    const first = synthUserApp(path.join(project, 'cdktf.out'));
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const file = path.join(project, 'cdktf.out', 'stacks', 'mine', 'webpubsub-manifest.json');
    const text = fs.readFileSync(file, 'utf8');
    const manifest = parseDeploymentManifest(JSON.parse(text));
    expect(manifest.stack).toBe('mine');
    expect(manifest.functionApps[0].path).toBe('mine/Rt/FunctionApp');
    // Relative to the directory holding cdktf.json: no absolute machine path in the manifest.
    const projectDir = manifest.functionApps[0].code!.projectDir!;
    expect(path.isAbsolute(projectDir)).toBe(false);
    expect(fs.realpathSync(path.resolve(project, projectDir))).toBe(fs.realpathSync(CHAT_APP));
    expect(text).not.toContain(project);

    const second = synthUserApp(path.join(project, 'cdktf.out2'));
    expect(second.status).toBe(0);
    expect(fs.readFileSync(path.join(project, 'cdktf.out2', 'stacks', 'mine', 'webpubsub-manifest.json'), 'utf8')).toBe(text);
  });
});
