import { createHash } from 'node:crypto';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { assignBuiltInRole, BuiltInRole, IRolePrincipal } from './built-in-role';

/** What a resource object needs to hand out role assignments on itself. */
export interface GrantTarget extends IConstruct {
  /** ARM id of the resource the role is assigned on. */
  readonly grantScopeId: string;
}

interface Grant {
  readonly assignment: RoleAssignment;
  readonly stack: TerraformStack;
}

// Per resource object: the grants made on it, by role and principal.
const GRANTS = new WeakMap<IConstruct, Map<string, Grant>>();

/** A stable identity of a principal: its construct path when it is a construct, else `principalKey`/`principalId`. */
export function principalKeyOf(principal: IRolePrincipal): string {
  if (Construct.isConstruct(principal)) return `construct:${principal.node.path}`;
  return principal.principalKey ?? principal.principalId;
}

/** Where an assignment goes when the caller does not say: the grantee's stack when it is a construct, else the target's. */
function defaultRequester(target: GrantTarget, principal: IRolePrincipal): IConstruct {
  return Construct.isConstruct(principal) ? principal : target;
}

const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8);

/**
 * Assigns `role` on `target` to `principal` once. Azure allows one assignment per (scope, role, principal) and
 * answers a second with 409 RoleAssignmentExists, so a resource shared by several apps (one storage account, one
 * identity) returns the assignment it already made.
 *
 * Where the assignment lives (`requester` defaults to the grantee when it is a construct, else the target): with the
 * target when the requester is in the target's stack; otherwise in the
 * requester's stack (the stack that consumes the shared resource is applied after the one that owns it, so the
 * owner never depends on its consumers), under the principal when it is a construct of that stack (a shared identity
 * keeps its assignments when one of the apps that use it is removed), else under the requester. Construct ids come from the principal's stable key, never from list
 * positions, so reordering inputs never replaces an assignment.
 */
export function grantRoleOnce(target: GrantTarget, role: BuiltInRole, principal: IRolePrincipal, requester: IConstruct = defaultRequester(target, principal)): RoleAssignment {
  let grants = GRANTS.get(target);
  if (!grants) GRANTS.set(target, (grants = new Map()));
  const key = `${role.roleId}|${principalKeyOf(principal)}`;
  const requesterStack = TerraformStack.of(requester);
  const existing = grants.get(key);
  if (existing) {
    if (existing.stack !== requesterStack) {
      throw new Error(
        `${requester.node.path}: "${role.roleName}" on ${target.node.path} for the same principal is already assigned in stack ` +
          `"${existing.stack.node.id}"; Azure allows one assignment per scope, role and principal. Share the app's identity ` +
          `within one stack, or give each stack its own identity`,
      );
    }
    return existing.assignment;
  }
  const sameStack = TerraformStack.of(target) === requesterStack;
  const id = `${role.idFragment}-${shortHash(principalKeyOf(principal))}`;
  const principalHere = Construct.isConstruct(principal) && TerraformStack.of(principal) === requesterStack;
  const scope = sameStack ? target : principalHere ? principal : requester;
  const assignment = assignBuiltInRole(
    scope as Construct,
    sameStack ? id : `${id}-on-${shortHash(target.node.path)}`,
    role,
    target.grantScopeId,
    principal,
  );
  grants.set(key, { assignment, stack: requesterStack });
  return assignment;
}
