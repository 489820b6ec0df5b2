/**
 * Compositions users write in their own stacks, on real `app.synth()` output: shared storage and identity, several
 * apps and hubs on one service, and the service in a platform stack with apps and hubs in product stacks.
 */
import { TerraformVariable } from 'cdktf';
import { EventHandler } from '../../lib/webpubsub/event-handler';
import { AppIdentity } from '../../lib/functions/app-identity';
import { FunctionAppHosting } from '../../lib/functions/function-app-hosting';
import { FunctionAppIdentity } from '../../lib/functions/function-app-identity';
import { FunctionHostStorage } from '../../lib/functions/function-host-storage';
import { WebPubSubFunctionApp } from '../../lib/functions/web-pubsub-function-app';
import { WebPubSubHub } from '../../lib/webpubsub/web-pubsub-hub';
import { WebPubSubService } from '../../lib/webpubsub/web-pubsub-service';
import { flexSitesOf, newStack, readStack, resourcesOf, siteSettings, stackWithProviders, synthStack } from '../core/synth-helpers';

const placement = { resourceGroup: { name: 'rg', location: 'westeurope' } };
const OWNER = '12cf5a90-567b-43ae-8102-96cf46c7d9b4';

/** Every role assignment as (scope, role GUID, principal): Azure allows each triple once. */
function assignmentTriples(json: any): string[] {
  return Object.values(resourcesOf(json, 'azurerm_role_assignment')).map((r: any) => `${r.scope} | ${r.role_definition_id.split('/').pop()} | ${r.principal_id}`);
}

