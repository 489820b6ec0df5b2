import type { IUserAssignedIdentity } from './function-app-identity';

/** Options of {@link AppIdentity.userAssigned}. */
export interface UserAssignedAppIdentityProps {
  /**
   * Name of the new identity.
   * @default - derived from the construct path plus a per-deployment random suffix
   */
  readonly name?: string;
}

/** What an {@link AppIdentity} is: a user-assigned identity (new or given) or the app's system-assigned one. */
export type AppIdentityKind = 'UserAssigned' | 'SystemAssigned';

/** The kinds, for the runtime check of JavaScript callers (who may pass a string or a plain object instead). */
export const APP_IDENTITY_KINDS: readonly AppIdentityKind[] = ['UserAssigned', 'SystemAssigned'];

/**
 * The managed identity a function app runs as: its host storage, Application Insights and Web PubSub bindings
 * authenticate with it, and it holds their roles. One choice instead of separate type, existing-identity and name
 * props, so combinations that cannot work (a name for a system identity, a name for an identity made elsewhere) cannot
 * be written.
 */
export class AppIdentity {
  /**
   * A new user-assigned identity (`FunctionAppIdentity`) in the app's scope, in its resource group and region, with
   * its tags. It exists before the app, so every role assignment is in place when the app first starts (no window
   * in which the host runs without storage or Web PubSub access). This is the default; without props the name is
   * derived from the construct path plus a per-deployment random suffix.
   * @param props - the identity's name
   */
  public static userAssigned(props: UserAssignedAppIdentityProps = {}): AppIdentity {
    return new AppIdentity('UserAssigned', undefined, props.name);
  }

  /**
   * An existing user-assigned identity, e.g. one shared by several apps: a `FunctionAppIdentity` created elsewhere or
   * `FunctionAppIdentity.fromFunctionAppIdentityAttributes(...)`. Nothing is created; like a new one it gets its roles
   * before the app starts, each role on a shared resource assigned once however many apps use the identity.
   * @param identity - the identity the app runs as
   */
  public static fromIdentity(identity: IUserAssignedIdentity): AppIdentity {
    // TypeScript callers cannot get here without an identity; JavaScript callers would otherwise get a new one silently.
    if (identity === undefined || identity === null || typeof identity !== 'object') {
      throw new TypeError('AppIdentity.fromIdentity(identity): `identity` must be a user-assigned identity (FunctionAppIdentity or FunctionAppIdentity.fromFunctionAppIdentityAttributes(...))');
    }
    return new AppIdentity('UserAssigned', identity, undefined);
  }

  /**
   * The app's system-assigned identity: created and deleted with the app, no client id to configure (the
   * `__clientId` settings are left out). Its roles follow the app: they can only be assigned once the app exists.
   */
  public static systemAssigned(): AppIdentity {
    return new AppIdentity('SystemAssigned', undefined, undefined);
  }

  /** User-assigned (new or given) or system-assigned. */
  public readonly kind: AppIdentityKind;
  /** The given identity (`fromIdentity`); undefined when one is created or the identity is system-assigned. */
  public readonly existingIdentity?: IUserAssignedIdentity;
  /** Name of the new identity (`userAssigned({ name })`). */
  public readonly name?: string;

  private constructor(kind: AppIdentityKind, existingIdentity: IUserAssignedIdentity | undefined, name: string | undefined) {
    this.kind = kind;
    this.existingIdentity = existingIdentity;
    this.name = name;
  }
}
