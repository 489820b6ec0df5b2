// Infrastructure entry of cdktf-azure-webpubsub. Function code imports `cdktf-azure-webpubsub/runtime` instead.
// The public surface is listed here on purpose: validators, naming helpers, packaging steps and the Terraform glue of
// the constructs stay internal (import paths under lib/ are not part of the API).

// The pattern
export { ServerlessWebPubSub } from './serverless-web-pubsub';
export type { ResourceGroupAttributes, ServerlessHubOptions, ServerlessResourceGroupProps, ServerlessWebPubSubProps } from './serverless-web-pubsub';

// Web PubSub
export { WebPubSubService } from './web-pubsub-service';
export type {
  IWebPubSubService,
  WebPubSubLiveTraceOptions,
  WebPubSubNetworkAclOptions,
  WebPubSubRequestType,
  WebPubSubServiceAttributes,
  WebPubSubServiceProps,
} from './web-pubsub-service';
export type { WebPubSubSku } from './validation/web-pubsub-sku';
export { WebPubSubHub } from './web-pubsub-hub';
export type { WebPubSubHubOptions, WebPubSubHubProps } from './web-pubsub-hub';
export { EventHandler } from './event-handler';
export type { BoundEventHandler, EventHandlerOptions, EventRouting, ExtensionWebhookKey, HandlerKind, IWebPubSubEventTarget } from './event-handler';
export type { SystemEvent } from './validation/event-routing';

// The function app and its parts
export { WebPubSubFunctionApp } from './web-pubsub-function-app';
export type { IWebPubSubFunctionApp, WebPubSubFunctionAppAttributes } from './web-pubsub-function-app';
export { DEFAULT_WEB_PUBSUB_CONNECTION } from './web-pubsub-function-app-props';
export type { FunctionsNodeVersion, IFunctionAppCode, WebPubSubConnection, WebPubSubFunctionAppProps } from './web-pubsub-function-app-props';
export { FunctionAppHosting } from './function-app-hosting';
export type { ElasticPremiumSku, FlexConsumptionOptions } from './function-app-hosting';
export { FunctionAppIdentity } from './function-app-identity';
export type { FunctionAppIdentityProps, IUserAssignedIdentity, UserAssignedIdentityAttributes } from './function-app-identity';
export { FunctionHostStorage } from './function-host-storage';
export type { FunctionHostStorageAttributes, FunctionHostStorageProps, IFunctionHostStorage } from './function-host-storage';
export { FunctionAppInsights } from './function-app-insights';
export type { ApplicationInsightsAttributes, FunctionAppInsightsProps, IFunctionAppInsights } from './function-app-insights';
export { FunctionHostKey } from './function-host-key';
export type { FunctionHostKeyProps } from './function-host-key';
export { WebPubSubExtensionKey } from './web-pubsub-extension-key';
export type { WebPubSubExtensionKeyProps } from './web-pubsub-extension-key';
// Parts a function app creates, exported as types for its escape-hatch properties.
export type { FlexConsumptionSite } from './flex-consumption-site';
export type { FunctionCodePublish } from './function-code-publish';
export type { FunctionPackage, IFunctionCodePackage } from './function-package';
export type { WebhookActivation } from './webhook-activation';
export { BuiltInRole } from './built-in-role';
export type { IRolePrincipal } from './built-in-role';
export type { GrantTarget } from './role-grants';

// Function code packaging
export { FunctionCode } from './packaging/function-code';
export type { FunctionCodeProps } from './packaging/function-code';
export type { NodeVersion } from './packaging/function-bundler';
export type { DeclaredEventRouting, RegisteredBinding, RegisteredFunction } from './packaging/function-registration-recorder';

// The azapi binding (no prebuilt one exists)
export { AzapiProvider } from './azapi/azapi-provider';
export type { AzapiProviderProps } from './azapi/azapi-provider';
export { AzapiResource } from './azapi/azapi-resource';
export type { AzapiIdentity, AzapiResourceConfig } from './azapi/azapi-resource';
export { AzapiResourceAction } from './azapi/azapi-resource-action';
export type { AzapiResourceActionConfig } from './azapi/azapi-resource-action';
export { AzapiUpdateResource } from './azapi/azapi-update-resource';
export type { AzapiUpdateResourceConfig } from './azapi/azapi-update-resource';
export type { AzapiOperationConfig, AzapiRetry, AzapiTimeouts } from './azapi/azapi-options';

// Synth-time errors
export { InvalidPropError } from './validation/invalid-prop-error';
export { MixedCdkEditionError } from './edition-guard';
