import { FunctionAppHosting } from '../../lib/function-app-hosting';
import { FunctionCode } from '../../lib/packaging/function-code';
import { WebPubSubFunctionApp, WebPubSubFunctionAppProps } from '../../lib/web-pubsub-function-app';
import { WebPubSubService } from '../../lib/web-pubsub-service';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHAT_APP, CHAT_ENTRIES, CHAT_EXTRA, cleanupTempDirs, copyChatApp } from '../packaging/helpers';
import { newStack, onlyResource, resourcesOf, synthStack } from './synth-helpers';

const placement = { resourceGroupName: 'rg', location: 'westeurope' };

// The packaging fixture app, bundled for real; its bindings use the `WebPubSubConnection` prefix.
function synthWithCode(props: Partial<WebPubSubFunctionAppProps> = {}, projectDir = CHAT_APP) {
  const { app, stack } = newStack('code');
  const code = new FunctionCode(stack, 'Code', { projectDir, entryPoints: CHAT_ENTRIES, extraFiles: CHAT_EXTRA, quiet: true });
  const service = new WebPubSubService(stack, 'Service', placement);
  service.addHub('chat', { eventHandlers: [] });
  new WebPubSubFunctionApp(stack, 'Fn', { ...placement, code, webPubSubConnections: [{ service, settingPrefix: 'WebPubSubConnection' }], ...props });
  return { code, json: synthStack(app, stack).json };
}

describe('code deployment, identity only', () => {
  test('Flex: the hashed blob goes to the deployment container, One Deploy runs it, the key write waits for it', () => {
    const { code, json } = synthWithCode();
    const [blobKey, blob] = onlyResource(json, 'azurerm_storage_blob');
    const [containerKey, container] = onlyResource(json, 'azurerm_storage_container');
    expect(blob).toMatchObject({ name: code.packageFileName, type: 'Block', content_type: 'application/zip' });
    expect(blob.name).toMatch(/^functions-[0-9a-f]{16}\.zip$/);
    expect(code.contentHash.startsWith(blob.name.slice('functions-'.length, -'.zip'.length))).toBe(true);
    expect(blob.storage_container_name).toBe(`\${azurerm_storage_container.${containerKey}.name}`);
    expect(blob.source).toContain(code.contentHash);
    const [, fn] = onlyResource(json, 'azurerm_function_app_flex_consumption');
    expect(fn.storage_container_endpoint).toBe(`\${azurerm_storage_account.${Object.keys(resourcesOf(json, 'azurerm_storage_account'))[0]}.primary_blob_endpoint}${container.name}`);
    expect(fn.app_settings.WEBSITE_RUN_FROM_PACKAGE).toBeUndefined(); // never on Flex

    const actions = resourcesOf(json, 'azapi_resource_action');
    const [deployKey, deploy] = Object.entries(actions).find(([, a]: any) => a.action === 'extensions/onedeploy') as [string, any];
    expect(deploy).toMatchObject({ method: 'PUT', body: { properties: { remoteBuild: false } } });
    expect(deploy.body.properties.packageUri).toContain(`/${code.packageFileName}`);
    expect(deploy.depends_on).toContain(`azurerm_storage_blob.${blobKey}`);
    const keyWrite = Object.values(actions).find((a: any) => a.action === 'host/default/systemKeys/webpubsub_extension') as any;
    expect(keyWrite.depends_on).toContain(`azapi_resource_action.${deployKey}`);
  });

  test('the deployer gets Storage Blob Data Contributor before the upload, unless turned off', () => {
    const { json } = synthWithCode();
    const [blobKey, blob] = onlyResource(json, 'azurerm_storage_blob');
    const deployerRole = Object.entries(resourcesOf(json, 'azurerm_role_assignment')).find(([, r]: any) => r.principal_id.includes('data.azurerm_client_config'));
    expect(deployerRole).toBeDefined();
    expect(deployerRole![1].role_definition_id).toContain('ba92f5b4-2d11-453d-a403-e96b0029c9fe');
    expect(blob.depends_on).toEqual([`azurerm_role_assignment.${deployerRole![0]}`]);
    expect(blobKey).toBeDefined();
    const off = synthWithCode({ grantDeployerPackageUpload: false }).json;
    expect(Object.values(resourcesOf(off, 'azurerm_role_assignment')).some((r: any) => r.principal_id.includes('data.azurerm_client_config'))).toBe(false);
  });

  test('Premium: run from the private blob with the managed identity', () => {
    const { code, json } = synthWithCode({ hosting: FunctionAppHosting.elasticPremium() });
    const [, fn] = onlyResource(json, 'azurerm_linux_function_app');
    const [identityKey] = onlyResource(json, 'azurerm_user_assigned_identity');
    expect(fn.app_settings.WEBSITE_RUN_FROM_PACKAGE).toMatch(new RegExp(`function-packages/${code.packageFileName}$`));
    expect(fn.app_settings.WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID).toBe(`\${azurerm_user_assigned_identity.${identityKey}.id}`);
    expect(Object.values(resourcesOf(json, 'azapi_resource_action')).some((a: any) => a.action === 'extensions/onedeploy')).toBe(false);
    const keyWrite = onlyResource(json, 'azapi_resource_action')[1];
    expect(keyWrite.depends_on.some((d: string) => d.startsWith('azurerm_storage_blob.'))).toBe(true);
  });

  test('same code gives the same JSON; a one-character change touches only the package blob and its deployment', () => {
    const a = synthWithCode().json;
    expect(JSON.stringify(synthWithCode().json)).toBe(JSON.stringify(a));

    const dir = copyChatApp();
    const file = path.join(dir, CHAT_ENTRIES[1]);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace("context.log('connect')", "context.log('connecT')"));
    const b = synthWithCode({}, dir).json;
    const changed: string[] = [];
    for (const type of new Set([...Object.keys(a.resource), ...Object.keys(b.resource)])) {
      for (const key of new Set([...Object.keys(a.resource[type] ?? {}), ...Object.keys(b.resource[type] ?? {})])) {
        if (JSON.stringify(a.resource[type]?.[key]) !== JSON.stringify(b.resource[type]?.[key])) changed.push(type);
      }
    }
    expect(changed.sort()).toEqual(['azapi_resource_action', 'azurerm_storage_blob']);
    const deployA = Object.values(a.resource.azapi_resource_action).find((x: any) => x.action === 'extensions/onedeploy') as any;
    const deployB = Object.values(b.resource.azapi_resource_action).find((x: any) => x.action === 'extensions/onedeploy') as any;
    expect(deployA.body).not.toEqual(deployB.body);
    cleanupTempDirs();
  });
});
