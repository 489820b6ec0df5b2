/**
 * The environment variables through which the apply-time steps (`terraform_data` + `local-exec`, written by the
 * constructs) hand their inputs to the CLI (`publish`, `activate-webhook`, `await-blob-access`, `approve-private-links`). Both sides import this
 * cdktf-free module, so a synth never loads the CLI.
 */
/** Environment variable names the provisioners set. */
export const APPLY_STEP_ENV = {
  appId: 'CDKTF_AZURE_WEBPUBSUB_APP_ID',
  packagePath: 'CDKTF_AZURE_WEBPUBSUB_PACKAGE',
  packageSha256: 'CDKTF_AZURE_WEBPUBSUB_PACKAGE_SHA256',
  origins: 'CDKTF_AZURE_WEBPUBSUB_ORIGINS',
  /**
   * Comma-separated `serviceUri` settings the app was given, index-aligned with `origins` (ARM's host names):
   * `activate-webhook` checks that each names its service's host.
   */
  serviceUris: 'CDKTF_AZURE_WEBPUBSUB_SERVICE_URIS',
  probe: 'CDKTF_AZURE_WEBPUBSUB_PROBE',
  /** JSON array of `WebhookTarget` (lib/common/webhook-targets.ts): what `activate-webhook` probes; absent: the extension webhook. */
  webhooks: 'CDKTF_AZURE_WEBPUBSUB_WEBHOOKS',
  /** The app's hosting kind (`FlexConsumption`, `ElasticPremium`, `Dedicated`), for `activate-webhook`'s diagnosis. */
  hosting: 'CDKTF_AZURE_WEBPUBSUB_HOSTING',
  containerUrl: 'CDKTF_AZURE_WEBPUBSUB_CONTAINER_URL',
  /** Comma-separated ARM ids of the Web PubSub shared private link resources (service or replica) `approve-private-links` approves on the app. */
  sharedPrivateLinks: 'CDKTF_AZURE_WEBPUBSUB_SHARED_PRIVATE_LINKS',
  /** `true` skips the fast reachability check of the app's hosts before `publish` and `activate-webhook` probe them. */
  skipReachabilityCheck: 'CDKTF_AZURE_WEBPUBSUB_SKIP_REACHABILITY_CHECK',
  timeoutSeconds: 'CDKTF_AZURE_WEBPUBSUB_TIMEOUT_SECONDS',
} as const;
