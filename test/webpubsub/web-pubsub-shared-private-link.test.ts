/**
 * The service reaching the app's webhook privately, on real `app.synth()` output: the shared private link (group
 * `sites`), its approval on the app as an apply-time step, hubs waiting for it in whatever order they are declared,
 * replicas' links plugging into the same approval, and the synth-time rules (SKU, closed app without a link, closed
 * app whose browsers would lose negotiate and pages).
 */
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { SharedPrivateLinkApproval } from '../../lib/functions/shared-private-link-approval';
import { WebPubSubFunctionApp } from '../../lib/functions/web-pubsub-function-app';
import { ServerlessWebPubSub } from '../../lib/patterns/serverless-web-pubsub';
import { EventHandler } from '../../lib/webpubsub/event-handler';
import { WebPubSubHub } from '../../lib/webpubsub/web-pubsub-hub';
import { WebPubSubService } from '../../lib/webpubsub/web-pubsub-service';
import { ISharedPrivateLink, WebPubSubSharedPrivateLink } from '../../lib/webpubsub/web-pubsub-shared-private-link';
import { cleanupTempDirs } from '../code/helpers';
import { EDITION_PACKAGE } from '../edition';
import { codeOf, httpHandlersSource, httpProject } from '../core/handler-fixtures';
import { flexSiteOf, newStack, onlyResource, resourcesOf, synthStack, TEST_IDS, TEST_SUBSCRIPTION } from '../core/synth-helpers';

afterAll(cleanupTempDirs);

const placement = { resourceGroup: { name: 'rg', location: 'westeurope' } };
const HANDLERS = httpHandlersSource('chat', ['connect'], ['message']);
const NEGOTIATE = "app.http('negotiate', { methods: ['GET'], authLevel: 'anonymous', handler: async () => ({ status: 200 }) });";
let handlersOnly: string | undefined;
let withNegotiate: string | undefined;
const handlersCode = (scope: Construct, id = 'Code') => codeOf(scope, (handlersOnly ??= httpProject(HANDLERS)), id);
const browserCode = (scope: Construct, id = 'Code') => codeOf(scope, (withNegotiate ??= httpProject(HANDLERS, NEGOTIATE)), id);

/** The apply-time step that approves the links (`terraform_data` running `approve-private-links`). */
function approvalStep(json: any): [string, any] {
  const steps = Object.entries(resourcesOf(json, 'terraform_data')).filter(([, d]: any) => d.provisioner?.[0]['local-exec'].command.endsWith(' approve-private-links'));
  if (steps.length !== 1) throw new Error(`expected one approve-private-links step, found ${steps.length}`);
  return steps[0] as [string, any];
}

function topology(stack: TerraformStack, options: { hubFirst?: boolean; closed?: boolean } = {}) {
  const service = new WebPubSubService(stack, 'Service', placement);
  const app = new WebPubSubFunctionApp(stack, 'Fn', {
    ...placement,
    code: handlersCode(stack),
    webPubSubConnections: [{ service }],
    publicNetworkAccessEnabled: options.closed ? false : undefined,
  });
  const hub = () => new WebPubSubHub(stack, 'Chat', { service, name: 'chat', eventHandlers: [EventHandler.functionApp(app)] });
  const early = options.hubFirst ? hub() : undefined;
  const link = new WebPubSubSharedPrivateLink(stack, 'Link', { service, targetResourceId: app.appId });
  const approval = new SharedPrivateLinkApproval(stack, 'Approval', { functionApp: app, sharedPrivateLinks: [link] });
  return { service, app, link, approval, hub: early ?? hub() };
}

