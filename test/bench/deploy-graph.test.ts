/**
 * The deploy-graph module of `npm run bench` (P7): edges from depends_on and `${...}` references, the longest chain by
 * estimated seconds, slow steps, and whether the app waits for the Web PubSub service. Hand-written cdk.tf.json
 * documents; test/example/chat-stack.test.ts runs it on the synthesized example.
 */
import { ancestors, criticalPath, deployGraph, expressionReferences, shortName, summarizeDeployGraph } from '../../bench/deploy-graph';

/** A document shaped like cdk.tf.json: resources by type and name, metadata under `//`. */
function doc(resources: Record<string, Record<string, Record<string, unknown>>>, data: Record<string, Record<string, Record<string, unknown>>> = {}) {
  const withMeta = (blocks: typeof resources) =>
    Object.fromEntries(Object.entries(blocks).map(([t, byName]) => [t, Object.fromEntries(Object.entries(byName).map(([n, b]) => [n, { '//': { metadata: { path: `x/${t}.${n}` } }, ...b }]))]));
  return { resource: withMeta(resources), data: withMeta(data) };
}
const exec = (subcommand: string) => ({ provisioner: [{ 'local-exec': { command: `npx --no cdktf-azure-webpubsub ${subcommand}` } }] });

/** The example's shape, old and new wiring: the site's setting and depends_on are what differ. */
function topology(wiring: 'before' | 'after') {
  return doc(
    {
      random_string: { suffix: {} },
      azurerm_resource_group: { rg: { name: 'rg-${random_string.suffix.result}' } },
      azurerm_web_pubsub: { wps: { name: 'wps-${random_string.suffix.result}', resource_group_name: '${azurerm_resource_group.rg.name}' } },
      azurerm_user_assigned_identity: { id: { resource_group_name: '${azurerm_resource_group.rg.name}' } },
      azurerm_storage_account: { st: { resource_group_name: '${azurerm_resource_group.rg.name}' } },
      azurerm_role_assignment: {
        blob: { scope: '${azurerm_storage_account.st.id}', principal_id: '${azurerm_user_assigned_identity.id.principal_id}' },
        owner: { scope: '${azurerm_web_pubsub.wps.id}', principal_id: '${azurerm_user_assigned_identity.id.principal_id}' },
      },
      azurerm_service_plan: { plan: { resource_group_name: '${azurerm_resource_group.rg.name}' } },
      azapi_resource: {
        site: {
          type: 'Microsoft.Web/sites@2024-04-01',
          body: {
            properties: {
              serverFarmId: '${azurerm_service_plan.plan.id}',
              siteConfig: {
                appSettings: [
                  {
                    name: 'WebPubSubConnectionString__serviceUri',
                    value: wiring === 'before' ? 'https://${azurerm_web_pubsub.wps.hostname}' : 'https://wps-${lower(random_string.suffix.result)}.webpubsub.azure.com',
                  },
                ],
              },
            },
          },
          depends_on: wiring === 'before' ? ['azurerm_role_assignment.blob', 'azurerm_role_assignment.owner'] : ['azurerm_role_assignment.blob'],
        },
      },
      terraform_data: {
        publish: { ...exec('publish'), depends_on: ['azapi_resource.site', 'azurerm_role_assignment.blob'] },
        activate: {
          ...exec('activate-webhook'),
          triggers_replace: { id: '${azapi_resource.site.id}' },
          depends_on: wiring === 'before' ? ['azapi_resource_action.key'] : ['azapi_resource_action.key', 'azurerm_role_assignment.owner'],
        },
      },
      azapi_resource_action: { key: { resource_id: '${azapi_resource.site.id}', depends_on: ['terraform_data.publish'] } },
      azurerm_web_pubsub_hub: { hub: { web_pubsub_id: '${azurerm_web_pubsub.wps.id}', depends_on: ['terraform_data.activate'] } },
    },
    { azurerm_client_config: { current: {} } },
  );
}

