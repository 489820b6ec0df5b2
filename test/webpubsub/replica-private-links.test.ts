/**
 * Geo-replicas of a service with a shared private link to its app, on real `app.synth()` output: the approval step
 * lists every replica's copy of the link (replicas given, added later, or present before the link) and runs after the
 * replicas exist; each replica is created with its region endpoint Disabled and enabled by an azapi update after the
 * approval (Learn "Geo-replication in Azure Web PubSub": "Do not enable the replica until its shared private endpoint
 * has been approved"), unless asked to stay disabled; replicas without a link are unchanged.
 */
import { TerraformStack } from 'cdktf';
import { SharedPrivateLinkApproval } from '../../lib/functions/shared-private-link-approval';
import { WebPubSubFunctionApp } from '../../lib/functions/web-pubsub-function-app';
import { ServerlessWebPubSub } from '../../lib/patterns/serverless-web-pubsub';
import { EventHandler } from '../../lib/webpubsub/event-handler';
import { WebPubSubHub } from '../../lib/webpubsub/web-pubsub-hub';
import { WebPubSubReplicaOptions } from '../../lib/webpubsub/web-pubsub-replica';
import { WebPubSubService } from '../../lib/webpubsub/web-pubsub-service';
import { WebPubSubSharedPrivateLink } from '../../lib/webpubsub/web-pubsub-shared-private-link';
import { cleanupTempDirs } from '../code/helpers';
import { armBodyProblems } from '../core/arm-type-check';
import { codeOf, httpHandlersSource, httpProject } from '../core/handler-fixtures';
import { newStack, onlyResource, resourcesOf, stackWithProviders, synthStack } from '../core/synth-helpers';

afterAll(cleanupTempDirs);

const placement = { resourceGroup: { name: 'rg', location: 'westeurope' } };
const REPLICA_TYPE = 'Microsoft.SignalRService/webPubSub/replicas@2024-03-01';
let project: string | undefined;
const code = (stack: TerraformStack) => codeOf(stack, (project ??= httpProject(httpHandlersSource('chat', ['connect'], ['message']))), 'Code');

function approvalStep(json: any): [string, any] {
  const steps = Object.entries(resourcesOf(json, 'terraform_data')).filter(([, d]: any) => d.provisioner?.[0]['local-exec'].command.endsWith(' approve-private-links'));
  if (steps.length !== 1) throw new Error(`expected one approve-private-links step, found ${steps.length}`);
  return steps[0] as [string, any];
}
const replicaKey = (json: any, location: string): string =>
  Object.entries(resourcesOf(json, 'azapi_resource')).find(([, r]: any) => r.type === REPLICA_TYPE && r.location === location)![0];
const replicaIn = (json: any, location: string): any => resourcesOf(json, 'azapi_resource')[replicaKey(json, location)];
/** The `azapi_update_resource`s that act on a replica, by the replica's location. */
const enablersOf = (json: any, location: string): any[] =>
  Object.values(resourcesOf(json, 'azapi_update_resource')).filter((u: any) => u.resource_id === `\${azapi_resource.${replicaKey(json, location)}.id}`);
const linkList = (json: any): string[] => approvalStep(json)[1].provisioner[0]['local-exec'].environment.CDKTF_AZURE_WEBPUBSUB_SHARED_PRIVATE_LINKS.split(',');

/** A Premium service with replicas, an app, a hub, and (unless `link: false`) a link of the service to the app and its approval. */
function topology(stack: TerraformStack, replicas: WebPubSubReplicaOptions[], options: { link?: boolean } = {}) {
  const service = new WebPubSubService(stack, 'Service', { ...placement, name: 'wps-geo', sku: 'Premium_P1', replicas });
  const app = new WebPubSubFunctionApp(stack, 'Fn', { ...placement, code: code(stack), webPubSubConnections: [{ service }] });
  new WebPubSubHub(stack, 'Chat', { service, name: 'chat', eventHandlers: [EventHandler.functionApp(app)] });
  if (options.link === false) return { service, app };
  const link = new WebPubSubSharedPrivateLink(stack, 'Link', { service, targetResourceId: app.appId, name: 'spl-app' });
  const approval = new SharedPrivateLinkApproval(stack, 'Approval', { functionApp: app, sharedPrivateLinks: [link] });
  return { service, app, link, approval };
}

