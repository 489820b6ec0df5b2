/**
 * The deploy graph of a synthesized stack (`cdk.tf.json`): which resource waits for which, and the longest chain a
 * first `terraform apply` has to walk, in "slow steps" (resources that typically take a minute or more) and in
 * estimated seconds. Pure: reads the JSON only (no cdktf), so it runs on any stack, ours or a baseline.
 *
 * Edges are what Terraform orders by: explicit `depends_on`, and every reference to another resource or data source
 * inside a `${...}` expression (Terraform builds its graph from both; https://developer.hashicorp.com/terraform/language/meta-arguments/depends_on).
 * Terraform runs independent resources in parallel (10 at a time by default), so the first apply takes about as long
 * as the heaviest chain: that chain is what this module finds.
 */

/** Typical creation time of one kind of resource, and where the figure comes from. */
export interface StepTime {
  /** What the row covers, for the table. */
  readonly kind: string;
  /** Typical seconds for a first create. */
  readonly seconds: number;
  /** Where the figure comes from. */
  readonly source: string;
  /** Matches a resource by its address (`type.name` or `data.type.name`) and its JSON. */
  readonly matches: (type: string, resource: TerraformBlock) => boolean;
}

/** A resource or data source block of cdk.tf.json. */
export type TerraformBlock = Record<string, unknown>;

/** A step is slow from this many typical seconds on ("resources that take minutes"). */
export const SLOW_STEP_SECONDS = 60;

const ESTIMATE = 'estimate, refine with `npm run e2e` (it prints each resource\'s creation time)';
const command = (resource: TerraformBlock): string => JSON.stringify((resource.provisioner as unknown[] | undefined) ?? []);

/**
 * The table, first match wins. No Microsoft page states creation times; the figures are estimates from the shape of
 * each operation (a long-running ARM create, a package upload and build, a restart and cold start) and are refined by
 * the per-resource lines `npm run e2e` prints. Role assignments are not slow steps: creating one takes seconds; the
 * minutes a new assignment can take to apply (Learn "Troubleshoot Azure RBAC", up to 10 minutes) are absorbed by the
 * retries of the steps that use it (publish, the key write, the activation), which the table already counts.
 */
