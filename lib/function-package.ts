import { StorageBlob } from '@cdktf/provider-azurerm/lib/storage-blob';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AzapiResourceAction } from './azapi/azapi-resource-action';
import type { FunctionHostStorage } from './function-host-storage';
import { WEB_SITES_API_VERSION } from './web-pubsub-extension-key';

/** What the function app needs from a packaged code zip (implemented by `FunctionCode`). */
export interface IFunctionCodePackage {
  /** Path of the zip as a Terraform asset (relative to the stack directory). */
  readonly assetPath: string;
  /** Content hash of the zip (hex). */
  readonly contentHash: string;
  /** Blob name carrying the content hash, e.g. `functions-<hash>.zip`. */
  readonly packageFileName: string;
}

/** Props of {@link FunctionPackage}. */
export interface FunctionPackageProps {
  /** The packaged code. */
  readonly code: IFunctionCodePackage;
  /** The storage account and container that receive the package. */
  readonly storage: FunctionHostStorage;
  /**
   * Resources the upload waits for (e.g. the deployer's data-plane role on the account).
   * @default - none
   */
  readonly waitFor?: ITerraformDependable[];
}

/**
 * The code zip as a private blob whose name carries the content hash: unchanged code means no diff; changed code
 * means exactly one new blob (and one new deployment). Uploaded with Entra ID (azurerm `storage_use_azuread`), no keys.
 */
export class FunctionPackage extends Construct {
  public readonly blob: StorageBlob;
  /** `https://<account>.blob.core.windows.net/<container>/<packageFileName>` */
  public readonly blobUrl: string;

  public constructor(scope: Construct, id: string, props: FunctionPackageProps) {
    super(scope, id);
    this.blob = new StorageBlob(this, 'Blob', {
      name: props.code.packageFileName,
      storageAccountName: props.storage.accountName,
      storageContainerName: props.storage.packageContainer.name,
      type: 'Block',
      contentType: 'application/zip',
      source: props.code.assetPath,
      metadata: { sha256: props.code.contentHash },
      dependsOn: props.waitFor,
    });
    this.blobUrl = `${props.storage.packageContainerUrl}/${props.code.packageFileName}`;
  }

  /**
   * Premium and Dedicated: run directly from the private blob, fetched with the app's managed identity.
   * Source: https://learn.microsoft.com/azure/azure-functions/run-functions-from-deployment-package
   * ("Fetch a package from Azure Blob Storage using a managed identity"); docs/azure-sources.md §4.
   */
  public runFromPackageSettings(identityResourceId: string | undefined): Record<string, string> {
    return {
      WEBSITE_RUN_FROM_PACKAGE: this.blobUrl,
      WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID: identityResourceId ?? 'SystemAssigned',
    };
  }

  /**
   * Flex Consumption: an ARM One Deploy of the blob into the app's deployment container (management plane,
   * Entra-authenticated; no Kudu basic-auth publishing). Follows Azure-Samples/function-app-arm-templates
   * `function-app-linux-flex-consumption` (`Microsoft.Web/sites/extensions` `onedeploy` with `packageUri`);
   * docs/azure-sources.md §3. The blob URL changes with the content hash, so the call re-runs exactly when the
   * code changes.
   */
  public deployToFlexApp(scope: Construct, id: string, functionAppId: string, waitFor: ITerraformDependable[]): AzapiResourceAction {
    return new AzapiResourceAction(scope, id, {
      type: `Microsoft.Web/sites@${WEB_SITES_API_VERSION}`,
      resourceId: functionAppId,
      action: 'extensions/onedeploy',
      method: 'PUT',
      body: { properties: { packageUri: this.blobUrl, remoteBuild: false } },
      retry: {
        // Role assignments for the app's identity on the deployment storage can take a moment to apply.
        errorMessageRegex: ['(?i)(BlobUploadFailed|AuthorizationPermissionMismatch|forbidden|403|conflict|409|service ?unavailable)'],
        intervalSeconds: 15,
        maxIntervalSeconds: 60,
      },
      dependsOn: [this.blob, ...waitFor],
    });
  }
}