describe('WebPubSubSharedPrivateLink + SharedPrivateLinkApproval', () => {
  const { app, stack } = newStack('spl');
  const { link } = topology(stack);
  const { json } = synthStack(app, stack);
  const [linkKey, spl] = onlyResource(json, 'azurerm_web_pubsub_shared_private_link_resource');
  const [serviceKey] = onlyResource(json, 'azurerm_web_pubsub');
  const [siteKey] = flexSiteOf(json);
  const [stepKey, step] = approvalStep(json);
  const [, hub] = onlyResource(json, 'azurerm_web_pubsub_hub');

  test('the link targets the function app with the group `sites`, on the service, with a request message unique to it', () => {
    expect(spl).toMatchObject({
      web_pubsub_id: `\${azurerm_web_pubsub.${serviceKey}.id}`,
      subresource_name: 'sites',
      target_resource_id: `\${azapi_resource.${siteKey}.id}`,
      name: link.linkName,
    });
    expect(link.linkName).toMatch(/^spl-[0-9a-f]{12}$/);
    expect(spl.request_message).toMatch(/^cdktf-azure-webpubsub: wps-spl-Service-[0-9a-f]{6}-\$\{random_string\.[A-Za-z0-9_]+\.result\}\/spl-[0-9a-f]{12}$/);
  });

  test('the approval runs approve-private-links with the app and the links, re-running when either changes', () => {
    const exec = step.provisioner[0]['local-exec'];
    expect(exec.command).toBe(`npx --no ${EDITION_PACKAGE} approve-private-links`); // this edition's bin
    expect(exec.environment).toEqual({
      CDKTF_AZURE_WEBPUBSUB_APP_ID: `\${azapi_resource.${siteKey}.id}`,
      CDKTF_AZURE_WEBPUBSUB_SHARED_PRIVATE_LINKS: `\${azurerm_web_pubsub_shared_private_link_resource.${linkKey}.id}`,
    });
    expect(step.triggers_replace).toEqual({
      function_app_id: `\${azapi_resource.${siteKey}.id}`,
      shared_private_links: `\${azurerm_web_pubsub_shared_private_link_resource.${linkKey}.id}`,
    });
  });

  test('the hub keeps the app\'s public default host name and waits for the approval (its first save validates the URL through the link)', () => {
    expect(hub.event_handler[0].url_template).toMatch(new RegExp(`^https://\\$\\{azapi_resource\\.${siteKey}\\.output\\.properties\\.defaultHostName\\}/api/`));
    expect(hub.depends_on).toContain(`terraform_data.${stepKey}`);
  });

  test('a hub declared before the link waits for the approval too', () => {
    const { app: a, stack: s } = newStack('order');
    topology(s, { hubFirst: true });
    const out = synthStack(a, s).json;
    const [key] = approvalStep(out);
    expect(onlyResource(out, 'azurerm_web_pubsub_hub')[1].depends_on).toContain(`terraform_data.${key}`);
  });

  test('a hub of another service, or calling another app, does not wait for it', () => {
    const { app: a, stack: s } = newStack('other');
    const { service } = topology(s);
    const other = new WebPubSubService(s, 'Other', placement);
    new WebPubSubHub(s, 'Relay', { service: other, name: 'relay', eventHandlers: [EventHandler.url('https://example.com/{event}', { userEventPattern: '*' })] });
    // The link's own service, calling another function app than the link's.
    const otherApp = new WebPubSubFunctionApp(s, 'Fn2', { ...placement, code: codeOf(s, httpProject(httpHandlersSource('elsewhere', ['connect'], ['message'])), 'Code2'), webPubSubConnections: [{ service }] });
    new WebPubSubHub(s, 'Elsewhere', { service, name: 'elsewhere', eventHandlers: [EventHandler.functionApp(otherApp)] });
    const out = synthStack(a, s).json;
    const [key] = approvalStep(out);
    const hubNamed = (name: string) => Object.values(resourcesOf(out, 'azurerm_web_pubsub_hub')).find((h: any) => h.name === name) as any;
    expect(hubNamed('chat').depends_on).toContain(`terraform_data.${key}`);
    expect(hubNamed('relay').depends_on ?? []).not.toContain(`terraform_data.${key}`);
    expect(hubNamed('elsewhere').depends_on ?? []).not.toContain(`terraform_data.${key}`);
  });
});

