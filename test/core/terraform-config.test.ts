/**
 * Terraform itself reads the synthesized configurations: `terraform init` parses every file (JSON and, with
 * `--hcl`, HCL) and reports configuration errors (a malformed `replace_triggered_by`, an attribute in `depends_on`,
 * an invalid expression) before it installs providers. No registry is reachable here, so provider installation is
 * pointed at an empty mirror and fails fast; the test requires that this is the ONLY error. It proves the files are
 * valid Terraform configuration, not that the providers accept every argument (`terraform validate` needs them).
 * Skipped, saying so, where no `terraform` binary is installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Testing } from 'cdktf';
import { ChatStack } from '../../examples/chat/main';
import { EventHandler } from '../../lib/webpubsub/event-handler';
import { AppIdentity } from '../../lib/functions/app-identity';
import { FunctionAppHosting } from '../../lib/functions/function-app-hosting';
import { WebPubSubFunctionApp } from '../../lib/functions/web-pubsub-function-app';
import { WebPubSubHub } from '../../lib/webpubsub/web-pubsub-hub';
import { WebPubSubService } from '../../lib/webpubsub/web-pubsub-service';
import { stackWithProviders } from './synth-helpers';
import { ServerlessWebPubSub } from '../../lib/patterns/serverless-web-pubsub';
import { codeOf, httpHandlersSource, httpProject } from './handler-fixtures';
import { cleanupTempDirs } from '../code/helpers';

function terraformVersion(): string | undefined {
  try {
    return execFileSync('terraform', ['version', '-json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}
const hasTerraform = terraformVersion() !== undefined;
if (!hasTerraform) console.warn('SKIPPED terraform configuration check: no `terraform` on PATH');
const terraformTest = hasTerraform ? test : test.skip;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-config-'));
const cliConfig = path.join(work, 'terraformrc');
fs.writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = "${path.join(work, 'empty-mirror')}"\n  }\n}\n`);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
afterAll(cleanupTempDirs);

/** `terraform init` in a copy of one synthesized stack directory; returns the error headings it printed. */
function initErrors(app: App, stack: string): string[] {
  const dir = fs.mkdtempSync(path.join(work, `${stack}-`));
  for (const file of fs.readdirSync(path.join(app.outdir, 'stacks', stack))) {
    if (/\.tf(\.json)?$/.test(file)) fs.copyFileSync(path.join(app.outdir, 'stacks', stack, file), path.join(dir, file));
  }
  const result = spawnSync('terraform', ['init', '-backend=false', '-input=false', '-no-color'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' },
  });
  return [...`${result.stdout}\n${result.stderr}`.matchAll(/^Error: (.+)$/gm)].map((m) => m[1]);
}

const ONLY_PROVIDER_INSTALLATION = (errors: string[]) => {
  expect(errors.length).toBeGreaterThan(0); // the empty mirror: proves terraform got as far as provider installation
  expect([...new Set(errors)]).toEqual(['Failed to query available provider packages']);
};

