/**
 * Checks a synthesized azapi body against the ARM type data the azapi provider validates bodies with (bicep-types
 * format; a `$ref` "#/N" indexes the array of one data set): Microsoft.Web 2024-04-01, Microsoft.SignalRService
 * 2024-03-01 and Microsoft.Insights 2022-10-01. Each data set is read from ../shared/arm-types when it is there, else
 * from the committed extract in test/fixtures/arm-types (test/fixtures/arm-types/extract.ts, kept equal to a fresh
 * extract by test/core/arm-type-check.test.ts).
 * Reports unknown properties, read-only properties, wrong JSON types and values outside string-literal unions.
 * Values that are Terraform references (`${...}`) are known only at apply and pass.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

type BicepType = { $type: string; [key: string]: any };

/** One data set: a provider namespace at one API version. */
export interface ArmTypeDataSet {
  /** Folder under ../shared/arm-types, e.g. `microsoft.web`. */
  readonly namespace: string;
  readonly apiVersion: string;
}

/** The data sets the checks use (and the extracts committed for them). */
export const ARM_TYPE_DATA_SETS: readonly ArmTypeDataSet[] = [
  { namespace: 'microsoft.web', apiVersion: '2024-04-01' },
  { namespace: 'microsoft.signalrservice', apiVersion: '2024-03-01' },
  { namespace: 'microsoft.insights', apiVersion: '2022-10-01' },
];

/**
 * The workspace's full type data: `shared/arm-types` beside the checkout or beside one of its parents (a git
 * worktree sits a level deeper than the main checkout).
 */
function sharedTypesDir(): string {
  let dir = path.join(__dirname, '..', '..');
  for (;;) {
    const parent = path.dirname(dir);
    const candidate = path.join(parent, 'shared', 'arm-types');
    if (existsSync(candidate) || parent === dir) return candidate;
    dir = parent;
  }
}
/** The full type data of the workspace for a data set (it may be absent: then the extract is used). */
export function sharedTypesFile(set: ArmTypeDataSet): string {
  return path.join(sharedTypesDir(), set.namespace, set.apiVersion, 'types.json');
}
/** The committed extract of a data set (see test/fixtures/arm-types/extract.ts). */
export function extractFile(set: ArmTypeDataSet): string {
  return path.join(__dirname, '..', 'fixtures', 'arm-types', `${set.namespace}-${set.apiVersion}.json`);
}

/** The Microsoft.Web data set's files (kept for existing callers). */
export const SHARED_TYPES_FILE = sharedTypesFile(ARM_TYPE_DATA_SETS[0]);
export const EXTRACT_FILE = extractFile(ARM_TYPE_DATA_SETS[0]);

const loaded = new Map<string, BicepType[]>();
/** The data set of `Namespace/type@version`. */
function dataSetOf(resourceType: string): ArmTypeDataSet | undefined {
  const [typeName, apiVersion] = resourceType.split('@');
  const namespace = typeName.split('/')[0].toLowerCase();
  return ARM_TYPE_DATA_SETS.find((s) => s.namespace === namespace && s.apiVersion === apiVersion);
}
function load(set: ArmTypeDataSet): BicepType[] {
  const key = `${set.namespace}@${set.apiVersion}`;
  let types = loaded.get(key);
  if (!types) {
    const shared = sharedTypesFile(set);
    types = JSON.parse(readFileSync(existsSync(shared) ? shared : extractFile(set), 'utf8')) as BicepType[];
    loaded.set(key, types);
  }
  return types;
}

const READ_ONLY = 2;
const isReference = (v: unknown): boolean => typeof v === 'string' && v.includes('${');

/**
 * Problems of `body` (the resource body without location/tags/identity) for `<type>@<apiVersion>`; `name` picks the
 * variant of resource types discriminated by name (e.g. basicPublishingCredentialsPolicies `scm`/`ftp`).
 */
