/**
 * Writes `cdktf.out/stacks/<stack>/webpubsub-manifest.json` on every synth of a stack that uses this library's
 * constructs, with no call from the app: the constructs record their facts here (through lib/core/deployment-outputs.ts)
 * and the first one in a stack decorates the stack's synthesizer, which writes the manifest right after the stack's
 * own synthesis (`cdk.tf.json`). Works with `app.synth()` and with the cdktf CLI (which runs the app).
 *
 * Why the synthesizer: `TerraformStack.synthesizer` (an `IStackSynthesizer`) is cdktf's public extension point for
 * "what a stack writes to its directory" — `App.synth()` and `Testing.fullSynth()` both call it. The per-construct
 * hook TerraformAsset uses (`addCustomSynthesis`) is documented as internal to cdktf, and writing from a validation
 * would skip the file whenever validations are skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ISynthesisSession, IStackSynthesizer, TerraformOutput, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import type { BoundEventHandler } from '../webpubsub/event-handler';
import {
  DEPLOYMENT_MANIFEST_FILE,
  DEPLOYMENT_MANIFEST_VERSION,
  DeploymentManifest,
  ManifestFunctionApp,
  ManifestFunctionCode,
  ManifestService,
  ManifestValue,
} from '../common/manifest-schema';

/** A value as recorded at construction: a literal, or the output declared for a token. */
export type RecordedValue = { readonly value: string } | { readonly output: TerraformOutput };

/** @internal What a service construct recorded. */
export interface ServiceRecord {
  readonly construct: IConstruct;
  readonly resourceId: RecordedValue;
  readonly hostname: RecordedValue;
  readonly localAuthEnabled: boolean | null;
}

/** @internal What a hub construct recorded. */
export interface HubRecord {
  readonly construct: IConstruct;
  readonly service: IConstruct;
  readonly name: RecordedValue;
  readonly eventHandlers: readonly Pick<BoundEventHandler, 'kind' | 'functionAppPath' | 'urlPath' | 'systemEvents' | 'userEventPattern' | 'tunnel'>[];
}

/** @internal What a Function App construct recorded. */
export interface FunctionAppRecord {
  readonly construct: IConstruct;
  readonly resourceId: RecordedValue;
  readonly hostname: RecordedValue;
  readonly principalId: RecordedValue;
  readonly connections: readonly { readonly prefix: string; readonly service: IConstruct; readonly serviceUri?: RecordedValue }[];
  readonly defaultHubName: string | null;
  readonly code: ManifestFunctionCode | null;
}

interface AppRecords {
  readonly services: Map<IConstruct, ServiceRecord>;
  readonly hubs: Map<IConstruct, HubRecord>;
  readonly functionApps: Map<IConstruct, FunctionAppRecord>;
}

/** Records per construct tree (keyed by its root, the App), so several apps in one process never mix. */
const recordsByRoot = new WeakMap<IConstruct, AppRecords>();
const decoratedStacks = new WeakSet<TerraformStack>();

function recordsOf(construct: IConstruct): AppRecords {
  const root = construct.node.root;
  let records = recordsByRoot.get(root);
  if (!records) {
    records = { services: new Map(), hubs: new Map(), functionApps: new Map() };
    recordsByRoot.set(root, records);
  }
  return records;
}

/** @internal True when the service already recorded itself. */
export function isServiceRecorded(service: IConstruct): boolean {
  return recordsOf(service).services.has(service);
}

/** @internal True when the Function App already recorded itself. */
export function isFunctionAppRecorded(app: IConstruct): boolean {
  return recordsOf(app).functionApps.has(app);
}

/** @internal */
export function recordService(record: ServiceRecord): void {
  recordsOf(record.construct).services.set(record.construct, record);
  writeManifestOnSynth(TerraformStack.of(record.construct));
}

/** @internal */
export function recordHub(record: HubRecord): void {
  recordsOf(record.construct).hubs.set(record.construct, record);
  writeManifestOnSynth(TerraformStack.of(record.construct));
}

/** @internal */
export function recordFunctionApp(record: FunctionAppRecord): void {
  recordsOf(record.construct).functionApps.set(record.construct, record);
  writeManifestOnSynth(TerraformStack.of(record.construct));
}

