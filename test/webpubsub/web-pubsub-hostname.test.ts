/**
 * The host name a connected function app is given for a Web PubSub service (`<prefix>__serviceUri`): built from the
 * service name at synth (so the app does not wait for the service's creation), or the service's `hostname`
 * attribute where the name cannot give it.
 */
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TerraformVariable } from 'cdktf';
import { WebPubSubFunctionApp } from '../../lib/functions/web-pubsub-function-app';
import { WebPubSubHostnameSource } from '../../lib/webpubsub/web-pubsub-hostname';
import { IWebPubSubService, WebPubSubService, WebPubSubServiceProps } from '../../lib/webpubsub/web-pubsub-service';
import { flexSiteOf, newStack, onlyResource, resourcesOf, siteSettings, synthStack } from '../core/synth-helpers';

const placement = { resourceGroup: { name: 'rg-app', location: 'westeurope' } };

/** GIVEN a service (built by `service`) and an app connected to it, WHEN synthesized: the site and the activation. */
function synthConnected(service: (stack: import('cdktf').TerraformStack) => IWebPubSubService) {
  const { app, stack } = newStack('host');
  const s = service(stack);
  new WebPubSubFunctionApp(stack, 'Fn', { ...placement, webPubSubConnections: [{ service: s }] });
  const { json } = synthStack(app, stack);
  const [, site] = flexSiteOf(json);
  const activation = Object.values(resourcesOf(json, 'terraform_data')).find((d: any) => d.provisioner[0]['local-exec'].command.endsWith('activate-webhook')) as any;
  return { json, site, service: s, serviceUri: siteSettings(site).WebPubSubConnectionString__serviceUri as string, activationEnv: activation.provisioner[0]['local-exec'].environment };
}

const created = (props: Partial<WebPubSubServiceProps>) => (stack: import('cdktf').TerraformStack) => new WebPubSubService(stack, 'Service', { ...placement, ...props });

