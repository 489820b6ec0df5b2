import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { BuiltInRole, IRolePrincipal } from '../iam/built-in-role';
import { defaultResourceName } from '../core/default-resource-name';
import { GrantTarget, grantRoleOnce } from '../iam/role-grants';
import { GrantableResource } from '../iam/grantable-resource';
import { ARM_RESOURCE_TYPES, validateArmResourceId } from '../validation/arm-ids';
import { STORAGE_ACCOUNT_NAME, validateAzureName } from '../validation/azure-resource-names';
import { validateStorageEndpoint, withTrailingSlash } from '../validation/endpoints';
import { validateStorageReplicationType } from '../validation/function-app-options';
import { validateBoolean } from '../validation/literals';
import { validateTags } from '../validation/tags';
import { type IResourceGroup, validateResourceGroup } from '../core/resource-group';

/** A storage account used as Functions host storage and for code packages, created here or imported. */
export interface IFunctionHostStorage extends GrantTarget {
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
  /**
   * Grants what the Functions host needs on this account (once per principal, whatever the number of apps).
   * @param requester the construct asking (its stack holds the assignment when the account lives in another stack)
   */
  grantHostAccess(grantee: IRolePrincipal, requester?: IConstruct): RoleAssignment[];
  /** Grants Storage Blob Data Contributor (upload run-from-package blobs) once per principal. */
  grantBlobUpload(grantee: IRolePrincipal, requester?: IConstruct): RoleAssignment;
  /** Grants any role on this account (only) to a principal, once per (role, principal), e.g. `BuiltInRole.STORAGE_QUEUE_DATA_CONTRIBUTOR`. */
  grant(grantee: IRolePrincipal, role: BuiltInRole, requester?: IConstruct): RoleAssignment;
}

/** Attributes of an existing storage account used as Functions host storage. */
export interface FunctionHostStorageAttributes {
  /** ARM resource ID of the account. */
  readonly accountId: string;
  /** Account name. */
  readonly accountName: string;
  /**
   * Blob endpoint.
   * @default - `https://<accountName>.blob.core.windows.net/` (Azure public cloud)
   */
  readonly primaryBlobEndpoint?: string;
  /**
   * Queue endpoint.
   * @default - `https://<accountName>.queue.core.windows.net/`
   */
  readonly primaryQueueEndpoint?: string;
  /**
   * Table endpoint.
   * @default - `https://<accountName>.table.core.windows.net/`
   */
  readonly primaryTableEndpoint?: string;
}

/** Props of {@link FunctionHostStorage}. */
export interface FunctionHostStorageProps {
  /** Resource group (and region) of the account: an azurerm `ResourceGroup`, or `{ name, location }`. */
  readonly resourceGroup: IResourceGroup;
  /**
   * Name of the account (globally unique).
   * @default - derived from the construct path plus a per-deployment random suffix
   */
  readonly name?: string;
  /**
   * Replication of the account.
   * @default 'LRS'
   */
  readonly replicationType?: 'LRS' | 'ZRS' | 'GRS' | 'RAGRS' | 'GZRS' | 'RAGZRS';
  /**
   * Opt-out: allow shared-key (account key / SAS) access.
   * @default false
   */
  readonly sharedAccessKeyEnabled?: boolean;
  /**
   * Tags of the account.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

abstract class FunctionHostStorageBase extends GrantableResource implements IFunctionHostStorage {
  protected constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  public abstract readonly accountId: string;
  public abstract readonly accountName: string;
  public abstract readonly primaryBlobEndpoint: string;
  public abstract readonly primaryQueueEndpoint: string;
  public abstract readonly primaryTableEndpoint: string;

  public get grantScopeId(): string {
    return this.accountId;
  }

  /**
   * Storage Blob Data Owner (host state, keys, the Flex deployment container, run-from-package blobs) and Storage
   * Table Data Contributor (host diagnostic events). Queue access is only needed for queue or blob triggers.
   * Source: https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity
   * and Azure-Samples/functions-quickstart-typescript-azd (docs/azure-sources.md §2).
   */
  public grantHostAccess(principal: IRolePrincipal, requester?: IConstruct): RoleAssignment[] {
    return [
      grantRoleOnce(this, BuiltInRole.STORAGE_BLOB_DATA_OWNER, principal, requester),
      grantRoleOnce(this, BuiltInRole.STORAGE_TABLE_DATA_CONTRIBUTOR, principal, requester),
    ];
  }

  public grantBlobUpload(principal: IRolePrincipal, requester?: IConstruct): RoleAssignment {
    return grantRoleOnce(this, BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR, principal, requester);
  }
}

