import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ApplyTimeCommand } from '../../core/apply-time-command';
import { APPLY_STEP_ENV } from '../../common/apply-step-env';
import type { IFunctionCodePackage } from './function-package';
import { LibraryConstruct } from '../../core/edition-guard';

/** Props of {@link FunctionCodePublish}. */
export interface FunctionCodePublishProps {
  /** The packaged code. */
  readonly code: IFunctionCodePackage;
  /** ARM id of the Flex Consumption app. */
  readonly functionAppId: string;
  /** The app's deployment container URL: a new container (or account) holds no package, so the code is published again. */
  readonly deploymentContainerUrl: string;
  /** What must exist first: the app and every role its identity needs to write its deployment storage. */
  readonly dependsOn: ITerraformDependable[];
  /**
   * Time allowed for the deployment, in seconds.
   * @default 900
   */
  readonly timeoutSeconds?: number;
}

/**
 * Deploys the code package to a Flex Consumption app during `terraform apply`, with Entra ID only: Terraform runs
 * `cdktf-azure-webpubsub publish` (a `terraform_data` + `local-exec` step, re-run exactly when the package hash, the
 * app or its deployment container changes), which POSTs the zip to the app's SCM `/api/publish` (OneDeploy) the way the Azure CLI, Core Tools and
 * Azure/functions-action do, then follows the deployment to success or failure. The CLI logs in as the Terraform run
 * does (same `ARM_*` variables, or the Azure CLI login).
 */
export class FunctionCodePublish extends LibraryConstruct implements ITerraformDependable {
  public readonly step: ApplyTimeCommand;

  public constructor(scope: Construct, id: string, props: FunctionCodePublishProps) {
    super(scope, id);
    this.step = new ApplyTimeCommand(this, 'Publish', {
      subcommand: 'publish',
      environment: {
        [APPLY_STEP_ENV.appId]: props.functionAppId,
        [APPLY_STEP_ENV.packagePath]: props.code.assetPath,
        [APPLY_STEP_ENV.packageSha256]: props.code.contentHash,
        [APPLY_STEP_ENV.timeoutSeconds]: String(props.timeoutSeconds ?? 900),
      },
      triggers: { package_sha256: props.code.contentHash, function_app_id: props.functionAppId, deployment_container: props.deploymentContainerUrl },
      dependsOn: props.dependsOn,
    });
  }

  public get fqn(): string {
    return this.step.fqn;
  }
}
