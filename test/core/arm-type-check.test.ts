import { existsSync, readFileSync } from 'node:fs';
import { ARM_TYPE_DATA_SETS, armBodyProblems, extractFile, sharedTypesFile } from './arm-type-check';
import { extractTypes, resourceTypesOf } from '../fixtures/arm-types/extract';

describe('ARM type data for body checks', () => {
  test.each(ARM_TYPE_DATA_SETS.map((s) => [`${s.namespace} ${s.apiVersion}`, s] as const))('the committed extract of %s equals a fresh one', (_name, set) => {
    const shared = sharedTypesFile(set);
    // Without the workspace's data (CI), the committed extract is all there is; it was written by extract.ts.
    if (!existsSync(shared)) return;
    const fresh = extractTypes(JSON.parse(readFileSync(shared, 'utf8')), resourceTypesOf(set.namespace, set.apiVersion));
    expect(JSON.parse(readFileSync(extractFile(set), 'utf8'))).toEqual(fresh);
  });

  test('replica bodies: string-typed properties, read-only and unknown ones reported', () => {
    const type = 'Microsoft.SignalRService/webPubSub/replicas@2024-03-01';
    expect(armBodyProblems(type, { sku: { name: 'Premium_P1', tier: 'Premium', capacity: 2 }, properties: { regionEndpointEnabled: 'Enabled', resourceStopped: 'false' } })).toEqual([]);
    expect(armBodyProblems(type, { properties: { resourceStopped: false } })).toEqual(['.properties.resourceStopped: expected a string, got false']);
    expect(armBodyProblems(type, { properties: { provisioningState: 'Succeeded' } })).toEqual(['.properties.provisioningState: read-only in ReplicaProperties']);
    expect(armBodyProblems(type, { identity: { type: 'SystemAssigned' } })).toEqual(['.identity: not a property of Microsoft.SignalRService/webPubSub/replicas']);
    expect(armBodyProblems(type, { sku: { name: 'Premium_P1', capacity: '2' } })).toEqual(['.sku.capacity: expected an integer, got "2"']);
  });

  test('autoscale setting bodies: enums of the scale rules are checked', () => {
    const type = 'Microsoft.Insights/autoscalesettings@2022-10-01';
    const rule = {
      metricTrigger: { metricName: 'ServerLoad', metricResourceUri: '/x', timeGrain: 'PT1M', statistic: 'Average', timeWindow: 'PT10M', timeAggregation: 'Average', operator: 'GreaterThan', threshold: 80 },
      scaleAction: { direction: 'Increase', type: 'ServiceAllowedNextValue', value: '1', cooldown: 'PT30M' },
    };
    const body = (r: unknown) => ({ properties: { enabled: true, targetResourceUri: '/x', profiles: [{ name: 'default', capacity: { minimum: '1', maximum: '10', default: '1' }, rules: [r] }] } });
    expect(armBodyProblems(type, body(rule))).toEqual([]);
    expect(armBodyProblems(type, body({ ...rule, scaleAction: { ...rule.scaleAction, type: 'NextValue' } }))).toHaveLength(1);
    expect(armBodyProblems(type, body({ ...rule, metricTrigger: { ...rule.metricTrigger, statistic: 'Mean' } }))).toHaveLength(1);
  });

  test('a type outside the data sets is reported, not passed', () => {
    expect(armBodyProblems('Microsoft.Network/virtualNetworks@2024-05-01', {})).toEqual(['Microsoft.Network/virtualNetworks@2024-05-01: no ARM type data set for its namespace and API version']);
  });
});
