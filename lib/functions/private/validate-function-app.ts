import type { Construct } from 'constructs';
import { rejectNestedResourceGroup } from '../../core/resource-group';
import { anonymousContextFunctions, browserFacingFunctionNames, webPubSubTriggerFunctionNames } from '../../code/private/declared-event-handlers';
import { warnAtSynth } from '../../core/synth-messages';
import { validateHostname } from '../../validation/endpoints';
import { validateAppSettings } from '../../validation/app-settings';
import { validateResourceGroup } from '../../core/resource-group';
import { ARM_RESOURCE_TYPES, validateArmResourceId, validateGuid } from '../../validation/arm-ids';
import { STORAGE_CONTAINER_NAME, USER_ASSIGNED_IDENTITY_NAME, validateAzureName, WEB_PUBSUB_HUB_NAME_RULE } from '../../validation/azure-resource-names';
import {
  validateDedicatedSku,
  validateElasticPremiumSku,
  validateFlexInstanceMemory,
  validateFlexMaximumInstanceCount,
  validateMinimumTlsVersion,
  validateNodeVersion,
  validateNodeVersionMatch,
} from '../../validation/function-app-options';
import { assertNotBoth, InvalidPropError, rejectReplacedProps } from '../../validation/invalid-prop-error';
import { validateBoolean, validateChoice, validateInteger } from '../../validation/literals';
import { validateTags } from '../../validation/tags';
import { FLEX_TRIGGER_FIX } from '../../webpubsub/event-handler';
import { APP_IDENTITY_KINDS, type AppIdentity } from '../app-identity';
import { APP_MONITORING_KINDS, type AppMonitoring } from '../app-monitoring';
import type { FunctionAppHosting } from '../function-app-hosting';
import { DEFAULT_WEB_PUBSUB_CONNECTION, WebPubSubFunctionAppProps } from '../web-pubsub-function-app-props';
import { validateVirtualNetworkIntegration } from './validate-virtual-network-integration';

/** The props an identity or monitoring choice replaced (issue 19), with the prop that says the same now. */
const REPLACED_PROPS: Record<string, string> = {
  identityType: 'identity: AppIdentity.systemAssigned() (or AppIdentity.userAssigned())',
  existingIdentity: 'identity: AppIdentity.fromIdentity(identity)',
  identityName: 'identity: AppIdentity.userAssigned({ name })',
  applicationInsightsEnabled: 'monitoring: AppMonitoring.off()',
  existingApplicationInsights: 'monitoring: AppMonitoring.fromApplicationInsights(insights)',
  applicationInsightsProps: 'monitoring: AppMonitoring.applicationInsights(props)',
};

/** The props as the app resolved them (defaults applied). */
export interface ResolvedFunctionAppChoices {
  readonly hosting: FunctionAppHosting;
  readonly nodeVersion: string;
  readonly identity: AppIdentity;
  readonly monitoring: AppMonitoring;
}

/**
 * Every synth-time check of `WebPubSubFunctionApp`'s props, run before it creates anything: the values themselves,
 * the props that exclude each other, the hosting options, and what the packaged code registers that the app cannot
 * serve safely (webPubSubTrigger functions on Flex, anonymous webPubSubContext functions). Errors name `app`'s props.
 */
