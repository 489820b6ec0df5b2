import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct, IConstruct } from 'constructs';
import { IRolePrincipal } from '../iam/built-in-role';
import { defaultResourceName } from '../core/default-resource-name';
import { ARM_RESOURCE_TYPES, validateArmResourceId, validateGuid } from '../validation/arm-ids';
import { USER_ASSIGNED_IDENTITY_NAME, validateAzureName } from '../validation/azure-resource-names';
import { validateTags } from '../validation/tags';
import { LibraryConstruct } from '../core/edition-guard';
import { type IResourceGroup, validateResourceGroup } from '../core/resource-group';

/** A user-assigned managed identity: what role assignments and identity-based settings need. */
export interface IUserAssignedIdentity extends IRolePrincipal, IConstruct {
  /** ARM resource ID (for `identity_ids`, the Flex deployment storage identity, `..._MI_RESOURCE_ID`). */
  readonly identityId: string;
  /** Client (application) ID, written to `<prefix>__clientId` settings. */
  readonly clientId: string;
}

/** Attributes of an existing user-assigned identity. */
export interface FunctionAppIdentityAttributes {
  /** ARM resource ID of the identity. */
  readonly identityId: string;
  /** Client (application) ID. */
  readonly clientId: string;
  /** Object (principal) ID. */
  readonly principalId: string;
}

/** Props of {@link FunctionAppIdentity}. */
export interface FunctionAppIdentityProps {
  /** Resource group (and region) of the identity: an azurerm `ResourceGroup`, or `{ name, location }`. */
  readonly resourceGroup: IResourceGroup;
  /**
   * Name of the identity.
   * @default - derived from the construct path plus a per-deployment random suffix
   */
  readonly name?: string;
  /**
   * Tags of the identity.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * A user-assigned identity for function apps. It exists before the app, so every role assignment can be in place
 * before the app first starts (no window where the host runs without storage or Web PubSub access). Several apps may
 * share one identity object; role assignments on a shared resource are then made once.
 */
export class FunctionAppIdentity extends LibraryConstruct implements IUserAssignedIdentity {
  /** References an existing identity. */
  public static fromFunctionAppIdentityAttributes(scope: Construct, id: string, attrs: FunctionAppIdentityAttributes): IUserAssignedIdentity {
    class Imported extends LibraryConstruct implements IUserAssignedIdentity {
      public readonly identityId: string;
      public readonly clientId = attrs.clientId;
      public readonly principalId = attrs.principalId;
      public readonly principalType = 'ServicePrincipal' as const;
      public constructor() {
        super(scope, id);
        this.identityId = validateArmResourceId(this, 'identityId', attrs.identityId, ARM_RESOURCE_TYPES.USER_ASSIGNED_IDENTITY);
        validateGuid(this, 'clientId', attrs.clientId);
        validateGuid(this, 'principalId', attrs.principalId);
      }
    }
    return new Imported();
  }

  public readonly identityId: string;
  public readonly clientId: string;
  public readonly principalId: string;
  public readonly principalType = 'ServicePrincipal' as const;
  /** The `azurerm_user_assigned_identity` resource (escape hatch). */
  public readonly resource: UserAssignedIdentity;

  public constructor(scope: Construct, id: string, props: FunctionAppIdentityProps) {
    super(scope, id);
    validateResourceGroup(this, props);
    validateTags(this, 'tags', props.tags);
    const name = props.name ?? defaultResourceName(this, USER_ASSIGNED_IDENTITY_NAME, 'id');
    validateAzureName(this, 'name', name, USER_ASSIGNED_IDENTITY_NAME);
    this.resource = new UserAssignedIdentity(this, 'Resource', {
      name,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      tags: props.tags,
    });
    this.identityId = this.resource.id;
    this.clientId = this.resource.clientId;
    this.principalId = this.resource.principalId;
  }
}
