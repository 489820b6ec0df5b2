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
 * property names of the binding's action table. Builders check the values first and throw a `WebPubSubArgumentError`
 * naming the action, the field and the value; optional fields that are not given are left out of the payload.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction (the JavaScript `actionName` table)
 */

/**
 * Connection permissions that `grantPermission` / `revokePermission` manage. The binding docs list the `Permission`
 * property but not its values; these are the camelCase names of `WebPubSubPermission` in the extension
 * (`SendToGroup`, `JoinLeaveGroup`), matching the client roles `webpubsub.sendToGroup` / `webpubsub.joinLeaveGroup`.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction (`grantPermission`/`revokePermission`: ConnectionId, Permission, TargetName)
 * @see https://learn.microsoft.com/dotnet/api/azure.messaging.webpubsub.webpubsubpermission (SendToGroup, JoinLeaveGroup)
 * @see https://learn.microsoft.com/azure/azure-web-pubsub/reference-json-webpubsub-subprotocol#permissions (client roles)
 */
export type WebPubSubPermission = 'sendToGroup' | 'joinLeaveGroup';

/** All {@link WebPubSubPermission} values. */
export const WEB_PUBSUB_PERMISSIONS: readonly WebPubSubPermission[] = ['sendToGroup', 'joinLeaveGroup'];

