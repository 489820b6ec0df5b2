import { createHash } from 'node:crypto';
import { StringResource } from '@cdktf/provider-random/lib/string-resource';
import { TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { AzureNameRule } from '../validation/azure-resource-names';

/** Length of the per-deployment suffix every default name ends with. */
export const DEPLOYMENT_SUFFIX_LENGTH = 6;
const SUFFIX_ID = 'DeploymentNameSuffix';
const PATH_HASH_LENGTH = 6;

/**
 * The per-deployment suffix of a stack's default names: a `random_string` (6 lowercase letters and digits) created
 * once per stack. Its value lives in the Terraform state, so names stay the same across applies of one deployment,
 * and two deployments of the same code (two states) get different names, the way CloudFormation generates physical
 * names. The configuration itself stays deterministic: it only references the resource.
 */
export function deploymentNameSuffix(scope: IConstruct): string {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(SUFFIX_ID) as Construct | undefined;
  const holder = existing ?? new Construct(stack, SUFFIX_ID);
  const random =
    (holder.node.tryFindChild('Value') as StringResource | undefined) ??
    new StringResource(holder, 'Value', { length: DEPLOYMENT_SUFFIX_LENGTH, lower: true, numeric: true, upper: false, special: false });
  return random.result;
}

/**
 * The longest default name per rule when shorter than the rule allows: Function App names share their first 32
 * characters with the Functions host ID, and two apps on one storage account with the same host ID stop each other
 * (https://learn.microsoft.com/azure/azure-functions/storage-considerations#host-id-considerations).
 */
const DEFAULT_MAX_LENGTH: Readonly<Record<string, number>> = { 'Function App (Microsoft.Web/sites)': 32 };

/**
 * A default name: `<prefix>-<readable slug of the construct path>-<hash of the path>-<deployment suffix>`, within
 * the rule's length and character set (no separators where the rule allows none, lowercase where it requires it).
 * The path hash keeps two constructs of one stack apart; the suffix ({@link deploymentNameSuffix}) keeps deployments
 * apart, so globally unique names (Web PubSub, Function App, storage) do not collide with anyone else's.
 * An explicit name always wins over this.
 */
export function defaultResourceName(scope: IConstruct, rule: AzureNameRule, prefix: string): string {
  const hash = createHash('sha256').update(scope.node.path).digest('hex').slice(0, PATH_HASH_LENGTH);
  const lowercaseOnly = rule.pattern.test('ab') && !rule.pattern.test('Ab');
  const separator = rule.pattern.test('a-b') ? '-' : '';
  const maxLength = Math.min(rule.maxLength, DEFAULT_MAX_LENGTH[rule.resource] ?? rule.maxLength);
  const path = scope.node.scopes
    .slice(1) // the App has an empty id
    .map((c) => c.node.id)
    .join(separator);
  let slug = path.replace(/[^A-Za-z0-9]+/g, separator).replace(/^-+|-+$/g, '');
  if (lowercaseOnly) slug = slug.toLowerCase();
  const fixed = prefix.length + hash.length + DEPLOYMENT_SUFFIX_LENGTH + 3 * separator.length;
  slug = slug.slice(0, Math.max(0, maxLength - fixed)).replace(/-+$/g, '');
  const literal = [prefix, slug, hash].filter((part) => part.length > 0).join(separator);
  return `${literal}${separator}${deploymentNameSuffix(scope)}`;
}

/** The literal part of a default name (everything before the deployment suffix), for checks that need a literal. */
export function literalPrefixOf(name: string): string {
  const tokenStart = name.indexOf('${');
  return tokenStart < 0 ? name : name.slice(0, tokenStart);
}
