/**
 * Argument checks shared by the runtime builders ({@link ./output-actions} and {@link ./event-responses}).
 *
 * Every failure throws a {@link WebPubSubArgumentError} whose message names the action (or response), the field, what
 * is allowed and the value that was given, e.g. `sendToGroup: "group" must be a non-empty string, got ""`.
 */

/**
 * Thrown by the runtime builders when a value would produce an action or response the Web PubSub extension rejects
 * or misinterprets. `action` is the builder name (e.g. `sendToGroup`), `field` the property name as it appears in the
 * binding payload (e.g. `group`).
 */
export class WebPubSubArgumentError extends Error {
  /** The builder that rejected the value, e.g. `sendToGroup` or `connectEventResponse`. */
  public readonly action: string;
  /** The payload property that was invalid, e.g. `group`. */
  public readonly field: string;

  constructor(action: string, field: string, requirement: string, value: unknown) {
    super(`${action}: "${field}" ${requirement}, got ${describeValue(value)}`);
    this.name = 'WebPubSubArgumentError';
    this.action = action;
    this.field = field;
  }
}

const MAX_DESCRIBED_LENGTH = 80;

/** Renders a value for an error message: JSON where possible, the type name for binary and functions, truncated. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return '[function]';
  if (typeof value === 'symbol' || typeof value === 'bigint') return String(value);
  if (value instanceof ArrayBuffer) return `ArrayBuffer(${value.byteLength})`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.byteLength})`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > MAX_DESCRIBED_LENGTH ? `${text.slice(0, MAX_DESCRIBED_LENGTH)}...` : text;
}

/** Fails unless `value` is a string with at least one non-whitespace character. */
export function requireNonEmptyString(action: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new WebPubSubArgumentError(action, field, 'must be a non-empty string', value);
  }
  return value;
}

/** Like {@link requireNonEmptyString}, but `undefined` is allowed (the field is then left out of the payload). */
export function optionalNonEmptyString(action: string, field: string, value: unknown): string | undefined {
  return value === undefined ? undefined : requireNonEmptyString(action, field, value);
}

/** Fails unless `value` is `undefined` or a string (empty allowed), e.g. a close `reason`. */
export function optionalString(action: string, field: string, value: unknown): string | undefined {
  if (value !== undefined && typeof value !== 'string') {
    throw new WebPubSubArgumentError(action, field, 'must be a string when given', value);
  }
  return value;
}

/**
 * Fails unless `value` is `undefined` or an array whose every element is a non-empty string; returns a copy so the
 * caller's array can change later without changing the built payload.
 */
export function optionalNonEmptyStringArray(action: string, field: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    throw new WebPubSubArgumentError(action, field, 'must be an array of non-empty strings when given', value);
  }
  value.forEach((element, index) => requireNonEmptyString(action, `${field}[${index}]`, element));
  return [...(value as string[])];
}

/** Fails unless `value` is one of `allowed`; the message lists the allowed values. */
export function requireOneOf<T extends string>(action: string, field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new WebPubSubArgumentError(action, field, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`, value);
  }
  return value as T;
}
