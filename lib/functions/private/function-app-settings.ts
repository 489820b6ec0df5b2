import { IConstruct } from 'constructs';
import { insightsAuthenticationString, IFunctionAppInsights } from '../function-app-insights';
import { hostStorageSettings, IFunctionHostStorage } from '../function-host-storage';
import { DEFAULT_WEB_PUBSUB_CONNECTION, WebPubSubConnection } from '../web-pubsub-function-app-props';
import { InvalidPropError } from '../../validation/invalid-prop-error';

/** Inputs of {@link functionAppSettings}. */
export interface FunctionAppSettingsInput {
  readonly flexConsumption: boolean;
  readonly storage: IFunctionHostStorage;
  /** Client id of the user-assigned identity; undefined for the system identity. */
  readonly clientId?: string;
  readonly insights?: IFunctionAppInsights;
  /** `WEBSITE_RUN_FROM_PACKAGE*` (Premium/Dedicated with code). */
  readonly runFromPackage?: Record<string, string>;
  readonly connections: readonly WebPubSubConnection[];
  readonly defaultHubName?: string;
  readonly userSettings?: Record<string, string>;
}

/** The app's settings, and the values that go to dedicated attributes of `azurerm_linux_function_app`. */
export interface FunctionAppSettings {
  readonly appSettings: Record<string, string>;
  /** Premium/Dedicated: for `site_config.application_insights_connection_string`. */
  readonly applicationInsightsConnectionString?: string;
}

/**
 * Settings `azurerm_linux_function_app` (azurerm 4.55) moves out of `app_settings` when it reads an app back, so
 * writing them there shows a change on every plan and restarts the app on every apply. Source:
 * hashicorp/terraform-provider-azurerm `internal/services/appservice/linux_function_app_resource.go`,
 * `unpackLinuxFunctionAppSettings` (each key is moved to a dedicated attribute or dropped). This library sets each
 * through its attribute (`functions_extension_version`, `site_config.application_insights_connection_string`,
 * `storage_uses_managed_identity` + `storage_account_name`) or not at all.
 */
export const AZURERM_LINUX_FUNCTION_APP_MANAGED_SETTINGS: readonly string[] = [
  'FUNCTIONS_EXTENSION_VERSION',
  'WEBSITE_NODE_DEFAULT_VERSION',
  'WEBSITE_HTTPLOGGING_RETENTION_DAYS',
  'DOCKER_REGISTRY_SERVER_URL',
  'DOCKER_REGISTRY_SERVER_USERNAME',
  'DOCKER_REGISTRY_SERVER_PASSWORD',
  'APPINSIGHTS_INSTRUMENTATIONKEY',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'AzureWebJobsStorage',
  'AzureWebJobsDashboard',
  'WEBSITE_HEALTHCHECK_MAXPINGFAILURES',
  'AzureWebJobsStorage__accountName',
  'AzureWebJobsDashboard__accountName',
  'WEBSITE_VNET_ROUTE_ALL',
];

/**
 * Builds the settings: identity-only host storage, Entra-only Application Insights, the identity-based Web PubSub
 * connection per service (`<prefix>__serviceUri`, `__credential`, `__clientId`:
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub#identity-based-connection), the
 * default hub, run-from-package, then the user's settings, none of which may replace a managed one.
 */
export function functionAppSettings(scope: IConstruct, input: FunctionAppSettingsInput): FunctionAppSettings {
  const managed: Record<string, string> = {
    // On Premium/Dedicated azurerm writes `__accountName` itself (storage_uses_managed_identity).
    ...hostStorageSettings(input.storage, input.clientId, input.flexConsumption),
    ...input.runFromPackage,
  };
  let applicationInsightsConnectionString: string | undefined;
  if (input.insights) {
    if (input.flexConsumption) managed.APPLICATIONINSIGHTS_CONNECTION_STRING = input.insights.connectionString;
    else applicationInsightsConnectionString = input.insights.connectionString;
    managed.APPLICATIONINSIGHTS_AUTHENTICATION_STRING = insightsAuthenticationString(input.clientId);
  }
  for (const c of input.connections) {
    const prefix = c.settingPrefix ?? DEFAULT_WEB_PUBSUB_CONNECTION;
    managed[`${prefix}__serviceUri`] = c.service.serviceUri;
    managed[`${prefix}__credential`] = 'managedidentity';
    if (input.clientId !== undefined) managed[`${prefix}__clientId`] = input.clientId;
  }
  if (input.defaultHubName !== undefined) managed.WebPubSubHub = input.defaultHubName;

  const reserved = new Set([...Object.keys(managed), ...(input.flexConsumption ? [] : AZURERM_LINUX_FUNCTION_APP_MANAGED_SETTINGS)]);
  for (const [name, value] of Object.entries(input.userSettings ?? {})) {
    const clash = [...reserved].find((r) => r.toLowerCase() === name.toLowerCase());
    if (clash !== undefined) {
      throw new InvalidPropError(scope, `appSettings.${name}`, value, `is managed by this construct (${clash}); set it through its dedicated prop`);
    }
  }
  return { appSettings: { ...managed, ...input.userSettings }, applicationInsightsConnectionString };
}
