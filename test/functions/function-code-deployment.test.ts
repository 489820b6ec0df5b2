import * as fs from 'node:fs';
import { CLI_COMMAND_CONTEXT_KEY } from '../../lib/core/apply-time-command';
import * as path from 'node:path';
import { EventHandler } from '../../lib/webpubsub/event-handler';
import { FunctionAppHosting } from '../../lib/functions/function-app-hosting';
import { FunctionCode } from '../../lib/code/function-code';
import { WebPubSubFunctionApp } from '../../lib/functions/web-pubsub-function-app';
import { WebPubSubFunctionAppProps } from '../../lib/functions/web-pubsub-function-app-props';
import { WebPubSubHub } from '../../lib/webpubsub/web-pubsub-hub';
import { WebPubSubService } from '../../lib/webpubsub/web-pubsub-service';
import { EDITION_PACKAGE } from '../edition';
import { CHAT_APP, CHAT_ENTRIES, CHAT_EXTRA, cleanupTempDirs } from '../code/helpers';
import { copyHttpChatApp, HTTP_CHAT_APP, HTTP_CHAT_ENTRIES, HTTP_CHAT_EXTRA } from '../core/handler-fixtures';
import { newStack, onlyResource, resourcesOf, synthStack } from '../core/synth-helpers';

const placement = { resourceGroup: { name: 'rg', location: 'westeurope' } };

// A fixture app, bundled for real; its bindings use the `WebPubSubConnection` prefix and hub `chat`. On Flex (the
// default) the handlers are the HTTP function registerWebPubSubHandlers registers (test/core/fixtures/http-chat-app),
// served through the `webpubsub_upstream` app key; on Premium and Dedicated the trigger fixture
// (test/code/fixtures/chat-app) behind the extension webhook and the `webpubsub_extension` system key.
function synthWithCode(props: Partial<WebPubSubFunctionAppProps> = {}, projectDir?: string, context: Record<string, unknown> = {}) {
  const { app, stack } = newStack('code', context);
  const triggers = props.hosting !== undefined && props.hosting.kind !== 'FlexConsumption';
  const code = triggers
    ? new FunctionCode(stack, 'Code', { projectDir: projectDir ?? CHAT_APP, entryPoints: CHAT_ENTRIES, extraFiles: CHAT_EXTRA, quiet: true })
    : new FunctionCode(stack, 'Code', { projectDir: projectDir ?? HTTP_CHAT_APP, entryPoints: HTTP_CHAT_ENTRIES, extraFiles: HTTP_CHAT_EXTRA, quiet: true });
  const service = new WebPubSubService(stack, 'Service', placement);
  const fn = new WebPubSubFunctionApp(stack, 'Fn', { ...placement, code, webPubSubConnections: [{ service, settingPrefix: 'WebPubSubConnection' }], ...props });
  new WebPubSubHub(stack, 'Hub', { service, name: 'chat', eventHandlers: [triggers ? EventHandler.functionsExtension(fn) : EventHandler.functionApp(fn)] });
  return { code, fn, json: synthStack(app, stack).json };
}

const dataSteps = (json: any): Record<string, any> => resourcesOf(json, 'terraform_data');
function step(json: any, subcommand: string): [string, any] {
  const found = Object.entries(dataSteps(json)).filter(([, d]: any) => d.provisioner?.[0]['local-exec'].command.endsWith(` ${subcommand}`));
  if (found.length !== 1) throw new Error(`expected one ${subcommand} step, found ${found.length}`);
  return found[0] as [string, any];
}
const keyWriteAt = (json: any, action: string): [string, any] => {
  const found = Object.entries(resourcesOf(json, 'azapi_resource_action')).filter(([, a]: any) => a.action === action);
  if (found.length !== 1) throw new Error(`expected one ${action} write, found ${found.length}`);
  return found[0] as [string, any];
};
/** The Flex app's key write: the `webpubsub_upstream` app key its HTTP handler function checks. */
const keyWriteOf = (json: any): [string, any] => keyWriteAt(json, 'host/default/functionKeys/webpubsub_upstream');
/** The Premium/Dedicated app's key write: the `webpubsub_extension` system key the extension webhook checks. */
const systemKeyWriteOf = (json: any): [string, any] => keyWriteAt(json, 'host/default/systemKeys/webpubsub_extension');

