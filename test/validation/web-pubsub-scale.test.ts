import {
  validateAutoscale,
  validateCooldown,
  validatePremiumOnly,
  validateReplicaPlacement,
  validateUnits,
  WEB_PUBSUB_MAX_REPLICAS,
  WEB_PUBSUB_REPLICA_NAME,
} from '../../lib/validation/web-pubsub-scale';
import { AUTOSCALE_SETTING_NAME, validateAzureName } from '../../lib/validation/azure-resource-names';
import { errorOf, numberToken, scope, stringToken } from './helpers';

describe('validatePremiumOnly', () => {
  test('Premium_P1 and Premium_P2 pass; Standard and Free are refused naming the feature; a token sku is skipped', () => {
    expect(() => validatePremiumOnly(scope(), 'replicas', ['westus'], 'Premium_P1', 'geo-replication')).not.toThrow();
    expect(() => validatePremiumOnly(scope(), 'replicas', ['westus'], 'Premium_P2', 'geo-replication')).not.toThrow();
    expect(errorOf(() => validatePremiumOnly(scope(), 'replicas', ['westus'], 'Standard_S1', 'geo-replication'))).toBe(
      'Stack/Thing: `replicas` needs a Premium sku (Premium_P1 or Premium_P2): geo-replication is a Premium tier feature, and the service\'s sku is Standard_S1, got ["westus"]',
    );
    expect(() => validatePremiumOnly(scope(), 'autoscale', '(given)', 'Free_F1', 'autoscale')).toThrow(/`autoscale` needs a Premium sku/);
    expect(() => validatePremiumOnly(scope(), 'autoscale', '(given)', stringToken(), 'autoscale')).not.toThrow();
  });
});