/** `depends_on` entries Terraform accepts: whole resources (`type.name`), never attributes or other stacks' outputs. */
function expectWholeObjectDependencies(json: any): void {
  for (const [type, resources] of Object.entries(json.resource ?? {})) {
    for (const [name, r] of Object.entries(resources as Record<string, any>)) {
      for (const d of r.depends_on ?? []) {
        expect({ at: `${type}.${name}`, dependsOn: d }).toEqual({ at: `${type}.${name}`, dependsOn: expect.stringMatching(/^(data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+$/) });
        const [t, n] = d.replace(/^data\./, '').split('.');
        expect(json.resource[t]?.[n] ?? json.data?.[t]?.[n]).toBeDefined();
      }
    }
  }
}

describe('two apps sharing one storage account and one identity', () => {
  function twoApps() {
    const { app, stack } = newStack('shared');
    const service = new WebPubSubService(stack, 'Service', placement);
    const storage = new FunctionHostStorage(stack, 'Storage', placement);
    const identity = new FunctionAppIdentity(stack, 'Identity', placement);
    const common = { ...placement, existingStorage: storage, identity: AppIdentity.fromIdentity(identity), webPubSubConnections: [{ service }] };
    const chat = new WebPubSubFunctionApp(stack, 'Chat', common);
    const admin = new WebPubSubFunctionApp(stack, 'Admin', common);
    return { app, stack, chat, admin, json: synthStack(app, stack).json };
  }

  test('one account, one identity, a package container per app', () => {
    const { json } = twoApps();
    expect(Object.keys(resourcesOf(json, 'azurerm_storage_account'))).toHaveLength(1);
    expect(Object.keys(resourcesOf(json, 'azurerm_user_assigned_identity'))).toHaveLength(1);
    const containers = Object.values(resourcesOf(json, 'azurerm_storage_container')).map((c: any) => c.name);
    expect(containers).toHaveLength(2);
    expect(new Set(containers).size).toBe(2);
    const deploymentStorage = flexSitesOf(json).map(([, s]) => s.body.properties.functionAppConfig.deployment.storage.value);
    expect(new Set(deploymentStorage).size).toBe(2);
  });

  test('each (scope, role, principal) is assigned once, and both apps wait for the shared assignments', () => {
    const { json } = twoApps();
    const triples = assignmentTriples(json);
    // Shared: blob owner + table contributor on the account, owner on the service; each app has its own insights.
    expect(triples).toHaveLength(5);
    expect(new Set(triples).size).toBe(triples.length);
    const roleIds = Object.keys(resourcesOf(json, 'azurerm_role_assignment')).map((k) => `azurerm_role_assignment.${k}`);
    const storageRoles = roleIds.filter((id) => id.includes('Storage_'));
    for (const [, site] of flexSitesOf(json)) expect(site.depends_on).toEqual(expect.arrayContaining(storageRoles));
  });

  test('two apps whose names share their first 32 characters on one account fail: same Functions host ID', () => {
    const { stack } = newStack('hostid');
    const storage = new FunctionHostStorage(stack, 'Storage', placement);
    const prefix = 'func-chat-production-westeurope-0'; // 33 characters
    new WebPubSubFunctionApp(stack, 'A', { ...placement, name: `${prefix}1`, existingStorage: storage });
    expect(() => new WebPubSubFunctionApp(stack, 'B', { ...placement, name: `${prefix}2`, existingStorage: storage })).toThrow(
      /`name` shares its first 32 characters \("func-chat-production-westeurope-"\) with the app hostid\/A on storage account hostid\/Storage: both would get the same Functions host ID/,
    );
    // On separate accounts the same names are fine.
    new WebPubSubFunctionApp(stack, 'C', { ...placement, name: `${prefix}3` });
  });

  test('two apps asking for one package container name on one account fail at synth', () => {
    const { stack } = newStack('container');
    const storage = new FunctionHostStorage(stack, 'Storage', placement);
    new WebPubSubFunctionApp(stack, 'A', { ...placement, existingStorage: storage, packageContainerName: 'packages' });
    expect(() => new WebPubSubFunctionApp(stack, 'B', { ...placement, existingStorage: storage, packageContainerName: 'packages' })).toThrow(
      /`packageContainerName` is already the package container of container\/A on storage account container\/Storage/,
    );
  });
});

describe('several apps and hubs on one service', () => {
  test('each app owns its hubs; each identity gets the owner role once; the service is created once', () => {
    const { app, stack } = newStack('many');
    const service = new WebPubSubService(stack, 'Service', placement);
    const chat = new WebPubSubFunctionApp(stack, 'Chat', { ...placement, webPubSubConnections: [{ service }] });
    const games = new WebPubSubFunctionApp(stack, 'Games', { ...placement, webPubSubConnections: [{ service }] });
    // Flex apps without packaged code: each hub calls an HTTP function of its app, with that app's key.
    new WebPubSubHub(stack, 'ChatHub', { service, name: 'chat', eventHandlers: [EventHandler.httpFunction(chat, 'api/webpubsub/chat/{event}', { userEventPattern: '*' })] });
    new WebPubSubHub(stack, 'LobbyHub', { service, name: 'lobby', eventHandlers: [EventHandler.httpFunction(games, 'api/webpubsub/lobby/{event}', { systemEvents: ['connected'] })] });
    const { json } = synthStack(app, stack);
    expect(Object.keys(resourcesOf(json, 'azurerm_web_pubsub'))).toHaveLength(1);
    const owners = Object.values(resourcesOf(json, 'azurerm_role_assignment')).filter((r: any) => r.role_definition_id.endsWith(OWNER));
    expect(owners).toHaveLength(2);
    expect(new Set(owners.map((o: any) => o.principal_id)).size).toBe(2);
    const hubs = Object.values(resourcesOf(json, 'azurerm_web_pubsub_hub')) as any[];
    expect(hubs.map((h) => h.name).sort()).toEqual(['chat', 'lobby']);
    expect(hubs.find((h) => h.name === 'lobby').event_handler[0].url_template).not.toBe(hubs.find((h) => h.name === 'chat').event_handler[0].url_template);
    // Each URL carries its own app's key.
    const keyOf = (h: any) => /\?code=\$\{random_password\.([^.]+)\.result\}$/.exec(h.event_handler[0].url_template)?.[1];
    expect(keyOf(hubs.find((h) => h.name === 'chat'))).toMatch(/^Chat_WebPubSubUpstreamKey_/);
    expect(keyOf(hubs.find((h) => h.name === 'lobby'))).toMatch(/^Games_WebPubSubUpstreamKey_/);
    expectWholeObjectDependencies(json);
  });

  test('reordering an app\'s services does not change any role assignment\'s id (no list positions in ids)', () => {
    const build = (reverse: boolean) => {
      const { app, stack } = newStack('order');
      const a = new WebPubSubService(stack, 'A', placement);
      const b = new WebPubSubService(stack, 'B', placement);
      const connections = [{ service: a }, { service: b, settingPrefix: 'Second' }];
      new WebPubSubFunctionApp(stack, 'Fn', { ...placement, webPubSubConnections: reverse ? [...connections].reverse() : connections });
      return Object.keys(resourcesOf(synthStack(app, stack).json, 'azurerm_role_assignment')).sort();
    };
    expect(build(true)).toEqual(build(false));
  });
});

describe('the service in a platform stack, apps and hubs in product stacks', () => {
  function split() {
    const { app, stack: platform } = newStack('platform');
    const service = new WebPubSubService(platform, 'Service', placement);
    const product = stackWithProviders(app, 'product');
    const fn = new WebPubSubFunctionApp(product, 'Chat', { ...placement, webPubSubConnections: [{ service }] });
    new WebPubSubHub(product, 'Hub', { service, name: 'chat', eventHandlers: [EventHandler.httpFunction(fn, 'api/webpubsub/chat/{event}', { userEventPattern: '*' })] });
    app.synth();
    return { platformJson: readStack(app, 'platform'), productJson: readStack(app, 'product') };
  }

  test('the platform stack holds only the service: nothing of the product (no cycle)', () => {
    const { platformJson } = split();
    expect(Object.keys(platformJson.resource).sort()).toEqual(['azurerm_web_pubsub', 'random_string']);
    expect(JSON.stringify(platformJson)).not.toMatch(/random_password|webpubsub_extension|webpubsub_upstream|Chat_/);
  });

  test('the product stack holds the app, its owner role on the service and the hub; it reads only the service id and host name', () => {
    const { productJson } = split();
    const owner = Object.values(resourcesOf(productJson, 'azurerm_role_assignment')).find((r: any) => r.role_definition_id.endsWith(OWNER)) as any;
    expect(owner.scope).toMatch(/^\$\{data\.terraform_remote_state\.[^.]+\.outputs\.[^}]+\}$/);
    const [hub] = Object.values(resourcesOf(productJson, 'azurerm_web_pubsub_hub')) as any[];
    expect(hub.web_pubsub_id).toMatch(/terraform_remote_state/);
    expect(hub.event_handler[0].url_template).toMatch(/random_password/); // the key stays in the product stack
    expectWholeObjectDependencies(productJson);
    expect(settingsOfProduct(productJson).WebPubSubConnectionString__serviceUri).toMatch(/terraform_remote_state/);
  });

  test('no webhook key ever crosses a stack boundary (no output holds it)', () => {
    const { platformJson, productJson } = split();
    for (const json of [platformJson, productJson]) {
      for (const output of Object.values(json.output ?? {}) as any[]) expect(JSON.stringify(output.value)).not.toMatch(/random_password/);
    }
  });

  test.each([
    ['the extension webhook (Premium)', { hosting: FunctionAppHosting.elasticPremium() }, (fn: WebPubSubFunctionApp) => EventHandler.functionsExtension(fn, { userEventPattern: '*' })],
    ['an HTTP function with the app key (Flex)', {}, (fn: WebPubSubFunctionApp) => EventHandler.httpFunction(fn, 'api/webpubsub/chat/{event}', { userEventPattern: '*' })],
  ])('a hub in another stack than the app its handler targets (%s) fails at synth, saying where to put it', (_, hosting, handler) => {
    const { stack: appStack, app } = newStack('apps');
    const service = new WebPubSubService(appStack, 'Service', placement);
    const fn = new WebPubSubFunctionApp(appStack, 'Chat', { ...placement, ...hosting, webPubSubConnections: [{ service }] });
    const hubs = stackWithProviders(app, 'hubs');
    expect(() => new WebPubSubHub(hubs, 'Hub', { service, name: 'chat', eventHandlers: [handler(fn)] })).toThrow(
      /`eventHandlers\[0\]` targets apps\/Chat in stack "apps", but the hub is in stack "hubs": create the hub in the app's stack/,
    );
  });

  test('the same (scope, role, principal) granted from two stacks fails at synth instead of 409 at apply', () => {
    const { stack: one, app } = newStack('one');
    const storage = new FunctionHostStorage(one, 'Storage', placement);
    const identity = new FunctionAppIdentity(one, 'Identity', placement);
    new WebPubSubFunctionApp(one, 'A', { ...placement, existingStorage: storage, identity: AppIdentity.fromIdentity(identity) });
    const two = stackWithProviders(app, 'two');
    expect(() => new WebPubSubFunctionApp(two, 'B', { ...placement, existingStorage: storage, identity: AppIdentity.fromIdentity(identity) })).toThrow(
      /"Storage Blob Data Owner" on one\/Storage for the same principal is already assigned in stack "one"/,
    );
  });
});

