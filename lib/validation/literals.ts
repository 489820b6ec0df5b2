import { IConstruct } from 'constructs';
import { formatValue, InvalidPropError, isUnresolved } from './invalid-prop-error';

// Runtime checks for props whose TypeScript type is a literal union, a boolean or a number. TypeScript callers
// are held to those types at compile time; JavaScript callers, `as any` and values read from JSON or environment
// variables are not, and azurerm would otherwise receive the value verbatim. Every check here:
//  - skips `undefined` (an omitted optional prop gets its documented default; whether a prop is required is the
//    construct's business, see `requireDefined`),
//  - skips Terraform tokens (`Token.isUnresolved`), including cdktf number tokens, which are huge negative
//    doubles such as -8.1e+298 and must never be range-checked.

/** Fails when a required prop is missing (`undefined` or `null`). */
export function requireDefined(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined || value === null) throw new InvalidPropError(scope, prop, value, 'is required');
}

/** Options of {@link oneOf}. */
export interface OneOfOptions {
  /**
   * Accept any casing (the value must then be normalized by the caller). Use only where Azure documents the
   * value as case-insensitive.
   * @default false
   */
  readonly caseInsensitive?: boolean;
  /**
   * Extra words after the list of allowed values, e.g. why a value Azure accepts is excluded.
   * @default - none
   */
  readonly hint?: string;
}

/**
 * Fails unless the value is one of the allowed literals (exact match, same type: `'1'` is not `1`).
 * Returns the matching allowed literal (with its canonical casing when `caseInsensitive`), or the value unchanged
 * when it is `undefined` or a token.
 */
export function oneOf<T extends string | number>(
  scope: IConstruct,
  prop: string,
  value: unknown,
  allowed: readonly T[],
  options: OneOfOptions = {},
): T {
  if (value === undefined || isUnresolved(value)) return value as T;
  const match = allowed.find((a) =>
    options.caseInsensitive && typeof a === 'string' && typeof value === 'string' ? a.toLowerCase() === value.toLowerCase() : a === value,
  );
  if (match === undefined) {
    const list = allowed.map((a) => formatValue(a)).join(', ');
    throw new InvalidPropError(scope, prop, value, `must be one of ${list}${options.hint ? ` (${options.hint})` : ''}`);
  }
  return match;
}

/** Fails unless the value is `true` or `false` (a string `"false"` is truthy in JavaScript and would flip the meaning). */
export function validateBoolean(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'boolean') throw new InvalidPropError(scope, prop, value, 'must be true or false');
}

/** Bounds of {@link validateInteger}; both inclusive. */
export interface IntegerRange {
  /** Smallest accepted value. */
  readonly min: number;
  /** Largest accepted value. */
  readonly max: number;
}

/**
 * Fails unless the value is a finite integer within `[min, max]`. `NaN`, `Infinity`, fractions and numeric
 * strings are rejected (azurerm's integer attributes would fail on them at plan).
 */
export function validateInteger(scope: IConstruct, prop: string, value: unknown, range: IntegerRange): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw new InvalidPropError(scope, prop, value, `must be an integer between ${range.min} and ${range.max}`);
  }
}

/** Fails unless the value is a string (tokens included); used before string-shape rules. */
export function validateString(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'string') throw new InvalidPropError(scope, prop, value, 'must be a string');
}

/**
 * Fails unless the value is an object of a choice class (private constructor, static factories, a `kind`, as
 * `AppIdentity`). TypeScript holds callers to the class; a JavaScript caller may pass a string, a boolean or the
 * resource itself, which the construct would otherwise misread. `undefined` is the default.
 */
export function validateChoice(scope: IConstruct, prop: string, value: unknown, kinds: readonly string[], factories: string): void {
  if (value === undefined) return;
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (typeof kind === 'string' && kinds.includes(kind)) return;
  // A construct (the identity itself instead of its choice) is shown by its path: its JSON would be the whole tree.
  const path = (value as { node?: { path?: unknown } } | null)?.node?.path;
  throw new InvalidPropError(scope, prop, typeof path === 'string' ? `construct ${path}` : value, `must be ${factories}`);
}