describe('replicas of a service with a shared private link', () => {
  const { app, stack } = newStack('geo-private');
  const { service, approval } = topology(stack, [{ location: 'eastus' }, { location: 'japaneast', regionEndpointEnabled: false }]);
  const { json } = synthStack(app, stack);
  const [stepKey, step] = approvalStep(json);
  const [linkKey] = onlyResource(json, 'azurerm_web_pubsub_shared_private_link_resource');
  const [serviceKey] = onlyResource(json, 'azurerm_web_pubsub');
  const copy = (location: string) => `\${azurerm_web_pubsub.${serviceKey}.id}/replicas/\${azapi_resource.${replicaKey(json, location)}.name}/sharedPrivateLinkResources/spl-app`;

  test('the approval step lists the link and each replica\'s copy (by the replica\'s name attribute: it runs after the replicas)', () => {
    const expected = [`\${azurerm_web_pubsub_shared_private_link_resource.${linkKey}.id}`, copy('eastus'), copy('japaneast')];
    expect(linkList(json)).toEqual(expected);
    // The trigger holds the same list: a replica added on a later apply changes it, so the step runs again for its copy.
    expect(step.triggers_replace.shared_private_links).toBe(expected.join(','));
    expect(approval!.sharedPrivateLinks).toHaveLength(3);
  });

  test('a replica wanted enabled is created Disabled, ignores later changes of the property, and is enabled by an update after the approval', () => {
    const east = replicaIn(json, 'eastus');
    expect(east.body.properties).toEqual({ regionEndpointEnabled: 'Disabled', resourceStopped: 'false' });
    expect(east.lifecycle).toEqual({ ignore_changes: ['body.properties.regionEndpointEnabled'] });
    const [enabler] = enablersOf(json, 'eastus');
    expect(enablersOf(json, 'eastus')).toHaveLength(1);
    expect(enabler).toMatchObject({
      type: REPLICA_TYPE,
      body: { properties: { regionEndpointEnabled: 'Enabled' } },
      depends_on: [`terraform_data.${stepKey}`],
    });
    expect(armBodyProblems(enabler.type, enabler.body)).toEqual([]);
    expect(armBodyProblems(east.type, east.body, east.name)).toEqual([]);
    expect(service.replicas[0].regionEndpointEnabler).toBeDefined();
  });

  test('a replica asked to stay disabled stays so: no update, no ignored property (its copy is still approved)', () => {
    const japan = replicaIn(json, 'japaneast');
    expect(japan.body.properties.regionEndpointEnabled).toBe('Disabled');
    expect(japan.lifecycle).toBeUndefined();
    expect(enablersOf(json, 'japaneast')).toEqual([]);
    expect(service.replicas[1].regionEndpointEnabler).toBeUndefined();
  });

  test('hubs wait for the approval step, which holds the replicas\' copies too', () => {
    expect(onlyResource(json, 'azurerm_web_pubsub_hub')[1].depends_on).toContain(`terraform_data.${stepKey}`);
  });
});

