import {
  WebPubSubArgumentError,
  optionalNonEmptyString,
  optionalNonEmptyStringArray,
  optionalString,
  requireNonEmptyString,
  requireOneOf,
} from './argument-checks';
import { type MessageData, type WebPubSubDataType, checkMessageData } from './message-data';

/**
 * Typed builders for the 14 actions of the `webPubSub` output binding. Set one action or an array of them on the
 * output, e.g. `context.extraOutputs.set(wpsOutput, [sendToAll({ data: 'hi', dataType: 'text' })])`.
 *
 * In JavaScript "**`actionName`** is the key parameter to resolve the type"; the other keys are the camelCase
 * property names of the seed's tables. Builders check the values first and throw a `WebPubSubArgumentError` naming
 * the action, the field and the value; optional fields that are not given are left out of the payload.
 *
 * @see seed 002 "Output binding > WebPubSubAction" (JavaScript Model v4 table)
 */

/**
 * Connection permissions that `grantPermission` / `revokePermission` manage. The seed lists the `Permission` property
 * but not its values; these are the camelCase names of `WebPubSubPermission` in the extension (`SendToGroup`,
 * `JoinLeaveGroup`), matching the client roles `webpubsub.sendToGroup` / `webpubsub.joinLeaveGroup` of seed 000.
 *
 * @see seed 002 "Output binding > WebPubSubAction" (`grantPermission`/`revokePermission`: ConnectionId, Permission, TargetName)
 */
export type WebPubSubPermission = 'sendToGroup' | 'joinLeaveGroup';

/** All {@link WebPubSubPermission} values. */
export const WEB_PUBSUB_PERMISSIONS: readonly WebPubSubPermission[] = ['sendToGroup', 'joinLeaveGroup'];

/** The `actionName` of every output action, in the seed's order. @see seed 002 "Output binding > WebPubSubAction" */
export const WEB_PUBSUB_ACTION_NAMES = [
  'sendToAll',
  'sendToGroup',
  'sendToUser',
  'sendToConnection',
  'addUserToGroup',
  'removeUserFromGroup',
  'removeUserFromAllGroups',
  'addConnectionToGroup',
  'removeConnectionFromGroup',
  'closeAllConnections',
  'closeClientConnection',
  'closeGroupConnections',
  'grantPermission',
  'revokePermission',
] as const;

/** One of the 14 `actionName` values. */
export type WebPubSubActionName = (typeof WEB_PUBSUB_ACTION_NAMES)[number];

/** Message fields of the send actions (after checking: bytes are a `Buffer`). */
interface MessagePayload {
  readonly data: string | Buffer;
  readonly dataType: WebPubSubDataType;
}

/** `sendToAll` action: broadcast to every connection of the hub. @see seed 002 (`sendToAll`: Data, DataType, Excluded) */
export interface SendToAllAction extends MessagePayload {
  readonly actionName: 'sendToAll';
  readonly excluded?: string[];
}

/** `sendToGroup` action. @see seed 002 (`sendToGroup`: Group, Data, DataType, Excluded) */
export interface SendToGroupAction extends MessagePayload {
  readonly actionName: 'sendToGroup';
  readonly group: string;
  readonly excluded?: string[];
}

/** `sendToUser` action: every connection of a user. @see seed 002 (`sendToUser`: UserId, Data, DataType) */
export interface SendToUserAction extends MessagePayload {
  readonly actionName: 'sendToUser';
  readonly userId: string;
}

/** `sendToConnection` action. @see seed 002 (`sendToConnection`: ConnectionId, Data, DataType) */
export interface SendToConnectionAction extends MessagePayload {
  readonly actionName: 'sendToConnection';
  readonly connectionId: string;
}

/** `addUserToGroup` action. @see seed 002 (`addUserToGroup`: UserId, Group) */
export interface AddUserToGroupAction {
  readonly actionName: 'addUserToGroup';
  readonly userId: string;
  readonly group: string;
}

/** `removeUserFromGroup` action. @see seed 002 (`removeUserFromGroup`: UserId, Group) */
export interface RemoveUserFromGroupAction {
  readonly actionName: 'removeUserFromGroup';
  readonly userId: string;
  readonly group: string;
}

