// Infrastructure entry of cdktf-azure-webpubsub. Function code imports `cdktf-azure-webpubsub/runtime` instead.
export * from './azapi/azapi-provider';
export * from './azapi/azapi-resource-action';
export * from './built-in-role';
export { buildDeploymentManifest } from './deployment-manifest';
export { DEPLOYMENT_MANIFEST_FILE, DEPLOYMENT_MANIFEST_VERSION, ManifestShapeError, parseDeploymentManifest } from './manifest-schema';
export type {
  DeploymentManifest,
  ManifestConnection,
  ManifestEventHandler,
  ManifestEventHandlerKind,
  ManifestFunctionApp,
  ManifestFunctionCode,
  ManifestHub,
  ManifestNegotiateFunction,
  ManifestOutputRef,
  ManifestService,
  ManifestValue,
} from './manifest-schema';
export * from './event-handler';
export * from './function-app-hosting';
export * from './function-app-identity';
export * from './function-app-insights';
export * from './function-host-storage';
export * from './function-package';
export * from './serverless-web-pubsub';
export * from './web-pubsub-extension-key';
export * from './web-pubsub-function-app';
export * from './web-pubsub-hub';
export * from './web-pubsub-service';
export * from './validation/azure-resource-names';
export * from './validation/event-routing';
export * from './validation/invalid-prop-error';
export * from './validation/web-pubsub-sku';
export * from './packaging';
