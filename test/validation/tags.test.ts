import { TAG_LIMITS, validateTags } from '../../lib/validation/tags';
import { errorOf, mapToken, scope, stringToken } from './helpers';

const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, 'v']));

describe('validateTags', () => {
  test('accepts 50 tags, a 512-character name and a 256-character value', () => {
    expect(() => validateTags(scope(), 'tags', many(50))).not.toThrow();
    expect(() => validateTags(scope(), 'tags', { ['n'.repeat(512)]: 'v'.repeat(256) })).not.toThrow();
  });

  test('rejects 51 tags', () => {
    expect(errorOf(() => validateTags(scope(), 'tags', many(51)))).toBe('Stack/Thing: `tags` must have at most 50 tags, got "(51 tags)"');
  });

  test('rejects a 513-character name and a 257-character value', () => {
    expect(() => validateTags(scope(), 'tags', { ['n'.repeat(513)]: 'v' })).toThrow(/tag names of at most 512 characters/);
    expect(errorOf(() => validateTags(scope(), 'tags', { env: 'v'.repeat(257) }))).toMatch(
      /^Stack\/Thing: `tags.env` must be at most 256 characters \(azurerm counts UTF-8 bytes: 257\)/,
    );
  });

  test('storage accounts: 128-character names', () => {
    expect(() => validateTags(scope(), 'tags', { ['n'.repeat(128)]: 'v' }, { storageAccount: true })).not.toThrow();
    expect(() => validateTags(scope(), 'tags', { ['n'.repeat(129)]: 'v' }, { storageAccount: true })).toThrow(
      /tag names of at most 128 characters on a storage account/,
    );
  });

  test('measures in UTF-8 bytes as azurerm does: 128 two-byte characters exceed 255 bytes', () => {
    expect(() => validateTags(scope(), 'tags', { env: 'é'.repeat(128) })).not.toThrow();
    expect(() => validateTags(scope(), 'tags', { env: 'é'.repeat(129) })).toThrow(/UTF-8 bytes: 258/);
  });

  test.each(TAG_LIMITS.forbiddenNameCharacters.map((c) => [c]))('rejects a name with %s', (c) => {
    expect(() => validateTags(scope(), 'tags', { [`cost${c}center`]: 'v' })).toThrow(/must have tag names without < > % & \\ \? \//);
  });

  test('accepts spaces, colons, dots and Unicode in names (only 7 characters are documented as forbidden)', () => {
    expect(() => validateTags(scope(), 'tags', { 'Cost Center': 'v', 'app:tier': 'v', 'a.b': 'v', 'équipe': 'v' })).not.toThrow();
  });

  test('rejects two names that differ only in case', () => {
    expect(() => validateTags(scope(), 'tags', { Env: 'prod', env: 'dev' })).toThrow(/differ only in case/);
  });

  test('accepts empty values and numbers; rejects null and objects', () => {
    expect(() => validateTags(scope(), 'tags', { a: '', b: 5 })).not.toThrow();
    expect(() => validateTags(scope(), 'tags', { a: null })).toThrow(/`tags.a` must be a string/);
    expect(() => validateTags(scope(), 'tags', { a: { b: 'c' } })).toThrow(/`tags.a` must be a string/);
  });

  test('rejects a non-object; skips undefined, a token map, token names and values', () => {
    expect(() => validateTags(scope(), 'tags', 'env=prod')).toThrow(/must be an object of tag names/);
    expect(() => validateTags(scope(), 'tags', undefined)).not.toThrow();
    expect(() => validateTags(scope(), 'tags', mapToken())).not.toThrow();
    expect(() => validateTags(scope(), 'tags', { [stringToken()]: 'v', env: stringToken() })).not.toThrow();
  });
});
