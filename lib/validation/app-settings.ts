import { IConstruct } from 'constructs';
import { warnAtSynth } from '../core/synth-messages';
import { InvalidPropError, isUnresolved } from './invalid-prop-error';

/** The hosting plans the library deploys a function app on. */
export type AppSettingsHosting = 'FlexConsumption' | 'ElasticPremium' | 'Dedicated';

/** What {@link validateAppSettings} needs to know about the app. */
export interface AppSettingsContext {
  /** Hosting plan of the app. */
  readonly hosting: AppSettingsHosting;
  /**
   * Connection names the library configures with an identity, e.g. `AzureWebJobsStorage` and each Web PubSub
   * setting prefix (`WebPubSubConnectionString`): it writes `<prefix>__serviceUri`, `__credential`, `__clientId`.
   */
  readonly identityPrefixes: readonly string[];
  /**
   * The library writes the Application Insights settings (`APPLICATIONINSIGHTS_CONNECTION_STRING`,
   * `APPLICATIONINSIGHTS_AUTHENTICATION_STRING`).
   * @default true
   */
  readonly applicationInsightsManaged?: boolean;
}

// "App setting names can contain only letters, numbers (0-9), periods (.), and underscores (_)."
// https://learn.microsoft.com/azure/app-service/configure-common#configure-app-settings
const SETTING_NAME = /^[A-Za-z0-9._]+$/;

const FLEX_DOC = 'https://learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations';

/**
 * Settings Flex Consumption deprecates ("Flex Consumption plan deprecations", Functions app settings reference),
 * with what replaced them. `error`: the setting is refused by ARM or conflicts with something the library
 * configures; `warn`: it is ignored on Flex. FUNCTIONS_WORKER_RUNTIME is refused by ARM with "The following app
 * setting (Site.SiteConfig.AppSettings.FUNCTIONS_WORKER_RUNTIME) for Flex Consumption sites is invalid"
 * (microsoft/vscode-azurefunctions#4142, #4761).
 */
export const FLEX_CONSUMPTION_DEPRECATED_SETTINGS: Readonly<Record<string, { readonly level: 'error' | 'warn'; readonly reason: string }>> = {
  FUNCTIONS_WORKER_RUNTIME: { level: 'error', reason: 'is refused by ARM on Flex Consumption; the runtime is `functionAppConfig.runtime`, set from `nodeVersion`' },
  FUNCTIONS_WORKER_RUNTIME_VERSION: { level: 'error', reason: 'is replaced on Flex Consumption by `functionAppConfig.runtime.version`, set from `nodeVersion`' },
  WEBSITE_RUN_FROM_PACKAGE: { level: 'error', reason: 'is not used on Flex Consumption, which runs the package the library deploys to its deployment container' },
  SCM_DO_BUILD_DURING_DEPLOYMENT: { level: 'error', reason: 'is replaced on Flex Consumption by the `remoteBuild` deployment parameter; the library deploys a built package (remoteBuild false)' },
  ENABLE_ORYX_BUILD: { level: 'error', reason: 'is replaced on Flex Consumption by the `remoteBuild` deployment parameter; the library deploys a built package (remoteBuild false)' },
  WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT: { level: 'error', reason: 'is replaced on Flex Consumption by `maximumInstanceCount`; use `FunctionAppHosting.flexConsumption({ maximumInstanceCount })`' },
  DEPLOYMENT_STORAGE_CONNECTION_STRING: { level: 'error', reason: 'holds a storage connection string; the library authenticates the deployment container with the app identity' },
  FUNCTIONS_EXTENSION_VERSION: { level: 'warn', reason: 'is set by the platform on Flex Consumption' },
  FUNCTIONS_MAX_HTTP_CONCURRENCY: { level: 'warn', reason: 'is replaced on Flex Consumption by the HTTP trigger concurrency of `functionAppConfig.scaleAndConcurrency`' },
  FUNCTIONS_WORKER_PROCESS_COUNT: { level: 'warn', reason: 'is not valid on Flex Consumption' },
  FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED: { level: 'warn', reason: 'is not valid on Flex Consumption' },
  WEBSITE_CONTENTOVERVNET: { level: 'warn', reason: 'is not used for networking on Flex Consumption' },
  WEBSITE_DNS_SERVER: { level: 'warn', reason: 'is not used on Flex Consumption (DNS comes from the integrated virtual network)' },
  WEBSITE_SKIP_CONTENTSHARE_VALIDATION: { level: 'warn', reason: 'is not used on Flex Consumption (no content share)' },
  WEBSITE_VNET_ROUTE_ALL: { level: 'warn', reason: 'is not used for networking on Flex Consumption' },
};

