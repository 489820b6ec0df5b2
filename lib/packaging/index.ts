export * from './function-code';
export {
  BUNDLE_PATH,
  FUNCTIONS_CORE_MODULE,
  type NodeVersion,
} from './function-bundler';
export {
  deriveEventRouting,
  getTriggerBinding,
  listWebPubSubTriggers,
  type DeclaredEventRouting,
  type RegisteredBinding,
  type RegisteredFunction,
  type WebPubSubSystemEvent,
  type WebPubSubTriggerRegistration,
} from './function-registration-recorder';
export {
  buildFunctionPackage,
  type BuiltFunctionPackage,
  type BuildFunctionPackageOptions,
  type PackageStaging,
} from './package-builder';
export { EXTENSION_BUNDLE_ID, EXTENSION_BUNDLE_VERSION, defaultHostJson } from './host-json';