export const STEP_TIMES: readonly StepTime[] = [
  { kind: 'Web PubSub service (azurerm_web_pubsub)', seconds: 180, source: ESTIMATE, matches: (t) => t === 'azurerm_web_pubsub' },
  {
    kind: 'Function App site (azapi Microsoft.Web/sites, azurerm_linux_function_app)',
    seconds: 90,
    source: ESTIMATE,
    matches: (t, r) => t === 'azurerm_linux_function_app' || (t === 'azapi_resource' && String(r.type ?? '').startsWith('Microsoft.Web/sites@')),
  },
  { kind: 'code publish (terraform_data → publish: upload, deployment)', seconds: 90, source: ESTIMATE, matches: (t, r) => t === 'terraform_data' && / publish"/.test(command(r)) },
  {
    kind: 'webhook activation (terraform_data → activate-webhook: restart, cold start, probe)',
    seconds: 90,
    source: ESTIMATE,
    matches: (t, r) => t === 'terraform_data' && /activate-webhook/.test(command(r)),
  },
  { kind: 'blob access wait (terraform_data → await-blob-access)', seconds: 30, source: ESTIMATE, matches: (t, r) => t === 'terraform_data' && /await-blob-access/.test(command(r)) },
  { kind: 'host key write (azapi_resource_action)', seconds: 20, source: ESTIMATE, matches: (t) => t === 'azapi_resource_action' },
  { kind: 'service plan (azurerm_service_plan)', seconds: 30, source: ESTIMATE, matches: (t) => t === 'azurerm_service_plan' },
  { kind: 'storage account', seconds: 30, source: ESTIMATE, matches: (t) => t === 'azurerm_storage_account' },
  { kind: 'Log Analytics workspace', seconds: 30, source: ESTIMATE, matches: (t) => t === 'azurerm_log_analytics_workspace' },
  { kind: 'role assignment', seconds: 25, source: ESTIMATE, matches: (t) => t === 'azurerm_role_assignment' },
  { kind: 'Web PubSub hub, network ACL', seconds: 20, source: ESTIMATE, matches: (t) => t === 'azurerm_web_pubsub_hub' || t === 'azurerm_web_pubsub_network_acl' },
  { kind: 'Application Insights', seconds: 15, source: ESTIMATE, matches: (t) => t === 'azurerm_application_insights' },
  { kind: 'user-assigned identity, diagnostic setting', seconds: 10, source: ESTIMATE, matches: (t) => t === 'azurerm_user_assigned_identity' || t === 'azurerm_monitor_diagnostic_setting' },
  { kind: 'small ARM writes (resource group, container, blob, azapi update)', seconds: 5, source: ESTIMATE, matches: (t) => /^(azurerm_resource_group|azurerm_storage_container|azurerm_storage_blob|azapi_update_resource)$/.test(t) },
  { kind: 'local values (random_*, data sources, other terraform_data)', seconds: 0, source: 'no cloud call (data sources: one read)', matches: (t) => t.startsWith('random_') || t.startsWith('data.') || t === 'terraform_data' },
  { kind: 'anything else', seconds: 10, source: ESTIMATE, matches: () => true },
];

/** One node of the graph. */
export interface DeployStep {
  /** `type.name` or `data.type.name`. */
  readonly address: string;
  readonly type: string;
  readonly seconds: number;
  readonly slow: boolean;
  /** The table row that set `seconds`. */
  readonly kind: string;
  /** Addresses this step waits for (depends_on and references), sorted. */
  readonly dependsOn: readonly string[];
}

export interface DeployGraph {
  readonly steps: ReadonlyMap<string, DeployStep>;
}

/** The longest chain of a graph. */
export interface CriticalPath {
  /** Addresses, first to last. */
  readonly chain: readonly string[];
  readonly seconds: number;
  readonly slowSteps: number;
}

/** Builds the graph of a cdk.tf.json document (parsed). */
export function deployGraph(doc: Record<string, unknown>, times: readonly StepTime[] = STEP_TIMES): DeployGraph {
  const blocks = new Map<string, { type: string; body: TerraformBlock }>();
  for (const [block, prefix] of [['resource', ''], ['data', 'data.']] as const) {
    const byType = (doc[block] ?? {}) as Record<string, Record<string, TerraformBlock>>;
    for (const [type, instances] of Object.entries(byType)) {
      for (const [name, body] of Object.entries(instances)) blocks.set(`${prefix}${type}.${name}`, { type: `${prefix}${type}`, body });
    }
  }
  const steps = new Map<string, DeployStep>();
  for (const [address, { type, body }] of blocks) {
    const row = times.find((t) => t.matches(type, body))!;
    const { '//': _metadata, depends_on: dependsOn, ...rest } = body;
    const deps = new Set<string>();
    for (const d of (dependsOn as string[] | undefined) ?? []) if (blocks.has(d) && d !== address) deps.add(d);
    for (const ref of expressionReferences(JSON.stringify(rest))) if (blocks.has(ref) && ref !== address) deps.add(ref);
    steps.set(address, { address, type, seconds: row.seconds, slow: row.seconds >= SLOW_STEP_SECONDS, kind: row.kind, dependsOn: [...deps].sort() });
  }
  return { steps };
}

/**
 * Every `type.name` / `data.type.name` that an expression inside `${...}` of the text mentions. The spans are found
 * by brace depth, which fits what cdktf writes (expressions with nested templates and calls; a `}` inside a string
 * literal of an expression would end a span early, which cdktf's output does not contain).
 */
export function expressionReferences(text: string): string[] {
  const found = new Set<string>();
  let i = text.indexOf('${');
  while (i >= 0) {
    let depth = 0;
    let j = i + 1;
    for (; j < text.length; j++) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}' && --depth === 0) break;
    }
    const span = text.slice(i + 2, j);
    for (const m of span.matchAll(/(?<![\w.])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)/g)) found.add(m[1]);
    i = text.indexOf('${', j);
  }
  return [...found].sort();
}

