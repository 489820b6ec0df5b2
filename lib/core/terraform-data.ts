import { execFileSync } from 'child_process';
import { ITerraformDependable, TerraformMetaArguments, TerraformResource, TerraformStack } from 'cdktf';
import { Construct, IValidation } from 'constructs';
import { hclStringMap } from './hcl-attributes';
import { assertSameCdkEdition } from './edition-guard';

/** Configuration of {@link TerraformData}. */
export interface TerraformDataConfig extends TerraformMetaArguments {
  /**
   * Values stored in state; a change replaces the resource (and so runs its provisioners again).
   * @default - none
   */
  readonly triggersReplace?: Record<string, string>;
}

/**
 * Terraform's built-in `terraform_data` resource (Terraform 1.4+, no provider;
 * https://developer.hashicorp.com/terraform/language/resources/terraform-data), for provisioners that run when its
 * triggers change.
 *
 * Hand-written instead of the core's `DataResource` because that one adds, to every instance, a validation that runs
 * `terraform version` in a shell: one process per resource at every synth (about 40 ms each, most of the per-app synth
 * time of a stack with many apps), and a failed synth on a machine without Terraform, where synthesizing needs none.
 * This binding checks the version once per process, and only when a Terraform binary is there to check.
 */
export class TerraformData extends TerraformResource implements ITerraformDependable {
  public static readonly tfResourceType = 'terraform_data';

  private readonly triggers?: Record<string, string>;

  public constructor(scope: Construct, id: string, config: TerraformDataConfig = {}) {
    super(scope, id, {
      terraformResourceType: TerraformData.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'terraform' },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach,
    });
    assertSameCdkEdition(this);
    this.triggers = config.triggersReplace;
    const stack = TerraformStack.of(this);
    if (!stacksWithVersionCheck.has(stack)) {
      stacksWithVersionCheck.add(stack);
      stack.node.addValidation(new TerraformVersionValidation());
    }
  }

  public get id(): string {
    return this.getStringAttribute('id');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { triggers_replace: this.triggers };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return { triggers_replace: hclStringMap(this.triggers) };
  }
}

const stacksWithVersionCheck = new WeakSet<TerraformStack>();

/** The oldest Terraform with `terraform_data`. */
const MINIMUM_TERRAFORM = { major: 1, minor: 4 } as const;

interface InstalledTerraform {
  /** The command that was asked (`TERRAFORM_BINARY_NAME`, else `terraform`). */
  readonly command: string;
  /** Its version, or null when there is no such command. */
  readonly version: string | null;
}

let installedTerraform: InstalledTerraform | undefined;

/**
 * The Terraform binary the core's CLI would run (`TERRAFORM_BINARY_NAME`, else `terraform`) and its version; asked once
 * per process, without the update check (`CHECKPOINT_DISABLE`), which would reach out to the network. `version -json`
 * exists since Terraform 0.13; older ones answer in text (`Terraform v0.12.31`), which is read too, so that they fail
 * the check instead of passing it.
 */
function installedTerraformVersion(): InstalledTerraform {
  if (installedTerraform) return installedTerraform;
  const command = process.env.TERRAFORM_BINARY_NAME || 'terraform';
  let missing = false;
  const run = (args: string[]): string | undefined => {
    try {
      return execFileSync(command, args, {
        env: { ...process.env, CHECKPOINT_DISABLE: '1' },
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 30_000,
      }).toString();
    } catch (error) {
      missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      return undefined;
    }
  };
  let version: string | null;
  const json = run(['version', '-json']);
  try {
    version = json === undefined ? null : ((JSON.parse(json) as { terraform_version?: string }).terraform_version ?? null);
  } catch {
    version = null;
  }
  // no second process when there is no such binary at all
  if (version === null && !missing) version = /Terraform v(\d+\.\d+\.\d+)/.exec(run(['version']) ?? '')?.[1] ?? null;
  return (installedTerraform = { command, version });
}

class TerraformVersionValidation implements IValidation {
  public validate(): string[] {
    const { command, version } = installedTerraformVersion();
    const match = version ? /^(\d+)\.(\d+)/.exec(version) : null;
    if (!match) return [];
    const [major, minor] = [Number(match[1]), Number(match[2])];
    const tooOld = major < MINIMUM_TERRAFORM.major || (major === MINIMUM_TERRAFORM.major && minor < MINIMUM_TERRAFORM.minor);
    return tooOld
      ? [
          `Terraform ${version} is installed (\`${command}\`${process.env.TERRAFORM_BINARY_NAME ? ', from TERRAFORM_BINARY_NAME' : ' on PATH'}), but this stack's apply-time steps are terraform_data resources, which need Terraform ${MINIMUM_TERRAFORM.major}.${MINIMUM_TERRAFORM.minor} or later: upgrade it, or point TERRAFORM_BINARY_NAME at a newer one`,
        ]
      : [];
  }
}
