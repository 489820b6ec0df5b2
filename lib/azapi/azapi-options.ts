import { TerraformMetaArguments, TerraformResourceConfig } from 'cdktf';
import { AZAPI_PROVIDER_VERSION_CONSTRAINT } from './azapi-provider';
import { hclBlock, hclDynamic, HclAttribute, hclString } from '../core/hcl-attributes';

/** Meta-arguments plus the retry and timeouts every azapi resource and action accepts. */
export interface AzapiOperationConfig extends TerraformMetaArguments {
  /**
   * Retries on transient errors.
   * @default - no retries
   */
  readonly retry?: AzapiRetry;
  /**
   * Operation timeouts; a retried operation stops at its timeout.
   * @default - provider defaults
   */
  readonly timeouts?: AzapiTimeouts;
}

/** The `retry` and `timeouts` attributes of an azapi resource or action, as JSON. */
export function operationToTerraform(config: AzapiOperationConfig): Record<string, unknown> {
  return { retry: retryToTerraform(config.retry), timeouts: timeoutsToTerraform(config.timeouts) };
}

/** The `retry` and `timeouts` attributes of an azapi resource or action, for `--hcl`. */
export function operationToHcl(config: AzapiOperationConfig): Record<string, unknown> {
  return { retry: retryToHcl(config.retry), timeouts: timeoutsToHcl(config.timeouts) };
}

/** The `TerraformResource` configuration of an azapi resource type: the provider and the user's meta-arguments. */
export function azapiResourceConfig(terraformResourceType: string, meta: TerraformMetaArguments): TerraformResourceConfig {
  return {
    terraformResourceType,
    terraformGeneratorMetadata: { providerName: 'azapi', providerVersionConstraint: AZAPI_PROVIDER_VERSION_CONSTRAINT },
    provider: meta.provider,
    dependsOn: meta.dependsOn,
    count: meta.count,
    lifecycle: meta.lifecycle,
    provisioners: meta.provisioners,
    connection: meta.connection,
    forEach: meta.forEach,
  };
}

/**
 * Retry policy of an azapi resource or action: errors whose message matches one of the expressions are retried with
 * back-off until the operation's timeout. Match only transient errors: anything else (a malformed request, a missing
 * permission that will not appear) must fail at once.
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
}

/**
 * Operation timeouts (Go duration strings such as `10m`). A retried operation stops at its timeout.
 * @see https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/resource#timeouts
 */
export interface AzapiTimeouts {
  /**
   * @default - provider default (30m)
   */
  readonly create?: string;
  /**
   * @default - provider default (5m)
   */
  readonly read?: string;
  /**
   * @default - provider default (30m)
   */
  readonly update?: string;
  /**
   * @default - provider default (30m)
   */
  readonly delete?: string;
}

export function retryToTerraform(retry: AzapiRetry | undefined): Record<string, unknown> | undefined {
  return (
    retry && {
      error_message_regex: retry.errorMessageRegex,
      interval_seconds: retry.intervalSeconds,
      max_interval_seconds: retry.maxIntervalSeconds,
    }
  );
}

/** `retry` is an object attribute in azapi 2.x (`retry = { ... }`). */
export function retryToHcl(retry: AzapiRetry | undefined): HclAttribute | undefined {
  return hclDynamic(retryToTerraform(retry));
}

export function timeoutsToTerraform(timeouts: AzapiTimeouts | undefined): Record<string, unknown> | undefined {
  return timeouts && { create: timeouts.create, read: timeouts.read, update: timeouts.update, delete: timeouts.delete };
}

/** `timeouts` is a block (`timeouts { ... }`). */
export function timeoutsToHcl(timeouts: AzapiTimeouts | undefined): HclAttribute | undefined {
  return (
    timeouts &&
    hclBlock({
      create: hclString(timeouts.create),
      read: hclString(timeouts.read),
      update: hclString(timeouts.update),
      delete: hclString(timeouts.delete),
    })
  );
}
