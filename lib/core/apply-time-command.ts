import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { LibraryConstruct, LIBRARY_EDITION } from './edition-guard';
import { TerraformData } from './terraform-data';

/**
 * How Terraform starts this library's CLI during apply: from the synthesized stack directory, `npx --no` finds the
 * project's installed bin of this edition (`cdktf-azure-webpubsub`, or `cdktn-azure-webpubsub` in the cdktn
 * edition), walking up to the project's `node_modules`, and never downloads anything. Override for other package
 * managers, e.g. `pnpm exec cdktf-azure-webpubsub` or `yarn cdktf-azure-webpubsub`.
 */
export const DEFAULT_CLI_COMMAND = `npx --no ${LIBRARY_EDITION.packageName}`;

/**
 * The construct-context key that sets how Terraform starts the CLI, once for an app or a stack: under `"context"` in
 * cdktf.json, `new App({ context: { [CLI_COMMAND_CONTEXT_KEY]: 'pnpm exec cdktf-azure-webpubsub' } })`, or
 * `stack.node.setContext(...)` right after creating the stack (before its providers: CDK context is set before children).
 */
export const CLI_COMMAND_CONTEXT_KEY = 'azure-webpubsub:cliCommand';

/** Props of {@link ApplyTimeCommand}. */
export interface ApplyTimeCommandProps {
  /** The CLI subcommand, e.g. `publish`. */
  readonly subcommand: string;
  /** Inputs, passed as environment variables (no shell quoting anywhere). Must hold no secret: Terraform prints them. */
  readonly environment: Record<string, string>;
  /** The command runs again exactly when one of these values changes. */
  readonly triggers: Record<string, string>;
  /** What must exist before it runs. */
  readonly dependsOn: ITerraformDependable[];
}

/**
 * A step of this library's CLI that Terraform runs during apply: a `terraform_data` resource, replaced when its
 * triggers change, whose `local-exec` provisioner runs the command
 * (https://developer.hashicorp.com/terraform/language/resources/terraform-data). Provisioner failures fail the apply
 * and leave the resource tainted, so the next apply runs the step again.
 */
export class ApplyTimeCommand extends LibraryConstruct implements ITerraformDependable {
  public readonly resource: TerraformData;

  public constructor(scope: Construct, id: string, props: ApplyTimeCommandProps) {
    super(scope, id);
    const cliCommand = cliCommandOf(this);
    this.resource = new TerraformData(this, 'Resource', {
      triggersReplace: props.triggers,
      provisioners: [
        {
          type: 'local-exec',
          command: `${cliCommand} ${props.subcommand}`,
          environment: props.environment,
        },
      ],
      dependsOn: props.dependsOn,
    });
  }

  public get fqn(): string {
    return this.resource.fqn;
  }
}

/** The CLI command in force for `scope` (context {@link CLI_COMMAND_CONTEXT_KEY}, else {@link DEFAULT_CLI_COMMAND}). */
function cliCommandOf(scope: Construct): string {
  const value: unknown = scope.node.tryGetContext(CLI_COMMAND_CONTEXT_KEY);
  if (value === undefined) return DEFAULT_CLI_COMMAND;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(
      `${scope.node.path}: context "${CLI_COMMAND_CONTEXT_KEY}" must be a command that starts the ${LIBRARY_EDITION.packageName} CLI, e.g. "${DEFAULT_CLI_COMMAND}", got ${JSON.stringify(value)}`,
    );
  }
  return value.trim();
}