function synthBoth(build: (app: App) => void): { json: App; hcl: App } {
  const json = Testing.app();
  build(json);
  json.synth();
  const previous = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = 'true';
  try {
    const hcl = Testing.app();
    build(hcl);
    hcl.synth();
    return { json, hcl };
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
}

describe('terraform reads the synthesized configuration (JSON and --hcl) without configuration errors', () => {
  terraformTest('the example (Flex, code, key, activation, hub)', () => {
    const { json, hcl } = synthBoth((app) => new ChatStack(app, 'chat', { location: 'westeurope' }));
    ONLY_PROVIDER_INSTALLATION(initErrors(json, 'chat'));
    ONLY_PROVIDER_INSTALLATION(initErrors(hcl, 'chat'));
  });

  terraformTest('Premium with a system identity, and a platform/product split', () => {
    const { json, hcl } = synthBoth((app) => {
      const placement = { resourceGroup: { name: 'rg', location: 'westeurope' } };
      const platform = stackWithProviders(app, 'platform');
      const service = new WebPubSubService(platform, 'Service', { ...placement, networkAcl: {} });
      const product = stackWithProviders(app, 'product');
      const fn = new WebPubSubFunctionApp(product, 'Fn', {
        ...placement,
        hosting: FunctionAppHosting.elasticPremium(),
        identity: AppIdentity.systemAssigned(),
        webPubSubConnections: [{ service }],
      });
      new WebPubSubHub(product, 'Hub', { service, name: 'chat', eventHandlers: [EventHandler.functionsExtension(fn, { userEventPattern: '*' })] });
    });
    for (const stack of ['platform', 'product']) {
      ONLY_PROVIDER_INSTALLATION(initErrors(json, stack));
      ONLY_PROVIDER_INSTALLATION(initErrors(hcl, stack));
    }
  });

  terraformTest('geo-replicas and autoscale (azapi replicas, Monitor autoscale settings, ignore_changes on the units)', () => {
    const { json, hcl } = synthBoth((app) => {
      const stack = stackWithProviders(app, 'multi');
      new WebPubSubService(stack, 'Service', {
        resourceGroup: { name: 'rg', location: 'westeurope' },
        sku: 'Premium_P1',
        autoscale: { maxUnits: 10 },
        replicas: [{ location: 'eastus', autoscale: { maxUnits: 10 } }, { location: 'japaneast', regionEndpointEnabled: false }],
      });
    });
    ONLY_PROVIDER_INSTALLATION(initErrors(json, 'multi'));
    ONLY_PROVIDER_INSTALLATION(initErrors(hcl, 'multi'));
    const hclText = fs.readFileSync(path.join(hcl.outdir, 'stacks', 'multi', 'cdk.tf'), 'utf8');
    // cdktf writes ignore_changes entries as strings (as in the JSON), which terraform reads without error above.
    expect(hclText).toMatch(/ignore_changes = \[\s*"body\.sku\.capacity",\s*\]/);
  });

  terraformTest('the private webhook: shared private link, its approval (with a replica\'s copy), a closed app, hubs waiting', () => {
    const project = httpProject(httpHandlersSource('chat', ['connect'], ['message']));
    const { json, hcl } = synthBoth((app) => {
      const stack = stackWithProviders(app, 'private');
      const topology = new ServerlessWebPubSub(stack, 'Chat', {
        resourceGroupProps: { location: 'westeurope' },
        webPubSubProps: { sku: 'Premium_P1' },
        hubs: [{ name: 'chat' }],
        privateWebhook: true,
        functionAppProps: { code: codeOf(stack, project), publicNetworkAccessEnabled: false },
      });
      topology.webhookPrivateLinkApproval!.addSharedPrivateLink(topology.webhookPrivateLink!.forReplica('Replica', 'wps-eastus'));
    });
    ONLY_PROVIDER_INSTALLATION(initErrors(json, 'private'));
    ONLY_PROVIDER_INSTALLATION(initErrors(hcl, 'private'));
  });

  terraformTest('the private webhook with geo-replicas: copies approved, replicas Disabled then enabled by an update, ignore_changes on the property', () => {
    const project = httpProject(httpHandlersSource('chat', ['connect'], ['message']));
    const { json, hcl } = synthBoth((app) => {
      const stack = stackWithProviders(app, 'geo-private');
      const topology = new ServerlessWebPubSub(stack, 'Chat', {
        resourceGroupProps: { location: 'westeurope' },
        webPubSubProps: { sku: 'Premium_P1', replicas: [{ location: 'eastus', autoscale: { maxUnits: 10 } }] },
        hubs: [{ name: 'chat' }],
        privateWebhook: true,
        functionAppProps: { code: codeOf(stack, project) },
      });
      (topology.service as WebPubSubService).addReplica('Late', { location: 'japaneast' });
    });
    ONLY_PROVIDER_INSTALLATION(initErrors(json, 'geo-private'));
    ONLY_PROVIDER_INSTALLATION(initErrors(hcl, 'geo-private'));
    const hclText = fs.readFileSync(path.join(hcl.outdir, 'stacks', 'geo-private', 'cdk.tf'), 'utf8');
    expect(hclText).toMatch(/ignore_changes = \[\s*"body\.sku\.capacity",\s*"body\.properties\.regionEndpointEnabled",\s*\]/);
    expect(hclText).toMatch(/ignore_changes = \[\s*"body\.properties\.regionEndpointEnabled",\s*\]/);
    expect(hclText.match(/resource "azapi_update_resource" "Chat_WebPubSub_[^"]*RegionEndpoint[^"]*"/g)).toHaveLength(2);
  });

  terraformTest('the check itself: a configuration error is reported before provider installation', () => {
    const app = Testing.app();
    new ChatStack(app, 'chat', { location: 'westeurope' });
    app.synth();
    const file = path.join(app.outdir, 'stacks', 'chat', 'cdk.tf.json');
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    const [firstAction] = Object.values(doc.resource.azapi_resource_action) as any[];
    firstAction.lifecycle = { replace_triggered_by: ['${random_password.nothing}'] };
    fs.writeFileSync(file, JSON.stringify(doc));
    expect(initErrors(app, 'chat')).toContain('Invalid expression');
  });
});
