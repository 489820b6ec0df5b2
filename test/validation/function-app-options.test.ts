import {
  DEDICATED_PLAN_SKUS,
  validateDedicatedSku,
  validateElasticPremiumSku,
  validateFlexInstanceMemory,
  validateFlexMaximumInstanceCount,
  validateLogAnalyticsRetention,
  validateMinimumTlsVersion,
  validateNodeVersion,
  validateNodeVersionMatch,
  validateStorageReplicationType,
} from '../../lib/validation/function-app-options';
import { errorOf, numberToken, scope, stringToken } from './helpers';

describe('validateMinimumTlsVersion', () => {
  test('accepts 1.2 and 1.3', () => {
    expect(() => validateMinimumTlsVersion(scope(), 'minimumTlsVersion', '1.2')).not.toThrow();
    expect(() => validateMinimumTlsVersion(scope(), 'minimumTlsVersion', '1.3')).not.toThrow();
  });

  test('rejects 1.1 (ARM accepts it; the library keeps TLS 1.2+) and the number 1.2', () => {
    expect(errorOf(() => validateMinimumTlsVersion(scope(), 'minimumTlsVersion', '1.1'))).toBe(
      'Stack/Thing: `minimumTlsVersion` must be one of "1.2", "1.3" (ARM also accepts 1.0 and 1.1, which this library does not allow), got "1.1"',
    );
    expect(() => validateMinimumTlsVersion(scope(), 'minimumTlsVersion', 1.2)).toThrow(/got 1.2$/);
  });

  test('skips undefined and tokens', () => {
    expect(() => validateMinimumTlsVersion(scope(), 'minimumTlsVersion', undefined)).not.toThrow();
    expect(() => validateMinimumTlsVersion(scope(), 'minimumTlsVersion', stringToken())).not.toThrow();
  });
});

describe('validateStorageReplicationType', () => {
  test.each(['LRS', 'ZRS', 'GRS', 'RAGRS', 'GZRS', 'RAGZRS'])('accepts %s', (v) => {
    expect(() => validateStorageReplicationType(scope(), 'replicationType', v)).not.toThrow();
  });

  test.each(['lrs', 'Standard_LRS', 'RA-GRS', 'PremiumLRS'])('rejects %s (azurerm compares case-sensitively)', (v) => {
    expect(() => validateStorageReplicationType(scope(), 'replicationType', v)).toThrow(/`replicationType` must be one of "LRS"/);
  });

  test('skips tokens', () => {
    expect(() => validateStorageReplicationType(scope(), 'replicationType', stringToken())).not.toThrow();
  });
});

describe('validateElasticPremiumSku', () => {
  test('accepts EP1-EP3 and rejects EP4, ep1 and P1v3', () => {
    for (const sku of ['EP1', 'EP2', 'EP3']) expect(() => validateElasticPremiumSku(scope(), 'sku', sku)).not.toThrow();
    for (const sku of ['EP4', 'ep1', 'P1v3']) expect(() => validateElasticPremiumSku(scope(), 'sku', sku)).toThrow(/must be one of "EP1", "EP2", "EP3"/);
    expect(() => validateElasticPremiumSku(scope(), 'sku', stringToken())).not.toThrow();
  });
});

describe('validateDedicatedSku', () => {
  test.each(['B1', 'S3', 'P1v2', 'P0v3', 'P5mv3', 'P0v4', 'P5mv4'])('accepts %s', (sku) => {
    expect(() => validateDedicatedSku(scope(), 'hosting', sku)).not.toThrow();
  });

  test.each([
    ['Consumption', 'Y1'],
    ['Free', 'F1'],
    ['Shared', 'D1'],
    ['Elastic Premium', 'EP1'],
    ['Flex Consumption', 'FC1'],
    ['Logic Apps Workflow Standard', 'WS1'],
    ['a Premium v2 size that does not exist', 'P0v2'],
    ['a memory-optimized v3 size that does not exist', 'P6mv3'],
  ])('rejects %s (%s)', (_label, sku) => {
    expect(() => validateDedicatedSku(scope(), 'hosting', sku)).toThrow(/`hosting` must be one of "B1"/);
  });

  test('tells the right casing (azurerm compares SKU names case-sensitively)', () => {
    expect(errorOf(() => validateDedicatedSku(scope(), 'hosting', 'p1v3'))).toBe(
      'Stack/Thing: `hosting` must be written P1v3 (azurerm compares SKU names case-sensitively), got "p1v3"',
    );
  });

  test('rejects an Isolated SKU on a plan the library creates, accepts it on an existing plan', () => {
    expect(() => validateDedicatedSku(scope(), 'hosting', 'I1v2')).toThrow(/only runs in an App Service Environment/);
    expect(() => validateDedicatedSku(scope(), 'hosting', 'I1v2', { createsPlan: false })).not.toThrow();
  });

  test('lists no SKU twice and skips tokens', () => {
    expect(new Set(DEDICATED_PLAN_SKUS).size).toBe(DEDICATED_PLAN_SKUS.length);
    expect(() => validateDedicatedSku(scope(), 'hosting', stringToken())).not.toThrow();
  });
});

