import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformOutput, TerraformVariable } from 'cdktf';
import { armBodyProblems } from '../core/arm-type-check';
import { newStack, onlyResource, resourcesOf, synthStack } from '../core/synth-helpers';
import { WebPubSubService } from '../../lib/webpubsub/web-pubsub-service';
import { WebPubSubReplica } from '../../lib/webpubsub/web-pubsub-replica';
import { EventHandler } from '../../lib/webpubsub/event-handler';

const placement = { resourceGroup: { name: 'rg', location: 'westeurope' } };
const REPLICA_TYPE = 'Microsoft.SignalRService/webPubSub/replicas@2024-03-01';

/** The ARM body azurerm sends for an autoscale setting block (azurerm `expandAzureRmMonitorAutoScaleSettingProfile`). */
function autoscaleArmBody(setting: any): unknown {
  return {
    properties: {
      enabled: setting.enabled,
      targetResourceUri: setting.target_resource_id,
      profiles: setting.profile.map((p: any) => ({
        name: p.name,
        capacity: { minimum: String(p.capacity.minimum), maximum: String(p.capacity.maximum), default: String(p.capacity.default) },
        rules: p.rule.map((r: any) => ({
          metricTrigger: {
            metricName: r.metric_trigger.metric_name,
            metricNamespace: r.metric_trigger.metric_namespace,
            metricResourceUri: r.metric_trigger.metric_resource_id,
            timeGrain: r.metric_trigger.time_grain,
            statistic: r.metric_trigger.statistic,
            timeWindow: r.metric_trigger.time_window,
            timeAggregation: r.metric_trigger.time_aggregation,
            operator: r.metric_trigger.operator,
            threshold: r.metric_trigger.threshold,
          },
          scaleAction: { direction: r.scale_action.direction, type: r.scale_action.type, value: String(r.scale_action.value), cooldown: r.scale_action.cooldown },
        })),
      })),
    },
  };
}

const replicasOf = (json: any) => Object.values(resourcesOf(json, 'azapi_resource')).filter((r: any) => r.type === REPLICA_TYPE) as any[];
const replicaIn = (json: any, location: string) => replicasOf(json).find((r) => r.location === location);
const serviceRef = (json: any) => `\${azurerm_web_pubsub.${onlyResource(json, 'azurerm_web_pubsub')[0]}.id}`;
const replicaRef = (json: any, location: string) => {
  const [id] = Object.entries(resourcesOf(json, 'azapi_resource')).find(([, r]: any) => r.type === REPLICA_TYPE && r.location === location)!;
  return `\${azapi_resource.${id}.id}`;
};

