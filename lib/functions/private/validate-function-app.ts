import type { Construct } from 'constructs';
import { anonymousContextFunctions, webPubSubTriggerFunctionNames } from '../../code/private/declared-event-handlers';
import { validateAppSettings } from '../../validation/app-settings';
import { ARM_RESOURCE_TYPES, validateArmResourceId, validateAzureRegion, validateGuid } from '../../validation/arm-ids';
import { RESOURCE_GROUP_NAME, STORAGE_CONTAINER_NAME, validateAzureName, WEB_PUBSUB_HUB_NAME_RULE } from '../../validation/azure-resource-names';
import {
  validateDedicatedSku,
  validateElasticPremiumSku,
  validateFlexInstanceMemory,
  validateFlexMaximumInstanceCount,
  validateIdentityType,
  validateMinimumTlsVersion,
  validateNodeVersion,
  validateNodeVersionMatch,
} from '../../validation/function-app-options';
import { assertNotBoth, InvalidPropError } from '../../validation/invalid-prop-error';
import { validateBoolean, validateInteger } from '../../validation/literals';
import { validateTags } from '../../validation/tags';
import { FLEX_TRIGGER_FIX } from '../../webpubsub/event-handler';
import type { FunctionAppHosting } from '../function-app-hosting';
import { DEFAULT_WEB_PUBSUB_CONNECTION, WebPubSubFunctionAppProps } from '../web-pubsub-function-app-props';

/**
 * Every synth-time check of `WebPubSubFunctionApp`'s props, run before it creates anything: the values themselves,
 * the props that exclude each other, the hosting options, and what the packaged code registers that the app cannot
 * serve safely (webPubSubTrigger functions on Flex, anonymous webPubSubContext functions). Errors name `app`'s props.
 */