/**
 * The `actionName` of every output action, in the order of the output binding's action table.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
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

/**
 * `sendToAll` action: broadcast to every connection of the hub. Properties: Data, DataType, Excluded.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export interface SendToAllAction extends MessagePayload {
  readonly actionName: 'sendToAll';
  readonly excluded?: string[];
}

/**
 * `sendToGroup` action. Properties: Group, Data, DataType, Excluded.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export interface SendToGroupAction extends MessagePayload {
  readonly actionName: 'sendToGroup';
  readonly group: string;
  readonly excluded?: string[];
}

/**
 * `sendToUser` action: every connection of a user. Properties: UserId, Data, DataType.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export interface SendToUserAction extends MessagePayload {
  readonly actionName: 'sendToUser';
  readonly userId: string;
}

/**
 * `sendToConnection` action. Properties: ConnectionId, Data, DataType.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export interface SendToConnectionAction extends MessagePayload {
  readonly actionName: 'sendToConnection';
  readonly connectionId: string;
}

/**
 * `addUserToGroup` action. Properties: UserId, Group.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export interface AddUserToGroupAction {
  readonly actionName: 'addUserToGroup';
  readonly userId: string;
  readonly group: string;
}

/**
 * `removeUserFromGroup` action. Properties: UserId, Group.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export interface RemoveUserFromGroupAction {
  readonly actionName: 'removeUserFromGroup';
  readonly userId: string;
  readonly group: string;
}

/**
 * `removeUserFromAllGroups` action. Properties: UserId.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export interface RemoveUserFromAllGroupsAction {
  readonly actionName: 'removeUserFromAllGroups';
  readonly userId: string;
}

/**
 * `addConnectionToGroup` action. Properties: ConnectionId, Group.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export interface AddConnectionToGroupAction {
  readonly actionName: 'addConnectionToGroup';
  readonly connectionId: string;
  readonly group: string;
}

/**
 * `removeConnectionFromGroup` action. Properties: ConnectionId, Group.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export interface RemoveConnectionFromGroupAction {
  readonly actionName: 'removeConnectionFromGroup';
  readonly connectionId: string;
  readonly group: string;
}

/**
 * `closeAllConnections` action. Properties: Excluded, Reason.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export interface CloseAllConnectionsAction {
  readonly actionName: 'closeAllConnections';
  readonly excluded?: string[];
  readonly reason?: string;
}

/**
 * `closeClientConnection` action. Properties: ConnectionId, Reason.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export interface CloseClientConnectionAction {
  readonly actionName: 'closeClientConnection';
  readonly connectionId: string;
  readonly reason?: string;
}

/**
 * `closeGroupConnections` action. Properties: Group, Excluded, Reason.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export interface CloseGroupConnectionsAction {
  readonly actionName: 'closeGroupConnections';
  readonly group: string;
  readonly excluded?: string[];
  readonly reason?: string;
}

/**
 * `grantPermission` action. Properties: ConnectionId, Permission, TargetName.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export interface GrantPermissionAction {
  readonly actionName: 'grantPermission';
  readonly connectionId: string;
  readonly permission: WebPubSubPermission;
  readonly targetName?: string;
}

/**
 * `revokePermission` action. Properties: ConnectionId, Permission, TargetName.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export interface RevokePermissionAction {
  readonly actionName: 'revokePermission';
  readonly connectionId: string;
  readonly permission: WebPubSubPermission;
  readonly targetName?: string;
}

/**
 * Any `webPubSub` output action (`WebPubSubAction` in the binding docs), discriminated by `actionName`.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
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

/**
 * Builds a `sendToAll` action.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export function sendToAll(options: SendToAllOptions): SendToAllAction {
  const o = requireOptions('sendToAll', options);
  return withoutUndefined<SendToAllAction>({
    actionName: 'sendToAll',
    ...checkMessageData('sendToAll', o.data, o.dataType),
    excluded: optionalNonEmptyStringArray('sendToAll', 'excluded', o.excluded),
  });
}

/**
 * Builds a `sendToGroup` action.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export function sendToGroup(options: SendToGroupOptions): SendToGroupAction {
  const o = requireOptions('sendToGroup', options);
  return withoutUndefined<SendToGroupAction>({
    actionName: 'sendToGroup',
    group: requireNonEmptyString('sendToGroup', 'group', o.group),
    ...checkMessageData('sendToGroup', o.data, o.dataType),
    excluded: optionalNonEmptyStringArray('sendToGroup', 'excluded', o.excluded),
  });
}

/**
 * Builds a `sendToUser` action.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export function sendToUser(options: SendToUserOptions): SendToUserAction {
  const o = requireOptions('sendToUser', options);
  return {
    actionName: 'sendToUser',
    userId: requireNonEmptyString('sendToUser', 'userId', o.userId),
    ...checkMessageData('sendToUser', o.data, o.dataType),
  };
}

/**
 * Builds a `sendToConnection` action.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export function sendToConnection(options: SendToConnectionOptions): SendToConnectionAction {
  const o = requireOptions('sendToConnection', options);
  return {
    actionName: 'sendToConnection',
    connectionId: requireNonEmptyString('sendToConnection', 'connectionId', o.connectionId),
    ...checkMessageData('sendToConnection', o.data, o.dataType),
  };
}

/**
 * Builds an `addUserToGroup` action.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export function addUserToGroup(options: UserGroupOptions): AddUserToGroupAction {
  const o = requireOptions('addUserToGroup', options);
  return {
    actionName: 'addUserToGroup',
    userId: requireNonEmptyString('addUserToGroup', 'userId', o.userId),
    group: requireNonEmptyString('addUserToGroup', 'group', o.group),
  };
}

/**
 * Builds a `removeUserFromGroup` action.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export function removeUserFromGroup(options: UserGroupOptions): RemoveUserFromGroupAction {
  const o = requireOptions('removeUserFromGroup', options);
  return {
    actionName: 'removeUserFromGroup',
    userId: requireNonEmptyString('removeUserFromGroup', 'userId', o.userId),
    group: requireNonEmptyString('removeUserFromGroup', 'group', o.group),
  };
}

/**
 * Builds a `removeUserFromAllGroups` action.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export function removeUserFromAllGroups(options: UserOptions): RemoveUserFromAllGroupsAction {
  const o = requireOptions('removeUserFromAllGroups', options);
  return {
    actionName: 'removeUserFromAllGroups',
    userId: requireNonEmptyString('removeUserFromAllGroups', 'userId', o.userId),
  };
}

/**
 * Builds an `addConnectionToGroup` action.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export function addConnectionToGroup(options: ConnectionGroupOptions): AddConnectionToGroupAction {
  const o = requireOptions('addConnectionToGroup', options);
  return {
    actionName: 'addConnectionToGroup',
    connectionId: requireNonEmptyString('addConnectionToGroup', 'connectionId', o.connectionId),
    group: requireNonEmptyString('addConnectionToGroup', 'group', o.group),
  };
}

/**
 * Builds a `removeConnectionFromGroup` action.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export function removeConnectionFromGroup(options: ConnectionGroupOptions): RemoveConnectionFromGroupAction {
  const o = requireOptions('removeConnectionFromGroup', options);
  return {
    actionName: 'removeConnectionFromGroup',
    connectionId: requireNonEmptyString('removeConnectionFromGroup', 'connectionId', o.connectionId),
    group: requireNonEmptyString('removeConnectionFromGroup', 'group', o.group),
  };
}

/**
 * Builds a `closeAllConnections` action.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export function closeAllConnections(options: CloseAllConnectionsOptions = {}): CloseAllConnectionsAction {
  const o = requireOptions('closeAllConnections', options);
  return withoutUndefined<CloseAllConnectionsAction>({
    actionName: 'closeAllConnections',
    excluded: optionalNonEmptyStringArray('closeAllConnections', 'excluded', o.excluded),
    reason: optionalString('closeAllConnections', 'reason', o.reason),
  });
}

/**
 * Builds a `closeClientConnection` action.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export function closeClientConnection(options: CloseClientConnectionOptions): CloseClientConnectionAction {
  const o = requireOptions('closeClientConnection', options);
  return withoutUndefined<CloseClientConnectionAction>({
    actionName: 'closeClientConnection',
    connectionId: requireNonEmptyString('closeClientConnection', 'connectionId', o.connectionId),
    reason: optionalString('closeClientConnection', 'reason', o.reason),
  });
}

/**
 * Builds a `closeGroupConnections` action.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
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

/**
 * Builds a `grantPermission` action.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export function grantPermission(options: PermissionOptions): GrantPermissionAction {
  return { actionName: 'grantPermission', ...permissionFields('grantPermission', requireOptions('grantPermission', options)) };
}

/**
 * Builds a `revokePermission` action.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-output#webpubsubaction
 */
export function revokePermission(options: PermissionOptions): RevokePermissionAction {
  return { actionName: 'revokePermission', ...permissionFields('revokePermission', requireOptions('revokePermission', options)) };
}
