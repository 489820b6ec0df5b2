import { Construct } from 'constructs';
import {
  AppSettingsContext,
  FLEX_CONSUMPTION_DEPRECATED_SETTINGS,
  secretShape,
  validateAppSettings,
} from '../../lib/validation/app-settings';
import { errorOf, mapToken, scope, stringToken } from './helpers';

const flex: AppSettingsContext = { hosting: 'FlexConsumption', identityPrefixes: ['AzureWebJobsStorage', 'WebPubSubConnectionString'] };
const premium: AppSettingsContext = { ...flex, hosting: 'ElasticPremium' };
const dedicated: AppSettingsContext = { ...flex, hosting: 'Dedicated' };

const warningsOf = (c: Construct) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));

describe('validateAppSettings: names', () => {
  test('accepts letters, digits, "_" and "__" hierarchy', () => {
    expect(validateAppSettings(scope(), 'appSettings', { MY_SETTING: 'x', Feature__Enabled: 'true', a1: '1' }, flex)).toEqual([]);
  });

  test('rejects ":" (Windows-only, refused by Flex) with the "__" hint', () => {
    expect(errorOf(() => validateAppSettings(scope(), 'appSettings', { 'MongoDb:ConnectionString': 'x' }, flex))).toBe(
      'Stack/Thing: `appSettings.MongoDb:ConnectionString` must be a setting name of letters, digits, "." and "_"; use "__" as the hierarchy separator (":" is Windows-only and refused on Linux), got "MongoDb:ConnectionString"',
    );
  });

  test.each(['my-setting', 'my setting', 'é', ''])('rejects %p', (name) => {
    expect(() => validateAppSettings(scope(), 'appSettings', { [name]: 'x' }, dedicated)).toThrow(/must be a setting name of letters, digits, "\." and "_"/);
  });

  test('warns about "." (becomes "_" in the Linux environment) and rejects the collision it causes', () => {
    const c = scope();
    const warnings = validateAppSettings(c, 'appSettings', { 'my.setting': 'x' }, premium);
    expect(warnings).toEqual(['`appSettings.my.setting` contains "."; on Linux the app sees it as the environment variable "my_setting"']);
    expect(warningsOf(c)).toEqual(warnings);
    expect(() => validateAppSettings(scope(), 'appSettings', { 'my.setting': 'x', my_setting: 'y' }, premium)).toThrow(
      /must not have two settings that become the same environment variable "my_setting"/,
    );
  });
});

