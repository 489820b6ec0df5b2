import { Fn, ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ApplyTimeCommand } from '../../core/apply-time-command';
import { APPLY_STEP_ENV } from '../../common/apply-step-env';
import { LibraryConstruct } from '../../core/edition-guard';
import type { WebhookHostingKind, WebhookTarget } from '../../common/webhook-targets';

/** Props of {@link WebhookActivation}. */
export interface WebhookActivationProps {
  /** ARM id of the function app. */
  readonly functionAppId: string;
  /** The key values (Terraform references); only their hashes are stored with this step, to re-run it on rotation. */
  readonly keyValues: string[];
  /** The host storage account name: keys live there, so another account means the key is written and served anew. */
  readonly hostStorageAccount: string;
  /** Host names of the Web PubSub services that call the app (sent as `WebHook-Request-Origin`). */
  readonly origins: string[];
  /**
   * The `serviceUri` settings the app was given, index-aligned with `origins`: the step checks each names its
   * service's host.
   * @default - not checked
   */
  readonly serviceUris?: string[];
  /**
   * The URLs the hubs will call, each probed as the service validates it.
   * @default - the extension webhook
   */
  readonly webhooks?: WebhookTarget[];
  /**
   * The app's hosting kind: the step's diagnosis of a webhook that is not served depends on it.
   * @default - not said
   */
  readonly hosting?: WebhookHostingKind;
  /**
   * Wait until the webhooks answer the service's validation (needs packaged Web PubSub handlers on the app).
   * @default true
   */
  readonly probe?: boolean;
  /** The key write (and everything before it). */
  readonly dependsOn: ITerraformDependable[];
}

/**
 * After the keys are written (`webpubsub_extension`, `webpubsub_upstream`): restarts the app so every instance serves
 * them, then waits until each URL the hubs will call answers the Web PubSub service's validation request (`cdktf-azure-webpubsub activate-webhook`, see its
 * module doc for the sources). Hubs depend on this step: the service validates the handler URL when a hub is saved, so
 * a hub created earlier would fail on a first deploy. Re-runs when the key changes (rotation), the app is replaced or
 * its host storage account changes.
 */
export class WebhookActivation extends LibraryConstruct implements ITerraformDependable {
  public readonly step: ApplyTimeCommand;

  public constructor(scope: Construct, id: string, props: WebhookActivationProps) {
    super(scope, id);
    this.step = new ApplyTimeCommand(this, 'Activate', {
      subcommand: 'activate-webhook',
      environment: {
        [APPLY_STEP_ENV.appId]: props.functionAppId,
        [APPLY_STEP_ENV.origins]: Fn.join(',', props.origins),
        ...(props.serviceUris && props.serviceUris.length > 0 ? { [APPLY_STEP_ENV.serviceUris]: props.serviceUris.join(',') } : {}),
        ...(props.probe === false ? { [APPLY_STEP_ENV.probe]: 'false' } : {}),
        ...(props.webhooks && props.webhooks.length > 0 ? { [APPLY_STEP_ENV.webhooks]: JSON.stringify(props.webhooks) } : {}),
        ...(props.hosting ? { [APPLY_STEP_ENV.hosting]: props.hosting } : {}),
      },
      // A hash, not the key: a trigger holding the key would be one more copy of it in the state.
      triggers: {
        key_sha256: Fn.sha256(Fn.join(',', props.keyValues)),
        function_app_id: props.functionAppId,
        host_storage: props.hostStorageAccount,
        ...(props.webhooks && props.webhooks.length > 0 ? { webhooks: JSON.stringify(props.webhooks) } : {}),
      },
      dependsOn: props.dependsOn,
    });
  }

  public get fqn(): string {
    return this.step.fqn;
  }
}
