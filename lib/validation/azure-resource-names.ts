import { IConstruct } from 'constructs';
import { InvalidPropError, isUnresolved } from './invalid-prop-error';

/** An Azure naming rule: length bounds, a pattern and its wording. */
export interface AzureNameRule {
  readonly resource: string;
  readonly minLength: number;
  readonly maxLength: number;
  readonly pattern: RegExp;
  readonly allowed: string;
}

/**
 * Web PubSub service names: 3-63, letters, digits and hyphens, starting with a letter, ending with a letter or digit;
 * globally unique (`<name>.webpubsub.azure.com`). Sources: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftsignalrservice ;
 * ARM `Microsoft.SignalRService/webPubSub` name pattern `^[a-zA-Z][a-zA-Z0-9-]{1,61}[a-zA-Z0-9]$`; azurerm
 * `validate.WebPubSubName()` (same pattern).
 */
export const WEB_PUBSUB_NAME: AzureNameRule = {
  resource: 'Web PubSub service',
  minLength: 3,
  maxLength: 63,
  pattern: /^[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/,
  allowed: 'letters, digits and hyphens, starting with a letter and ending with a letter or digit',
};

/**
 * @deprecated Over-strict: rejects `` ` ``, `,`, `.`, `[` and `]`, which the service accepts. Use
 * {@link WEB_PUBSUB_HUB_NAME_RULE}.
 */
export const WEB_PUBSUB_HUB_NAME: AzureNameRule = {
  resource: 'Web PubSub hub',
  minLength: 1,
  maxLength: 128,
  pattern: /^[A-Za-z][A-Za-z0-9_]*$/,
  allowed: 'letters, digits and underscores, starting with a letter',
};

/**
 * Web PubSub hub names: 1-128 characters, starting with a letter, then letters, digits and `` _ ` , . [ ] ``.
 * Sources: the data-plane REST API's `hub` parameter pattern `^[A-Za-z][A-Za-z0-9_`,.[\]]{0,127}$`
 * (https://learn.microsoft.com/rest/api/webpubsub/dataplane/web-pub-sub/send-to-all, enforced client-side by
 * `@azure/web-pubsub`), identical to azurerm's `validate.WebPubSubHubName()`
 * (`internal/services/signalr/validate/webpubsub_name.go`). The REST page's prose says "alpha-numeric characters
 * or underscore"; the pattern both clients enforce is the rule applied.
 */
export const WEB_PUBSUB_HUB_NAME_RULE: AzureNameRule = {
  resource: 'Web PubSub hub',
  minLength: 1,
  maxLength: 128,
  pattern: /^[A-Za-z][A-Za-z0-9_`,.[\]]*$/,
  allowed: 'letters, digits and _ ` , . [ ], starting with a letter',
};

/**
 * Function app (`Microsoft.Web/sites`) names: 2-60, alphanumerics and hyphens, not starting or ending with a hyphen.
 * Microsoft also allows Unicode characters that map to Punycode; this rule stays ASCII (azurerm
 * `validate.WebAppName`: `^[0-9a-zA-Z-]{1,60}$`, ASCII too). Source: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftweb
 */
export const FUNCTION_APP_NAME: AzureNameRule = {
  resource: 'Function App (Microsoft.Web/sites)',
  minLength: 2,
  maxLength: 60,
  pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
  allowed: 'letters, digits and hyphens, not starting or ending with a hyphen',
};

/**
 * App Service plan (`Microsoft.Web/serverfarms`) names: 1-60, alphanumerics and hyphens (Microsoft; azurerm
 * `validate.ServicePlanName` also accepts `_`). Only names the library generates use it. Source: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftweb
 */
export const SERVICE_PLAN_NAME: AzureNameRule = {
  resource: 'App Service plan',
  minLength: 1,
  maxLength: 60,
  pattern: /^[A-Za-z0-9-]+$/,
  allowed: 'letters, digits and hyphens',
};

/**
 * Storage account names: 3-24 lowercase letters and digits, globally unique. Sources: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftstorage ;
 * azurerm `validate.StorageAccountName` (`\A([a-z0-9]{3,24})\z`).
 */
export const STORAGE_ACCOUNT_NAME: AzureNameRule = {
  resource: 'storage account',
  minLength: 3,
  maxLength: 24,
  pattern: /^[a-z0-9]+$/,
  allowed: 'lowercase letters and digits only',
};

/**
 * User-assigned identity names: 3-128, alphanumerics, hyphens and underscores, starting with a letter or digit
 * (azurerm 4.55 does not validate the name). Source: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftmanagedidentity
 */
export const USER_ASSIGNED_IDENTITY_NAME: AzureNameRule = {
  resource: 'user-assigned managed identity',
  minLength: 3,
  maxLength: 128,
  pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
  allowed: 'letters, digits, hyphens and underscores, starting with a letter or digit',
};

/**
 * Names of resource groups the library creates: 1-90 of letters, digits, `_ - . ( )`, not ending with a period.
 * Microsoft also allows Unicode letters and digits; azurerm's `resourcegroups.ValidateName` (`^[-\w._()]+$`, Go's
 * ASCII `\w`) does not, so created groups are held to ASCII. IDs of existing groups accept Unicode (arm-ids.ts).
 * Source: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftresources
 */
export const RESOURCE_GROUP_NAME: AzureNameRule = {
  resource: 'resource group',
  minLength: 1,
  maxLength: 90,
  pattern: /^[-\w.()]*[-\w()]$/,
  allowed: 'letters, digits, underscores, hyphens, periods and parentheses, not ending with a period',
};

/**
 * Blob container names: 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit,
 * no consecutive hyphens. azurerm (`validate.StorageContainerName`: `^[0-9a-z-]+$`, 3-63, no leading hyphen) is
 * looser and lets `a--b` and `ab-` through to fail at apply.
 * Source: https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata#container-names
 */
export const STORAGE_CONTAINER_NAME: AzureNameRule = {
  resource: 'blob container',
  minLength: 3,
  maxLength: 63,
  pattern: /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
  allowed: 'lowercase letters, digits and single hyphens, starting and ending with a letter or digit',
};

/**
 * Log Analytics workspace names: 4-63, alphanumerics and hyphens, starting and ending with an alphanumeric.
 * Sources: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftoperationalinsights ; azurerm `validate.LogAnalyticsWorkspaceName`.
 */
export const LOG_ANALYTICS_WORKSPACE_NAME: AzureNameRule = {
  resource: 'Log Analytics workspace',
  minLength: 4,
  maxLength: 63,
  pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
  allowed: 'letters, digits and hyphens, starting and ending with a letter or digit',
};

/**
 * Application Insights component names: 1-260, any characters except `% & \ ? /` and control characters, not
 * ending with a space or period (azurerm 4.55 does not validate the name). Source: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftinsights
 */
export const APPLICATION_INSIGHTS_NAME: AzureNameRule = {
  resource: 'Application Insights component',
  minLength: 1,
  maxLength: 260,
  // eslint-disable-next-line no-control-regex
  pattern: /^[^%&\\?/\u0000-\u001f\u007f]*[^%&\\?/. \u0000-\u001f\u007f]$/,
  allowed: 'any characters except % & \\ ? / and control characters, not ending with a space or period',
};

/** Validates a literal name against a rule; unresolved tokens pass (Terraform will know them). */
export function validateAzureName(scope: IConstruct, prop: string, value: string, rule: AzureNameRule): void {
  if (isUnresolved(value)) return;
  if (typeof value !== 'string') {
    throw new InvalidPropError(scope, prop, value, `must be a ${rule.resource} name of ${rule.allowed}`);
  }
  if (value.length < rule.minLength || value.length > rule.maxLength) {
    throw new InvalidPropError(
      scope,
      prop,
      value,
      `must be a ${rule.resource} name of ${rule.minLength}-${rule.maxLength} characters (${value.length} given)`,
    );
  }
  if (!rule.pattern.test(value)) {
    throw new InvalidPropError(scope, prop, value, `must be a ${rule.resource} name of ${rule.allowed}`);
  }
}

/**
 * Autoscale setting (`Microsoft.Insights/autoscalesettings`) names: 1-260, any characters except
 * `` : < > + / & % \ ? | `` and control characters, not ending with a space or period (azurerm 4.55 only requires a
 * non-empty name). Source: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftinsights
 */
export const AUTOSCALE_SETTING_NAME: AzureNameRule = {
  resource: 'autoscale setting',
  minLength: 1,
  maxLength: 260,
  // eslint-disable-next-line no-control-regex
  pattern: /^[^:<>+/&%\\?|\u0000-\u001f\u007f]*[^:<>+/&%\\?|. \u0000-\u001f\u007f]$/,
  allowed: 'any characters except : < > + / & % \\ ? | and control characters, not ending with a space or period',
};