describe('validateReplicaPlacement', () => {
  const regions = ['westus', 'eastus2', 'northeurope', 'japaneast', 'australiaeast', 'brazilsouth', 'canadacentral', 'uksouth', 'koreacentral'];

  test('up to 8 replicas pass; a ninth is refused', () => {
    expect(WEB_PUBSUB_MAX_REPLICAS).toBe(8);
    expect(() => validateReplicaPlacement(scope(), 'replicas', 'westeurope', regions.slice(0, 8).map((location) => ({ location })))).not.toThrow();
    expect(errorOf(() => validateReplicaPlacement(scope(), 'replicas', 'westeurope', regions.map((location) => ({ location }))))).toMatch(
      /^Stack\/Thing: `replicas` may hold at most 8 replicas per primary .*, 9 given, got \["westus",/,
    );
  });

  test('regions compare as azurerm does (case and spaces ignored): a repeated region and the primary\'s region are refused', () => {
    expect(errorOf(() => validateReplicaPlacement(scope(), 'replicas', 'westeurope', [{ location: 'westus' }, { location: 'West US' }]))).toBe(
      'Stack/Thing: `replicas[1].location` must not repeat the region of replicas[0]: one replica per region, got "West US"',
    );
    expect(errorOf(() => validateReplicaPlacement(scope(), 'replicas', 'West Europe', [{ location: 'westeurope' }]))).toBe(
      'Stack/Thing: `replicas[0].location` must be another region than the primary\'s (West Europe): the primary already serves its own region, got "westeurope"',
    );
    expect(() => validateReplicaPlacement(scope(), 'replicas', 'westeurope', [{ location: 'west-us!' }])).toThrow(/`replicas\[0\].location` must be an Azure region name/);
  });

  test('token regions (and a token primary region) are skipped', () => {
    expect(() => validateReplicaPlacement(scope(), 'replicas', stringToken(), [{ location: 'westus' }, { location: stringToken() }, { location: stringToken() }])).not.toThrow();
  });
});

describe('validateUnits', () => {
  test('the SKU\'s unit list: Premium_P1 1-10 then tens, Premium_P2 hundreds', () => {
    for (const units of [1, 10, 20, 100]) expect(() => validateUnits(scope(), 'units', units, 'Premium_P1')).not.toThrow();
    expect(errorOf(() => validateUnits(scope(), 'units', 11, 'Premium_P1'))).toBe('Stack/Thing: `units` must be one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 for sku Premium_P1, got 11');
    expect(() => validateUnits(scope(), 'units', 1000, 'Premium_P2')).not.toThrow();
    expect(() => validateUnits(scope(), 'units', 150, 'Premium_P2')).toThrow(/must be one of 100, 200/);
    expect(() => validateUnits(scope(), 'units', numberToken(), 'Premium_P1')).not.toThrow();
  });
});

describe('validateAutoscale', () => {
  const ok = { minUnits: 1, maxUnits: 10, defaultUnits: 1, connectionQuotaScaleOutPercent: 70, connectionQuotaScaleInPercent: 20, serverLoadScaleOutPercent: 80, serverLoadScaleInPercent: 20 };

  test('accepts min <= default <= max on allowed units, and the boundaries min = default = max', () => {
    expect(() => validateAutoscale(scope(), 'autoscale', 'Premium_P1', ok)).not.toThrow();
    expect(() => validateAutoscale(scope(), 'autoscale', 'Premium_P1', { ...ok, minUnits: 20, defaultUnits: 20, maxUnits: 20 })).not.toThrow();
    expect(() => validateAutoscale(scope(), 'autoscale', 'Premium_P2', { ...ok, minUnits: 100, defaultUnits: 100, maxUnits: 1000 })).not.toThrow();
  });

  test('refuses a non-Premium sku, units off the SKU\'s steps, and bounds out of order', () => {
    expect(() => validateAutoscale(scope(), 'autoscale', 'Standard_S1', ok)).toThrow(/`autoscale` needs a Premium sku/);
    expect(errorOf(() => validateAutoscale(scope(), 'autoscale', 'Premium_P1', { ...ok, maxUnits: 15 }))).toMatch(/^Stack\/Thing: `autoscale.maxUnits` must be one of 1, 2, .*for sku Premium_P1, got 15$/);
    expect(errorOf(() => validateAutoscale(scope(), 'autoscale', 'Premium_P1', { ...ok, minUnits: 20, defaultUnits: 20 }))).toBe('Stack/Thing: `autoscale.minUnits` must not exceed `maxUnits` (10), got 20');
    expect(errorOf(() => validateAutoscale(scope(), 'autoscale', 'Premium_P1', { ...ok, minUnits: 2, defaultUnits: 1 }))).toBe('Stack/Thing: `autoscale.defaultUnits` must be at least `minUnits` (2), got 1');
    expect(errorOf(() => validateAutoscale(scope(), 'autoscale', 'Premium_P1', { ...ok, defaultUnits: 20, maxUnits: 10 }))).toBe('Stack/Thing: `autoscale.defaultUnits` must not exceed `maxUnits` (10), got 20');
  });

  test('thresholds are percentages with scale-in below scale-out', () => {
    expect(errorOf(() => validateAutoscale(scope(), 'autoscale', 'Premium_P1', { ...ok, serverLoadScaleInPercent: 80 }))).toBe(
      'Stack/Thing: `autoscale.serverLoadScaleInPercent` must be below `serverLoadScaleOutPercent` (80), or scaling in would trigger scaling out again, got 80',
    );
    expect(() => validateAutoscale(scope(), 'autoscale', 'Premium_P1', { ...ok, connectionQuotaScaleOutPercent: 101 })).toThrow(/must be an integer between 1 and 100, got 101/);
    expect(() => validateAutoscale(scope(), 'autoscale', 'Premium_P1', { ...ok, connectionQuotaScaleOutPercent: 100, connectionQuotaScaleInPercent: 99 })).not.toThrow();
  });

  test('token units and thresholds are skipped', () => {
    expect(() => validateAutoscale(scope(), 'autoscale', 'Premium_P1', { ...ok, minUnits: numberToken(), maxUnits: numberToken(), serverLoadScaleInPercent: numberToken() })).not.toThrow();
  });
});

describe('validateCooldown', () => {
  test('ISO 8601 durations from one minute to one week', () => {
    for (const d of ['PT1M', 'PT30M', 'PT1H', 'P7D', 'P1DT2H']) expect(() => validateCooldown(scope(), 'autoscale.cooldown', d)).not.toThrow();
    for (const d of ['PT0M', 'P8D', '30m', 'PT', 'PT30S']) expect(() => validateCooldown(scope(), 'autoscale.cooldown', d)).toThrow(/`autoscale.cooldown` must be an ISO 8601 duration/);
    expect(() => validateCooldown(scope(), 'autoscale.cooldown', stringToken())).not.toThrow();
  });
});

describe('names', () => {
  test('replica names: the service name rule (3-63, letter first, no trailing hyphen)', () => {
    expect(() => validateAzureName(scope(), 'name', 'wps-chat-westus', WEB_PUBSUB_REPLICA_NAME)).not.toThrow();
    expect(() => validateAzureName(scope(), 'name', `a${'b'.repeat(62)}`, WEB_PUBSUB_REPLICA_NAME)).not.toThrow();
    expect(() => validateAzureName(scope(), 'name', `a${'b'.repeat(63)}`, WEB_PUBSUB_REPLICA_NAME)).toThrow(/3-63 characters \(64 given\)/);
    expect(() => validateAzureName(scope(), 'name', '1replica', WEB_PUBSUB_REPLICA_NAME)).toThrow(/must be a Web PubSub replica name of letters, digits and hyphens/);
    expect(() => validateAzureName(scope(), 'name', 'replica-', WEB_PUBSUB_REPLICA_NAME)).toThrow(/Web PubSub replica name/);
  });

  test('autoscale setting names: no : < > + / & % \\ ? | and no trailing period or space', () => {
    expect(() => validateAzureName(scope(), 'autoscale.name', 'wps-chat (westus) autoscale', AUTOSCALE_SETTING_NAME)).not.toThrow();
    expect(() => validateAzureName(scope(), 'autoscale.name', 'a/b', AUTOSCALE_SETTING_NAME)).toThrow(/autoscale setting name/);
    expect(() => validateAzureName(scope(), 'autoscale.name', 'scale.', AUTOSCALE_SETTING_NAME)).toThrow(/autoscale setting name/);
  });
});