describe('expressionReferences', () => {
  test('addresses inside ${...} only, nested templates and calls included; data sources keep their prefix', () => {
    const text = JSON.stringify({
      a: 'https://${lower("wps-${random_string.s.result}")}.webpubsub.azure.com',
      b: '/subscriptions/${data.azurerm_client_config.c.subscription_id}/x',
      c: '${join(",", [azurerm_web_pubsub.Chat_WebPubSub_6212B3E4.hostname])}',
      d: 'azurerm_storage_account.not_an_expression',
    });
    expect(expressionReferences(text)).toEqual(['azurerm_web_pubsub.Chat_WebPubSub_6212B3E4', 'data.azurerm_client_config.c', 'random_string.s']);
  });
});

describe('deployGraph and criticalPath', () => {
  test('edges from depends_on and references; metadata is not an edge; slow steps from the table', () => {
    const graph = deployGraph(topology('after'));
    const site = graph.steps.get('azapi_resource.site')!;
    expect(site.dependsOn).toEqual(['azurerm_role_assignment.blob', 'azurerm_service_plan.plan', 'random_string.suffix']);
    expect(site.slow).toBe(true);
    expect(graph.steps.get('azurerm_web_pubsub.wps')).toMatchObject({ seconds: 180, slow: true });
    expect(graph.steps.get('azurerm_role_assignment.owner')).toMatchObject({ slow: false });
    expect(graph.steps.get('terraform_data.activate')).toMatchObject({ slow: true, dependsOn: ['azapi_resource.site', 'azapi_resource_action.key', 'azurerm_role_assignment.owner'] });
    expect(graph.steps.get('data.azurerm_client_config.current')).toMatchObject({ seconds: 0 });
    expect(shortName(graph, 'terraform_data.publish')).toBe('publish');
  });

  test('before: the service is on the app\'s chain, and the longest chain runs through it', () => {
    const s = summarizeDeployGraph(topology('before'));
    expect(s.serviceOnAppChain).toBe(true);
    expect(s.critical.chain).toEqual([
      'azurerm_resource_group.rg',
      'azurerm_web_pubsub.wps',
      'azurerm_role_assignment.owner',
      'azapi_resource.site',
      'terraform_data.publish',
      'azapi_resource_action.key',
      'terraform_data.activate',
      'azurerm_web_pubsub_hub.hub',
    ]);
    expect(s.critical).toMatchObject({ slowSteps: 4, seconds: 5 + 180 + 25 + 90 + 90 + 20 + 90 + 20 });
  });

  test('after: the app does not wait for the service; the service and the app run side by side until the activation', () => {
    const s = summarizeDeployGraph(topology('after'));
    expect(s.serviceOnAppChain).toBe(false);
    const graph = deployGraph(topology('after'));
    expect(ancestors(graph, 'azapi_resource.site').has('azurerm_web_pubsub.wps')).toBe(false);
    expect(ancestors(graph, 'terraform_data.activate').has('azurerm_web_pubsub.wps')).toBe(true);
    // The service's branch (5 + 180 + 25) is lighter than the app's (5 + 30 + 25 + 90 + 90 + 20): the chain is the app's.
    expect(s.critical.chain).toEqual([
      'azurerm_resource_group.rg',
      'azurerm_storage_account.st',
      'azurerm_role_assignment.blob',
      'azapi_resource.site',
      'terraform_data.publish',
      'azapi_resource_action.key',
      'terraform_data.activate',
      'azurerm_web_pubsub_hub.hub',
    ]);
    expect(s.critical).toMatchObject({ slowSteps: 3, seconds: 5 + 30 + 25 + 90 + 90 + 20 + 90 + 20 });
    expect(s.appChain.chain.at(-1)).toBe('terraform_data.publish');
  });

  test('a cycle is reported, not looped on', () => {
    const cyclic = doc({ terraform_data: { a: { depends_on: ['terraform_data.b'] }, b: { depends_on: ['terraform_data.a'] } } });
    expect(() => criticalPath(deployGraph(cyclic))).toThrow(/cycle through terraform_data\./);
  });
});