describe('WebPubSubReplica', () => {
  test('replicas prop: one azapi replica per region, under the service, with its SKU, units, endpoint and the service\'s tags', () => {
    const { app, stack } = newStack('replicas');
    const service = new WebPubSubService(stack, 'Service', {
      ...placement,
      name: 'wps-chat',
      sku: 'Premium_P1',
      capacity: 2,
      tags: { team: 'chat' },
      replicas: [{ location: 'westus' }, { location: 'East US 2', name: 'chat-east', units: 5, regionEndpointEnabled: false, tags: { team: 'east' } }],
    });
    // The replica's id, as a later shared private link approval or setting takes it.
    new TerraformOutput(stack, 'west-id', { value: service.replicas[0].replicaId });
    const { json } = synthStack(app, stack);
    const replicas = replicasOf(json);
    expect(replicas).toHaveLength(2);
    const west = replicaIn(json, 'westus');
    const east = replicaIn(json, 'East US 2');
    expect(west).toMatchObject({
      name: 'wps-chat-westus',
      location: 'westus',
      parent_id: serviceRef(json),
      tags: { team: 'chat' },
      body: { sku: { name: 'Premium_P1', tier: 'Premium', capacity: 2 }, properties: { regionEndpointEnabled: 'Enabled', resourceStopped: 'false' } },
    });
    expect(east).toMatchObject({
      name: 'chat-east',
      location: 'East US 2',
      tags: { team: 'east' },
      body: { sku: { capacity: 5 }, properties: { regionEndpointEnabled: 'Disabled' } },
    });
    // No autoscale: Terraform keeps the units; no identity block (replicas inherit the primary's identity).
    expect(west.lifecycle).toBeUndefined();
    expect(west.identity).toBeUndefined();
    for (const r of replicas) expect(armBodyProblems(r.type, r.body, r.name)).toEqual([]);
    // What a shared private link approval or another setting of the replica needs.
    expect(service.replicas.map((r) => [r.replicaName, r.location])).toEqual([
      ['wps-chat-westus', 'westus'],
      ['chat-east', 'East US 2'],
    ]);
    expect(json.output['west-id'].value).toBe(replicaRef(json, 'westus'));
  });

  test('addReplica: a Premium_P2 service\'s replica takes its 100 units; a replica of another Premium SKU starts at that SKU\'s smallest', () => {
    const { app, stack } = newStack('add');
    const service = new WebPubSubService(stack, 'Service', { ...placement, name: 'wps-big', sku: 'Premium_P2' });
    service.addReplica('West', { location: 'westus' });
    service.addReplica('East', { location: 'eastus', sku: 'Premium_P1' });
    const { json } = synthStack(app, stack);
    const west = replicaIn(json, 'westus');
    const east = replicaIn(json, 'eastus');
    expect(west.body.sku).toEqual({ name: 'Premium_P2', tier: 'Premium', capacity: 100 });
    expect(east.body.sku).toEqual({ name: 'Premium_P1', tier: 'Premium', capacity: 1 });
  });

  test('a service with a default (token) name gives its replicas default names of their own', () => {
    const { app, stack } = newStack('defaults');
    new WebPubSubService(stack, 'Service', { ...placement, sku: 'Premium_P1', replicas: [{ location: 'westus' }] });
    const [replica] = replicasOf(synthStack(app, stack).json);
    expect(replica.name).toMatch(/^westus-defaults-Service-Replica-westus-[0-9a-f]{6}-\$\{random_string\./);
  });

  test('autoscale on the service and a replica: Azure Monitor settings on each, Terraform leaves the units to them', () => {
    const { app, stack } = newStack('autoscale');
    new WebPubSubService(stack, 'Service', {
      ...placement,
      name: 'wps-chat',
      sku: 'Premium_P1',
      capacity: 2,
      autoscale: { maxUnits: 20 },
      replicas: [{ location: 'westus', autoscale: { minUnits: 1, maxUnits: 10, defaultUnits: 2, serverLoadScaleOutPercent: 90, cooldown: 'PT15M' } }],
    });
    const { json } = synthStack(app, stack);
    const [, service] = onlyResource(json, 'azurerm_web_pubsub');
    expect(service.lifecycle).toEqual({ ignore_changes: ['capacity'] });
    const replica = replicaIn(json, 'westus');
    expect(replica.lifecycle).toEqual({ ignore_changes: ['body.sku.capacity'] });
    const settings = Object.values(resourcesOf(json, 'azurerm_monitor_autoscale_setting')) as any[];
    expect(settings).toHaveLength(2);
    const primary = settings.find((s) => s.location === 'westeurope');
    const secondary = settings.find((s) => s.location === 'westus');
    expect(primary).toMatchObject({
      name: 'wps-chat-autoscale',
      resource_group_name: 'rg',
      location: 'westeurope',
      target_resource_id: serviceRef(json),
      enabled: true,
      profile: [{ name: 'default', capacity: { minimum: 2, maximum: 20, default: 2 } }],
    });
    expect(primary.profile[0].rule.map((r: any) => [r.metric_trigger.metric_name, r.metric_trigger.operator, r.metric_trigger.threshold, r.scale_action.direction])).toEqual([
      ['ConnectionQuotaUtilization', 'GreaterThan', 70, 'Increase'],
      ['ServerLoad', 'GreaterThan', 80, 'Increase'],
      ['ConnectionQuotaUtilization', 'LessThan', 20, 'Decrease'],
      ['ServerLoad', 'LessThan', 20, 'Decrease'],
    ]);
    expect(primary.profile[0].rule[0]).toEqual({
      metric_trigger: {
        metric_name: 'ConnectionQuotaUtilization',
        metric_namespace: 'Microsoft.SignalRService/WebPubSub',
        metric_resource_id: serviceRef(json),
        time_grain: 'PT1M',
        statistic: 'Average',
        time_window: 'PT10M',
        time_aggregation: 'Average',
        operator: 'GreaterThan',
        threshold: 70,
      },
      scale_action: { direction: 'Increase', type: 'ServiceAllowedNextValue', value: 1, cooldown: 'PT30M' },
    });
    expect(secondary).toMatchObject({
      name: 'wps-chat-westus-autoscale',
      location: 'westus',
      resource_group_name: 'rg',
      target_resource_id: replicaRef(json, 'westus'),
      profile: [{ capacity: { minimum: 1, maximum: 10, default: 2 } }],
    });
    expect(secondary.profile[0].rule.every((r: any) => r.metric_trigger.metric_namespace === 'Microsoft.SignalRService/WebPubSub/replicas')).toBe(true);
    expect(secondary.profile[0].rule.every((r: any) => r.metric_trigger.metric_resource_id === secondary.target_resource_id && r.scale_action.cooldown === 'PT15M')).toBe(true);
    expect(secondary.profile[0].rule[1].metric_trigger.threshold).toBe(90);
    for (const s of settings) expect(armBodyProblems('Microsoft.Insights/autoscalesettings@2022-10-01', autoscaleArmBody(s))).toEqual([]);
  });

  test('one write at a time on the service: a replica after its network ACL, hubs (declared before or after) after every replica', () => {
    const { app, stack } = newStack('order');
    const service = new WebPubSubService(stack, 'Service', { ...placement, name: 'wps-chat', sku: 'Premium_P1', networkAcl: { publicAllowedRequestTypes: ['ClientConnection', 'RESTAPI'] }, replicas: [{ location: 'westus' }] });
    const early = service.addHub('Early', { name: 'early', eventHandlers: [EventHandler.url('https://example.com/api/{event}', { systemEvents: ['connected'] })] });
    service.addReplica('Japan', { location: 'japaneast' });
    service.addHub('Late', { name: 'late', eventHandlers: [EventHandler.url('https://example.com/api/{event}', { systemEvents: ['connected'] })] });
    const json = synthStack(app, stack).json;
    const [aclKey] = onlyResource(json, 'azurerm_web_pubsub_network_acl');
    for (const location of ['westus', 'japaneast']) expect(replicaIn(json, location).depends_on).toEqual([`azurerm_web_pubsub_network_acl.${aclKey}`]);
    const replicaKeys = ['westus', 'japaneast'].map((l) => replicaRef(json, l).slice(2, -4));
    const hubs = Object.values(resourcesOf(json, 'azurerm_web_pubsub_hub')) as any[];
    expect(hubs).toHaveLength(2);
    for (const hub of hubs) expect(hub.depends_on).toEqual(replicaKeys);
    expect(early.hubName).toBe('early');
  });

  test('a service without replicas: hubs wait for nothing new', () => {
    const { app, stack } = newStack('plain');
    const service = new WebPubSubService(stack, 'Service', { ...placement, name: 'wps-chat', sku: 'Premium_P1' });
    service.addHub('Hub', { name: 'chat', eventHandlers: [EventHandler.url('https://example.com/api/{event}', { systemEvents: ['connected'] })] });
    expect(onlyResource(synthStack(app, stack).json, 'azurerm_web_pubsub_hub')[1].depends_on).toBeUndefined();
  });

  test('the same input synthesizes byte-identical JSON', () => {
    const synth = () => {
      const { app, stack } = newStack('same');
      new WebPubSubService(stack, 'Service', { ...placement, name: 'wps-chat', sku: 'Premium_P1', autoscale: { maxUnits: 10 }, replicas: [{ location: 'westus', autoscale: { maxUnits: 10 } }] });
      return synthStack(app, stack).text;
    };
    expect(synth()).toBe(synth());
  });

  describe('refused at synth', () => {
    const premium = { ...placement, name: 'wps-chat', sku: 'Premium_P1' as const };

    test('replicas or autoscale on Standard', () => {
      const { stack } = newStack('standard');
      expect(() => new WebPubSubService(stack, 'A', { ...placement, replicas: [{ location: 'westus' }] })).toThrow(
        /^standard\/A: `replicas` needs a Premium sku \(Premium_P1 or Premium_P2\): geo-replication is a Premium tier feature, and the service's sku is Standard_S1, got \["westus"\]$/,
      );
      expect(() => new WebPubSubService(stack, 'B', { ...placement, autoscale: { maxUnits: 10 } })).toThrow(/^standard\/B: `autoscale` needs a Premium sku/);
      const standard = new WebPubSubService(stack, 'C', { ...placement });
      expect(() => standard.addReplica('West', { location: 'westus' })).toThrow(/^standard\/C: `replicas` needs a Premium sku/);
    });

    test('a repeated region, the primary\'s region, a ninth replica (also through addReplica)', () => {
      const { stack } = newStack('placement');
      expect(() => new WebPubSubService(stack, 'A', { ...premium, replicas: [{ location: 'westus' }, { location: 'WestUS' }] })).toThrow(/`replicas\[1\].location` must not repeat the region of replicas\[0\]/);
      expect(() => new WebPubSubService(stack, 'B', { ...premium, replicas: [{ location: 'West Europe' }] })).toThrow(/`replicas\[0\].location` must be another region than the primary's \(westeurope\)/);
      const service = new WebPubSubService(stack, 'C', { ...premium, replicas: ['westus', 'eastus', 'eastus2', 'centralus', 'northeurope', 'uksouth', 'japaneast'].map((location) => ({ location })) });
      service.addReplica('Eighth', { location: 'australiaeast' });
      expect(() => service.addReplica('Ninth', { location: 'brazilsouth' })).toThrow(/^placement\/C: `replicas` may hold at most 8 replicas per primary/);
      const small = new WebPubSubService(stack, 'D', { ...premium, replicas: [{ location: 'westus' }] });
      expect(() => small.addReplica('Again', { location: 'West US' })).toThrow(/^placement\/D: `replicas\[1\].location` must not repeat the region of replicas\[0\]/);
    });

    test('the primary\'s region through a resource group created in the app (its location is a reference)', () => {
      const { stack } = newStack('created-group');
      const resourceGroup = new ResourceGroup(stack, 'Group', { name: 'rg', location: 'westeurope' });
      expect(() => new WebPubSubService(stack, 'A', { resourceGroup, sku: 'Premium_P1', replicas: [{ location: 'West Europe' }] })).toThrow(
        /^created-group\/A: `replicas\[0\].location` must be another region than the primary's \(westeurope\): the primary already serves its own region, got "West Europe"$/,
      );
      const service = new WebPubSubService(stack, 'B', { resourceGroup, sku: 'Premium_P1', replicas: [{ location: 'eastus' }] });
      expect(() => service.addReplica('Home', { location: 'westeurope' })).toThrow(/^created-group\/B: `replicas\[1\].location` must be another region than the primary's \(westeurope\)/);
      // A region only Terraform knows (a variable) is not compared.
      const unknown = { name: 'rg', location: new TerraformVariable(stack, 'region', { type: 'string' }).stringValue };
      expect(() => new WebPubSubService(stack, 'C', { resourceGroup: unknown, sku: 'Premium_P1', replicas: [{ location: 'westeurope' }] })).not.toThrow();
    });

    test('units, sku and name of a replica', () => {
      const { stack } = newStack('replica');
      const service = new WebPubSubService(stack, 'Service', premium);
      expect(() => service.addReplica('A', { location: 'westus', units: 15 })).toThrow(/^replica\/Service\/A: `units` must be one of 1, 2, .* for sku Premium_P1, got 15$/);
      expect(() => service.addReplica('B', { location: 'westus', sku: 'Standard_S1' as never })).toThrow(/`sku` must be one of "Premium_P1", "Premium_P2", got "Standard_S1"/);
      expect(() => service.addReplica('C', { location: 'westus', name: 'west_us' })).toThrow(/`name` must be a Web PubSub replica name/);
      expect(() => service.addReplica('D', { location: 'westus', regionEndpointEnabled: 'false' as never })).toThrow(/`regionEndpointEnabled` must be true or false/);
    });

    test('autoscale bounds and steps', () => {
      const { stack } = newStack('bounds');
      expect(() => new WebPubSubService(stack, 'A', { ...premium, capacity: 20, autoscale: { maxUnits: 10 } })).toThrow(
        /^bounds\/A\/Autoscale: `autoscale.maxUnits` must be at least the 20 units wps-chat is created with \(the default `minUnits`\), or give `minUnits`, got 10$/,
      );
      expect(() => new WebPubSubService(stack, 'A2', { ...premium, capacity: 20, autoscale: { minUnits: 20, maxUnits: 10 } })).toThrow(/`autoscale.minUnits` must not exceed `maxUnits` \(10\), got 20$/);
      new WebPubSubService(stack, 'A3', { ...premium, capacity: 20, autoscale: { minUnits: 1, maxUnits: 10 } });
      expect(() => new WebPubSubService(stack, 'B', { ...premium, autoscale: { maxUnits: 15 } })).toThrow(/`autoscale.maxUnits` must be one of/);
      expect(() => new WebPubSubService(stack, 'C', { ...premium, replicas: [{ location: 'westus', autoscale: { maxUnits: 10, defaultUnits: 20 } }] })).toThrow(/`autoscale.defaultUnits` must not exceed `maxUnits` \(10\), got 20/);
      expect(() => new WebPubSubService(stack, 'D', { ...premium, autoscale: { maxUnits: 10, cooldown: '30m' } })).toThrow(/`autoscale.cooldown` must be an ISO 8601 duration/);
    });
  });

  test('fromReplicaAttributes: a reference for settings of an existing replica', () => {
    const id = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.SignalRService/webPubSub/wps/replicas/wps-westus';
    const { stack } = newStack('ref');
    expect(WebPubSubReplica.fromReplicaAttributes(stack, 'West', { replicaId: id, replicaName: 'wps-westus', location: 'westus' })).toEqual({ replicaId: id, replicaName: 'wps-westus', location: 'westus' });
    const serviceId = id.replace(/\/replicas\/wps-westus$/, '');
    expect(() => WebPubSubReplica.fromReplicaAttributes(stack, 'Service', { replicaId: serviceId, replicaName: 'wps-westus', location: 'westus' })).toThrow(
      /^ref\/Service: `replicaId` must be the ARM id of a Web PubSub replica/,
    );
  });
});
