/**
 * Azure values the constructs, the CLI and the bundler share, each in one place. No cdktf import: the CLI loads it.
 * (Web PubSub webhook paths and key names live beside the targets that use them, in `./webhook-targets`; role GUIDs in
 * `./role-ids`.)
 */

/**
 * The default setting prefix the Web PubSub bindings read (their `connection` property's default):
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub#identity-based-connection
 */
export const DEFAULT_WEB_PUBSUB_CONNECTION = 'WebPubSubConnectionString';

/**
 * Node.js versions Azure Functions v4 runs on Linux (Flex, Premium, Dedicated), which the bundler targets:
 * https://learn.microsoft.com/azure/azure-functions/functions-versions#languages
 */
export const FUNCTIONS_NODE_VERSIONS = ['20', '22'] as const;

/** A Node.js version Azure Functions v4 runs on Linux: `'20'` or `'22'`. */
export type FunctionsNodeVersion = (typeof FUNCTIONS_NODE_VERSIONS)[number];