/** `removeUserFromAllGroups` action. @see seed 002 (`removeUserFromAllGroups`: UserId) */
export interface RemoveUserFromAllGroupsAction {
  readonly actionName: 'removeUserFromAllGroups';
  readonly userId: string;
}

/** `addConnectionToGroup` action. @see seed 002 (`addConnectionToGroup`: ConnectionId, Group) */
export interface AddConnectionToGroupAction {
  readonly actionName: 'addConnectionToGroup';
  readonly connectionId: string;
  readonly group: string;
}

/** `removeConnectionFromGroup` action. @see seed 002 (`removeConnectionFromGroup`: ConnectionId, Group) */
export interface RemoveConnectionFromGroupAction {
  readonly actionName: 'removeConnectionFromGroup';
  readonly connectionId: string;
  readonly group: string;
}

/** `closeAllConnections` action. @see seed 002 (`closeAllConnections`: Excluded, Reason) */
export interface CloseAllConnectionsAction {
  readonly actionName: 'closeAllConnections';
  readonly excluded?: string[];
  readonly reason?: string;
}

/** `closeClientConnection` action. @see seed 002 (`closeClientConnection`: ConnectionId, Reason) */
export interface CloseClientConnectionAction {
  readonly actionName: 'closeClientConnection';
  readonly connectionId: string;
  readonly reason?: string;
}

/** `closeGroupConnections` action. @see seed 002 (`closeGroupConnections`: Group, Excluded, Reason) */
export interface CloseGroupConnectionsAction {
  readonly actionName: 'closeGroupConnections';
  readonly group: string;
  readonly excluded?: string[];
  readonly reason?: string;
}

/** `grantPermission` action. @see seed 002 (`grantPermission`: ConnectionId, Permission, TargetName) */
export interface GrantPermissionAction {
  readonly actionName: 'grantPermission';
  readonly connectionId: string;
  readonly permission: WebPubSubPermission;
  readonly targetName?: string;
}

/** `revokePermission` action. @see seed 002 (`revokePermission`: ConnectionId, Permission, TargetName) */
export interface RevokePermissionAction {
  readonly actionName: 'revokePermission';
  readonly connectionId: string;
  readonly permission: WebPubSubPermission;
  readonly targetName?: string;
}

/**
 * Any `webPubSub` output action (`WebPubSubAction` in the seed), discriminated by `actionName`.
 *
 * @see seed 002 "Output binding > WebPubSubAction"
 */
export type WebPubSubAction =
  | SendToAllAction
  | SendToGroupAction
  | SendToUserAction
  | SendToConnectionAction
  | AddUserToGroupAction
  | RemoveUserFromGroupAction
  | RemoveUserFromAllGroupsAction
  | AddConnectionToGroupAction
  | RemoveConnectionFromGroupAction
  | CloseAllConnectionsAction
  | CloseClientConnectionAction
  | CloseGroupConnectionsAction
  | GrantPermissionAction
  | RevokePermissionAction;

/** Options of {@link sendToAll}: the message plus connection ids to leave out. */
export type SendToAllOptions = MessageData & { readonly excluded?: readonly string[] };
/** Options of {@link sendToGroup}. */
export type SendToGroupOptions = MessageData & { readonly group: string; readonly excluded?: readonly string[] };
/** Options of {@link sendToUser}. */
export type SendToUserOptions = MessageData & { readonly userId: string };
/** Options of {@link sendToConnection}. */
export type SendToConnectionOptions = MessageData & { readonly connectionId: string };
/** Options of {@link addUserToGroup} and {@link removeUserFromGroup}. */
export interface UserGroupOptions {
  readonly userId: string;
  readonly group: string;
}
/** Options of {@link removeUserFromAllGroups}. */
export interface UserOptions {
  readonly userId: string;
}
/** Options of {@link addConnectionToGroup} and {@link removeConnectionFromGroup}. */
export interface ConnectionGroupOptions {
  readonly connectionId: string;
  readonly group: string;
}
/** Options of {@link closeAllConnections}. */
export interface CloseAllConnectionsOptions {
  /** Connection ids to keep open. @default - none: every connection closes */
  readonly excluded?: readonly string[];
  /** Close reason sent to the clients. @default - no reason */
  readonly reason?: string;
}
/** Options of {@link closeClientConnection}. */
export interface CloseClientConnectionOptions {
  readonly connectionId: string;
  /** Close reason sent to the client. @default - no reason */
  readonly reason?: string;
}
/** Options of {@link closeGroupConnections}. */
export interface CloseGroupConnectionsOptions {
  readonly group: string;
  /** Connection ids to keep open. @default - none */
  readonly excluded?: readonly string[];
  /** Close reason sent to the clients. @default - no reason */
  readonly reason?: string;
}
/** Options of {@link grantPermission} and {@link revokePermission}. */
export interface PermissionOptions {
  readonly connectionId: string;
  readonly permission: WebPubSubPermission;
  /** The group the permission applies to. @default - the service applies it to all groups */
  readonly targetName?: string;
}