describe('validateAppSettings: identity-based connections the library manages', () => {
  test('rejects a connection string that would silently replace the identity connection', () => {
    expect(
      errorOf(() => validateAppSettings(scope(), 'appSettings', { WebPubSubConnectionString: 'Endpoint=https://w.webpubsub.azure.com;AccessKey=abc;Version=1.0;' }, flex)),
    ).toMatch(/^Stack\/Thing: `appSettings.WebPubSubConnectionString` would be read as a connection string and silently replace the identity-based connection "WebPubSubConnectionString"/);
    expect(() => validateAppSettings(scope(), 'appSettings', { azurewebjobsstorage: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k' }, premium)).toThrow(
      /identity-based connection "AzureWebJobsStorage"/,
    );
  });

  test('accepts an empty value at the prefix (read as no connection string)', () => {
    expect(() => validateAppSettings(scope(), 'appSettings', { AzureWebJobsStorage: '' }, dedicated)).not.toThrow();
  });

  test('rejects settings inside the managed section, in any case', () => {
    expect(() => validateAppSettings(scope(), 'appSettings', { WebPubSubConnectionString__managedIdentityResourceId: '/x' }, flex)).toThrow(
      /is part of the identity-based connection "WebPubSubConnectionString"/,
    );
    expect(() => validateAppSettings(scope(), 'appSettings', { AZUREWEBJOBSSTORAGE__ACCOUNTNAME: 'st' }, dedicated)).toThrow(/"AzureWebJobsStorage"/);
  });

  test('accepts a setting that only starts like a prefix', () => {
    expect(() => validateAppSettings(scope(), 'appSettings', { WebPubSubConnectionStringBackup: 'x', AzureWebJobsStorageX__a: 'y' }, flex)).not.toThrow();
  });
});

describe('validateAppSettings: settings rejected on every plan', () => {
  test.each(['WEBSITE_NODE_DEFAULT_VERSION', 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING', 'WEBSITE_CONTENTSHARE', 'APPINSIGHTS_INSTRUMENTATIONKEY', 'website_contentshare'])(
    'rejects %s',
    (name) => {
      for (const context of [flex, premium, dedicated]) {
        expect(() => validateAppSettings(scope(), 'appSettings', { [name]: 'x' }, context)).toThrow(new RegExp(`\`appSettings.${name}\``));
      }
    },
  );

  test('Application Insights settings: rejected while the library manages them, accepted when it does not', () => {
    expect(() => validateAppSettings(scope(), 'appSettings', { APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=x' }, flex)).toThrow(
      /managed by the library's Application Insights/,
    );
    expect(() =>
      validateAppSettings(scope(), 'appSettings', { APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=x' }, { ...flex, applicationInsightsManaged: false }),
    ).not.toThrow();
  });

  test('FUNCTIONS_WORKER_RUNTIME on Premium/Dedicated would fight azurerm, which writes "node"', () => {
    expect(() => validateAppSettings(scope(), 'appSettings', { FUNCTIONS_WORKER_RUNTIME: 'node' }, dedicated)).toThrow(/written by azurerm from the application stack/);
  });
});

describe('validateAppSettings: Flex Consumption deprecations', () => {
  test('rejects the settings ARM refuses or that conflict with what the library configures', () => {
    expect(errorOf(() => validateAppSettings(scope(), 'appSettings', { FUNCTIONS_WORKER_RUNTIME: 'node' }, flex))).toBe(
      'Stack/Thing: `appSettings.FUNCTIONS_WORKER_RUNTIME` is refused by ARM on Flex Consumption; the runtime is `functionAppConfig.runtime`, set from `nodeVersion` ' +
        '(https://learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations), got "node"',
    );
    const errors = Object.entries(FLEX_CONSUMPTION_DEPRECATED_SETTINGS).filter(([, v]) => v.level === 'error').map(([k]) => k);
    expect(errors).toEqual(
      expect.arrayContaining(['WEBSITE_RUN_FROM_PACKAGE', 'SCM_DO_BUILD_DURING_DEPLOYMENT', 'ENABLE_ORYX_BUILD', 'WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT']),
    );
    for (const name of errors) expect(() => validateAppSettings(scope(), 'appSettings', { [name]: '1' }, flex)).toThrow(/Flex Consumption|connection string/);
  });

  test('warns about the settings Flex ignores', () => {
    const c = scope();
    const warnings = validateAppSettings(c, 'appSettings', { FUNCTIONS_EXTENSION_VERSION: '~4', WEBSITE_VNET_ROUTE_ALL: '1' }, flex);
    expect(warnings).toEqual([
      '`appSettings.FUNCTIONS_EXTENSION_VERSION` is set by the platform on Flex Consumption and has no effect (https://learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations)',
      '`appSettings.WEBSITE_VNET_ROUTE_ALL` is not used for networking on Flex Consumption and has no effect (https://learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations)',
    ]);
    expect(warningsOf(c)).toEqual(warnings);
  });

  test('accepts the same settings on Premium and Dedicated', () => {
    const settings = { WEBSITE_RUN_FROM_PACKAGE: '1', WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT: '5', SCM_DO_BUILD_DURING_DEPLOYMENT: 'false' };
    expect(validateAppSettings(scope(), 'appSettings', settings, premium)).toEqual([]);
    expect(validateAppSettings(scope(), 'appSettings', settings, dedicated)).toEqual([]);
  });
});

describe('validateAppSettings: values', () => {
  test('accepts strings, numbers and booleans (Terraform converts them); rejects null, undefined and objects', () => {
    expect(() => validateAppSettings(scope(), 'appSettings', { A: 'x', B: 5, C: true }, flex)).not.toThrow();
    for (const value of [null, undefined, { a: 1 }, ['x']]) {
      expect(() => validateAppSettings(scope(), 'appSettings', { A: value }, flex)).toThrow(/`appSettings.A` must be a string/);
    }
  });

  test('warns about key-shaped values in the user\'s own settings, not about Key Vault references', () => {
    const c = scope();
    const warnings = validateAppSettings(
      c,
      'appSettings',
      {
        PAYMENTS_STORAGE: 'DefaultEndpointsProtocol=https;AccountName=pay;AccountKey=abc==;EndpointSuffix=core.windows.net',
        REPORTS_URL: 'https://st.blob.core.windows.net/r/x.csv?sv=2022-11-02&sig=abc%3D',
        SAFE: '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/payments/)',
        PLAIN: 'hello',
      },
      flex,
    );
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/`appSettings.PAYMENTS_STORAGE` looks like a storage connection string with an account key; .*Key Vault reference/);
    expect(warnings[1]).toMatch(/`appSettings.REPORTS_URL` looks like a URL with a SAS token/);
  });

  test('secretShape recognizes the Azure key-bearing connection strings', () => {
    expect(secretShape('Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=abc')).toBe(
      'a connection string with a shared access key',
    );
    expect(secretShape('Endpoint=https://x.webpubsub.azure.com;AccessKey=abc;Version=1.0;')).toBe('a connection string with an access key');
    expect(secretShape('Endpoint=https://x.webpubsub.azure.com;AuthType=azure.msi;Version=1.0;')).toBeUndefined();
  });
});

describe('validateAppSettings: tokens', () => {
  test('skips a token map, token names and token values', () => {
    expect(validateAppSettings(scope(), 'appSettings', mapToken(), flex)).toEqual([]);
    expect(validateAppSettings(scope(), 'appSettings', { [stringToken()]: 'x', A: stringToken() }, flex)).toEqual([]);
    expect(() => validateAppSettings(scope(), 'appSettings', { WebPubSubConnectionString: stringToken() }, flex)).toThrow(/silently replace/);
  });

  test('skips undefined and rejects a non-object', () => {
    expect(validateAppSettings(scope(), 'appSettings', undefined, flex)).toEqual([]);
    expect(() => validateAppSettings(scope(), 'appSettings', ['A=x'], flex)).toThrow(/must be an object of setting names/);
  });
});