describe('the serviceUri a connected app is given', () => {
  test('a literal name: lower-cased, with the public cloud suffix; the site references neither the service nor its role', () => {
    const { json, site, serviceUri, activationEnv } = synthConnected(created({ name: 'Chat-WPS' }));
    expect(serviceUri).toBe('https://chat-wps.webpubsub.azure.com');
    const text = JSON.stringify(site);
    expect(text).not.toContain('azurerm_web_pubsub.');
    expect(text).not.toMatch(/WebPubSubServiceOwner/);
    // The activation gets both: what the app was given, and ARM's host name to check it against.
    const [serviceKey] = onlyResource(json, 'azurerm_web_pubsub');
    expect(activationEnv.CDKTF_AZURE_WEBPUBSUB_SERVICE_URIS).toBe('https://chat-wps.webpubsub.azure.com');
    expect(activationEnv.CDKTF_AZURE_WEBPUBSUB_ORIGINS).toBe(`\${join(",", [azurerm_web_pubsub.${serviceKey}.hostname])}`);
  });

  test('the default name (ends with the deployment suffix): its literal part lower-cased here, the suffix by Terraform lower()', () => {
    const { json, serviceUri } = synthConnected(created({}));
    const [suffixKey] = onlyResource(json, 'random_string');
    expect(serviceUri).toMatch(new RegExp(`^https://wps-host-service-[0-9a-f]{6}-\\$\\{lower\\(random_string\\.${suffixKey}\\.result\\)\\}\\.webpubsub\\.azure\\.com$`));
  });

  test('a name given as a Terraform variable: lower() of the variable, still no reference to the service', () => {
    const { serviceUri } = synthConnected((stack) => new WebPubSubService(stack, 'Service', { ...placement, name: new TerraformVariable(stack, 'wps_name', { type: 'string' }).stringValue }));
    expect(serviceUri).toBe('https://${lower(var.wps_name)}.webpubsub.azure.com');
  });

  test('another cloud: dnsSuffix(suffix) builds the host from it (lower-cased)', () => {
    const { serviceUri } = synthConnected(created({ name: 'chat-wps', hostnameSource: WebPubSubHostnameSource.dnsSuffix('WebPubSub.Sovereign.Example') }));
    expect(serviceUri).toBe('https://chat-wps.webpubsub.sovereign.example');
  });

  test('serviceAttribute(): the service\'s hostname attribute, as before (the app then waits for the service)', () => {
    const { json, serviceUri } = synthConnected(created({ name: 'chat-wps', hostnameSource: WebPubSubHostnameSource.serviceAttribute() }));
    const [serviceKey] = onlyResource(json, 'azurerm_web_pubsub');
    expect(serviceUri).toBe(`https://\${azurerm_web_pubsub.${serviceKey}.hostname}`);
  });

  test('the default with an azurerm provider whose environment names another cloud keeps the attribute; "public" does not', () => {
    const withEnvironment = (environment: string) =>
      synthConnected((stack) => {
        (stack.node.findChild('azurerm') as AzurermProvider).environment = environment;
        return new WebPubSubService(stack, 'Service', { ...placement, name: 'chat-wps' });
      });
    const china = withEnvironment('china');
    const [serviceKey] = onlyResource(china.json, 'azurerm_web_pubsub');
    expect(china.serviceUri).toBe(`https://\${azurerm_web_pubsub.${serviceKey}.hostname}`);
    expect(withEnvironment('Public').serviceUri).toBe('https://chat-wps.webpubsub.azure.com');
  });

  test('a chosen dnsSuffix is kept whatever the azurerm provider\'s environment names (only the default follows it)', () => {
    const { serviceUri } = synthConnected((stack) => {
      (stack.node.findChild('azurerm') as AzurermProvider).environment = 'china';
      return new WebPubSubService(stack, 'Service', { ...placement, name: 'chat-wps', hostnameSource: WebPubSubHostnameSource.dnsSuffix('webpubsub.azure.cn') });
    });
    expect(serviceUri).toBe('https://chat-wps.webpubsub.azure.cn');
  });

  test('an existing service keeps its hostname attribute', () => {
    const { serviceUri } = synthConnected((stack) =>
      WebPubSubService.fromWebPubSubServiceAttributes(stack, 'Existing', {
        serviceId: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.SignalRService/webPubSub/Shared-WPS',
        hostname: 'shared-wps.webpubsub.azure.com',
      }),
    );
    expect(serviceUri).toBe('https://shared-wps.webpubsub.azure.com');
  });

  test('a dnsSuffix that is not a host name fails at synth naming hostnameSource', () => {
    const { stack } = newStack('bad');
    expect(() => new WebPubSubService(stack, 'Service', { ...placement, name: 'chat-wps', hostnameSource: WebPubSubHostnameSource.dnsSuffix('https://webpubsub.example/') })).toThrow(
      'bad/Service: `hostnameSource` must be a DNS suffix such as webpubsub.azure.com (no scheme, port, path or trailing dot), got "https://webpubsub.example/"',
    );
  });
});

describe('ARM_ENVIRONMENT at synth', () => {
  const previous = process.env.ARM_ENVIRONMENT;
  afterEach(() => {
    if (previous === undefined) delete process.env.ARM_ENVIRONMENT;
    else process.env.ARM_ENVIRONMENT = previous;
  });

  test('another cloud with the default source: a warning naming hostnameSource; the output does not change', () => {
    const plain = synthConnected(created({ name: 'chat-wps' })).serviceUri;
    process.env.ARM_ENVIRONMENT = 'usgovernment';
    const gov = synthConnected(created({ name: 'chat-wps' }));
    expect(gov.serviceUri).toBe(plain);
    const warnings = gov.service.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(/^ARM_ENVIRONMENT is "usgovernment", but connected function apps are given .*set `hostnameSource`/)]);
    const { stack } = newStack('gov');
    const explicit = new WebPubSubService(stack, 'Explicit', { ...placement, name: 'chat-wps2', hostnameSource: WebPubSubHostnameSource.serviceAttribute() });
    expect(explicit.node.metadata.filter((m) => m.type === '@cdktf/warn')).toEqual([]);
    // A chosen suffix is the user's answer to the warning too.
    const suffixed = synthConnected(created({ name: 'chat-wps', hostnameSource: WebPubSubHostnameSource.dnsSuffix('webpubsub.azure.us') }));
    expect(suffixed.serviceUri).toBe('https://chat-wps.webpubsub.azure.us');
    expect(suffixed.service.node.metadata.filter((m) => m.type === '@cdktf/warn')).toEqual([]);
  });
});
