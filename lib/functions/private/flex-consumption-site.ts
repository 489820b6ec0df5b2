import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AzapiResource } from '../../azapi/azapi-resource';
import { AzapiUpdateResource } from '../../azapi/azapi-update-resource';
import { LibraryConstruct } from '../../core/edition-guard';

/** ARM API version of `Microsoft.Web/sites` the site body follows (and azapi validates it against). */
export const WEB_SITES_API_VERSION = '2024-04-01';

/** Props of {@link FlexConsumptionSite}. */
export interface FlexConsumptionSiteProps {
  /** Site name (globally unique host name prefix). */
  readonly name: string;
  /** ARM id of the resource group. */
  readonly resourceGroupId: string;
  /** Azure region. */
  readonly location: string;
  /** ARM id of the FC1 plan. */
  readonly servicePlanId: string;
  /** Node.js major version. */
  readonly nodeVersion: string;
  /** Upper bound of instances. */
  readonly maximumInstanceCount: number;
  /** Memory per instance, in MB. */
  readonly instanceMemoryMb: number;
  /** `https://<account>.blob.core.windows.net/<container>`: where the platform keeps the deployed package. */
  readonly deploymentContainerUrl: string;
  /** The user-assigned identity (resource id) of the site and of its deployment storage; system-assigned when absent. */
  readonly userAssignedIdentityId?: string;
  /** App settings (inline, so the host has them on its first start). */
  readonly appSettings: Record<string, string>;
  /** Only HTTPS. */
  readonly httpsOnly: boolean;
  /** Minimum TLS version of the site and its SCM site. */
  readonly minimumTlsVersion: string;
  /** Reachable from the public internet. */
  readonly publicNetworkAccessEnabled: boolean;
  /** Allow basic-auth (publishing profile) access to the SCM site. */
  readonly basicAuthPublishingEnabled: boolean;
  /** Subnet (ARM id, delegated to Microsoft.App/environments) of the app's virtual network integration. */
  readonly virtualNetworkSubnetId?: string;
  /** Tags. */
  readonly tags?: Record<string, string>;
  /** What must exist before the site (e.g. the identity's role assignments). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A Flex Consumption function app as `Microsoft.Web/sites` through azapi, the way Microsoft's Terraform sample does
 * it (Azure-Samples/azure-functions-flex-consumption-samples `IaC/terraformazapi/main.tf`): `azurerm_function_app_flex_consumption`
 * (azurerm 4.55) always writes `AzureWebJobsStorage=...;AccountKey=;...` into the app when its storage uses an identity
 * (hashicorp/terraform-provider-azurerm#29693, #29149; fix PR #29099 unmerged), and the host then cannot reach its storage.
 *
 * The body follows the Flex templates Microsoft publishes (Azure/azure-quickstart-templates
 * `function-app-flex-managed-identities`): `functionAppConfig` with identity-based deployment storage, `httpsOnly`,
 * minimum TLS for the site and the SCM site. It sends nothing Flex rejects (`ftpsState`, `alwaysOn`, `linuxFxVersion`,
 * runtime app settings: https://learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations).
 * Basic-auth publishing is turned off with the `scm` basicPublishingCredentialsPolicies child, as azurerm's own Flex
 * resource does (an update of the child the platform creates with the site: the REST API has no DELETE for it, so it
 * is an `azapi_update_resource`, which destroys to a no-op); Flex has no FTP, so there is no `ftp` policy to set. ARM does not return `siteConfig.appSettings` on
 * read; azapi's default `ignore_missing_property` keeps the configured values, so plans show no perpetual diff.
 */
export class FlexConsumptionSite extends LibraryConstruct implements ITerraformDependable {
  /** The `azapi_resource` of the site (escape hatch). */
  public readonly resource: AzapiResource;
  /** The SCM basic-auth policy, when basic auth is off. */
  public readonly scmBasicAuthPolicy?: AzapiUpdateResource;
  /** ARM resource id. */
  public readonly siteId: string;
  /** `properties.defaultHostName` from ARM's response (Flex host names can be regional and unique, never derive them from the name). */
  public readonly defaultHostname: string;

  public constructor(scope: Construct, id: string, props: FlexConsumptionSiteProps) {
    super(scope, id);
    const identity = props.userAssignedIdentityId;
    this.resource = new AzapiResource(this, 'Resource', {
      type: `Microsoft.Web/sites@${WEB_SITES_API_VERSION}`,
      name: props.name,
      parentId: props.resourceGroupId,
      location: props.location,
      identity: identity ? { type: 'UserAssigned', identityIds: [identity] } : { type: 'SystemAssigned' },
      tags: props.tags,
      body: {
        kind: 'functionapp,linux',
        properties: {
          serverFarmId: props.servicePlanId,
          httpsOnly: props.httpsOnly,
          publicNetworkAccess: props.publicNetworkAccessEnabled ? 'Enabled' : 'Disabled',
          // Regional virtual network integration, as Microsoft's Flex templates set it on the site
          // (Azure-Samples/functions-quickstart-typescript-azd `infra/main.bicep`, `virtualNetworkSubnetId`).
          ...(props.virtualNetworkSubnetId !== undefined ? { virtualNetworkSubnetId: props.virtualNetworkSubnetId } : {}),
          functionAppConfig: {
            deployment: {
              storage: {
                type: 'blobContainer',
                value: props.deploymentContainerUrl,
                authentication: identity
                  ? { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identity }
                  : { type: 'SystemAssignedIdentity' },
              },
            },
            scaleAndConcurrency: { maximumInstanceCount: props.maximumInstanceCount, instanceMemoryMB: props.instanceMemoryMb },
            runtime: { name: 'node', version: props.nodeVersion },
          },
          siteConfig: {
            minTlsVersion: props.minimumTlsVersion,
            scmMinTlsVersion: props.minimumTlsVersion,
            appSettings: Object.entries(props.appSettings)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([name, value]) => ({ name, value })),
          },
        },
      },
      responseExportValues: ['properties.defaultHostName'],
      dependsOn: props.dependsOn,
    });
    this.siteId = this.resource.id;
    this.defaultHostname = this.resource.outputValue('properties.defaultHostName');

    if (!props.basicAuthPublishingEnabled) {
      this.scmBasicAuthPolicy = new AzapiUpdateResource(this, 'ScmBasicAuthPolicy', {
        type: `Microsoft.Web/sites/basicPublishingCredentialsPolicies@${WEB_SITES_API_VERSION}`,
        resourceId: `${this.resource.id}/basicPublishingCredentialsPolicies/scm`,
        body: { properties: { allow: false } },
      });
    }
  }

  /** The principal id of the system-assigned identity (only without a user-assigned identity). */
  public get systemAssignedPrincipalId(): string {
    return this.resource.identityPrincipalId;
  }

  public get fqn(): string {
    return this.resource.fqn;
  }
}
