import { Fn } from 'cdktf';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import { WEB_PUBSUB_SERVICE_OWNER_ROLE_ID } from '../common/role-ids';

/**
 * An Azure built-in role, referenced by its GUID (names can change; GUIDs are stable across clouds).
 * GUIDs from https://learn.microsoft.com/azure/role-based-access-control/built-in-roles (docs/azure-sources.md §1).
 */
export class BuiltInRole {
  /**
   * Data-plane access to Web PubSub REST APIs; what the Web PubSub bindings need with an identity
   * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub#identity-based-connection).
   */
  public static readonly WEB_PUBSUB_SERVICE_OWNER = new BuiltInRole('Web PubSub Service Owner', WEB_PUBSUB_SERVICE_OWNER_ROLE_ID);
  /** Read-only data-plane access to Web PubSub REST APIs (the `read` data actions of `Microsoft.SignalRService/WebPubSub`). */
  public static readonly WEB_PUBSUB_SERVICE_READER = new BuiltInRole('Web PubSub Service Reader', 'bfb1c7d2-fb1a-466b-b2ba-aee63b92deaf');
  /** Entra-authenticated telemetry ingestion into Application Insights. */
  public static readonly MONITORING_METRICS_PUBLISHER = new BuiltInRole('Monitoring Metrics Publisher', '3913510d-42f4-4e42-8a64-420c390055eb');
  /** Functions host storage (AzureWebJobsStorage blobs) and the Flex Consumption deployment container. */
  public static readonly STORAGE_BLOB_DATA_OWNER = new BuiltInRole('Storage Blob Data Owner', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b');
  /** Uploading run-from-package blobs with Entra ID (the principal running Terraform, Premium and Dedicated plans). */
  public static readonly STORAGE_BLOB_DATA_CONTRIBUTOR = new BuiltInRole('Storage Blob Data Contributor', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe');
  /** Reading a `WEBSITE_RUN_FROM_PACKAGE` blob with a managed identity. */
  public static readonly STORAGE_BLOB_DATA_READER = new BuiltInRole('Storage Blob Data Reader', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1');
  /** Queue access, needed only by apps with queue or blob triggers on host storage (not granted by default). */
  public static readonly STORAGE_QUEUE_DATA_CONTRIBUTOR = new BuiltInRole('Storage Queue Data Contributor', '974c5e8b-45b9-4653-ba55-5f855dd0fb88');
  /** Functions host tables (host diagnostic events). */
  public static readonly STORAGE_TABLE_DATA_CONTRIBUTOR = new BuiltInRole('Storage Table Data Contributor', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3');

  /**
   * Any role by its definition GUID (a built-in role this class has no constant for, or a custom role defined at the
   * subscription): https://learn.microsoft.com/azure/role-based-access-control/built-in-roles.
   * @param roleName a name for descriptions and construct ids
   * @param roleDefinitionId the role definition's GUID (not its full ARM ID)
   */
  public static fromRoleDefinitionId(roleName: string, roleDefinitionId: string): BuiltInRole {
    if (typeof roleName !== 'string' || !/[A-Za-z0-9]/.test(roleName)) {
      throw new Error(`BuiltInRole.fromRoleDefinitionId: \`roleName\` must contain a letter or digit, got ${JSON.stringify(roleName)}`);
    }
    if (typeof roleDefinitionId !== 'string' || !/^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/.test(roleDefinitionId)) {
      throw new Error(`BuiltInRole.fromRoleDefinitionId: \`roleDefinitionId\` must be a role definition GUID (not an ARM ID), got ${JSON.stringify(roleDefinitionId)}`);
    }
    return new BuiltInRole(roleName, roleDefinitionId.toLowerCase(), true);
  }

  private constructor(
    /** Display name, for descriptions only. */
    public readonly roleName: string,
    /** Role definition GUID. */
    public readonly roleId: string,
    /** Made by `fromRoleDefinitionId`: its construct ids carry the GUID, since two such roles may share a name. */
    private readonly byDefinitionId = false,
  ) {}

  /** The role name without spaces, for construct ids (`WebPubSubServiceOwner`). */
  public get idFragment(): string {
    const name = this.roleName.replace(/[^A-Za-z0-9]/g, '');
    // The constants keep their ids (existing Terraform addresses); roles by GUID add it, so `My Role` and `MyRole`, or a
    // custom role named like a built-in one, never collide.
    return this.byDefinitionId ? `${name}-${this.roleId.slice(0, 8)}` : name;
  }

  /**
   * The subscription-scoped role definition ID for a role assignment at `scopeId`. The subscription is taken from
   * the scope itself (`/subscriptions/<id>/...`), so no data source or subscription prop is needed.
   */
  public definitionIdFor(scopeId: string): string {
    const subscription = Fn.join('/', Fn.slice(Fn.split('/', scopeId), 0, 3));
    return `${subscription}/providers/Microsoft.Authorization/roleDefinitions/${this.roleId}`;
  }
}

/** A principal that can receive role assignments. */
export interface IRolePrincipal {
  /** Object (principal) ID in Entra ID. */
  readonly principalId: string;
  /**
   * `ServicePrincipal` for managed identities: lets ARM skip the directory lookup that fails right after a new
   * identity is created (https://learn.microsoft.com/azure/role-based-access-control/role-assignments-template#new-service-principal).
   * @default - looked up by ARM
   */
  readonly principalType?: 'ServicePrincipal' | 'User' | 'Group';
  /**
   * A stable identity of the principal for de-duplicating role assignments when `principalId` is only known at
   * deploy time (e.g. a system-assigned identity: the app's construct path).
   * @default - the construct path for constructs, else `principalId`
   */
  readonly principalKey?: string;
}

/** Assigns a built-in role on `scopeId` to a principal and returns the assignment. */
export function assignBuiltInRole(
  scope: Construct,
  id: string,
  role: BuiltInRole,
  scopeId: string,
  principal: IRolePrincipal,
): RoleAssignment {
  return new RoleAssignment(scope, id, {
    scope: scopeId,
    roleDefinitionId: role.definitionIdFor(scopeId),
    principalId: principal.principalId,
    principalType: principal.principalType,
    description: `${role.roleName} (cdktf-azure-webpubsub)`,
  });
}
