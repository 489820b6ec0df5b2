import { oneOf, requireDefined, validateBoolean, validateChoice, validateInteger, validateString } from '../../lib/validation/literals';
import { errorOf, numberToken, scope, stringToken } from './helpers';

describe('oneOf', () => {
  const sizes = ['S', 'M'] as const;

  test('accepts an allowed literal and returns it', () => {
    expect(oneOf(scope(), 'size', 'M', sizes)).toBe('M');
  });

  test('rejects anything else, listing the allowed values and the hint', () => {
    expect(errorOf(() => oneOf(scope(), 'size', 'L', sizes, { hint: 'pick a small one' }))).toBe(
      'Stack/Thing: `size` must be one of "S", "M" (pick a small one), got "L"',
    );
  });

  test('compares types exactly: the number 512 is not the string "512"', () => {
    expect(() => oneOf(scope(), 'mb', '512', [512, 2048])).toThrow(/must be one of 512, 2048, got "512"/);
    expect(oneOf(scope(), 'mb', 512, [512, 2048])).toBe(512);
  });

  test('case-insensitive when asked, returning the canonical casing', () => {
    expect(oneOf(scope(), 'size', 'm', sizes, { caseInsensitive: true })).toBe('M');
    expect(() => oneOf(scope(), 'size', 'm', sizes)).toThrow(/got "m"/);
  });

  test('skips undefined and tokens', () => {
    expect(oneOf(scope(), 'size', undefined, sizes)).toBeUndefined();
    const token = stringToken();
    expect(oneOf(scope(), 'size', token, sizes)).toBe(token);
    expect(() => oneOf(scope(), 'mb', numberToken(), [512])).not.toThrow();
  });
});

describe('validateChoice', () => {
  const kinds = ['A', 'B'];
  const factories = 'Choice.a() or Choice.b()';

  test('accepts an object of a known kind, and undefined (the default)', () => {
    expect(() => validateChoice(scope(), 'choice', { kind: 'B' }, kinds, factories)).not.toThrow();
    expect(() => validateChoice(scope(), 'choice', undefined, kinds, factories)).not.toThrow();
  });

  test('rejects a string, a boolean or an unknown kind, naming the factories', () => {
    expect(errorOf(() => validateChoice(scope(), 'choice', 'A', kinds, factories))).toBe('Stack/Thing: `choice` must be Choice.a() or Choice.b(), got "A"');
    expect(() => validateChoice(scope(), 'choice', false, kinds, factories)).toThrow(/got false/);
    expect(() => validateChoice(scope(), 'choice', { kind: 'C' }, kinds, factories)).toThrow(/got \{"kind":"C"\}/);
  });

  test('shows a construct passed instead of its choice by its path', () => {
    expect(() => validateChoice(scope(), 'choice', scope(), kinds, factories)).toThrow(/got "construct Stack\/Thing"/);
  });
});

describe('validateBoolean', () => {
  test('accepts true and false', () => {
    expect(() => validateBoolean(scope(), 'on', false)).not.toThrow();
    expect(() => validateBoolean(scope(), 'on', true)).not.toThrow();
  });

  test('rejects the string "false" (truthy in JavaScript) and numbers', () => {
    expect(errorOf(() => validateBoolean(scope(), 'on', 'false'))).toBe('Stack/Thing: `on` must be true or false, got "false"');
    expect(() => validateBoolean(scope(), 'on', 0)).toThrow(/got 0/);
  });

  test('skips undefined and tokens', () => {
    expect(() => validateBoolean(scope(), 'on', undefined)).not.toThrow();
    expect(() => validateBoolean(scope(), 'on', stringToken())).not.toThrow();
  });
});

describe('validateInteger', () => {
  const range = { min: 30, max: 730 };

  test('accepts both bounds', () => {
    expect(() => validateInteger(scope(), 'days', 30, range)).not.toThrow();
    expect(() => validateInteger(scope(), 'days', 730, range)).not.toThrow();
  });

  test.each([
    ['below the minimum', 29, '29'],
    ['above the maximum', 731, '731'],
    ['a fraction', 30.5, '30.5'],
    ['NaN', NaN, 'NaN'],
    ['Infinity', Infinity, 'Infinity'],
    ['a numeric string', '30', '"30"'],
  ])('rejects %s', (_label, value, shown) => {
    expect(errorOf(() => validateInteger(scope(), 'days', value, range))).toBe(
      `Stack/Thing: \`days\` must be an integer between 30 and 730, got ${shown}`,
    );
  });

  test('skips a number token instead of reporting its encoded -8.1e+298', () => {
    const token = numberToken();
    expect(token).toBeLessThan(-1e200);
    expect(() => validateInteger(scope(), 'days', token, range)).not.toThrow();
  });

  test('skips undefined', () => {
    expect(() => validateInteger(scope(), 'days', undefined, range)).not.toThrow();
  });
});

describe('requireDefined and validateString', () => {
  test('requireDefined rejects undefined and null, accepts a value', () => {
    expect(errorOf(() => requireDefined(scope(), 'location', undefined))).toBe('Stack/Thing: `location` is required, got undefined');
    expect(() => requireDefined(scope(), 'location', null)).toThrow(/is required, got null/);
    expect(() => requireDefined(scope(), 'location', '')).not.toThrow();
  });

  test('validateString rejects non-strings and skips tokens', () => {
    expect(() => validateString(scope(), 'name', 5)).toThrow(/`name` must be a string, got 5/);
    expect(() => validateString(scope(), 'name', '')).not.toThrow();
    expect(() => validateString(scope(), 'name', stringToken())).not.toThrow();
  });
});
