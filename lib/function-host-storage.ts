import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { Construct } from 'constructs';
import { assignBuiltInRole, BuiltInRole, IRolePrincipal } from './built-in-role';
import { defaultResourceName } from './default-resource-name';
import { STORAGE_ACCOUNT_NAME, validateAzureName } from './validation/azure-resource-names';
import { assertNotBoth } from './validation/invalid-prop-error';

/** Attributes of an existing storage account used as Functions host storage. */
export interface FunctionHostStorageAttributes {
  /** ARM resource ID of the account. */
  readonly accountId: string;
  /** Account name. */
  readonly accountName: string;
  /** e.g. `https://<account>.blob.core.windows.net/` */
  readonly primaryBlobEndpoint: string;
  /** e.g. `https://<account>.queue.core.windows.net/` */
  readonly primaryQueueEndpoint: string;
  /** e.g. `https://<account>.table.core.windows.net/` */
  readonly primaryTableEndpoint: string;
}

/** Props of {@link FunctionHostStorage}. */
export interface FunctionHostStorageProps {
  /** Resource group for a new account. */
  readonly resourceGroupName: string;
  /** Azure region for a new account. */
  readonly location: string;
  /**
   * Use this account instead of creating one. It must allow Entra ID data access.
   * @default - a new account is created
   */
  readonly existingStorageAccount?: FunctionHostStorageAttributes;
  /**
   * Name of the new account (globally unique).
   * @default - derived deterministically from the construct path
   */
  readonly name?: string;
  /**
   * Replication of the new account.
   * @default 'LRS'
   */
  readonly replicationType?: 'LRS' | 'ZRS' | 'GRS' | 'RAGRS' | 'GZRS' | 'RAGZRS';
  /**
   * Opt-out: allow shared-key (account key / SAS) access to the new account.
   * @default false
   */
  readonly sharedAccessKeyEnabled?: boolean;
  /**
   * Name of the container that holds code packages.
   * @default 'function-packages'
   */
  readonly packageContainerName?: string;
  /**
   * Tags of the new account.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * Storage for the Functions host (`AzureWebJobsStorage`) and for code packages, reached with Entra ID only:
 * shared keys off, HTTPS only, TLS 1.2, no public blob access.
 */
export class FunctionHostStorage extends Construct {
  public readonly accountId: string;
  public readonly accountName: string;
  public readonly primaryBlobEndpoint: string;
  public readonly primaryQueueEndpoint: string;
  public readonly primaryTableEndpoint: string;
  /** Container for code packages (Flex deployment container / run-from-package blobs). */
  public readonly packageContainer: StorageContainer;
  /** `https://<account>.blob.core.windows.net/<container>` */
  public readonly packageContainerUrl: string;
  /** The created account; undefined when an existing one is used. */
  public readonly resource?: StorageAccount;

  public constructor(scope: Construct, id: string, props: FunctionHostStorageProps) {
    super(scope, id);
    assertNotBoth(this, 'existingStorageAccount', props.existingStorageAccount, 'name', props.name);
    if (props.existingStorageAccount) {
      const e = props.existingStorageAccount;
      this.accountId = e.accountId;
      this.accountName = e.accountName;
      this.primaryBlobEndpoint = e.primaryBlobEndpoint;
      this.primaryQueueEndpoint = e.primaryQueueEndpoint;
      this.primaryTableEndpoint = e.primaryTableEndpoint;
    } else {
      const name = props.name ?? defaultResourceName(this, STORAGE_ACCOUNT_NAME, 'st');
      validateAzureName(this, 'name', name, STORAGE_ACCOUNT_NAME);
      this.resource = new StorageAccount(this, 'Resource', {
        name,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        accountTier: 'Standard',
        accountKind: 'StorageV2',
        accountReplicationType: props.replicationType ?? 'LRS',
        sharedAccessKeyEnabled: props.sharedAccessKeyEnabled ?? false,
        defaultToOauthAuthentication: true,
        httpsTrafficOnlyEnabled: true,
        minTlsVersion: 'TLS1_2',
        allowNestedItemsToBePublic: false,
        tags: props.tags,
      });
      this.accountId = this.resource.id;
      this.accountName = this.resource.name;
      this.primaryBlobEndpoint = this.resource.primaryBlobEndpoint;
      this.primaryQueueEndpoint = this.resource.primaryQueueEndpoint;
      this.primaryTableEndpoint = this.resource.primaryTableEndpoint;
    }
    const containerName = props.packageContainerName ?? 'function-packages';
    this.packageContainer = new StorageContainer(this, 'PackageContainer', {
      name: containerName,
      storageAccountId: this.accountId,
      containerAccessType: 'private',
    });
    this.packageContainerUrl = `${this.primaryBlobEndpoint}${containerName}`;
  }

  /**
   * Grants what the Functions host needs on this account with an identity for HTTP and Web PubSub triggers:
   * Storage Blob Data Owner (host state, keys, the Flex deployment container and run-from-package blobs) and
   * Storage Table Data Contributor (host diagnostic events). Queue access is only needed for queue/blob triggers.
   * Source: https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity
   * and Azure-Samples/functions-quickstart-typescript-azd (docs/azure-sources.md §2).
   */
  public grantHostAccess(principal: IRolePrincipal): RoleAssignment[] {
    return [
      assignBuiltInRole(this, 'HostBlobDataOwner', BuiltInRole.STORAGE_BLOB_DATA_OWNER, this.accountId, principal),
      assignBuiltInRole(this, 'HostTableDataContributor', BuiltInRole.STORAGE_TABLE_DATA_CONTRIBUTOR, this.accountId, principal),
    ];
  }

  /** The identity-based `AzureWebJobsStorage__*` settings for a user-assigned (clientId) or system identity. */
  public hostStorageSettings(clientId?: string): Record<string, string> {
    // https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity
    const settings: Record<string, string> = {
      AzureWebJobsStorage__blobServiceUri: this.primaryBlobEndpoint,
      AzureWebJobsStorage__queueServiceUri: this.primaryQueueEndpoint,
      AzureWebJobsStorage__tableServiceUri: this.primaryTableEndpoint,
      AzureWebJobsStorage__credential: 'managedidentity',
    };
    if (clientId !== undefined) settings.AzureWebJobsStorage__clientId = clientId;
    return settings;
  }
}
