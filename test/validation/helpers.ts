import { Lazy, Token } from 'cdktf';
import { Construct } from 'constructs';

/** A construct at path `Stack/Thing`, the scope every rule reports errors against. */
export function scope(): Construct {
  const root = new Construct(undefined as unknown as Construct, '');
  return new Construct(new Construct(root, 'Stack'), 'Thing');
}

/** A string token, as a construct attribute (e.g. `resource.id`) would be. */
export function stringToken(): string {
  return Token.asString(Lazy.stringValue({ produce: () => 'resolved' }));
}

/** A number token: cdktf encodes it as a huge negative double such as -8.1e+298. */
export function numberToken(): number {
  return Token.asNumber(Lazy.numberValue({ produce: () => 1 }));
}

/** A list token. */
export function listToken(): string[] {
  return Token.asList(Lazy.listValue({ produce: () => ['a'] }));
}

/** A string map token. */
export function mapToken(): Record<string, string> {
  return Token.asStringMap(Lazy.anyValue({ produce: () => ({ a: 'b' }) }));
}

/** The error message of a call that must throw. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the call to throw');
}
