import { IConstruct } from 'constructs';
import { InvalidPropError, isUnresolved } from './invalid-prop-error';

/**
 * Tag limits. "Each resource, resource group, and subscription can have a maximum of 50 tag name/value pairs.";
 * "The tag name is limited to 512 characters, and the tag value is limited to 256 characters. For storage
 * accounts, the tag name is limited to 128 characters"; "Tag names can't contain these characters: `<`, `>`, `%`,
 * `&`, `\`, `?`, `/`"; "Tag names are case-insensitive for operations".
 * Source: https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations
 * azurerm 4.55 checks the count and lengths (`go-azure-helpers/resourcemanager/tags/validate.go`; storage accounts:
 * `internal/services/storage/validate/storage_account_tags.go`, 128), measuring length with Go's `len`, i.e. in
 * UTF-8 bytes, which is stricter than the documented characters for non-ASCII text; it does not check characters.
 */
export const TAG_LIMITS = {
  maxTags: 50,
  maxNameLength: 512,
  maxStorageAccountNameLength: 128,
  maxValueLength: 256,
  forbiddenNameCharacters: ['<', '>', '%', '&', '\\', '?', '/'],
} as const;

/** Options of {@link validateTags}. */
export interface TagOptions {
  /**
   * The tags go on a storage account (tag names limited to 128 characters).
   * @default false
   */
  readonly storageAccount?: boolean;
}

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * Fails on tags Azure or azurerm rejects: more than 50, a name over 512 (storage accounts: 128) or a value over 256
 * UTF-8 bytes (azurerm's measure; equal to characters for ASCII), a name with `< > % & \ ? /`, two names differing
 * only in case (one tag to Azure, so one value would silently win and Terraform would show a diff forever), or a
 * value that is not a string or number. Token names and values are skipped; a token map is skipped entirely.
 */
export function validateTags(scope: IConstruct, prop: string, tags: unknown, options: TagOptions = {}): void {
  if (tags === undefined || isUnresolved(tags)) return;
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) {
    throw new InvalidPropError(scope, prop, tags, 'must be an object of tag names to string values');
  }
  const entries = Object.entries(tags as Record<string, unknown>);
  if (entries.length > TAG_LIMITS.maxTags) {
    throw new InvalidPropError(scope, prop, `(${entries.length} tags)`, `must have at most ${TAG_LIMITS.maxTags} tags`);
  }
  const maxName = options.storageAccount ? TAG_LIMITS.maxStorageAccountNameLength : TAG_LIMITS.maxNameLength;
  const seen = new Map<string, string>();
  for (const [name, value] of entries) {
    if (!isUnresolved(name)) {
      if (utf8Length(name) > maxName) {
        throw new InvalidPropError(scope, `${prop}`, name, `must have tag names of at most ${maxName} characters${options.storageAccount ? ' on a storage account' : ''} (azurerm counts UTF-8 bytes: ${utf8Length(name)})`);
      }
      const bad = TAG_LIMITS.forbiddenNameCharacters.find((c) => name.includes(c));
      if (bad !== undefined) {
        throw new InvalidPropError(scope, prop, name, `must have tag names without ${TAG_LIMITS.forbiddenNameCharacters.join(' ')} (this one contains "${bad}")`);
      }
      const key = name.toLowerCase();
      const other = seen.get(key);
      if (other !== undefined) {
        throw new InvalidPropError(scope, prop, [other, name], 'must not have tag names that differ only in case: Azure treats tag names case-insensitively, so they are one tag');
      }
      seen.set(key, name);
    }
    if (isUnresolved(value)) continue;
    if (typeof value === 'number' && Number.isFinite(value)) continue;
    if (typeof value !== 'string') {
      throw new InvalidPropError(scope, `${prop}.${name}`, value, 'must be a string');
    }
    if (utf8Length(value) > TAG_LIMITS.maxValueLength) {
      throw new InvalidPropError(scope, `${prop}.${name}`, value, `must be at most ${TAG_LIMITS.maxValueLength} characters (azurerm counts UTF-8 bytes: ${utf8Length(value)})`);
    }
  }
}
