import { Token } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * A synth-time error for bad construct input: names the construct path, the prop, the value and the rule,
 * so users never meet the mistake later as a Terraform or Azure error.
 * Format: `<construct path>: \`<prop>\` <rule>, got <value>`.
 */
export class InvalidPropError extends Error {
  public constructor(scope: IConstruct, prop: string, value: unknown, rule: string) {
    super(`${scope.node.path}: \`${prop}\` ${rule}, got ${formatValue(value)}`);
    this.name = 'InvalidPropError';
  }
}

/**
 * How a bad value is shown in an error: JSON, except where JSON lies or fails. `JSON.stringify(NaN)` is `"null"`
 * and `Infinity` too, `undefined` has no JSON, a bigint throws and so does a cycle; those are shown as JavaScript
 * writes them (`NaN`, `Infinity`, `-Infinity`, `undefined`, `10n`).
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : String(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (typeof value === 'symbol') return value.toString();
  try {
    // Non-finite numbers nested in objects or arrays would also print as null: show them as strings.
    return JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'number' && !Number.isFinite(v) ? String(v) : typeof v === 'bigint' ? `${v}n` : v,
    );
  } catch {
    return String(value);
  }
}

/** True when the value is (or contains) a token only Terraform can resolve; such values are not validated. */
export function isUnresolved(value: unknown): boolean {
  return Token.isUnresolved(value);
}

/** Fails when both an existing resource and props for a new one are given. */
export function assertNotBoth(
  scope: IConstruct,
  existingProp: string,
  existing: unknown,
  propsProp: string,
  props: unknown,
): void {
  if (existing !== undefined && props !== undefined) {
    throw new InvalidPropError(
      scope,
      `${existingProp}`,
      '(given)',
      `and \`${propsProp}\` are mutually exclusive: pass an existing resource or props to create one, not both`,
    );
  }
}

/**
 * Fails when `props` still holds a removed prop. TypeScript rejects one in an object literal, but not in a spread
 * object or from JavaScript, where the construct would otherwise fall back to its default silently.
 * `replaced` maps each removed prop to what to write instead.
 */
export function rejectReplacedProps(scope: IConstruct, props: object, replaced: Readonly<Record<string, string>>): void {
  for (const [removed, replacement] of Object.entries(replaced)) {
    const value = (props as Record<string, unknown>)[removed];
    if (value !== undefined) {
      throw new InvalidPropError(scope, removed, typeof value === 'object' && value !== null ? '(given)' : value, `was replaced by one prop per concept; use \`${replacement}\``);
    }
  }
}