describe('a shared identity in a product stack, the service in the platform stack', () => {
  test('the owner assignment lives with the identity, so removing one app does not move (replace) it', () => {
    const build = (apps: string[]) => {
      const { app, stack: platform } = newStack('platform');
      const service = new WebPubSubService(platform, 'Service', placement);
      const product = stackWithProviders(app, 'product');
      const identity = new FunctionAppIdentity(product, 'Identity', placement);
      for (const name of apps) new WebPubSubFunctionApp(product, name, { ...placement, identity: AppIdentity.fromIdentity(identity), webPubSubConnections: [{ service }] });
      app.synth();
      const json = readStack(app, 'product');
      return Object.entries(resourcesOf(json, 'azurerm_role_assignment')).filter(([, r]: any) => r.role_definition_id.endsWith(OWNER)).map(([k]) => k);
    };
    const both = build(['Chat', 'Games']);
    expect(both).toHaveLength(1);
    expect(both[0]).toMatch(/^Identity_/);
    expect(build(['Games'])).toEqual(both);
  });
});

describe('token-valued props', () => {
  test('numbers and names given as Terraform tokens are passed through, not validated as literals', () => {
    const { app, stack } = newStack('tokens');
    const variable = (id: string, type: string) => new TerraformVariable(stack, id, { type });
    const count = variable('max_instances', 'number').numberValue;
    const memory = variable('memory', 'number').numberValue;
    const service = new WebPubSubService(stack, 'Service', { ...placement, capacity: variable('units', 'number').numberValue });
    new WebPubSubFunctionApp(stack, 'Fn', {
      ...placement,
      name: variable('app_name', 'string').stringValue,
      hosting: FunctionAppHosting.flexConsumption({ maximumInstanceCount: count, instanceMemoryMb: memory as 2048 }),
      webPubSubConnections: [{ service }],
    });
    const { json } = synthStack(app, stack);
    const [[, site]] = flexSitesOf(json);
    expect(site.body.properties.functionAppConfig.scaleAndConcurrency).toEqual({ maximumInstanceCount: '${var.max_instances}', instanceMemoryMB: '${var.memory}' });
    expect(site.name).toBe('${var.app_name}');
    expect(Object.values(resourcesOf(json, 'azurerm_web_pubsub'))[0]).toMatchObject({ capacity: '${var.units}' });
  });

  test('a NaN shows as NaN in the error, not as null', () => {
    const { stack } = newStack('nan');
    expect(() => new WebPubSubFunctionApp(stack, 'Fn', { ...placement, hosting: FunctionAppHosting.flexConsumption({ maximumInstanceCount: NaN }) })).toThrow(
      /`hosting.maximumInstanceCount` must be an integer between 1 and 1000, got NaN/,
    );
  });
});

function settingsOfProduct(json: any): Record<string, string> {
  return siteSettings(flexSitesOf(json)[0][1]);
}
