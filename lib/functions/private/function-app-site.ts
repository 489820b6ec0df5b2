import { LinuxFunctionApp } from '@cdktf/provider-azurerm/lib/linux-function-app';
import { ServicePlan } from '@cdktf/provider-azurerm/lib/service-plan';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { resourceGroupIdOf } from '../../core/client-config';
import type { IResourceGroup } from '../../core/resource-group';
import { defaultResourceName } from '../../core/default-resource-name';
import { ARM_RESOURCE_TYPES, validateArmResourceId } from '../../validation/arm-ids';
import { SERVICE_PLAN_NAME } from '../../validation/azure-resource-names';
import type { FunctionAppHosting } from '../function-app-hosting';
import { FlexConsumptionSite } from './flex-consumption-site';
import type { FunctionAppSettings } from './function-app-settings';

/** Inputs of {@link createFunctionAppSite}, with the app's defaults resolved. */
export interface FunctionAppSiteProps {
  readonly hosting: FunctionAppHosting;
  readonly name: string;
  readonly resourceGroup: IResourceGroup;
  readonly tags?: Record<string, string>;
  /** Run on this plan (ARM id) instead of creating one. */
  readonly existingServicePlanId?: string;
  readonly nodeVersion: string;
  /** The host storage account (Premium/Dedicated reach it through the identity). */
  readonly storageAccountName: string;
  /** The package container's URL (Flex deploys through it). */
  readonly deploymentContainerUrl: string;
  /** Resource ID of the user-assigned identity; undefined for a system identity. */
  readonly userAssignedIdentityId?: string;
  readonly settings: FunctionAppSettings;
  readonly httpsOnly: boolean;
  readonly minimumTlsVersion: string;
  readonly publicNetworkAccessEnabled: boolean;
  readonly basicAuthPublishingEnabled: boolean;
  /** Subnet (ARM id) of the app's regional virtual network integration. */
  readonly virtualNetworkSubnetId?: string;
  /** What the app waits for (the user-assigned identity's roles). */
  readonly dependsOn: ITerraformDependable[];
}

/** The hosting resources of one app, whichever the plan. */
export interface FunctionAppSite {
  /** The created plan (none with `existingServicePlanId`). */
  readonly servicePlan?: ServicePlan;
  /** On Flex Consumption. */
  readonly flexSite?: FlexConsumptionSite;
  /** On Premium and Dedicated. */
  readonly linuxApp?: LinuxFunctionApp;
  /** The site resource the code deployment and the key writes wait for. */
  readonly resource: ITerraformDependable;
  readonly appId: string;
  readonly defaultHostname: string;
  /** Principal ID of the site's system-assigned identity (what the bindings use without a user-assigned one). */
  readonly systemPrincipalId: string;
}

/**
 * The site in `scope`, by plan: Flex Consumption is an azapi `Microsoft.Web/sites` (FlexConsumptionSite), Premium
 * and Dedicated an `azurerm_linux_function_app`; each on the given plan or on one created here. The ids are the app's
 * (`Plan`, `Site`, `Resource`), so the Terraform addresses do not depend on this being a separate step.
 */
export function createFunctionAppSite(scope: Construct, props: FunctionAppSiteProps): FunctionAppSite {
  const { hosting } = props;
  const { name: resourceGroupName, location } = props.resourceGroup;
  // ARM ids in azurerm's casing (azurerm compares the resource type segments exactly).
  const servicePlan =
    props.existingServicePlanId === undefined
      ? new ServicePlan(scope, 'Plan', {
          name: defaultResourceName(scope, SERVICE_PLAN_NAME, 'plan'),
          resourceGroupName,
          location,
          osType: 'Linux',
          skuName: hosting.skuName,
          tags: props.tags,
        })
      : undefined;
  const planId = servicePlan ? servicePlan.id : validateArmResourceId(scope, 'existingServicePlanId', props.existingServicePlanId!, ARM_RESOURCE_TYPES.SERVICE_PLAN);
  const dependsOn = props.dependsOn.length > 0 ? props.dependsOn : undefined;

  if (hosting.kind === 'FlexConsumption') {
    const flexSite = new FlexConsumptionSite(scope, 'Site', {
      name: props.name,
      // From the subscription and the name, not the group's own id: the same JSON whether the group is given or created.
      resourceGroupId: resourceGroupIdOf(scope, resourceGroupName),
      location,
      servicePlanId: planId,
      nodeVersion: props.nodeVersion,
      maximumInstanceCount: hosting.flex.maximumInstanceCount ?? 100,
      instanceMemoryMb: hosting.flex.instanceMemoryMb ?? 2048,
      deploymentContainerUrl: props.deploymentContainerUrl,
      userAssignedIdentityId: props.userAssignedIdentityId,
      appSettings: props.settings.appSettings,
      httpsOnly: props.httpsOnly,
      minimumTlsVersion: props.minimumTlsVersion,
      publicNetworkAccessEnabled: props.publicNetworkAccessEnabled,
      basicAuthPublishingEnabled: props.basicAuthPublishingEnabled,
      virtualNetworkSubnetId: props.virtualNetworkSubnetId,
      tags: props.tags,
      dependsOn,
    });
    return {
      servicePlan,
      flexSite,
      resource: flexSite,
      appId: flexSite.siteId,
      defaultHostname: flexSite.defaultHostname,
      systemPrincipalId: flexSite.systemAssignedPrincipalId,
    };
  }

  const identityId = props.userAssignedIdentityId;
  const linuxApp = new LinuxFunctionApp(scope, 'Resource', {
    resourceGroupName,
    location,
    tags: props.tags,
    name: props.name,
    servicePlanId: planId,
    // Host storage through the identity: azurerm writes AzureWebJobsStorage__accountName (docs/azure-sources.md §2).
    storageAccountName: props.storageAccountName,
    storageUsesManagedIdentity: true,
    // Premium's Azure Files content share needs an account key; run from the package blob instead
    // ("Create an app without Azure Files", https://learn.microsoft.com/azure/azure-functions/storage-considerations).
    contentShareForceDisabled: hosting.kind === 'ElasticPremium' ? true : undefined,
    functionsExtensionVersion: '~4',
    httpsOnly: props.httpsOnly,
    publicNetworkAccessEnabled: props.publicNetworkAccessEnabled,
    ftpPublishBasicAuthenticationEnabled: props.basicAuthPublishingEnabled,
    webdeployPublishBasicAuthenticationEnabled: props.basicAuthPublishingEnabled,
    keyVaultReferenceIdentityId: identityId,
    // Regional virtual network integration (azurerm `virtual_network_subnet_id`; Learn "Azure Functions networking
    // options", regional virtual network integration).
    virtualNetworkSubnetId: props.virtualNetworkSubnetId,
    identity: identityId ? { type: 'UserAssigned', identityIds: [identityId] } : { type: 'SystemAssigned' },
    appSettings: props.settings.appSettings,
    siteConfig: {
      applicationStack: { nodeVersion: props.nodeVersion },
      applicationInsightsConnectionString: props.settings.applicationInsightsConnectionString,
      minimumTlsVersion: props.minimumTlsVersion,
      scmMinimumTlsVersion: props.minimumTlsVersion,
      ftpsState: 'Disabled',
      http2Enabled: true,
    },
    // (The package blob is referenced by WEBSITE_RUN_FROM_PACKAGE, so the app already waits for it.)
    dependsOn,
  });
  return {
    servicePlan,
    linuxApp,
    resource: linuxApp,
    appId: linuxApp.id,
    defaultHostname: linuxApp.defaultHostname,
    systemPrincipalId: linuxApp.identity.principalId,
  };
}