function requireOptions(action: WebPubSubActionName, options: unknown): Record<string, unknown> {
  if (options === null || typeof options !== 'object') {
    throw new WebPubSubArgumentError(action, 'options', 'must be an object', options);
  }
  return options as Record<string, unknown>;
}

/** Copies the defined entries only, so optional fields that were not given do not appear in the payload. */
function withoutUndefined<T extends object>(payload: T): T {
  return Object.fromEntries(Object.entries(payload).filter(([, value]) => value !== undefined)) as T;
}

/** Builds a `sendToAll` action. @see seed 002 "Output binding > WebPubSubAction" (`sendToAll`) */
export function sendToAll(options: SendToAllOptions): SendToAllAction {
  const o = requireOptions('sendToAll', options);
  return withoutUndefined<SendToAllAction>({
    actionName: 'sendToAll',
    ...checkMessageData('sendToAll', o.data, o.dataType),
    excluded: optionalNonEmptyStringArray('sendToAll', 'excluded', o.excluded),
  });
}

/** Builds a `sendToGroup` action. @see seed 002 "Output binding > WebPubSubAction" (`sendToGroup`) */
export function sendToGroup(options: SendToGroupOptions): SendToGroupAction {
  const o = requireOptions('sendToGroup', options);
  return withoutUndefined<SendToGroupAction>({
    actionName: 'sendToGroup',
    group: requireNonEmptyString('sendToGroup', 'group', o.group),
    ...checkMessageData('sendToGroup', o.data, o.dataType),
    excluded: optionalNonEmptyStringArray('sendToGroup', 'excluded', o.excluded),
  });
}

/** Builds a `sendToUser` action. @see seed 002 "Output binding > WebPubSubAction" (`sendToUser`) */
export function sendToUser(options: SendToUserOptions): SendToUserAction {
  const o = requireOptions('sendToUser', options);
  return {
    actionName: 'sendToUser',
    userId: requireNonEmptyString('sendToUser', 'userId', o.userId),
    ...checkMessageData('sendToUser', o.data, o.dataType),
  };
}

/** Builds a `sendToConnection` action. @see seed 002 "Output binding > WebPubSubAction" (`sendToConnection`) */
export function sendToConnection(options: SendToConnectionOptions): SendToConnectionAction {
  const o = requireOptions('sendToConnection', options);
  return {
    actionName: 'sendToConnection',
    connectionId: requireNonEmptyString('sendToConnection', 'connectionId', o.connectionId),
    ...checkMessageData('sendToConnection', o.data, o.dataType),
  };
}

/** Builds an `addUserToGroup` action. @see seed 002 "Output binding > WebPubSubAction" (`addUserToGroup`) */
export function addUserToGroup(options: UserGroupOptions): AddUserToGroupAction {
  const o = requireOptions('addUserToGroup', options);
  return {
    actionName: 'addUserToGroup',
    userId: requireNonEmptyString('addUserToGroup', 'userId', o.userId),
    group: requireNonEmptyString('addUserToGroup', 'group', o.group),
  };
}

/** Builds a `removeUserFromGroup` action. @see seed 002 "Output binding > WebPubSubAction" (`removeUserFromGroup`) */
export function removeUserFromGroup(options: UserGroupOptions): RemoveUserFromGroupAction {
  const o = requireOptions('removeUserFromGroup', options);
  return {
    actionName: 'removeUserFromGroup',
    userId: requireNonEmptyString('removeUserFromGroup', 'userId', o.userId),
    group: requireNonEmptyString('removeUserFromGroup', 'group', o.group),
  };
}

