import { formatValue, InvalidPropError } from '../../lib/validation/invalid-prop-error';
import { numberToken, scope } from './helpers';

describe('InvalidPropError', () => {
  test('keeps the message format `<path>: `prop` <rule>, got <value>`', () => {
    const error = new InvalidPropError(scope(), 'sku', 'Basic', 'must be one of Free_F1, Standard_S1');
    expect(error.message).toBe('Stack/Thing: `sku` must be one of Free_F1, Standard_S1, got "Basic"');
    expect(error.name).toBe('InvalidPropError');
  });

  test('shows NaN and infinities as JavaScript writes them, not as JSON null', () => {
    expect(new InvalidPropError(scope(), 'capacity', NaN, 'must be an integer').message).toMatch(/, got NaN$/);
    expect(new InvalidPropError(scope(), 'capacity', Infinity, 'must be an integer').message).toMatch(/, got Infinity$/);
    expect(new InvalidPropError(scope(), 'capacity', -Infinity, 'must be an integer').message).toMatch(/, got -Infinity$/);
  });
});

describe('formatValue', () => {
  test.each([
    ['a string', 'x', '"x"'],
    ['a finite number', 1.5, '1.5'],
    ['zero', 0, '0'],
    ['NaN', NaN, 'NaN'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a boolean', false, 'false'],
    ['a bigint', BigInt(10), '10n'],
    ['an array with NaN', [1, NaN], '[1,"NaN"]'],
    ['an object with Infinity', { a: Infinity }, '{"a":"Infinity"}'],
  ])('%s', (_label, value, expected) => {
    expect(formatValue(value)).toBe(expected);
  });

  test('a cyclic object does not throw', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(formatValue(cyclic)).toBe('[object Object]');
  });

  test('a cdktf number token prints as the encoded double (which is why rules skip tokens first)', () => {
    expect(formatValue(numberToken())).toMatch(/^-\d\.\d+e\+\d+$/);
  });
});
