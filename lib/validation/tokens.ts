import { Token, Tokenization } from 'cdktf';
import { isUnresolved } from './invalid-prop-error';

/** The literal text around the Terraform tokens of a string, e.g. `https://` and `/api` in `https://${host}/api`. */
export interface LiteralParts {
  /** Literal fragments, in order. */
  readonly literals: string[];
  /** Whether the string contains at least one token. */
  readonly hasTokens: boolean;
  /** Whether the string starts with a token (then no literal prefix can be checked). */
  readonly startsWithToken: boolean;
}

/**
 * Splits a string into its literal fragments so rules can still check what is known at synth (a scheme, a
 * path, forbidden characters) when part of the value comes from Terraform, e.g. `https://${app.defaultHostname}/api`.
 */
export function literalParts(value: string): LiteralParts {
  if (!isUnresolved(value)) return { literals: [value], hasTokens: false, startsWithToken: false };
  const fragments = Tokenization.reverseString(value);
  return {
    literals: fragments.literals.map((l) => String(l)),
    hasTokens: fragments.tokens.length > 0,
    startsWithToken: fragments.firstToken !== undefined,
  };
}

/**
 * The string with every Terraform token replaced by `replacement`, so a shape rule can run on the rest: e.g.
 * `https://${app.defaultHostname}/api/{event}` checked as `https://token/api/{event}`. Pick a replacement that
 * is valid wherever a token may stand in the checked shape.
 */
export function replaceTokens(value: string, replacement: string): string {
  if (!isUnresolved(value)) return value;
  let result = value;
  for (const token of Tokenization.reverseString(value).tokens) {
    result = result.split(Token.asString(token)).join(replacement);
  }
  return result;
}