describe('Flex: code published through the SCM site with Entra ID, at apply', () => {
  test('a terraform_data step runs `publish` from the stack directory, re-run exactly when the package or the app changes', () => {
    const { code, json } = synthWithCode();
    const [siteKey] = Object.entries(resourcesOf(json, 'azapi_resource')).find(([, r]: any) => r.type.startsWith('Microsoft.Web/sites@'))!;
    const [, publish] = step(json, 'publish');
    const exec = publish.provisioner[0]['local-exec'];
    expect(exec.command).toBe(`npx --no ${EDITION_PACKAGE} publish`); // this edition's bin (cdktn-azure-webpubsub in the cdktn edition)
    expect(exec.environment).toEqual({
      CDKTF_AZURE_WEBPUBSUB_APP_ID: `\${azapi_resource.${siteKey}.id}`,
      CDKTF_AZURE_WEBPUBSUB_PACKAGE: code.assetPath,
      CDKTF_AZURE_WEBPUBSUB_PACKAGE_SHA256: code.contentHash,
      CDKTF_AZURE_WEBPUBSUB_TIMEOUT_SECONDS: '900',
    });
    expect(publish.triggers_replace).toEqual({
      package_sha256: code.contentHash,
      function_app_id: `\${azapi_resource.${siteKey}.id}`,
      deployment_container: expect.stringMatching(/primary_blob_endpoint.*azurerm_storage_container\..+\.name/),
    });
    // Relative to the stack directory: no absolute machine path in the configuration.
    expect(code.assetPath.startsWith('assets/')).toBe(true);
    // (cdktf's own default local backend path is absolute; applications set their backend, see docs/deploying.md.)
    expect(JSON.stringify(json.resource)).not.toContain(process.cwd());
  });

  test('no package blob, no deployer storage role, no ARM One Deploy on Flex', () => {
    const { json } = synthWithCode();
    expect(resourcesOf(json, 'azurerm_storage_blob')).toEqual({});
    expect(Object.values(resourcesOf(json, 'azurerm_role_assignment')).some((r: any) => r.principal_id.includes('azurerm_client_config'))).toBe(false);
    expect(Object.values(resourcesOf(json, 'azapi_resource_action')).some((a: any) => String(a.action).includes('onedeploy'))).toBe(false);
  });

  test('order of the first deploy: host roles → site → publish → key write → (with the role on the service) restart and webhook check → hub', () => {
    const { json } = synthWithCode();
    const all = Object.entries(resourcesOf(json, 'azurerm_role_assignment'));
    const owner = all.filter(([, r]: any) => String(r.scope).startsWith('${azurerm_web_pubsub.')).map(([k]) => `azurerm_role_assignment.${k}`);
    const roles = all.map(([k]) => `azurerm_role_assignment.${k}`).filter((k) => !owner.includes(k));
    expect(owner).toHaveLength(1);
    const [siteKey, site] = Object.entries(resourcesOf(json, 'azapi_resource')).find(([, r]: any) => r.type.startsWith('Microsoft.Web/sites@'))!;
    const [publishKey, publish] = step(json, 'publish');
    const [keyWriteKey, keyWrite] = keyWriteOf(json);
    const [activationKey, activation] = step(json, 'activate-webhook');
    const [, hub] = onlyResource(json, 'azurerm_web_pubsub_hub');
    expect(publish.depends_on).toEqual(expect.arrayContaining([`azapi_resource.${siteKey}`, ...roles]));
    expect(keyWrite.depends_on).toEqual(expect.arrayContaining([`terraform_data.${publishKey}`, `azapi_resource.${siteKey}`, ...roles]));
    // Neither the app nor its code waits for the service or the role on it; the activation (and so the hub) does.
    for (const r of [site, publish, keyWrite]) {
      expect(r.depends_on).not.toContain(owner[0]);
      expect(JSON.stringify(r)).not.toContain('azurerm_web_pubsub.');
    }
    expect(activation.depends_on).toEqual([`azapi_resource_action.${keyWriteKey}`, owner[0]]);
    expect(hub.depends_on).toEqual([`terraform_data.${activationKey}`]);
  });

  test('the webhook activation restarts and probes with what ARM returns: no key in the provisioner, re-run on key rotation', () => {
    const { json } = synthWithCode();
    const [, activation] = step(json, 'activate-webhook');
    const [passwordKey] = onlyResource(json, 'random_password');
    const env = activation.provisioner[0]['local-exec'].environment;
    expect(Object.keys(env).sort()).toEqual(['CDKTF_AZURE_WEBPUBSUB_APP_ID', 'CDKTF_AZURE_WEBPUBSUB_HOSTING', 'CDKTF_AZURE_WEBPUBSUB_ORIGINS', 'CDKTF_AZURE_WEBPUBSUB_SERVICE_URIS', 'CDKTF_AZURE_WEBPUBSUB_WEBHOOKS']);
    expect(env.CDKTF_AZURE_WEBPUBSUB_ORIGINS).toMatch(/azurerm_web_pubsub\..+\.hostname/);
    expect(env.CDKTF_AZURE_WEBPUBSUB_HOSTING).toBe('FlexConsumption');
    // What it probes: the HTTP function at its `validate` URL, with the app key (no key value, only its name).
    const webhooks = [{ kind: 'httpFunction', path: '/api/webpubsub/chat/validate', keyType: 'functionKeys', keyName: 'webpubsub_upstream', hubs: ['chat'] }];
    expect(JSON.parse(env.CDKTF_AZURE_WEBPUBSUB_WEBHOOKS)).toEqual(webhooks);
    expect(JSON.stringify(activation.provisioner)).not.toContain('random_password');
    expect(passwordKey).toMatch(/WebPubSubUpstreamKey/);
    expect(activation.triggers_replace.key_sha256).toBe(`\${sha256(join(",", [random_password.${passwordKey}.result]))}`);
    expect(JSON.parse(activation.triggers_replace.webhooks)).toEqual(webhooks);
  });

  test('another host storage account means a new key, written and served anew (keys live in the host storage)', () => {
    const { json } = synthWithCode();
    const [, password] = onlyResource(json, 'random_password');
    expect(password.keepers).toEqual({ rotation: '1', host_storage: expect.stringMatching(/azurerm_storage_account\..+\.name/) });
    expect(step(json, 'activate-webhook')[1].triggers_replace.host_storage).toMatch(/azurerm_storage_account\..+\.name/);
  });

  test('the key write is bounded and retries only transient host answers', () => {
    const { json } = synthWithCode();
    const [, keyWrite] = keyWriteOf(json);
    expect(keyWrite.timeouts).toEqual({ create: '15m', update: '15m' });
    const [pattern] = keyWrite.retry.error_message_regex;
    const retried = new RegExp(pattern.replace('(?i)', ''), 'i');
    expect(retried.test('Encountered an error (ServiceUnavailable) from host runtime.')).toBe(true);
    expect(retried.test('unexpected status 400 (400 Bad Request) with error: BadRequest: The parameter value is invalid')).toBe(false);
    expect(retried.test('AuthorizationFailed: does not have authorization to perform action')).toBe(false);
  });

  test('the CLI command is set once per stack (CDK context) for other package managers, and every step uses it', () => {
    const { json } = synthWithCode({}, undefined, { [CLI_COMMAND_CONTEXT_KEY]: 'pnpm exec cdktf-azure-webpubsub' });
    expect(step(json, 'publish')[1].provisioner[0]['local-exec'].command).toBe('pnpm exec cdktf-azure-webpubsub publish');
    expect(step(json, 'activate-webhook')[1].provisioner[0]['local-exec'].command).toBe('pnpm exec cdktf-azure-webpubsub activate-webhook');
  });
});

