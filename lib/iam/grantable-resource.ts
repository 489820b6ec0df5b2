import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct, IConstruct } from 'constructs';
import { LibraryConstruct } from '../core/edition-guard';
import { BuiltInRole, IRolePrincipal } from './built-in-role';
import { GrantTarget, grantRoleOnce } from './role-grants';

/**
 * The base of the resources that hand out roles on themselves (the Web PubSub service, the host storage account,
 * Application Insights), created or imported: `grant(grantee, role)` once, here, for all of them.
 */
export abstract class GrantableResource extends LibraryConstruct implements GrantTarget {
  protected constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  /** ARM id of the resource the roles are assigned on. */
  public abstract get grantScopeId(): string;

  /**
   * Grants any role on this resource (only) to a principal, once per (role, principal).
   * @param requester the construct whose stack holds the assignment when this resource lives in another stack
   *   (default: the grantee's stack when it is a construct, else this resource's)
   */
  public grant(grantee: IRolePrincipal, role: BuiltInRole, requester?: IConstruct): RoleAssignment {
    return grantRoleOnce(this, role, grantee, requester);
  }
}
