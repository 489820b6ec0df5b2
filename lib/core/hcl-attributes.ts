/**
 * Attribute descriptors for `cdktf synth --hcl` (cdktf's HCL renderer reads `{ value, isBlock, type, storageClassType }`
 * per attribute, the shape generated provider bindings return from `synthesizeHclAttributes`). The hand-written azapi
 * bindings use these so that HCL output carries every attribute the JSON output does.
 */
import { Token } from 'cdktf';

/** One attribute as cdktf's HCL renderer expects it. */
export interface HclAttribute {
  readonly value: unknown;
  readonly isBlock: boolean;
  readonly type: 'simple' | 'list' | 'map' | 'any';
  readonly storageClassType: string;
}

export function hclString(value: string | undefined): HclAttribute | undefined {
  return value === undefined ? undefined : { value, isBlock: false, type: 'simple', storageClassType: 'string' };
}

export function hclBoolean(value: boolean | undefined): HclAttribute | undefined {
  return value === undefined ? undefined : { value, isBlock: false, type: 'simple', storageClassType: 'boolean' };
}

export function hclStringList(value: readonly string[] | undefined): HclAttribute | undefined {
  return value === undefined ? undefined : { value, isBlock: false, type: 'list', storageClassType: 'stringList' };
}

export function hclStringMap(value: Readonly<Record<string, string>> | undefined): HclAttribute | undefined {
  return value === undefined ? undefined : { value, isBlock: false, type: 'map', storageClassType: 'stringMap' };
}

/** A nested block (`name { ... }`) whose attributes are themselves descriptors. */
export function hclBlock(value: Record<string, HclAttribute | undefined> | undefined): HclAttribute | undefined {
  return value === undefined ? undefined : { value: withoutUndefined(value), isBlock: true, type: 'simple', storageClassType: 'object' };
}

/**
 * A dynamic (any-typed) value such as azapi's `body`. cdktf renders `any` values by guessing each string's type
 * (a string of digits becomes a number, one starting with `[`/`{` is emitted raw), which would change `"22"` into
 * `22` in an ARM body. So every literal string is pre-quoted here (a string that starts with `"` is emitted as is),
 * with HCL's template sequences escaped; strings holding tokens stay as they are and render as interpolations.
 */
export function hclDynamic(value: unknown): HclAttribute | undefined {
  return value === undefined ? undefined : { value: quoteLiterals(value), isBlock: false, type: 'any', storageClassType: 'any' };
}

function quoteLiterals(value: unknown): unknown {
  if (typeof value === 'string') {
    if (Token.isUnresolved(value)) return value;
    return JSON.stringify(value).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
  }
  if (Array.isArray(value)) return value.map(quoteLiterals);
  if (value === null) return 'null';
  if (typeof value === 'object' && !Token.isUnresolved(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = quoteLiterals(v);
    return out;
  }
  return value;
}

function withoutUndefined(value: Record<string, HclAttribute | undefined>): Record<string, HclAttribute> {
  const out: Record<string, HclAttribute> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out;
}