export function validateFunctionAppProps(app: Construct, props: WebPubSubFunctionAppProps, resolved: ResolvedFunctionAppChoices): void {
  const { hosting, nodeVersion, identity, monitoring } = resolved;
  // A spread object or JavaScript caller still passing a removed prop would otherwise get the default silently
  // (a new identity instead of the shared one, monitoring on instead of off).
  rejectReplacedProps(app, props, REPLACED_PROPS);
  // Also rejects the removed resourceGroupName and location.
  validateResourceGroup(app, props);
  validateNodeVersion(app, 'nodeVersion', nodeVersion);
  validateNodeVersionMatch(app, 'code.nodeVersion', props.code?.nodeVersion, nodeVersion);
  validateChoice(app, 'identity', identity, APP_IDENTITY_KINDS, 'AppIdentity.userAssigned(), AppIdentity.fromIdentity(identity) or AppIdentity.systemAssigned()');
  validateChoice(app, 'monitoring', monitoring, APP_MONITORING_KINDS, 'AppMonitoring.applicationInsights(), AppMonitoring.fromApplicationInsights(insights) or AppMonitoring.off()');
  // Checked here, not only by the identity it names, so that the error names the app's prop.
  if (identity.kind === 'UserAssigned' && identity.name !== undefined) validateAzureName(app, 'identity.name', identity.name, USER_ASSIGNED_IDENTITY_NAME);
  validateMinimumTlsVersion(app, 'minimumTlsVersion', props.minimumTlsVersion);
  for (const flag of ['httpsOnly', 'publicNetworkAccessEnabled', 'basicAuthPublishingEnabled', 'grantDeployerPackageUpload'] as const) {
    validateBoolean(app, flag, props[flag]);
  }
  validateTags(app, 'tags', props.tags, { storageAccount: props.existingStorage === undefined });
  if (props.existingServicePlanId !== undefined) validateArmResourceId(app, 'existingServicePlanId', props.existingServicePlanId, ARM_RESOURCE_TYPES.SERVICE_PLAN);
  if (props.deployerPrincipalId !== undefined) validateGuid(app, 'deployerPrincipalId', props.deployerPrincipalId);
  if (props.packageContainerName !== undefined) validateAzureName(app, 'packageContainerName', props.packageContainerName, STORAGE_CONTAINER_NAME);
  if (props.defaultHubName !== undefined) validateAzureName(app, 'defaultHubName', props.defaultHubName, WEB_PUBSUB_HUB_NAME_RULE);
  if (props.publishTimeoutSeconds !== undefined) validateInteger(app, 'publishTimeoutSeconds', props.publishTimeoutSeconds, { min: 1, max: 3600 });
  assertNotBoth(app, 'existingStorage', props.existingStorage, 'storageProps', props.storageProps);
  rejectNestedResourceGroup(app, 'storageProps', props.storageProps, 'the app (`resourceGroup`)');
  if (props.monitoring?.kind === 'ApplicationInsights') rejectNestedResourceGroup(app, 'monitoring', props.monitoring.insightsProps, 'the app (`resourceGroup`)');
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
  validatePrivateApp(app, props);
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
  validateVirtualNetworkIntegration(app, props.virtualNetworkSubnet, {
    hosting,
    resourceGroup: props.resourceGroup,
    services: (props.webPubSubConnections ?? []).map((c) => c.service),
  });
  validateAppSettings(app, 'appSettings', props.appSettings, {
    hosting: hosting.kind,
    identityPrefixes: ['AzureWebJobsStorage', ...prefixes],
    applicationInsightsManaged: monitoring.kind !== 'Off',
  });
}

/**
 * An app closed to the public network (`publicNetworkAccessEnabled: false`) is reachable only through private
 * endpoints: the Web PubSub service through its shared private link, browsers not at all, unless something in front of
 * the app's own private endpoint serves them. Microsoft's ways to publish a private app (Learn "Use private endpoints for
 * Azure App Service apps"; "Azure Functions networking options", private endpoints) are a gateway in the virtual network
 * (Azure Application Gateway) or Azure Front Door Premium with a Private Link origin. The library does not guess: code
 * whose HTTP functions browsers call (negotiate, pages) on a closed app fails unless `browserEntryHostname` names that
 * gateway, or those functions move to a separate app open to the public.
 */
function validatePrivateApp(app: Construct, props: WebPubSubFunctionAppProps): void {
  validateHostname(app, 'browserEntryHostname', props.browserEntryHostname);
  if (props.publicNetworkAccessEnabled !== false || props.browserEntryHostname !== undefined) return;
  if (!props.code?.registrations) {
    warnAtSynth(
      app,
      `\`publicNetworkAccessEnabled\` is false: browsers cannot reach the app's HTTP functions (negotiate, pages) unless a gateway fronts its private endpoint; set \`browserEntryHostname\` to say which, or serve them from a separate public app (the app's code is not packaged here, so the library cannot tell whether it has any)`,
    );
    return;
  }
  const browserFunctions = browserFacingFunctionNames(props.code.registrations);
  if (browserFunctions.length === 0) return;
  throw new InvalidPropError(
    app,
    'publicNetworkAccessEnabled',
    false,
    `closes the app to the public network, but its code has HTTP functions that are not Web PubSub handlers (${browserFunctions.map((n) => `"${n}"`).join(', ')}: what browsers call, such as negotiate or pages), which browsers could then not reach. ` +
      'Either set `browserEntryHostname` to the host browsers use instead: a gateway that fronts the app\'s private endpoint (Azure Application Gateway in the virtual network, or Azure Front Door Premium with a Private Link origin); ' +
      'or move those functions to a separate app open to the public network and keep only the Web PubSub handlers here (docs/private-networking.md, "Closing the app to the public")',
  );
}
