import { ITerraformDependable, TerraformMetaArguments, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { AZAPI_PROVIDER_VERSION_CONSTRAINT } from './azapi-provider';

/**
 * Retry policy of an azapi resource action.
 * @see https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/resource_action#retry
 */
export interface AzapiRetry {
  /** Regular expressions matched against the error message; a match is retried. */
  readonly errorMessageRegex: string[];
  /**
   * Seconds before the first retry.
   * @default - provider default (10)
   */
  readonly intervalSeconds?: number;
  /**
   * Upper bound of the back-off, in seconds.
   * @default - provider default (180)
   */
  readonly maxIntervalSeconds?: number;
  /**
   * Back-off multiplier.
   * @default - provider default (1.5)
   */
  readonly multiplier?: number;
}

/**
 * Configuration of {@link AzapiResourceAction}, a typed subset of the provider's documented schema.
 * @see https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/resource_action
 */
export interface AzapiResourceActionConfig extends TerraformMetaArguments {
  /** Azure resource type and API version, e.g. `Microsoft.Web/sites@2024-04-01`. */
  readonly type: string;
  /** ID of the resource the action runs on. */
  readonly resourceId: string;
  /**
   * Action path below the resource, e.g. `host/default/systemKeys/webpubsub_extension`.
   * @default - the resource itself
   */
  readonly action?: string;
  /**
   * HTTP method.
   * @default 'POST'
   */
  readonly method?: 'POST' | 'PUT' | 'PATCH' | 'GET' | 'DELETE' | 'HEAD';
  /**
   * Request body as an object (azapi 2.x takes HCL objects, not JSON strings).
   * @default - no body
   */
  readonly body?: Record<string, unknown>;
  /**
   * Body parts holding secrets; merged into `body` by the provider and not shown in plans.
   * @default - none
   */
  readonly sensitiveBody?: Record<string, unknown>;
  /**
   * When the action runs.
   * @default 'apply'
   */
  readonly when?: 'apply' | 'destroy';
  /**
   * Retries on transient errors.
   * @default - no retries
   */
  readonly retry?: AzapiRetry;
}

/**
 * `azapi_resource_action`: performs one ARM API call on a resource during apply. Re-runs when its inputs change.
 * Hand-written: there is no prebuilt cdktf binding for azapi.
 */
export class AzapiResourceAction extends TerraformResource implements ITerraformDependable {
  public static readonly tfResourceType = 'azapi_resource_action';

  private readonly config: AzapiResourceActionConfig;

  public constructor(scope: Construct, id: string, config: AzapiResourceActionConfig) {
    super(scope, id, {
      terraformResourceType: AzapiResourceAction.tfResourceType,
      terraformGeneratorMetadata: {
        providerName: 'azapi',
        providerVersionConstraint: AZAPI_PROVIDER_VERSION_CONSTRAINT,
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach,
    });
    this.config = config;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return {
      type: c.type,
      resource_id: c.resourceId,
      action: c.action,
      method: c.method,
      body: c.body,
      sensitive_body: c.sensitiveBody,
      when: c.when,
      retry: c.retry && {
        error_message_regex: c.retry.errorMessageRegex,
        interval_seconds: c.retry.intervalSeconds,
        max_interval_seconds: c.retry.maxIntervalSeconds,
        multiplier: c.retry.multiplier,
      },
    };
  }
}
