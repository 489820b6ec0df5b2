import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import type { IFunctionHostStorage } from '../function-host-storage';
import { InvalidPropError } from '../../validation/invalid-prop-error';

// The Functions host ID is the app name cut to 32 characters, lowercased
// (https://learn.microsoft.com/azure/azure-functions/storage-considerations#host-id-considerations).
const HOST_ID_LENGTH = 32;

/** What the apps on one account have claimed: container names and host IDs, each with the claiming app's path. */
interface HostStorageClaims {
  readonly containerNames: Map<string, string>;
  readonly hostIds: Map<string, string>;
}

// Per account (any IFunctionHostStorage, created, imported or implemented by a user), kept here rather than on the
// interface: the claims are the function app's bookkeeping, not something a storage implementation should provide.
const CLAIMS = new WeakMap<IFunctionHostStorage, HostStorageClaims>();

function claimsOf(storage: IFunctionHostStorage): HostStorageClaims {
  let claims = CLAIMS.get(storage);
  if (!claims) CLAIMS.set(storage, (claims = { containerNames: new Map(), hostIds: new Map() }));
  return claims;
}

/**
 * A private container of `storage` for one app's code packages, created in `requester`'s scope. Container names are
 * unique per account: asking twice for one literal name fails at synth.
 */
export function addPackageContainer(storage: IFunctionHostStorage, requester: Construct, id: string, name: string): StorageContainer {
  if (!Token.isUnresolved(name)) {
    const { containerNames } = claimsOf(storage);
    const owner = containerNames.get(name);
    if (owner !== undefined) {
      throw new InvalidPropError(requester, 'packageContainerName', name, `is already the package container of ${owner} on storage account ${storage.node.path}; each app needs its own container`);
    }
    containerNames.set(name, requester.node.path);
  }
  return new StorageContainer(requester, id, { name, storageAccountId: storage.accountId, containerAccessType: 'private' });
}

/**
 * Records a Function App whose host uses `storage`. Apps whose names share their first 32 characters get the same host
 * ID and stop each other on one account, so a clash fails at synth (literal names only).
 */
export function registerFunctionHost(storage: IFunctionHostStorage, requester: IConstruct, appName: string): void {
  if (Token.isUnresolved(appName)) return; // default names carry the construct path hash in their first 32 characters
  const { hostIds } = claimsOf(storage);
  const hostId = appName.slice(0, HOST_ID_LENGTH).toLowerCase();
  const owner = hostIds.get(hostId);
  if (owner !== undefined && owner !== requester.node.path) {
    throw new InvalidPropError(
      requester,
      'name',
      appName,
      `shares its first ${HOST_ID_LENGTH} characters ("${hostId}") with the app ${owner} on storage account ${storage.node.path}: both would get the same Functions host ID and stop each other. Rename one app or give it its own storage account`,
    );
  }
  hostIds.set(hostId, requester.node.path);
}