/**
 * Storage for the Functions host (`AzureWebJobsStorage`) and for code packages, reached with Entra ID only:
 * shared keys off, HTTPS only, TLS 1.2, no public blob access, OAuth by default in the portal.
 * One object can serve several apps: it de-duplicates role assignments and gives each app its own container.
 */
export class FunctionHostStorage extends FunctionHostStorageBase {
  /** References an existing account; grants and containers can still be added to it. */
  public static fromFunctionHostStorageAttributes(scope: Construct, id: string, attrs: FunctionHostStorageAttributes): IFunctionHostStorage {
    const endpoint = (service: string): string => `https://${attrs.accountName}.${service}.core.windows.net/`;
    class Imported extends FunctionHostStorageBase {
      public readonly accountId: string;
      public readonly accountName = attrs.accountName;
      public readonly primaryBlobEndpoint = attrs.primaryBlobEndpoint ?? endpoint('blob');
      public readonly primaryQueueEndpoint = attrs.primaryQueueEndpoint ?? endpoint('queue');
      public readonly primaryTableEndpoint = attrs.primaryTableEndpoint ?? endpoint('table');
      public constructor() {
        super(scope, id);
        this.accountId = validateArmResourceId(this, 'accountId', attrs.accountId, ARM_RESOURCE_TYPES.STORAGE_ACCOUNT);
        validateAzureName(this, 'accountName', attrs.accountName, STORAGE_ACCOUNT_NAME);
        validateStorageEndpoint(this, 'primaryBlobEndpoint', attrs.primaryBlobEndpoint, 'blob', { accountName: attrs.accountName });
        validateStorageEndpoint(this, 'primaryQueueEndpoint', attrs.primaryQueueEndpoint, 'queue', { accountName: attrs.accountName });
        validateStorageEndpoint(this, 'primaryTableEndpoint', attrs.primaryTableEndpoint, 'table', { accountName: attrs.accountName });
      }
    }
    return new Imported();
  }

  public readonly accountId: string;
  public readonly accountName: string;
  public readonly primaryBlobEndpoint: string;
  public readonly primaryQueueEndpoint: string;
  public readonly primaryTableEndpoint: string;
  /** The `azurerm_storage_account` resource (escape hatch). */
  public readonly resource: StorageAccount;

  public constructor(scope: Construct, id: string, props: FunctionHostStorageProps) {
    super(scope, id);
    validateResourceGroup(this, props);
    validateStorageReplicationType(this, 'replicationType', props.replicationType);
    validateBoolean(this, 'sharedAccessKeyEnabled', props.sharedAccessKeyEnabled);
    validateTags(this, 'tags', props.tags, { storageAccount: true });
    const name = props.name ?? defaultResourceName(this, STORAGE_ACCOUNT_NAME, 'st');
    validateAzureName(this, 'name', name, STORAGE_ACCOUNT_NAME);
    this.resource = new StorageAccount(this, 'Resource', {
      name,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
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
}

/**
 * The identity-based `AzureWebJobsStorage__*` settings of an app's host.
 *
 * `__accountName` (+ `__credential`, `__clientId`) is what Microsoft's Flex sample with managed identities sets
 * (Azure/azure-quickstart-templates `quickstarts/microsoft.web/function-app-flex-managed-identities/main.bicep`, the
 * Bicep sample the Learn IaC article links, and Azure-Samples/azure-cli-samples
 * `create-function-app-flex-plan-identities.sh`) and what the Functions reference documents for the public cloud; the three `__*ServiceUri` settings alone can fail host start-up
 * (Azure/azure-functions-host#11787). Service URIs are added, all three, only for endpoints outside the Azure public
 * cloud, which `__accountName` cannot address. Source: https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity
 */
export function hostStorageSettings(storage: IFunctionHostStorage, clientId: string | undefined, withAccountName: boolean): Record<string, string> {
  const settings: Record<string, string> = {};
  if (withAccountName) settings.AzureWebJobsStorage__accountName = storage.accountName;
  const blob = storage.primaryBlobEndpoint;
  if (!Token.isUnresolved(blob) && !/\.blob\.core\.windows\.net\/?$/i.test(blob)) {
    settings.AzureWebJobsStorage__blobServiceUri = withTrailingSlash(blob);
    settings.AzureWebJobsStorage__queueServiceUri = withTrailingSlash(storage.primaryQueueEndpoint);
    settings.AzureWebJobsStorage__tableServiceUri = withTrailingSlash(storage.primaryTableEndpoint);
  }
  settings.AzureWebJobsStorage__credential = 'managedidentity';
  if (clientId !== undefined) settings.AzureWebJobsStorage__clientId = clientId;
  return settings;
}