/**
 * Settings rejected on every plan this library uses (all Linux), with the reason.
 * Sources: https://learn.microsoft.com/azure/azure-functions/functions-app-settings (WEBSITE_NODE_DEFAULT_VERSION
 * "Windows only"; WEBSITE_CONTENTAZUREFILECONNECTIONSTRING a key-based connection string);
 * https://learn.microsoft.com/azure/azure-functions/storage-considerations#create-an-app-without-azure-files ;
 * https://learn.microsoft.com/azure/azure-monitor/app/migrate-from-instrumentation-keys-to-connection-strings
 * (instrumentation-key ingestion support ended on March 31, 2025).
 */
export const ALWAYS_REJECTED_SETTINGS: Readonly<Record<string, string>> = {
  WEBSITE_NODE_DEFAULT_VERSION: 'only applies to Windows apps; the Node.js version of this Linux app is `nodeVersion`',
  WEBSITE_CONTENTAZUREFILECONNECTIONSTRING:
    'is an Azure Files connection string with the account key; the library runs without a content share and uses identity-based storage',
  WEBSITE_CONTENTSHARE: 'names an Azure Files content share; the library runs without one (run from package / Flex deployment container)',
  APPINSIGHTS_INSTRUMENTATIONKEY:
    'is instrumentation-key ingestion, which Azure Monitor no longer supports (since 2025-03-31) and which Entra-only Application Insights refuses; use the library\'s Application Insights props',
};

// Values shaped like Azure keys or key-derived secrets: storage/Service Bus/Event Hubs/Web PubSub/SignalR
// connection strings and SAS tokens.
const SECRET_SHAPES: readonly [RegExp, string][] = [
  [/(^|;)\s*AccountKey\s*=/i, 'a storage connection string with an account key'],
  [/(^|;)\s*AccessKey\s*=/i, 'a connection string with an access key'],
  [/(^|;)\s*SharedAccessKey\s*=/i, 'a connection string with a shared access key'],
  [/(^|;)\s*SharedAccessSignature\s*=/i, 'a connection string with a shared access signature'],
  [/[?&]sig=[^&]+/i, 'a URL with a SAS token (`sig=`)'],
];

/** Why the value looks like a key or key-based connection string, or undefined. */
export function secretShape(value: string): string | undefined {
  if (/^\s*@Microsoft\.KeyVault\(/i.test(value)) return undefined;
  return SECRET_SHAPES.find(([re]) => re.test(value))?.[1];
}

/**
 * Checks user app settings of a function app (returns the warnings it also adds to the construct):
 * 1. Names: only letters, digits, `.` and `_` (App Service); `:` is refused (Flex Consumption answers 400 for
 *    `MongoDb:ConnectionString`, Azure/azure-functions-host#11908; on Linux `__` is the hierarchy delimiter). A `.`
 *    is allowed but warned about: on Linux it becomes `_` in the environment variable, so `a.b` and `a_b` collide
 *    (rejected) and `process.env['a.b']` is undefined.
 * 2. Identity-managed connections: a non-empty value named exactly `<prefix>` (any case: .NET configuration keys
 *    are case-insensitive) is read as a connection string and silently wins over the identity settings (Web PubSub
 *    extension `WebPubSubServiceAccessUtil.CreateFromIConfiguration`: `if (!string.IsNullOrEmpty(section.Value))`
 *    -> connection string); `<prefix>__*` belongs to the library's identity connection.
 * 3. Settings rejected on every plan ({@link ALWAYS_REJECTED_SETTINGS}), the Application Insights settings the
 *    library manages, and Flex Consumption deprecations ({@link FLEX_CONSUMPTION_DEPRECATED_SETTINGS}).
 * 4. Values: strings (numbers and booleans are converted by Terraform); values shaped like keys or key-based
 *    connection strings are warned about (use a Key Vault reference or an identity-based connection).
 * Token names and values are skipped; a token map is skipped entirely.
 * Sources: https://learn.microsoft.com/azure/app-service/configure-common#configure-app-settings ;
 * https://learn.microsoft.com/training/modules/configure-web-app-settings/2-configure-application-settings ("Any
 * periods in the app setting name will be replaced with a _", Linux apps) ;
 * https://learn.microsoft.com/azure/azure-functions/functions-app-settings#app-setting-considerations ("double-underscore
 * (__) and colon (:) are considered reserved values") ; https://learn.microsoft.com/azure/azure-functions/functions-reference#configure-an-identity-based-connection ;
 * https://learn.microsoft.com/dotnet/core/extensions/configuration#configuration-keys-and-values ("Keys are case-insensitive");
 * Azure/azure-sdk-for-net `sdk/webpubsub/Microsoft.Azure.WebJobs.Extensions.WebPubSub/src/Config/WebPubSubServiceAccessUtil.cs`.
 */
export function validateAppSettings(scope: IConstruct, prop: string, settings: unknown, context: AppSettingsContext): string[] {
  const warnings: string[] = [];
  if (settings === undefined || isUnresolved(settings)) return warnings;
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new InvalidPropError(scope, prop, settings, 'must be an object of setting names to string values');
  }
  const warn = (message: string) => {
    warnings.push(message);
    warnAtSynth(scope, message);
  };
  const prefixes = context.identityPrefixes.filter((p) => !isUnresolved(p)).map((p) => p.toLowerCase());
  const envNames = new Map<string, string>();
  for (const [name, value] of Object.entries(settings as Record<string, unknown>)) {
    const at = `${prop}.${name}`;
    if (!isUnresolved(name)) {
      checkName(scope, at, name, value, context, prefixes);
      const env = name.replace(/\./g, '_');
      const other = envNames.get(env);
      if (other !== undefined) {
        throw new InvalidPropError(scope, prop, [other, name], `must not have two settings that become the same environment variable "${env}" on Linux ("." is replaced by "_")`);
      }
      envNames.set(env, name);
      if (name.includes('.')) {
        warn(`\`${at}\` contains "."; on Linux the app sees it as the environment variable "${env}"`);
      }
      const flex = context.hosting === 'FlexConsumption' ? FLEX_CONSUMPTION_DEPRECATED_SETTINGS[name.toUpperCase()] : undefined;
      if (flex?.level === 'warn') warn(`\`${at}\` ${flex.reason} and has no effect (${FLEX_DOC})`);
    }
    if (value === undefined || value === null || (typeof value === 'object' && !isUnresolved(value))) {
      throw new InvalidPropError(scope, at, value, 'must be a string');
    }
    if (typeof value === 'string' && !isUnresolved(value)) {
      const shape = secretShape(value);
      if (shape) {
        warn(`\`${at}\` looks like ${shape}; keys in app settings are readable by anyone who can read the app's configuration: use an identity-based connection or a Key Vault reference (@Microsoft.KeyVault(SecretUri=...))`);
      }
    }
  }
  return warnings;
}

