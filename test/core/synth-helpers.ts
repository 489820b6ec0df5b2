import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { AzapiProvider } from '../../lib/azapi/azapi-provider';

/** A stack with the three providers the constructs need, in a fresh Testing app writing to a temp outdir. */
export function newStack(name = 'test', context?: Record<string, unknown>): { app: App; stack: TerraformStack } {
  const app = Testing.app(context ? { context } : undefined);
  return { app, stack: stackWithProviders(app, name) };
}

/** A further stack of `app` with the three providers. */
export function stackWithProviders(app: App, name: string): TerraformStack {
  const stack = new TerraformStack(app, name);
  new AzurermProvider(stack, 'azurerm', { features: [{}], storageUseAzuread: true });
  new RandomProvider(stack, 'random');
  new AzapiProvider(stack, 'azapi');
  return stack;
}

/** The written cdk.tf.json of one stack after `app.synth()`. */
export function readStack(app: App, stack: string): any {
  return JSON.parse(readFileSync(path.join(app.outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
}

/** Full synth (validations, assets) and the written cdk.tf.json, parsed. */
export function synthStack(app: App, stack: TerraformStack): { json: any; text: string } {
  app.synth();
  const file = path.join(app.outdir, 'stacks', stack.node.id, 'cdk.tf.json');
  const text = readFileSync(file, 'utf8');
  return { json: JSON.parse(text), text };
}

/** All resources of one Terraform type, keyed by logical id. */
export function resourcesOf(json: any, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The only resource of a type (fails when there are zero or several). */
export function onlyResource(json: any, type: string): [string, any] {
  const entries = Object.entries(resourcesOf(json, type));
  if (entries.length !== 1) throw new Error(`expected exactly one ${type}, found ${entries.length}`);
  return entries[0] as [string, any];
}

/** The Flex Consumption site: the only azapi_resource of type Microsoft.Web/sites. */
export function flexSiteOf(json: any): [string, any] {
  const sites = Object.entries(resourcesOf(json, 'azapi_resource')).filter(([, r]: any) => String(r.type).startsWith('Microsoft.Web/sites@'));
  if (sites.length !== 1) throw new Error(`expected exactly one Microsoft.Web/sites azapi_resource, found ${sites.length}`);
  return sites[0] as [string, any];
}

/** All Flex sites (azapi_resource of type Microsoft.Web/sites). */
export function flexSitesOf(json: any): [string, any][] {
  return Object.entries(resourcesOf(json, 'azapi_resource')).filter(([, r]: any) => String(r.type).startsWith('Microsoft.Web/sites@')) as [string, any][];
}

/** A Flex site's app settings as a name → value map. */
export function siteSettings(site: any): Record<string, string> {
  return Object.fromEntries(site.body.properties.siteConfig.appSettings.map((s: { name: string; value: string }) => [s.name, s.value]));
}

/** A subscription id for ARM ids in tests. */
export const TEST_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
/** Well-formed ARM ids of existing resources, for tests. */
export const TEST_IDS = {
  identity: `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg-shared/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-shared`,
  storage: `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg-shared/providers/Microsoft.Storage/storageAccounts/stshared`,
  insights: `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg-shared/providers/Microsoft.Insights/components/appi-shared`,
  webPubSub: `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg-shared/providers/Microsoft.SignalRService/webPubSub/wps-shared`,
  plan: `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg-shared/providers/Microsoft.Web/serverFarms/plan-shared`,
  workspace: `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg-shared/providers/Microsoft.OperationalInsights/workspaces/log-shared`,
};
/** GUIDs for client and principal ids in tests. */
export const TEST_CLIENT_ID = '11111111-1111-4111-8111-111111111111';
export const TEST_PRINCIPAL_ID = '22222222-2222-4222-8222-222222222222';
