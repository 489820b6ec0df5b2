import { StorageBlob } from '@cdktf/provider-azurerm/lib/storage-blob';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { APPLY_STEP_ENV } from '../../common/apply-step-env';
import { ApplyTimeCommand } from '../../core/apply-time-command';
import { LibraryConstruct } from '../../core/edition-guard';

/** What a function app needs from a packaged code zip (implemented by `FunctionCode`). */
export interface IFunctionCodePackage {
  /** Path of the zip as a Terraform asset (relative to the stack directory). */
  readonly assetPath: string;
  /** Content hash of the zip (sha256, hex). */
  readonly contentHash: string;
  /** Blob name carrying the content hash, e.g. `functions-<hash>.zip`. */
  readonly packageFileName: string;
}

/** Props of {@link FunctionPackage}. */
export interface FunctionPackageProps {
  /** The packaged code. */
  readonly code: IFunctionCodePackage;
  /** The storage account name and the app's package container. */
  readonly storageAccountName: string;
  /** The app's private package container. */
  readonly container: StorageContainer;
  /** `https://<account>.blob.core.windows.net/<container>` */
  readonly containerUrl: string;
  /**
   * Resources the upload waits for (e.g. the deployer's data-plane role on the account). When given, a step first
   * waits until that role has taken effect.
   * @default - none
   */
  readonly uploadRoles?: ITerraformDependable[];
}

/**
 * Premium and Dedicated plans: the code zip as a private blob whose name carries the content hash, which the app runs
 * from with its managed identity (`WEBSITE_RUN_FROM_PACKAGE` = the blob's URL,
 * `WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID`; https://learn.microsoft.com/azure/azure-functions/run-functions-from-deployment-package).
 * Unchanged code means no diff; changed code means one new blob, created before the old one is destroyed, so the
 * running app never points at a deleted package. Uploaded by Terraform with Entra ID (`storage_use_azuread`), no keys.
 */
export class FunctionPackage extends LibraryConstruct {
  public readonly blob: StorageBlob;
  /** The blob's URL attribute (the app setting references it, so the app is updated after the upload). */
  public readonly blobUrl: string;
  /** The wait for the uploader's role, when there is one. */
  public readonly uploadAccess?: ApplyTimeCommand;

  public constructor(scope: Construct, id: string, props: FunctionPackageProps) {
    super(scope, id);
    const waitFor: ITerraformDependable[] = [props.container];
    if (props.uploadRoles && props.uploadRoles.length > 0) {
      // azurerm_storage_blob does not retry a 403 while the brand-new role assignment propagates.
      this.uploadAccess = new ApplyTimeCommand(this, 'AwaitUploadAccess', {
        subcommand: 'await-blob-access',
        environment: { [APPLY_STEP_ENV.containerUrl]: props.containerUrl },
        triggers: { container_url: props.containerUrl },
        dependsOn: [props.container, ...props.uploadRoles],
      });
      waitFor.push(this.uploadAccess);
    }
    this.blob = new StorageBlob(this, 'Blob', {
      name: props.code.packageFileName,
      storageAccountName: props.storageAccountName,
      storageContainerName: props.container.name,
      type: 'Block',
      contentType: 'application/zip',
      source: props.code.assetPath,
      metadata: { sha256: props.code.contentHash },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: waitFor,
    });
    this.blobUrl = this.blob.url;
  }

  /** The run-from-package settings for a user-assigned (resource id) or the system-assigned identity. */
  public runFromPackageSettings(identityResourceId: string | undefined): Record<string, string> {
    return {
      WEBSITE_RUN_FROM_PACKAGE: this.blobUrl,
      WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID: identityResourceId ?? 'SystemAssigned',
    };
  }
}