function checkName(scope: IConstruct, at: string, name: string, value: unknown, context: AppSettingsContext, prefixes: readonly string[]): void {
  if (!SETTING_NAME.test(name)) {
    const hint = name.includes(':') ? '; use "__" as the hierarchy separator (":" is Windows-only and refused on Linux)' : '';
    throw new InvalidPropError(scope, at, name, `must be a setting name of letters, digits, "." and "_"${hint}`);
  }
  const upper = name.toUpperCase();
  const lower = name.toLowerCase();
  const prefix = prefixes.find((p) => lower === p || lower.startsWith(`${p}__`));
  if (prefix !== undefined) {
    const original = context.identityPrefixes.find((p) => p.toLowerCase() === prefix) ?? prefix;
    if (lower === prefix) {
      // An empty value is no connection string: the extension then reads the identity settings.
      if (value === '') return;
      throw new InvalidPropError(
        scope,
        at,
        value,
        `would be read as a connection string and silently replace the identity-based connection "${original}" the library configures (${original}__serviceUri, __credential, __clientId); remove it`,
      );
    }
    throw new InvalidPropError(scope, at, value, `is part of the identity-based connection "${original}" the library configures; set it through the construct's props`);
  }
  const always = ALWAYS_REJECTED_SETTINGS[upper];
  if (always !== undefined) throw new InvalidPropError(scope, at, value, always);
  if ((context.applicationInsightsManaged ?? true) && (upper === 'APPLICATIONINSIGHTS_CONNECTION_STRING' || upper === 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING')) {
    throw new InvalidPropError(scope, at, value, 'is managed by the library\'s Application Insights (Entra ID ingestion); use `monitoring: AppMonitoring.fromApplicationInsights(insights)` or `monitoring: AppMonitoring.off()`');
  }
  if (context.hosting === 'FlexConsumption') {
    const flex = FLEX_CONSUMPTION_DEPRECATED_SETTINGS[upper];
    if (flex?.level === 'error') throw new InvalidPropError(scope, at, value, `${flex.reason} (${FLEX_DOC})`);
  } else if (upper === 'FUNCTIONS_WORKER_RUNTIME') {
    // azurerm `helpers/function_app_schema.go`: updateOrAppendAppSettings(appSettings, "FUNCTIONS_WORKER_RUNTIME", "node", ...)
    throw new InvalidPropError(scope, at, value, 'is written by azurerm from the application stack ("node") and would overwrite or be overwritten; remove it');
  }
}
