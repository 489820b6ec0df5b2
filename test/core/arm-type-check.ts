/**
 * Checks a synthesized azapi body against the ARM type data the azapi provider validates bodies with
 * (Microsoft.Web 2024-04-01 in the bicep-types format; a `$ref` "#/N" indexes the array): the full data in
 * ../shared/arm-types when it is there, else the committed extract in test/fixtures/arm-types.
 * Reports unknown properties, read-only properties, wrong JSON types and values outside string-literal unions.
 * Values that are Terraform references (`${...}`) are known only at apply and pass.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

type BicepType = { $type: string; [key: string]: any };

/** The full type data of the workspace, when present. */
export const SHARED_TYPES_FILE = path.join(__dirname, '..', '..', '..', 'shared', 'arm-types', 'microsoft.web', '2024-04-01', 'types.json');
/** The committed extract (see test/fixtures/arm-types/extract.ts). */
export const EXTRACT_FILE = path.join(__dirname, '..', 'fixtures', 'arm-types', 'microsoft.web-2024-04-01.json');
let types: BicepType[] | undefined;
const load = (): BicepType[] => (types ??= JSON.parse(readFileSync(existsSync(SHARED_TYPES_FILE) ? SHARED_TYPES_FILE : EXTRACT_FILE, 'utf8')) as BicepType[]);
const deref = (ref: { $ref: string }): BicepType => load()[Number(ref.$ref.slice(2))];

const READ_ONLY = 2;
const isReference = (v: unknown): boolean => typeof v === 'string' && v.includes('${');

/**
 * Problems of `body` (the resource body without location/tags/identity) for `<type>@<apiVersion>`; `name` picks the
 * variant of resource types discriminated by name (e.g. basicPublishingCredentialsPolicies `scm`/`ftp`).
 */
export function armBodyProblems(resourceType: string, body: unknown, name?: string): string[] {
  const resource = load().find((t) => t.$type === 'ResourceType' && t.name === resourceType);
  if (!resource) return [`${resourceType} is not in the ARM type data`];
  const problems: string[] = [];
  let type = deref(resource.body);
  if (type.$type === 'DiscriminatedObjectType' && type.discriminator === 'name') {
    const variant = name !== undefined ? type.elements[name] : undefined;
    if (!variant) return [`${resourceType} has no variant named ${JSON.stringify(name)} (${Object.keys(type.elements).join(', ')})`];
    type = deref(variant);
  }
  check(type, body, '', problems);
  return problems;
}

function check(type: BicepType, value: unknown, at: string, problems: string[]): void {
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
        check(e, value, at, sub);
        return sub.length === 0;
      });
      if (!ok) problems.push(`${at}: ${JSON.stringify(value)} matches none of ${elements.map((e: BicepType) => e.value ?? e.$type).join(' | ')}`);
      return;
    }
    case 'ArrayType':
      if (!Array.isArray(value)) problems.push(`${at}: expected an array`);
      else value.forEach((item, i) => check(deref(type.itemType), item, `${at}[${i}]`, problems));
      return;
    case 'DiscriminatedObjectType': {
      const key = (value as Record<string, unknown> | null)?.[type.discriminator];
      const variant = typeof key === 'string' ? type.elements[key] : undefined;
      if (!variant) problems.push(`${at}.${type.discriminator}: ${JSON.stringify(key)} is none of ${Object.keys(type.elements).join(', ')}`);
      else check({ ...deref(variant), properties: { ...type.baseProperties, ...deref(variant).properties } }, value, at, problems);
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
          if (type.additionalProperties) check(deref(type.additionalProperties), v, `${at}.${key}`, problems);
          else problems.push(`${at}.${key}: not a property of ${type.name}`);
          continue;
        }
        if ((property.flags ?? 0) & READ_ONLY) problems.push(`${at}.${key}: read-only in ${type.name}`);
        check(deref(property.type), v, `${at}.${key}`, problems);
      }
      return;
    }
    default:
      problems.push(`${at}: unsupported type ${type.$type} in this checker`);
  }
}