test.each([[''], ['  '], [42]])('a CLI command context of %j fails naming the context key and the rule', (value) => {
  expect(() => synthWithCode({}, undefined, { [CLI_COMMAND_CONTEXT_KEY]: value })).toThrow(
    /context "azure-webpubsub:cliCommand" must be a command that starts the cdkt[fn]-azure-webpubsub CLI, e.g. "npx --no cdkt[fn]-azure-webpubsub"/,
  );
});

describe('Premium and Dedicated: run from the package blob', () => {
  test('the app setting references the blob\'s URL attribute; a new blob is created before the old one goes', () => {
    const { code, json } = synthWithCode({ hosting: FunctionAppHosting.elasticPremium() });
    const [blobKey, blob] = onlyResource(json, 'azurerm_storage_blob');
    const [, fn] = onlyResource(json, 'azurerm_linux_function_app');
    const [identityKey] = onlyResource(json, 'azurerm_user_assigned_identity');
    expect(blob).toMatchObject({ name: code.packageFileName, type: 'Block', content_type: 'application/zip', lifecycle: { create_before_destroy: true } });
    expect(blob.source).toBe(code.assetPath);
    expect(fn.app_settings.WEBSITE_RUN_FROM_PACKAGE).toBe(`\${azurerm_storage_blob.${blobKey}.url}`);
    expect(fn.app_settings.WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID).toBe(`\${azurerm_user_assigned_identity.${identityKey}.id}`);
    expect(() => step(json, 'publish')).toThrow(/expected one publish step, found 0/);
    expect(systemKeyWriteOf(json)[1].depends_on).toContain(`azurerm_storage_blob.${blobKey}`);
  });

  test('triggers: the system key is written, the activation probes the extension webhook with it, the hub URL carries it', () => {
    const { json } = synthWithCode({ hosting: FunctionAppHosting.elasticPremium() });
    const [writeKey, write] = systemKeyWriteOf(json);
    expect(() => keyWriteOf(json)).toThrow(/found 0/); // no HTTP handler in the code: no app key
    const [passwordKey] = onlyResource(json, 'random_password');
    expect(write.body).toEqual({ properties: { name: 'webpubsub_extension', value: `\${random_password.${passwordKey}.result}` } });
    const [activationKey, activation] = step(json, 'activate-webhook');
    const env = activation.provisioner[0]['local-exec'].environment;
    expect(JSON.parse(env.CDKTF_AZURE_WEBPUBSUB_WEBHOOKS)).toEqual([
      { kind: 'extensionWebhook', path: '/runtime/webhooks/webpubsub', keyType: 'systemKeys', keyName: 'webpubsub_extension', hubs: ['chat'] },
    ]);
    expect(env.CDKTF_AZURE_WEBPUBSUB_HOSTING).toBe('ElasticPremium');
    expect(activation.depends_on).toEqual([`azapi_resource_action.${writeKey}`, expect.stringMatching(/^azurerm_role_assignment\.Service_WebPubSubServiceOwner/)]);
    const [, hub] = onlyResource(json, 'azurerm_web_pubsub_hub');
    expect(hub.event_handler).toEqual([
      {
        url_template: `https://\${azurerm_linux_function_app.${onlyResource(json, 'azurerm_linux_function_app')[0]}.default_hostname}/runtime/webhooks/webpubsub?code=\${random_password.${passwordKey}.result}`,
        system_events: ['connect'],
        user_event_pattern: 'message',
      },
    ]);
    expect(hub.depends_on).toEqual([`terraform_data.${activationKey}`]);
  });

  test('the upload waits for the deployer\'s brand-new role to take effect (bounded probe), not a fixed sleep', () => {
    const { json } = synthWithCode({ hosting: FunctionAppHosting.elasticPremium() });
    const [, blob] = onlyResource(json, 'azurerm_storage_blob');
    const [awaitKey, awaitStep] = step(json, 'await-blob-access');
    const deployerRole = Object.entries(resourcesOf(json, 'azurerm_role_assignment')).find(([, r]: any) => r.principal_id.includes('data.azurerm_client_config'))!;
    expect(deployerRole[1].role_definition_id).toContain('ba92f5b4-2d11-453d-a403-e96b0029c9fe');
    expect(awaitStep.depends_on).toContain(`azurerm_role_assignment.${deployerRole[0]}`);
    expect(awaitStep.provisioner[0]['local-exec'].environment.CDKTF_AZURE_WEBPUBSUB_CONTAINER_URL).toMatch(/primary_blob_endpoint.+azurerm_storage_container/);
    expect(blob.depends_on).toContain(`terraform_data.${awaitKey}`);
    const off = synthWithCode({ hosting: FunctionAppHosting.elasticPremium(), grantDeployerPackageUpload: false }).json;
    expect(Object.values(resourcesOf(off, 'azurerm_role_assignment')).some((r: any) => r.principal_id.includes('data.azurerm_client_config'))).toBe(false);
    expect(() => step(off, 'await-blob-access')).toThrow(/found 0/);
  });
});