describe('replicas\' links plug into the same approval', () => {
  const replicaLinkId = `${TEST_IDS.webPubSub}/replicas/wps-shared-eastus/sharedPrivateLinkResources/spl-replica`;

  test('a replica\'s copy of the link (forReplica: nothing created, the id under the replica) joins the step\'s list', () => {
    const { app, stack } = newStack('replica');
    const { link, approval } = topology(stack);
    const replica = link.forReplica('EastUs', 'wps-eastus');
    expect(replica.service).toBe(link.service);
    expect(replica.targetResourceId).toBe(link.targetResourceId);
    approval.addSharedPrivateLink(replica);
    const { json } = synthStack(app, stack);
    const [linkKey, spl] = onlyResource(json, 'azurerm_web_pubsub_shared_private_link_resource');
    const [serviceKey] = onlyResource(json, 'azurerm_web_pubsub');
    const env = approvalStep(json)[1].provisioner[0]['local-exec'].environment;
    expect(env.CDKTF_AZURE_WEBPUBSUB_SHARED_PRIVATE_LINKS.split(',')).toEqual([
      `\${azurerm_web_pubsub_shared_private_link_resource.${linkKey}.id}`,
      `\${azurerm_web_pubsub.${serviceKey}.id}/replicas/wps-eastus/sharedPrivateLinkResources/${spl.name}`,
    ]);
  });

  test('any ISharedPrivateLink of the service targeting the app plugs in (e.g. a literal replica link id)', () => {
    const { app, stack } = newStack('replica-literal');
    const { service, app: fn, approval } = topology(stack);
    class ReplicaLink extends Construct implements ISharedPrivateLink {
      public readonly sharedPrivateLinkId = replicaLinkId;
      public readonly service = service;
      public readonly targetResourceId = fn.appId;
    }
    approval.addSharedPrivateLink(new ReplicaLink(stack, 'ReplicaLink'));
    const env = approvalStep(synthStack(app, stack).json)[1].provisioner[0]['local-exec'].environment;
    expect(env.CDKTF_AZURE_WEBPUBSUB_SHARED_PRIVATE_LINKS.split(',')[1]).toBe(replicaLinkId);
  });

  test('a link to another app is refused, naming the prop (ids known at synth, case-insensitively)', () => {
    const { stack } = newStack('wrong-target');
    const service = new WebPubSubService(stack, 'Service', placement);
    const site = (name: string) => `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.Web/sites/${name}`;
    const existing = WebPubSubFunctionApp.fromWebPubSubFunctionAppAttributes(stack, 'Existing', { appId: site('chat-app'), defaultHostname: 'chat-app.azurewebsites.net', principalId: 'p' });
    const approval = new SharedPrivateLinkApproval(stack, 'Approval', { functionApp: existing });
    const other = new WebPubSubSharedPrivateLink(stack, 'OtherLink', { service, targetResourceId: site('other-app') });
    expect(() => approval.addSharedPrivateLink(other)).toThrow(/Approval: `sharedPrivateLinks` targets \/subscriptions\/.*\/sites\/other-app, not the app wrong-target\/Existing this approval is for, got "wrong-target\/OtherLink"/);
    const same = new WebPubSubSharedPrivateLink(stack, 'SameLink', { service, targetResourceId: site('CHAT-APP') });
    expect(() => approval.addSharedPrivateLink(same)).not.toThrow();
  });

  test('an approval with no link fails at synth', () => {
    const { app, stack } = newStack('empty');
    const service = new WebPubSubService(stack, 'Service', placement);
    const fn = new WebPubSubFunctionApp(stack, 'Fn', { ...placement, webPubSubConnections: [{ service }] });
    new SharedPrivateLinkApproval(stack, 'Approval', { functionApp: fn });
    expect(() => app.synth()).toThrow(/`sharedPrivateLinks` is empty/);
  });
});