describe('validateFlexInstanceMemory', () => {
  test.each([512, 2048, 4096])('accepts %i', (mb) => {
    expect(() => validateFlexInstanceMemory(scope(), 'instanceMemoryMb', mb)).not.toThrow();
  });

  test.each([[1024], [8192], ['2048'], [NaN]])('rejects %p', (mb) => {
    expect(() => validateFlexInstanceMemory(scope(), 'instanceMemoryMb', mb)).toThrow(/must be one of 512, 2048, 4096/);
  });

  test('skips a number token', () => {
    expect(() => validateFlexInstanceMemory(scope(), 'instanceMemoryMb', numberToken())).not.toThrow();
  });
});

describe('validateFlexMaximumInstanceCount', () => {
  test('accepts 1 (Microsoft\'s Flex minimum) and 1000', () => {
    expect(() => validateFlexMaximumInstanceCount(scope(), 'maximumInstanceCount', 1)).not.toThrow();
    expect(() => validateFlexMaximumInstanceCount(scope(), 'maximumInstanceCount', 1000)).not.toThrow();
  });

  test.each([[0], [1001], [40.5], [NaN], [Infinity]])('rejects %p', (n) => {
    expect(errorOf(() => validateFlexMaximumInstanceCount(scope(), 'maximumInstanceCount', n))).toBe(
      `Stack/Thing: \`maximumInstanceCount\` must be an integer between 1 and 1000, got ${String(n)}`,
    );
  });

  test('skips a number token', () => {
    expect(() => validateFlexMaximumInstanceCount(scope(), 'maximumInstanceCount', numberToken())).not.toThrow();
  });
});

describe('validateNodeVersion / validateNodeVersionMatch', () => {
  test('accepts "20" and "22", rejects 22 (number), "18" and "24"', () => {
    expect(() => validateNodeVersion(scope(), 'nodeVersion', '20')).not.toThrow();
    expect(() => validateNodeVersion(scope(), 'nodeVersion', '22')).not.toThrow();
    expect(() => validateNodeVersion(scope(), 'nodeVersion', 22)).toThrow(/must be one of "20", "22"/);
    expect(() => validateNodeVersion(scope(), 'nodeVersion', '18')).toThrow(/got "18"/);
    expect(() => validateNodeVersion(scope(), 'nodeVersion', '24')).toThrow(/got "24"/);
    expect(() => validateNodeVersion(scope(), 'nodeVersion', stringToken())).not.toThrow();
  });

  test('rejects a package built for another Node version than the app runs', () => {
    expect(errorOf(() => validateNodeVersionMatch(scope(), 'code.nodeVersion', '20', '22'))).toBe(
      'Stack/Thing: `code.nodeVersion` must match the app\'s `nodeVersion` "22": the package is bundled for Node 20 and would run on Node 22, got "20"',
    );
    expect(() => validateNodeVersionMatch(scope(), 'code.nodeVersion', '22', '22')).not.toThrow();
    expect(() => validateNodeVersionMatch(scope(), 'code.nodeVersion', undefined, '22')).not.toThrow();
    expect(() => validateNodeVersionMatch(scope(), 'code.nodeVersion', stringToken(), '22')).not.toThrow();
  });
});

describe('validateLogAnalyticsRetention', () => {
  test('accepts 30 and 730', () => {
    expect(() => validateLogAnalyticsRetention(scope(), 'retentionInDays', 30)).not.toThrow();
    expect(() => validateLogAnalyticsRetention(scope(), 'retentionInDays', 730)).not.toThrow();
  });

  test.each([[29], [731], [30.5], [NaN], [7]])('rejects %p', (days) => {
    expect(() => validateLogAnalyticsRetention(scope(), 'retentionInDays', days)).toThrow(/must be an integer between 30 and 730/);
  });

  test('skips a number token', () => {
    expect(() => validateLogAnalyticsRetention(scope(), 'retentionInDays', numberToken())).not.toThrow();
  });
});