export function validateFunctionAppProps(app: Construct, props: WebPubSubFunctionAppProps, hosting: FunctionAppHosting, nodeVersion: string, identityType: string): void {
  validateAzureRegion(app, 'location', props.location);
  validateAzureName(app, 'resourceGroupName', props.resourceGroupName, RESOURCE_GROUP_NAME);
  validateNodeVersion(app, 'nodeVersion', nodeVersion);
  validateNodeVersionMatch(app, 'code.nodeVersion', props.code?.nodeVersion, nodeVersion);
  validateIdentityType(app, 'identityType', identityType);
  validateMinimumTlsVersion(app, 'minimumTlsVersion', props.minimumTlsVersion);
  for (const flag of ['httpsOnly', 'publicNetworkAccessEnabled', 'basicAuthPublishingEnabled', 'applicationInsightsEnabled', 'grantDeployerPackageUpload'] as const) {
    validateBoolean(app, flag, props[flag]);
  }
  validateTags(app, 'tags', props.tags, { storageAccount: props.existingStorage === undefined });
  if (props.existingServicePlanId !== undefined) validateArmResourceId(app, 'existingServicePlanId', props.existingServicePlanId, ARM_RESOURCE_TYPES.SERVICE_PLAN);
  if (props.deployerPrincipalId !== undefined) validateGuid(app, 'deployerPrincipalId', props.deployerPrincipalId);
  if (props.packageContainerName !== undefined) validateAzureName(app, 'packageContainerName', props.packageContainerName, STORAGE_CONTAINER_NAME);
  if (props.defaultHubName !== undefined) validateAzureName(app, 'defaultHubName', props.defaultHubName, WEB_PUBSUB_HUB_NAME_RULE);
  if (props.publishTimeoutSeconds !== undefined) validateInteger(app, 'publishTimeoutSeconds', props.publishTimeoutSeconds, { min: 1, max: 3600 });
  if (identityType === 'SystemAssigned' && (props.existingIdentity || props.identityName !== undefined)) {
    const prop = props.existingIdentity ? 'existingIdentity' : 'identityName';
    throw new InvalidPropError(app, prop, props.existingIdentity ? '(given)' : props.identityName, 'cannot be combined with identityType SystemAssigned (a system identity has no client id or name to configure)');
  }
  if (props.existingIdentity && props.identityName !== undefined) {
    throw new InvalidPropError(app, 'identityName', props.identityName, 'cannot be combined with existingIdentity (name the identity where it is created)');
  }
  assertNotBoth(app, 'existingStorage', props.existingStorage, 'storageProps', props.storageProps);
  assertNotBoth(app, 'existingApplicationInsights', props.existingApplicationInsights, 'applicationInsightsProps', props.applicationInsightsProps);
  if (props.applicationInsightsEnabled === false && (props.existingApplicationInsights || props.applicationInsightsProps)) {
    throw new InvalidPropError(app, 'applicationInsightsEnabled', false, 'cannot be false while existingApplicationInsights or applicationInsightsProps is given');
  }
  if (hosting.kind === 'FlexConsumption') {
    validateFlexMaximumInstanceCount(app, 'hosting.maximumInstanceCount', hosting.flex.maximumInstanceCount);
    validateFlexInstanceMemory(app, 'hosting.instanceMemoryMb', hosting.flex.instanceMemoryMb);
  } else if (hosting.kind === 'ElasticPremium') {
    validateElasticPremiumSku(app, 'hosting', hosting.skuName);
  } else {
    validateDedicatedSku(app, 'hosting', hosting.skuName, { createsPlan: props.existingServicePlanId === undefined });
  }
  validateBoolean(app, 'webPubSubTriggersOnFlex', props.webPubSubTriggersOnFlex);
  const registrations = props.code?.registrations ?? [];
  const triggers = webPubSubTriggerFunctionNames(registrations);
  if (hosting.kind === 'FlexConsumption' && triggers.length > 0 && props.webPubSubTriggersOnFlex !== true) {
    throw new InvalidPropError(
      app,
      'code',
      triggers,
      `registers webPubSubTrigger functions on a Flex Consumption app, but Flex does not serve their webhook (its HTTP instances run no trigger listeners, so every event would get 404: azure-functions-host#11493). ${FLEX_TRIGGER_FIX}`,
    );
  }
  const anonymous = anonymousContextFunctions(registrations);
  if (anonymous.length > 0) {
    throw new InvalidPropError(
      app,
      'code',
      anonymous.map((fn) => fn.name),
      "registers HTTP functions with the webPubSubContext input and authLevel 'anonymous': with identity-based connections the extension skips the signature check, so anyone could post forged Web PubSub events to them. Use authLevel 'function' (the hub's URL then carries the app key webpubsub_upstream), or registerWebPubSubHandlers, which does",
    );
  }
  const prefixes = new Set<string>();
  (props.webPubSubConnections ?? []).forEach((c, i) => {
    const prefix = c.settingPrefix ?? DEFAULT_WEB_PUBSUB_CONNECTION;
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(prefix) || prefix.includes('__')) {
      throw new InvalidPropError(app, `webPubSubConnections[${i}].settingPrefix`, prefix, 'must be letters, digits and single underscores, starting with a letter');
    }
    if (prefixes.has(prefix.toLowerCase())) {
      throw new InvalidPropError(app, `webPubSubConnections[${i}].settingPrefix`, prefix, 'is already used by another connection; give each service its own prefix');
    }
    prefixes.add(prefix.toLowerCase());
    if (c.service.entraAuthEnabled === false) {
      throw new InvalidPropError(app, `webPubSubConnections[${i}].service`, c.service.node.path, 'has Entra ID (aadAuthEnabled) off, but the app authenticates to it with its managed identity');
    }
  });
  validateAppSettings(app, 'appSettings', props.appSettings, {
    hosting: hosting.kind,
    identityPrefixes: ['AzureWebJobsStorage', ...prefixes],
    applicationInsightsManaged: props.applicationInsightsEnabled ?? true,
  });
}