describe('synth-time rules', () => {
  test('a Free_F1 service has no shared private links: the error names `service` and the allowed SKUs', () => {
    const { stack } = newStack('free');
    const service = new WebPubSubService(stack, 'Service', { ...placement, sku: 'Free_F1' });
    const fn = new WebPubSubFunctionApp(stack, 'Fn', { ...placement, webPubSubConnections: [{ service }] });
    expect(() => new WebPubSubSharedPrivateLink(stack, 'Link', { service, targetResourceId: fn.appId })).toThrow(
      /Link: `service` has sku Free_F1, which has no shared private links: set the service's `sku` to Standard_S1, Premium_P1 or Premium_P2, got "free\/Service"/,
    );
  });

  test('Standard_S1 and Premium_P1 are accepted; an imported service (SKU unknown at synth) is not checked', () => {
    for (const sku of ['Standard_S1', 'Premium_P1'] as const) {
      const { stack } = newStack(`sku-${sku}`);
      const service = new WebPubSubService(stack, 'Service', { ...placement, sku });
      expect(() => new WebPubSubSharedPrivateLink(stack, 'Link', { service, targetResourceId: `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.Web/sites/fn` })).not.toThrow();
    }
    const { stack } = newStack('imported');
    const service = WebPubSubService.fromWebPubSubServiceAttributes(stack, 'Service', { serviceId: TEST_IDS.webPubSub, hostname: 'wps-shared.webpubsub.azure.com' });
    expect(() => new WebPubSubSharedPrivateLink(stack, 'Link', { service, targetResourceId: `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.Web/sites/fn` })).not.toThrow();
  });

  test('the target must be a Microsoft.Web/sites id, and the name and request message non-empty', () => {
    const { stack } = newStack('target');
    const service = new WebPubSubService(stack, 'Service', placement);
    expect(() => new WebPubSubSharedPrivateLink(stack, 'A', { service, targetResourceId: TEST_IDS.storage })).toThrow(/`targetResourceId` must be an ARM resource ID of an App Service or Function App site \(this is the ID of a Microsoft.Storage\/storageAccounts resource\)/);
    const site = `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.Web/sites/fn`;
    expect(() => new WebPubSubSharedPrivateLink(stack, 'B', { service, targetResourceId: site, requestMessage: ' ' })).toThrow(/`requestMessage` must be a non-empty message/);
    expect(() => new WebPubSubSharedPrivateLink(stack, 'C', { service, targetResourceId: site, name: '' })).toThrow(/`name` must be a non-empty name/);
  });

  test('a hub calling an app closed to the public network without a link fails at synth, saying what to add', () => {
    const { app, stack } = newStack('closed-no-link');
    const service = new WebPubSubService(stack, 'Service', placement);
    const fn = new WebPubSubFunctionApp(stack, 'Fn', { ...placement, code: handlersCode(stack), webPubSubConnections: [{ service }], publicNetworkAccessEnabled: false });
    new WebPubSubHub(stack, 'Chat', { service, name: 'chat', eventHandlers: [EventHandler.functionApp(fn)] });
    expect(() => app.synth()).toThrow(/Chat: `eventHandlers` call closed-no-link\/Fn, which is closed to the public network .* has no approved shared private link to it/);
  });

  test('with the link and its approval, the closed app synthesizes with publicNetworkAccess Disabled', () => {
    const { app, stack } = newStack('closed-link');
    topology(stack, { closed: true });
    const { json } = synthStack(app, stack);
    expect(flexSiteOf(json)[1].body.properties.publicNetworkAccess).toBe('Disabled');
  });

  test('a closed app whose code has HTTP functions browsers call is refused unless `browserEntryHostname` names the gateway', () => {
    const { stack } = newStack('browsers');
    const service = new WebPubSubService(stack, 'Service', placement);
    const props = { ...placement, webPubSubConnections: [{ service }], publicNetworkAccessEnabled: false };
    expect(() => new WebPubSubFunctionApp(stack, 'Fn', { ...props, code: browserCode(stack) })).toThrow(
      /Fn: `publicNetworkAccessEnabled` closes the app to the public network, but its code has HTTP functions that are not Web PubSub handlers \("negotiate": what browsers call, such as negotiate or pages\), which browsers could then not reach\. .*set `browserEntryHostname` .*or move those functions to a separate app/,
    );
    const fn = new WebPubSubFunctionApp(stack, 'Gw', { ...props, code: browserCode(stack, 'Code2'), browserEntryHostname: 'chat.contoso.com' });
    expect(fn.browserEntryHostname).toBe('chat.contoso.com');
    expect(() => new WebPubSubFunctionApp(stack, 'Bad', { ...props, code: browserCode(stack, 'Code3'), browserEntryHostname: 'https://chat.contoso.com' })).toThrow(/`browserEntryHostname` must be a host name/);
  });

  test('a closed app with only Web PubSub handlers, or an open app with negotiate, needs no gateway', () => {
    const { stack } = newStack('no-gateway');
    const service = new WebPubSubService(stack, 'Service', placement);
    expect(() => new WebPubSubFunctionApp(stack, 'Handlers', { ...placement, code: handlersCode(stack), webPubSubConnections: [{ service }], publicNetworkAccessEnabled: false })).not.toThrow();
    expect(() => new WebPubSubFunctionApp(stack, 'Open', { ...placement, code: browserCode(stack, 'Code2'), webPubSubConnections: [{ service }] })).not.toThrow();
  });
});

