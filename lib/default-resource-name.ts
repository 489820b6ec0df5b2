import { createHash } from 'node:crypto';
import { IConstruct } from 'constructs';
import { AzureNameRule } from './validation/azure-resource-names';

/**
 * Derives a deterministic default name from the construct path: a readable slug of the path plus a short hash of
 * the full path, so two constructs never share a name and re-synthesis never renames a resource.
 *
 * Names of globally unique resources (Web PubSub, Function App, storage) are only unique per construct path;
 * pass an explicit name when two deployments of the same code share a subscription or cloud namespace.
 */
export function defaultResourceName(scope: IConstruct, rule: AzureNameRule, prefix: string): string {
  const hash = createHash('sha256').update(scope.node.path).digest('hex').slice(0, 8);
  const lowercaseOnly = rule.pattern.test('ab') && !rule.pattern.test('Ab');
  const separator = rule.pattern.test('a-b') ? '-' : '';
  const path = scope.node.scopes
    .slice(1) // the App has an empty id
    .map((c) => c.node.id)
    .join(separator);
  let slug = path.replace(/[^A-Za-z0-9]+/g, separator).replace(/^-+|-+$/g, '');
  if (lowercaseOnly) slug = slug.toLowerCase();
  const room = rule.maxLength - (prefix.length + hash.length + 2 * separator.length);
  slug = slug.slice(0, Math.max(0, room)).replace(/-+$/g, '');
  return [prefix, slug, hash].filter((part) => part.length > 0).join(separator);
}
