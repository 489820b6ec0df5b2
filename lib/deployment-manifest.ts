import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack, Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { WebPubSubFunctionApp } from './web-pubsub-function-app';
import { WebPubSubHub } from './web-pubsub-hub';
import { WebPubSubService } from './web-pubsub-service';

/** File name of the manifest next to `cdk.tf.json`. */
export const DEPLOYMENT_MANIFEST_FILE = 'webpubsub-manifest.json';

/** What the stack declares, for tools that check a live deployment (`cdktf-azure-webpubsub verify`, `local-settings`). */
export interface DeploymentManifest {
  readonly version: 1;
  readonly stack: string;
  readonly services: {
    readonly path: string;
    readonly localAuthEnabled: boolean | null;
    readonly hubs: {
      readonly name: string;
      readonly eventHandlers: {
        readonly kind: string;
        readonly functionApp: string | null;
        readonly urlPath: string | null;
        readonly systemEvents: string[];
        readonly userEventPattern: string | null;
      }[];
    }[];
  }[];
  readonly functionApps: { readonly path: string; readonly connectionPrefixes: string[]; readonly defaultHubName: string | null }[];
}

/** Collects the manifest of one stack (only literal values; tokens are unknown until deploy). */
export function buildDeploymentManifest(stack: TerraformStack): DeploymentManifest {
  const all = stack.node.findAll();
  const hubs = all.filter((c): c is WebPubSubHub => c instanceof WebPubSubHub);
  const servicePaths = [...new Set(hubs.map((h) => h.service.node.path))];
  for (const s of all) if (s instanceof WebPubSubService && !servicePaths.includes(s.node.path)) servicePaths.push(s.node.path);
  const literal = <T>(v: T | undefined): T | null => (v === undefined || Token.isUnresolved(v) ? null : v);
  return {
    version: 1,
    stack: stack.node.id,
    services: servicePaths.sort().map((servicePath) => {
      const service = all.find((c) => c.node.path === servicePath) as IConstruct;
      const localAuth = service instanceof WebPubSubService ? (service.resource.localAuthEnabledInput as boolean | undefined) : undefined;
      return {
        path: servicePath,
        localAuthEnabled: literal(localAuth),
        hubs: hubs
          .filter((h) => h.service.node.path === servicePath)
          .map((h) => ({
            name: h.hubName,
            eventHandlers: h.eventHandlers.map((e) => ({
              kind: e.kind,
              functionApp: e.functionAppPath ?? null,
              urlPath: e.urlPath ?? null,
              systemEvents: [...e.systemEvents],
              userEventPattern: literal(e.userEventPattern),
            })),
          })),
      };
    }),
    functionApps: all
      .filter((c): c is WebPubSubFunctionApp => c instanceof WebPubSubFunctionApp)
      .map((a) => ({ path: a.node.path, connectionPrefixes: [...a.connectionPrefixes], defaultHubName: literal(a.defaultHubName) })),
  };
}

/**
 * Writes the manifest next to the stack's `cdk.tf.json`; call it after `app.synth()`. Written atomically.
 * @returns the file path
 */
export function writeDeploymentManifest(stack: TerraformStack): string {
  const dir = path.join(App.of(stack).outdir, 'stacks', stack.node.id);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, DEPLOYMENT_MANIFEST_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(buildDeploymentManifest(stack), null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  return file;
}
