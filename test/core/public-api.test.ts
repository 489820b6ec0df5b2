/**
 * The root entry's runtime exports are a deliberate list: constructs, their static helpers and the few values users
 * need. Validators, naming rules, packaging steps and Terraform glue are internal (issue: keep internals out).
 */
import * as api from '../../lib';
import type { FunctionHostKeyProps } from '../../lib';

// Type-only exports have no runtime key: their presence is checked by the compiler (npm run typecheck).
const hostKeyProps: FunctionHostKeyProps = { functionAppId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app', keyType: 'functionKeys', keyName: 'webpubsub_upstream', waitFor: [] };

describe('public API of cdktf-azure-webpubsub', () => {
  test('exports exactly the constructs and values users need', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'AzapiProvider',
        'AzapiResource',
        'AzapiResourceAction',
        'AzapiUpdateResource',
        'BuiltInRole',
        'DEFAULT_WEB_PUBSUB_CONNECTION',
        'EventHandler',
        'FunctionAppHosting',
        'FunctionAppIdentity',
        'FunctionAppInsights',
        'FunctionCode',
        'FunctionHostKey',
        'FunctionHostStorage',
        'InvalidPropError',
        'MixedCdkEditionError',
        'ServerlessWebPubSub',
        'WebPubSubExtensionKey',
        'WebPubSubFunctionApp',
        'WebPubSubHub',
        'WebPubSubService',
      ].sort(),
    );
  });

  test('FunctionHostKey is a construct class, with its props type exported beside it', () => {
    expect(typeof api.FunctionHostKey).toBe('function');
    expect(hostKeyProps.keyType).toBe('functionKeys');
  });

  test('internal helpers are not exported', () => {
    for (const name of ['isUnresolved', 'assertNotBoth', 'validateAzureName', 'STORAGE_ACCOUNT_NAME', 'buildFunctionPackage', 'BUNDLE_PATH', 'assignBuiltInRole', 'grantRoleOnce', 'buildDeploymentManifest', 'parseDeploymentManifest', 'assertSameCdkEdition', 'LIBRARY_EDITION', 'EDITIONS', 'TerraformData', 'ApplyTimeCommand']) {
      expect(api).not.toHaveProperty(name);
    }
  });
});
