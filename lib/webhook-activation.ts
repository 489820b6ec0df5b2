import { Fn, ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ApplyTimeCommand } from './apply-time-command';
import { APPLY_STEP_ENV } from './cli/apply-commands';
import { assertSameCdkEdition } from './edition-guard';

/** Props of {@link WebhookActivation}. */
export interface WebhookActivationProps {
  /** ARM id of the function app. */
  readonly functionAppId: string;
  /** The key value (a Terraform reference); only its hash is stored with this step, to re-run it on rotation. */
  readonly keyValue: string;
  /** The host storage account name: keys live there, so another account means the key is written and served anew. */
  readonly hostStorageAccount: string;
  /** Host names of the Web PubSub services that call the app (sent as `WebHook-Request-Origin`). */
  readonly origins: string[];
  /**
   * Wait until the webhook answers the service's validation (needs code with a Web PubSub trigger on the app).
   * @default true
   */
  readonly probe?: boolean;
  /** The key write (and everything before it). */
  readonly dependsOn: ITerraformDependable[];
  /**
   * How Terraform starts this library's CLI at apply.
   * @default DEFAULT_CLI_COMMAND
   */
  readonly cliCommand?: string;
}

/**
 * After the `webpubsub_extension` key is written: restarts the app so every instance serves it, then waits until the
 * webhook answers the Web PubSub service's validation request (`cdktf-azure-webpubsub activate-webhook`, see its
 * module doc for the sources). Hubs depend on this step: the service validates the handler URL when a hub is saved, so
 * a hub created earlier would fail on a first deploy. Re-runs when the key changes (rotation), the app is replaced or
 * its host storage account changes.
 */
export class WebhookActivation extends Construct implements ITerraformDependable {
  public readonly step: ApplyTimeCommand;

  public constructor(scope: Construct, id: string, props: WebhookActivationProps) {
    super(scope, id);
    assertSameCdkEdition(this);
    this.step = new ApplyTimeCommand(this, 'Activate', {
      subcommand: 'activate-webhook',
      environment: {
        [APPLY_STEP_ENV.appId]: props.functionAppId,
        [APPLY_STEP_ENV.origins]: Fn.join(',', props.origins),
        ...(props.probe === false ? { [APPLY_STEP_ENV.probe]: 'false' } : {}),
      },
      // A hash, not the key: a trigger holding the key would be one more copy of it in the state.
      triggers: { key_sha256: Fn.sha256(props.keyValue), function_app_id: props.functionAppId, host_storage: props.hostStorageAccount },
      dependsOn: props.dependsOn,
      cliCommand: props.cliCommand,
    });
  }

  public get fqn(): string {
    return this.step.fqn;
  }
}