/** Builds a `removeUserFromAllGroups` action. @see seed 002 "Output binding > WebPubSubAction" (`removeUserFromAllGroups`) */
export function removeUserFromAllGroups(options: UserOptions): RemoveUserFromAllGroupsAction {
  const o = requireOptions('removeUserFromAllGroups', options);
  return {
    actionName: 'removeUserFromAllGroups',
    userId: requireNonEmptyString('removeUserFromAllGroups', 'userId', o.userId),
  };
}

/** Builds an `addConnectionToGroup` action. @see seed 002 "Output binding > WebPubSubAction" (`addConnectionToGroup`) */
export function addConnectionToGroup(options: ConnectionGroupOptions): AddConnectionToGroupAction {
  const o = requireOptions('addConnectionToGroup', options);
  return {
    actionName: 'addConnectionToGroup',
    connectionId: requireNonEmptyString('addConnectionToGroup', 'connectionId', o.connectionId),
    group: requireNonEmptyString('addConnectionToGroup', 'group', o.group),
  };
}

/** Builds a `removeConnectionFromGroup` action. @see seed 002 "Output binding > WebPubSubAction" (`removeConnectionFromGroup`) */
export function removeConnectionFromGroup(options: ConnectionGroupOptions): RemoveConnectionFromGroupAction {
  const o = requireOptions('removeConnectionFromGroup', options);
  return {
    actionName: 'removeConnectionFromGroup',
    connectionId: requireNonEmptyString('removeConnectionFromGroup', 'connectionId', o.connectionId),
    group: requireNonEmptyString('removeConnectionFromGroup', 'group', o.group),
  };
}

/** Builds a `closeAllConnections` action. @see seed 002 "Output binding > WebPubSubAction" (`closeAllConnections`) */
export function closeAllConnections(options: CloseAllConnectionsOptions = {}): CloseAllConnectionsAction {
  const o = requireOptions('closeAllConnections', options);
  return withoutUndefined<CloseAllConnectionsAction>({
    actionName: 'closeAllConnections',
    excluded: optionalNonEmptyStringArray('closeAllConnections', 'excluded', o.excluded),
    reason: optionalString('closeAllConnections', 'reason', o.reason),
  });
}

/** Builds a `closeClientConnection` action. @see seed 002 "Output binding > WebPubSubAction" (`closeClientConnection`) */
export function closeClientConnection(options: CloseClientConnectionOptions): CloseClientConnectionAction {
  const o = requireOptions('closeClientConnection', options);
  return withoutUndefined<CloseClientConnectionAction>({
    actionName: 'closeClientConnection',
    connectionId: requireNonEmptyString('closeClientConnection', 'connectionId', o.connectionId),
    reason: optionalString('closeClientConnection', 'reason', o.reason),
  });
}

/** Builds a `closeGroupConnections` action. @see seed 002 "Output binding > WebPubSubAction" (`closeGroupConnections`) */
export function closeGroupConnections(options: CloseGroupConnectionsOptions): CloseGroupConnectionsAction {
  const o = requireOptions('closeGroupConnections', options);
  return withoutUndefined<CloseGroupConnectionsAction>({
    actionName: 'closeGroupConnections',
    group: requireNonEmptyString('closeGroupConnections', 'group', o.group),
    excluded: optionalNonEmptyStringArray('closeGroupConnections', 'excluded', o.excluded),
    reason: optionalString('closeGroupConnections', 'reason', o.reason),
  });
}

function permissionFields(action: 'grantPermission' | 'revokePermission', o: Record<string, unknown>) {
  return withoutUndefined({
    connectionId: requireNonEmptyString(action, 'connectionId', o.connectionId),
    permission: requireOneOf(action, 'permission', o.permission, WEB_PUBSUB_PERMISSIONS),
    targetName: optionalNonEmptyString(action, 'targetName', o.targetName),
  });
}

/** Builds a `grantPermission` action. @see seed 002 "Output binding > WebPubSubAction" (`grantPermission`) */
export function grantPermission(options: PermissionOptions): GrantPermissionAction {
  return { actionName: 'grantPermission', ...permissionFields('grantPermission', requireOptions('grantPermission', options)) };
}

/** Builds a `revokePermission` action. @see seed 002 "Output binding > WebPubSubAction" (`revokePermission`) */
export function revokePermission(options: PermissionOptions): RevokePermissionAction {
  return { actionName: 'revokePermission', ...permissionFields('revokePermission', requireOptions('revokePermission', options)) };
}