export function armBodyProblems(resourceType: string, body: unknown, name?: string): string[] {
  const set = dataSetOf(resourceType);
  if (!set) return [`${resourceType}: no ARM type data set for its namespace and API version`];
  const types = load(set);
  const deref = (ref: { $ref: string }): BicepType => types[Number(ref.$ref.slice(2))];
  const resource = types.find((t) => t.$type === 'ResourceType' && t.name === resourceType);
  if (!resource) return [`${resourceType} is not in the ARM type data`];
  const problems: string[] = [];
  let type = deref(resource.body);
  if (type.$type === 'DiscriminatedObjectType' && type.discriminator === 'name') {
    const variant = name !== undefined ? type.elements[name] : undefined;
    if (!variant) return [`${resourceType} has no variant named ${JSON.stringify(name)} (${Object.keys(type.elements).join(', ')})`];
    type = deref(variant);
  }
  check(type, body, '', problems, deref);
  return problems;
}

function check(type: BicepType, value: unknown, at: string, problems: string[], deref: (ref: { $ref: string }) => BicepType): void {
  if (isReference(value)) return;
  switch (type.$type) {
    case 'AnyType':
      return;
    case 'StringType':
      if (typeof value !== 'string') problems.push(`${at}: expected a string, got ${JSON.stringify(value)}`);
      return;
    case 'IntegerType':
      if (typeof value !== 'number' || !Number.isInteger(value)) problems.push(`${at}: expected an integer, got ${JSON.stringify(value)}`);
      else if ((type.minValue !== undefined && value < type.minValue) || (type.maxValue !== undefined && value > type.maxValue)) {
        problems.push(`${at}: ${value} outside [${type.minValue}, ${type.maxValue}]`);
      }
      return;
    case 'BooleanType':
      if (typeof value !== 'boolean') problems.push(`${at}: expected a boolean, got ${JSON.stringify(value)}`);
      return;
    case 'StringLiteralType':
      if (value !== type.value) problems.push(`${at}: expected ${JSON.stringify(type.value)}, got ${JSON.stringify(value)}`);
      return;
    case 'UnionType': {
      const elements = type.elements.map(deref);
      const ok = elements.some((e: BicepType) => {
        const sub: string[] = [];
        check(e, value, at, sub, deref);
        return sub.length === 0;
      });
      if (!ok) problems.push(`${at}: ${JSON.stringify(value)} matches none of ${elements.map((e: BicepType) => e.value ?? e.$type).join(' | ')}`);
      return;
    }
    case 'ArrayType':
      if (!Array.isArray(value)) problems.push(`${at}: expected an array`);
      else value.forEach((item, i) => check(deref(type.itemType), item, `${at}[${i}]`, problems, deref));
      return;
    case 'DiscriminatedObjectType': {
      const key = (value as Record<string, unknown> | null)?.[type.discriminator];
      const variant = typeof key === 'string' ? type.elements[key] : undefined;
      if (!variant) problems.push(`${at}.${type.discriminator}: ${JSON.stringify(key)} is none of ${Object.keys(type.elements).join(', ')}`);
      else check({ ...deref(variant), properties: { ...type.baseProperties, ...deref(variant).properties } }, value, at, problems, deref);
      return;
    }
    case 'ObjectType': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push(`${at}: expected an object`);
        return;
      }
      for (const [key, v] of Object.entries(value)) {
        const property = type.properties?.[key];
        if (!property) {
          if (type.additionalProperties) check(deref(type.additionalProperties), v, `${at}.${key}`, problems, deref);
          else problems.push(`${at}.${key}: not a property of ${type.name}`);
          continue;
        }
        if ((property.flags ?? 0) & READ_ONLY) problems.push(`${at}.${key}: read-only in ${type.name}`);
        check(deref(property.type), v, `${at}.${key}`, problems, deref);
      }
      return;
    }
    default:
      problems.push(`${at}: unsupported type ${type.$type} in this checker`);
  }
}