describe('churn', () => {
  test('same code gives the same JSON; a one-character change touches only the publish step', () => {
    const a = synthWithCode().json;
    expect(JSON.stringify(synthWithCode().json)).toBe(JSON.stringify(a));

    const dir = copyHttpChatApp();
    const file = path.join(dir, HTTP_CHAT_ENTRIES[1]);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace("context.log('connect')", "context.log('connecT')"));
    const b = synthWithCode({}, dir).json;
    const changed: string[] = [];
    for (const type of new Set([...Object.keys(a.resource), ...Object.keys(b.resource)])) {
      for (const key of new Set([...Object.keys(a.resource[type] ?? {}), ...Object.keys(b.resource[type] ?? {})])) {
        if (JSON.stringify(a.resource[type]?.[key]) !== JSON.stringify(b.resource[type]?.[key])) changed.push(`${type}.${key}`);
      }
    }
    const [publishKey] = step(a, 'publish');
    expect(changed).toEqual([`terraform_data.${publishKey}`]);
    cleanupTempDirs();
  });
});

describe('an app without packaged code', () => {
  test('Premium: the system key is still written and the app restarted, but nothing waits for a webhook that cannot answer; the hub warns', () => {
    const { app, stack } = newStack('nocode');
    const service = new WebPubSubService(stack, 'Service', placement);
    const fn = new WebPubSubFunctionApp(stack, 'Fn', { ...placement, hosting: FunctionAppHosting.elasticPremium(), webPubSubConnections: [{ service }] });
    const hub = new WebPubSubHub(stack, 'Hub', { service, name: 'chat', eventHandlers: [EventHandler.functionsExtension(fn, { userEventPattern: '*' })] });
    const { json } = synthStack(app, stack);
    expect(() => step(json, 'publish')).toThrow(/found 0/);
    expect(systemKeyWriteOf(json)[1].method).toBe('PUT');
    expect(step(json, 'activate-webhook')[1].provisioner[0]['local-exec'].environment.CDKTF_AZURE_WEBPUBSUB_PROBE).toBe('false');
    const warnings = hub.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(/`eventHandlers\[0\]` targets nocode\/Fn, whose code is not packaged by this stack: .*deploy code with a Web PubSub trigger to the app before this hub is created/)]);
  });

  test('Flex: the app key is written and the app restarted without a probe; an explicit HTTP handler carries the key; the extension webhook is refused', () => {
    const { app, stack } = newStack('nocode');
    const service = new WebPubSubService(stack, 'Service', placement);
    const fn = new WebPubSubFunctionApp(stack, 'Fn', { ...placement, webPubSubConnections: [{ service }] });
    expect(() => new WebPubSubHub(stack, 'Extension', { service, name: 'ext', eventHandlers: [EventHandler.functionsExtension(fn, { userEventPattern: '*' })] })).toThrow(
      /`eventHandlers\[0\]` targets the Web PubSub extension webhook of a Flex Consumption app, which Flex does not serve .*azure-functions-host#11493/,
    );
    new WebPubSubHub(stack, 'Hub', { service, name: 'chat', eventHandlers: [EventHandler.httpFunction(fn, 'api/webpubsub/chat/{event}', { userEventPattern: '*' })] });
    const { json } = synthStack(app, stack);
    expect(() => step(json, 'publish')).toThrow(/found 0/);
    const [keyWriteKey] = keyWriteOf(json);
    expect(() => systemKeyWriteOf(json)).toThrow(/found 0/);
    const [activationKey, activation] = step(json, 'activate-webhook');
    const env = activation.provisioner[0]['local-exec'].environment;
    expect(env.CDKTF_AZURE_WEBPUBSUB_PROBE).toBe('false');
    expect(env.CDKTF_AZURE_WEBPUBSUB_WEBHOOKS).toBeUndefined();
    expect(activation.depends_on).toEqual([`azapi_resource_action.${keyWriteKey}`, expect.stringMatching(/^azurerm_role_assignment\.Service_WebPubSubServiceOwner/)]);
    const [passwordKey] = onlyResource(json, 'random_password');
    const [, hub] = onlyResource(json, 'azurerm_web_pubsub_hub');
    expect(hub.event_handler[0].url_template).toMatch(new RegExp(`/api/webpubsub/chat/\\{event\\}\\?code=\\$\\{random_password\\.${passwordKey}\\.result\\}$`));
    expect(hub.depends_on).toEqual([`terraform_data.${activationKey}`]);
  });

  test('Flex: the default handler (EventHandler.functionApp) calls the route registerWebPubSubHandlers gives the hub by default, with the app key, and warns that the code must be deployed first', () => {
    const { app, stack } = newStack('nocode');
    const service = new WebPubSubService(stack, 'Service', placement);
    const fn = new WebPubSubFunctionApp(stack, 'Fn', { ...placement, webPubSubConnections: [{ service }] });
    const hub = new WebPubSubHub(stack, 'Hub', { service, name: 'chat', eventHandlers: [EventHandler.functionApp(fn, { systemEvents: ['connect'] })] });
    const { json } = synthStack(app, stack);
    const [passwordKey] = onlyResource(json, 'random_password');
    const [, resource] = onlyResource(json, 'azurerm_web_pubsub_hub');
    expect(resource.event_handler[0].url_template).toMatch(new RegExp(`/api/webpubsub/chat/\\{event\\}\\?code=\\$\\{random_password\\.${passwordKey}\\.result\\}$`));
    expect(resource.event_handler[0].system_events).toEqual(['connect']);
    expect(hub.eventHandlers[0].kind).toBe('httpFunction');
    const warnings = hub.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(/whose code is not packaged by this stack: the hub calls \/api\/webpubsub\/chat\/\{event\}, where registerWebPubSubHandlers serves hub "chat" by default/)]);
  });

  test('Flex: the default handler of a hub whose name a route cannot hold, without code, is refused with the fixes', () => {
    const { stack } = newStack('nocode');
    const service = new WebPubSubService(stack, 'Service', placement);
    const fn = new WebPubSubFunctionApp(stack, 'Fn', { ...placement, webPubSubConnections: [{ service }] });
    expect(() => new WebPubSubHub(stack, 'Hub', { service, name: 'a,b', eventHandlers: [EventHandler.functionApp(fn, { systemEvents: ['connect'] })] })).toThrow(/registerWebPubSubHandlers/);
  });

  test('with packaged code the activation waits for the webhook (no probe switch)', () => {
    const { json } = synthWithCode();
    expect(step(json, 'activate-webhook')[1].provisioner[0]['local-exec'].environment.CDKTF_AZURE_WEBPUBSUB_PROBE).toBeUndefined();
  });
});

