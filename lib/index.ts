// Infrastructure entry of cdktf-azure-webpubsub. Function code imports `cdktf-azure-webpubsub/runtime` instead.
// The public surface is listed here on purpose: validators, naming helpers, packaging steps and the Terraform glue of
// the constructs stay internal (import paths under lib/ are not part of the API).

// The pattern
export { ServerlessWebPubSub } from './patterns/serverless-web-pubsub';
export type { ServerlessHubOptions, ServerlessResourceGroupProps, ServerlessWebPubSubProps } from './patterns/serverless-web-pubsub';
export type { ServerlessNetworkOptions } from './patterns/serverless-network-options';

// Where every construct creates its resources
export type { IResourceGroup, ResourceGroupAttributes } from './core/resource-group';

// Web PubSub
export { WebPubSubService } from './webpubsub/web-pubsub-service';
export type {
  IWebPubSubService,
  WebPubSubLiveTraceOptions,
  WebPubSubNetworkAclOptions,
  WebPubSubPrivateEndpointOptions,
  WebPubSubRequestType,
  WebPubSubServiceAttributes,
  WebPubSubServiceProps,
} from './webpubsub/web-pubsub-service';
export { WebPubSubHostnameSource } from './webpubsub/web-pubsub-hostname';
export type { WebPubSubSku } from './validation/web-pubsub-sku';
export { WebPubSubReplica } from './webpubsub/web-pubsub-replica';
export type { IWebPubSubReplica, WebPubSubReplicaOptions, WebPubSubReplicaParent, WebPubSubReplicaProps } from './webpubsub/web-pubsub-replica';
export { WebPubSubAutoscale } from './webpubsub/web-pubsub-autoscale';
export type { WebPubSubAutoscaleOptions, WebPubSubAutoscaleProps, WebPubSubAutoscaleTarget } from './webpubsub/web-pubsub-autoscale';
export { WebPubSubHub } from './webpubsub/web-pubsub-hub';
export type { WebPubSubHubOptions, WebPubSubHubProps } from './webpubsub/web-pubsub-hub';
export { EventHandler } from './webpubsub/event-handler';
export type { BoundEventHandler, DeclaredHttpEventHandlers, EventHandlerOptions, EventRouting, ExtensionWebhookKey, HandlerKind, IWebPubSubEventTarget, WebhookKey } from './webpubsub/event-handler';
export type { SystemEvent } from './validation/event-routing';
export { WebPubSubSharedPrivateLink } from './webpubsub/web-pubsub-shared-private-link';
export type { ISharedPrivateLink, WebPubSubSharedPrivateLinkProps } from './webpubsub/web-pubsub-shared-private-link';

// The function app and its parts
export { WebPubSubFunctionApp } from './functions/web-pubsub-function-app';
export type { IWebPubSubFunctionApp, WebPubSubFunctionAppAttributes } from './functions/web-pubsub-function-app';
export { DEFAULT_WEB_PUBSUB_CONNECTION } from './functions/web-pubsub-function-app-props';
export type { FunctionsNodeVersion, IFunctionAppCode, WebPubSubConnection, WebPubSubFunctionAppProps } from './functions/web-pubsub-function-app-props';
export { FunctionAppHosting } from './functions/function-app-hosting';
export type { ElasticPremiumSku, FlexConsumptionOptions } from './functions/function-app-hosting';
export { AppIdentity } from './functions/app-identity';
export type { AppIdentityKind, UserAssignedAppIdentityProps } from './functions/app-identity';
export { AppMonitoring } from './functions/app-monitoring';
export type { AppMonitoringKind, ApplicationInsightsOptions } from './functions/app-monitoring';
export { FunctionAppIdentity } from './functions/function-app-identity';
export type { FunctionAppIdentityProps, IUserAssignedIdentity, FunctionAppIdentityAttributes } from './functions/function-app-identity';
export { FunctionHostStorage } from './functions/function-host-storage';
export type { FunctionHostStorageAttributes, FunctionHostStorageProps, IFunctionHostStorage } from './functions/function-host-storage';
export { FunctionAppInsights } from './functions/function-app-insights';
export type { FunctionAppInsightsAttributes, FunctionAppInsightsProps, IFunctionAppInsights } from './functions/function-app-insights';
export { SharedPrivateLinkApproval } from './functions/shared-private-link-approval';
export type { SharedPrivateLinkApprovalProps } from './functions/shared-private-link-approval';
export { FunctionHostKey } from './functions/function-host-key';
export type { FunctionHostKeyProps } from './functions/function-host-key';
export type { FunctionHostKeyType } from './common/webhook-targets';
export { WebPubSubExtensionKey } from './functions/web-pubsub-extension-key';
export type { WebPubSubExtensionKeyProps } from './functions/web-pubsub-extension-key';
// Parts a function app creates, exported as types for its escape-hatch properties.
export type { FlexConsumptionSite } from './functions/private/flex-consumption-site';
export type { FunctionCodePublish } from './functions/private/function-code-publish';
export type { FunctionPackage, IFunctionCodePackage } from './functions/private/function-package';
export type { WebhookActivation } from './functions/private/webhook-activation';
export { BuiltInRole } from './iam/built-in-role';
export type { IRolePrincipal } from './iam/built-in-role';
export type { GrantTarget } from './iam/role-grants';

// Function code packaging
export { FunctionCode } from './code/function-code';
export type { FunctionCodeProps } from './code/function-code';
export type { DeclaredEventRouting, RegisteredBinding, RegisteredFunction } from './code/private/function-registration-recorder';

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

// Private networking: networks, subnets, private DNS zones and private endpoints, created or brought
export { VirtualNetwork } from './network/virtual-network';
export type { IVirtualNetwork, VirtualNetworkAttributes, VirtualNetworkProps } from './network/virtual-network';
export { Subnet } from './network/subnet';
export type { ISubnet, SubnetAttributes, SubnetDelegation, SubnetOptions, SubnetProps } from './network/subnet';
export { PrivateDnsZone } from './network/private-dns-zone';
export type { IPrivateDnsZone, PrivateDnsZoneAttributes, PrivateDnsZoneProps } from './network/private-dns-zone';
export { PrivateEndpoint } from './network/private-endpoint';
export type { PrivateEndpointProps } from './network/private-endpoint';
export { PRIVATE_LINK_DNS_ZONES } from './network/private-link-zones';
export type { PrivateLinkSubresource } from './network/private-link-zones';
export { TopologyNetwork } from './network/topology-network';
export type { TopologyNetworkOptions, TopologyNetworkProps } from './network/topology-network';

// Synth-time errors
export { InvalidPropError } from './validation/invalid-prop-error';
export { CLI_COMMAND_CONTEXT_KEY } from './core/apply-time-command';
export { MixedCdkEditionError } from './core/edition-guard';