describe('whichever order, and without a link', () => {
  test('replicas without a shared private link are unchanged: Enabled, no update, no step', () => {
    const { app, stack } = newStack('geo-public');
    topology(stack, [{ location: 'eastus' }], { link: false });
    const { json } = synthStack(app, stack);
    expect(replicaIn(json, 'eastus').body.properties.regionEndpointEnabled).toBe('Enabled');
    expect(replicaIn(json, 'eastus').lifecycle).toBeUndefined();
    expect(enablersOf(json, 'eastus')).toEqual([]);
    expect(Object.values(resourcesOf(json, 'azapi_update_resource')).filter((u: any) => u.type === REPLICA_TYPE)).toEqual([]);
    expect(() => approvalStep(json)).toThrow(/found 0/);
  });

  test('a replica added with addReplica after the approval has its copy approved and is enabled after it', () => {
    const { app, stack } = newStack('geo-later');
    const { service } = topology(stack, []);
    service.addReplica('Late', { location: 'eastus2', autoscale: { maxUnits: 5 } });
    const { json } = synthStack(app, stack);
    const [stepKey] = approvalStep(json);
    expect(linkList(json)).toHaveLength(2);
    expect(linkList(json)[1]).toContain(`/replicas/\${azapi_resource.${replicaKey(json, 'eastus2')}.name}/sharedPrivateLinkResources/spl-app`);
    const replica = replicaIn(json, 'eastus2');
    expect(replica.body.properties.regionEndpointEnabled).toBe('Disabled');
    // Autoscale's ignored units stay ignored beside the region endpoint.
    expect(replica.lifecycle.ignore_changes).toEqual(['body.sku.capacity', 'body.properties.regionEndpointEnabled']);
    expect(enablersOf(json, 'eastus2')[0].depends_on).toEqual([`terraform_data.${stepKey}`]);
  });

  test('an approval in another stack than the replicas is refused (the replicas\' stack would enable them first)', () => {
    const { app, stack } = newStack('geo-platform');
    const service = new WebPubSubService(stack, 'Service', { ...placement, sku: 'Premium_P1', replicas: [{ location: 'eastus' }] });
    const product = stackWithProviders(app, 'geo-product');
    const fn = new WebPubSubFunctionApp(product, 'Fn', { ...placement, code: code(product), webPubSubConnections: [{ service }] });
    const link = new WebPubSubSharedPrivateLink(product, 'Link', { service, targetResourceId: fn.appId });
    expect(() => new SharedPrivateLinkApproval(product, 'Approval', { functionApp: fn, sharedPrivateLinks: [link] })).toThrow(
      /geo-product\/Approval: approves a shared private link of a service whose replica geo-platform\/Service\/Replica-eastus is in another stack.*Create the approval in the replicas' stack/,
    );
  });
});

describe('ServerlessWebPubSub privateWebhook with webPubSubProps.replicas', () => {
  test('the pattern\'s approval covers the replicas and enables them after it; the hub waits for it', () => {
    const { app, stack } = newStack('geo-pattern');
    const topology = new ServerlessWebPubSub(stack, 'Chat', {
      resourceGroupProps: { location: 'westeurope' },
      webPubSubProps: { sku: 'Premium_P1', replicas: [{ location: 'eastus' }] },
      hubs: [{ name: 'chat' }],
      privateWebhook: true,
      functionAppProps: { code: code(stack), publicNetworkAccessEnabled: false },
    });
    const { json } = synthStack(app, stack);
    const [stepKey] = approvalStep(json);
    expect(linkList(json)).toHaveLength(2);
    expect(topology.webhookPrivateLinkApproval!.sharedPrivateLinks).toHaveLength(2);
    expect(replicaIn(json, 'eastus').body.properties.regionEndpointEnabled).toBe('Disabled');
    expect(enablersOf(json, 'eastus')[0].depends_on).toEqual([`terraform_data.${stepKey}`]);
    expect(onlyResource(json, 'azurerm_web_pubsub_hub')[1].depends_on).toContain(`terraform_data.${stepKey}`);
  });
});

describe('a link no approval in the app approves', () => {
  test('warns at synth, naming the replicas created enabled, and changes nothing', () => {
    const { app, stack } = newStack('geo-unapproved');
    const { service, app: fn } = topology(stack, [{ location: 'eastus' }, { location: 'japaneast', regionEndpointEnabled: false }], { link: false });
    const link = new WebPubSubSharedPrivateLink(stack, 'Link', { service, targetResourceId: fn.appId });
    const { json } = synthStack(app, stack);
    const warnings = link.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no SharedPrivateLinkApproval in this app approves this link, and the service has geo-replicas \(Replica-eastus\) whose copies/);
    expect(replicaIn(json, 'eastus').body.properties.regionEndpointEnabled).toBe('Enabled');
  });

  test('no warning once an approval approves it', () => {
    const { app, stack } = newStack('geo-approved');
    const { link } = topology(stack, [{ location: 'eastus' }]);
    synthStack(app, stack);
    expect(link!.node.metadata.filter((m) => String(m.data).includes('no SharedPrivateLinkApproval'))).toEqual([]);
  });
});