describe('Node.js version', () => {
  test('the app runs the version the code is bundled for unless told otherwise; a mismatch fails naming both', () => {
    const { app, stack } = newStack('node');
    const code = new FunctionCode(stack, 'Code', { projectDir: HTTP_CHAT_APP, entryPoints: HTTP_CHAT_ENTRIES, extraFiles: HTTP_CHAT_EXTRA, nodeVersion: '20', quiet: true });
    const service = new WebPubSubService(stack, 'Service', placement);
    const fn = new WebPubSubFunctionApp(stack, 'Fn', { ...placement, code, webPubSubConnections: [{ service, settingPrefix: 'WebPubSubConnection' }] });
    new WebPubSubHub(stack, 'Hub', { service, name: 'chat', eventHandlers: [EventHandler.functionApp(fn)] });
    const json = synthStack(app, stack).json;
    const site = Object.values(resourcesOf(json, 'azapi_resource')).find((r: any) => r.type.startsWith('Microsoft.Web/sites@')) as any;
    expect(site.body.properties.functionAppConfig.runtime).toEqual({ name: 'node', version: '20' });
    expect(() => new WebPubSubFunctionApp(stack, 'Other', { ...placement, code, nodeVersion: '22' })).toThrow(
      /`code.nodeVersion` must match the app's `nodeVersion` "22": the package is bundled for Node 20 and would run on Node 22, got "20"/,
    );
  });
});