/** Every step `address` waits for, directly or not. */
export function ancestors(graph: DeployGraph, address: string): Set<string> {
  const seen = new Set<string>();
  const visit = (a: string): void => {
    for (const d of graph.steps.get(a)?.dependsOn ?? []) {
      if (!seen.has(d)) {
        seen.add(d);
        visit(d);
      }
    }
  };
  visit(address);
  return seen;
}

/**
 * The chain with the most estimated seconds (ties: more slow steps, then the address order), ending at any step.
 * Throws on a cycle (Terraform would refuse the configuration too).
 */
export function criticalPath(graph: DeployGraph, endingAt?: string): CriticalPath {
  const best = new Map<string, CriticalPath>();
  const visiting = new Set<string>();
  const longestTo = (address: string): CriticalPath => {
    const known = best.get(address);
    if (known) return known;
    if (visiting.has(address)) throw new Error(`the deploy graph has a cycle through ${address}`);
    visiting.add(address);
    const step = graph.steps.get(address)!;
    let before: CriticalPath = { chain: [], seconds: 0, slowSteps: 0 };
    for (const d of step.dependsOn) before = heavier(before, longestTo(d));
    visiting.delete(address);
    const path = { chain: [...before.chain, address], seconds: before.seconds + step.seconds, slowSteps: before.slowSteps + (step.slow ? 1 : 0) };
    best.set(address, path);
    return path;
  };
  if (endingAt !== undefined) return longestTo(endingAt);
  let result: CriticalPath = { chain: [], seconds: 0, slowSteps: 0 };
  for (const address of [...graph.steps.keys()].sort()) result = heavier(result, longestTo(address));
  return result;
}

function heavier(a: CriticalPath, b: CriticalPath): CriticalPath {
  if (a.seconds !== b.seconds) return a.seconds > b.seconds ? a : b;
  if (a.slowSteps !== b.slowSteps) return a.slowSteps > b.slowSteps ? a : b;
  return a.chain.join() <= b.chain.join() ? a : b;
}

/** What the bench line reports of one stack. */
export interface DeployGraphSummary {
  readonly critical: CriticalPath;
  /** The longest chain ending at the app's code deployment (or the site, without one). */
  readonly appChain: CriticalPath;
  /** Whether a Web PubSub service (`azurerm_web_pubsub`) is among the steps the app's site or code deployment waits for. */
  readonly serviceOnAppChain: boolean;
}

/** The summary of a cdk.tf.json document: its longest chain and whether the app waits for the service. */
export function summarizeDeployGraph(doc: Record<string, unknown>): DeployGraphSummary {
  const graph = deployGraph(doc);
  const isSite = (s: DeployStep) => s.kind.startsWith('Function App site');
  const isPublish = (s: DeployStep) => s.kind.startsWith('code publish');
  const appSteps = [...graph.steps.values()].filter((s) => isSite(s) || isPublish(s) || s.type === 'azurerm_storage_blob');
  const serviceOnAppChain = appSteps.some((s) => [...ancestors(graph, s.address)].some((a) => graph.steps.get(a)!.type === 'azurerm_web_pubsub'));
  let appChain: CriticalPath = { chain: [], seconds: 0, slowSteps: 0 };
  for (const s of appSteps) appChain = heavier(appChain, criticalPath(graph, s.address));
  return { critical: criticalPath(graph), appChain, serviceOnAppChain };
}

/** `azurerm_web_pubsub.Chat_WebPubSub_6212B3E4` → `web_pubsub`, for a short chain rendering. */
export function shortName(graph: DeployGraph, address: string): string {
  const step = graph.steps.get(address);
  if (!step) return address;
  if (step.kind.startsWith('code publish')) return 'publish';
  if (step.kind.startsWith('webhook activation')) return 'activation';
  if (step.kind.startsWith('Function App site')) return 'site';
  if (step.type === 'azapi_resource_action') return 'key write';
  return step.type.replace(/^(data\.)?(azurerm_|azapi_)/, '$1');
}