describe('ServerlessWebPubSub privateWebhook', () => {
  function pattern(stack: TerraformStack, props: Partial<ConstructorParameters<typeof ServerlessWebPubSub>[2]> = {}) {
    return new ServerlessWebPubSub(stack, 'Chat', {
      resourceGroupProps: { location: 'westeurope' },
      hubs: [{ name: 'chat' }],
      ...props,
      functionAppProps: { code: handlersCode(stack, 'ChatCode'), ...props.functionAppProps },
    });
  }

  test('creates the link and its approval, and the hub waits for it', () => {
    const { app, stack } = newStack('pattern');
    const topology = pattern(stack, { privateWebhook: true, functionAppProps: { publicNetworkAccessEnabled: false } });
    const { json } = synthStack(app, stack);
    const [, spl] = onlyResource(json, 'azurerm_web_pubsub_shared_private_link_resource');
    const [stepKey] = approvalStep(json);
    expect(spl.subresource_name).toBe('sites');
    expect(topology.webhookPrivateLinkApproval?.sharedPrivateLinks).toEqual([topology.webhookPrivateLink]);
    expect(onlyResource(json, 'azurerm_web_pubsub_hub')[1].depends_on).toContain(`terraform_data.${stepKey}`);
  });

  test('off by default: no link, no approval step', () => {
    const { app, stack } = newStack('pattern-default');
    pattern(stack);
    const { json } = synthStack(app, stack);
    expect(resourcesOf(json, 'azurerm_web_pubsub_shared_private_link_resource')).toEqual({});
    expect(() => approvalStep(json)).toThrow(/found 0/);
  });

  test('with a Free_F1 service the error names `webPubSubProps.sku`; a non-boolean is refused', () => {
    expect(() => pattern(newStack('pattern-free').stack, { privateWebhook: true, webPubSubProps: { sku: 'Free_F1' } })).toThrow(
      /Chat: `webPubSubProps.sku` has no shared private links, which `privateWebhook` needs: use Standard_S1, Premium_P1 or Premium_P2, got "Free_F1"/,
    );
    expect(() => pattern(newStack('pattern-bool').stack, { privateWebhook: 'yes' as unknown as boolean })).toThrow(/Chat: `privateWebhook` must be true or false, got "yes"/);
  });
});
