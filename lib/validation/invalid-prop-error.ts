import { Token } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * A synth-time error for bad construct input: names the construct path, the prop, the value and the rule,
 * so users never meet the mistake later as a Terraform or Azure error.
 */
export class InvalidPropError extends Error {
  public constructor(scope: IConstruct, prop: string, value: unknown, rule: string) {
    super(`${scope.node.path}: \`${prop}\` ${rule}, got ${JSON.stringify(value)}`);
    this.name = 'InvalidPropError';
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