/**
 * Decorates the stack's synthesizer once: after the stack's own synthesis, the manifest is written next to
 * `cdk.tf.json`. A synthesizer the app set before the first construct is kept (and decorated); set yours before
 * creating this library's constructs.
 */
function writeManifestOnSynth(stack: TerraformStack): void {
  if (decoratedStacks.has(stack)) return;
  decoratedStacks.add(stack);
  stack.synthesizer = new ManifestWritingSynthesizer(stack, stack.synthesizer);
}

class ManifestWritingSynthesizer implements IStackSynthesizer {
  public constructor(
    private readonly stack: TerraformStack,
    private readonly inner: IStackSynthesizer,
  ) {}

  public synthesize(session: ISynthesisSession): void {
    this.inner.synthesize(session);
    const dir = path.join(session.outdir, session.manifest.forStack(this.stack).workingDirectory);
    writeManifestFile(dir, buildDeploymentManifest(this.stack));
  }
}

function writeManifestFile(dir: string, manifest: DeploymentManifest): void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, DEPLOYMENT_MANIFEST_FILE);
  // Atomic: a reader never sees half a file.
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(manifest, null, 2)}\n`);
  fs.renameSync(temp, file);
}

function manifestValue(recorded: RecordedValue): ManifestValue {
  if ('value' in recorded) return { value: recorded.value };
  const output = recorded.output;
  return { output: { stack: TerraformStack.of(output).node.id, path: output.node.path, name: output.friendlyUniqueId } };
}

const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * The manifest of one stack, from what the constructs recorded: the services and Function Apps the stack declares,
 * the hubs it declares, and the services and apps those reference in other stacks (with outputs in their stacks).
 */
export function buildDeploymentManifest(stack: TerraformStack): DeploymentManifest {
  const records = recordsOf(stack);
  const inStack = (c: IConstruct): boolean => TerraformStack.of(c) === stack;
  const hubs = [...records.hubs.values()].filter((h) => inStack(h.construct));

  const services = new Set<IConstruct>();
  for (const s of records.services.values()) if (inStack(s.construct)) services.add(s.construct);
  for (const h of hubs) services.add(h.service);

  const appsByPath = new Map([...records.functionApps.values()].map((a) => [a.construct.node.path, a]));
  const apps = new Set<FunctionAppRecord>();
  for (const a of records.functionApps.values()) if (inStack(a.construct)) apps.add(a);
  for (const h of hubs) {
    for (const e of h.eventHandlers) {
      const target = e.functionAppPath !== undefined ? appsByPath.get(e.functionAppPath) : undefined;
      if (target) apps.add(target);
    }
  }
  for (const a of apps) for (const c of a.connections) services.add(c.service);

  const serviceEntries: ManifestService[] = [...services].map((service) => {
    const record = records.services.get(service);
    if (!record) throw new Error(`cdktf-azure-webpubsub: the service ${service.node.path} was not recorded for the deployment manifest`);
    return {
      path: service.node.path,
      resourceId: manifestValue(record.resourceId),
      hostname: manifestValue(record.hostname),
      localAuthEnabled: record.localAuthEnabled,
      hubs: hubs
        .filter((h) => h.service === service)
        .map((h) => ({
          path: h.construct.node.path,
          name: manifestValue(h.name),
          eventHandlers: h.eventHandlers.map((e) => ({
            kind: e.kind,
            functionApp: e.functionAppPath ?? null,
            urlPath: e.urlPath ?? null,
            systemEvents: [...e.systemEvents],
            userEventPattern: e.userEventPattern ?? null,
            ...(e.tunnel === true ? { tunnel: true } : {}),
          })),
        }))
        .sort(byPath),
    };
  });
  const appEntries: ManifestFunctionApp[] = [...apps].map((a) => ({
    path: a.construct.node.path,
    resourceId: manifestValue(a.resourceId),
    hostname: manifestValue(a.hostname),
    principalId: manifestValue(a.principalId),
    connections: a.connections.map((c) => ({ prefix: c.prefix, service: c.service.node.path, ...(c.serviceUri ? { serviceUri: manifestValue(c.serviceUri) } : {}) })),
    defaultHubName: a.defaultHubName,
    code: a.code,
  }));
  return {
    version: DEPLOYMENT_MANIFEST_VERSION,
    stack: stack.node.id,
    services: serviceEntries.sort(byPath),
    functionApps: appEntries.sort(byPath),
  };
}
