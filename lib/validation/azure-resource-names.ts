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

// Source: "Naming rules and restrictions for Azure resources"
// https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules (see docs/azure-sources.md).
export const WEB_PUBSUB_NAME: AzureNameRule = {
  resource: 'Web PubSub service',
  minLength: 3,
  maxLength: 63,
  pattern: /^[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/,
  allowed: 'letters, digits and hyphens, starting with a letter and ending with a letter or digit',
};

// Hub names: letters, digits and underscores, starting with a letter (Web PubSub REST API hub name rule).
export const WEB_PUBSUB_HUB_NAME: AzureNameRule = {
  resource: 'Web PubSub hub',
  minLength: 1,
  maxLength: 128,
  pattern: /^[A-Za-z][A-Za-z0-9_]*$/,
  allowed: 'letters, digits and underscores, starting with a letter',
};

export const FUNCTION_APP_NAME: AzureNameRule = {
  resource: 'Function App (Microsoft.Web/sites)',
  minLength: 2,
  maxLength: 60,
  pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
  allowed: 'letters, digits and hyphens, not starting or ending with a hyphen',
};

export const SERVICE_PLAN_NAME: AzureNameRule = {
  resource: 'App Service plan',
  minLength: 1,
  maxLength: 60,
  pattern: /^[A-Za-z0-9-]+$/,
  allowed: 'letters, digits and hyphens',
};

export const STORAGE_ACCOUNT_NAME: AzureNameRule = {
  resource: 'storage account',
  minLength: 3,
  maxLength: 24,
  pattern: /^[a-z0-9]+$/,
  allowed: 'lowercase letters and digits only',
};

export const USER_ASSIGNED_IDENTITY_NAME: AzureNameRule = {
  resource: 'user-assigned managed identity',
  minLength: 3,
  maxLength: 128,
  pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
  allowed: 'letters, digits, hyphens and underscores, starting with a letter or digit',
};

export const RESOURCE_GROUP_NAME: AzureNameRule = {
  resource: 'resource group',
  minLength: 1,
  maxLength: 90,
  pattern: /^[-\w.()]*[-\w()]$/,
  allowed: 'letters, digits, underscores, hyphens, periods and parentheses, not ending with a period',
};

export const LOG_ANALYTICS_WORKSPACE_NAME: AzureNameRule = {
  resource: 'Log Analytics workspace',
  minLength: 4,
  maxLength: 63,
  pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
  allowed: 'letters, digits and hyphens, starting and ending with a letter or digit',
};

export const APPLICATION_INSIGHTS_NAME: AzureNameRule = {
  resource: 'Application Insights component',
  minLength: 1,
  maxLength: 260,
  pattern: /^[^%&\\?/]*[^%&\\?/. ]$/,
  allowed: 'any characters except % & \\ ? /, not ending with a space or period',
};

/** Validates a literal name against a rule; unresolved tokens pass (Terraform will know them). */
export function validateAzureName(scope: IConstruct, prop: string, value: string, rule: AzureNameRule): void {
  if (isUnresolved(value)) return;
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
