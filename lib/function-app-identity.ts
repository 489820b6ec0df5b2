import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { IRolePrincipal } from './built-in-role';
import { defaultResourceName } from './default-resource-name';
import { USER_ASSIGNED_IDENTITY_NAME, validateAzureName } from './validation/azure-resource-names';
import { assertNotBoth } from './validation/invalid-prop-error';

/** A user-assigned managed identity: what role assignments and identity-based settings need. */
export interface IUserAssignedIdentity extends IRolePrincipal {
  /** ARM resource ID (for `identity_ids`, `storage_user_assigned_identity_id`, `..._MI_RESOURCE_ID`). */
  readonly identityId: string;
  /** Client (application) ID, written to `<prefix>__clientId` settings. */
  readonly clientId: string;
}

/** Attributes of an existing user-assigned identity. */
export interface UserAssignedIdentityAttributes {
  /** ARM resource ID of the identity. */
  readonly identityId: string;
  /** Client (application) ID. */
  readonly clientId: string;
  /** Object (principal) ID. */
  readonly principalId: string;
}

/** Props of {@link FunctionAppIdentity}. */
export interface FunctionAppIdentityProps {
  /** Resource group for a new identity. */
  readonly resourceGroupName: string;
  /** Region for a new identity. */
  readonly location: string;
  /**
   * Use this identity instead of creating one.
   * @default - a new identity is created
   */
  readonly existingIdentity?: UserAssignedIdentityAttributes;
  /**
   * Name of the new identity.
   * @default - derived deterministically from the construct path
   */
  readonly name?: string;
  /**
   * Tags of the new identity.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * The function app's user-assigned identity. It exists before the app, so every role assignment can be in place
 * before the app first starts (no window where the host runs without storage or Web PubSub access).
 */
export class FunctionAppIdentity extends Construct implements IUserAssignedIdentity {
  public readonly identityId: string;
  public readonly clientId: string;
  public readonly principalId: string;
  public readonly principalType = 'ServicePrincipal' as const;
  /** The created identity; undefined when an existing one is used. */
  public readonly resource?: UserAssignedIdentity;

  public constructor(scope: Construct, id: string, props: FunctionAppIdentityProps) {
    super(scope, id);
    assertNotBoth(this, 'existingIdentity', props.existingIdentity, 'name', props.name);
    if (props.existingIdentity) {
      this.identityId = props.existingIdentity.identityId;
      this.clientId = props.existingIdentity.clientId;
      this.principalId = props.existingIdentity.principalId;
      return;
    }
    const name = props.name ?? defaultResourceName(this, USER_ASSIGNED_IDENTITY_NAME, 'id');
    validateAzureName(this, 'name', name, USER_ASSIGNED_IDENTITY_NAME);
    this.resource = new UserAssignedIdentity(this, 'Resource', {
      name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tags: props.tags,
    });
    this.identityId = this.resource.id;
    this.clientId = this.resource.clientId;
    this.principalId = this.resource.principalId;
  }
}
