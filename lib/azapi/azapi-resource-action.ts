import { ITerraformDependable, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { AzapiOperationConfig, azapiResourceConfig, operationToHcl, operationToTerraform } from './azapi-options';
import { hclDynamic, hclString, hclStringList } from '../core/hcl-attributes';
import { assertSameCdkEdition } from '../core/edition-guard';

/**
 * Configuration of {@link AzapiResourceAction}, a typed subset of the provider's documented schema.
 * @see https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/resource_action
 */
export interface AzapiResourceActionConfig extends AzapiOperationConfig {
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
   * Query parameters of the request, e.g. `{ softRestart: ['false'] }`.
   * @default - none
   */
  readonly queryParameters?: Record<string, string[]>;
  /**
   * When the action runs.
   * @default 'apply'
   */
  readonly when?: 'apply' | 'destroy';
  /**
   * Values of the response to export into `output` (JMESPath-like paths, e.g. `properties.name`).
   * @default - nothing exported
   */
  readonly responseExportValues?: string[];
}

/**
 * `azapi_resource_action`: performs one ARM API call on a resource during apply. Re-runs when its inputs change.
 * Hand-written: there is no prebuilt cdktf binding for azapi.
 */
export class AzapiResourceAction extends TerraformResource implements ITerraformDependable {
  public static readonly tfResourceType = 'azapi_resource_action';

  private readonly config: AzapiResourceActionConfig;

  public constructor(scope: Construct, id: string, config: AzapiResourceActionConfig) {
    super(scope, id, azapiResourceConfig(AzapiResourceAction.tfResourceType, config));
    assertSameCdkEdition(this);
    this.config = config;
  }

  /** The ARM id of the action (its resource id). */
  public get id(): string {
    return this.getStringAttribute('id');
  }

  /** A value of the exported response (`responseExportValues`), e.g. `properties.state`. */
  public outputValue(path: string): string {
    return this.getStringAttribute(`output.${path}`);
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return {
      type: c.type,
      resource_id: c.resourceId,
      action: c.action,
      method: c.method,
      body: c.body,
      query_parameters: c.queryParameters,
      when: c.when,
      response_export_values: c.responseExportValues,
      ...operationToTerraform(c),
    };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    const c = this.config;
    return {
      type: hclString(c.type),
      resource_id: hclString(c.resourceId),
      action: hclString(c.action),
      method: hclString(c.method),
      body: hclDynamic(c.body),
      query_parameters: hclDynamic(c.queryParameters),
      when: hclString(c.when),
      response_export_values: hclStringList(c.responseExportValues),
      ...operationToHcl(c),
    };
  }
}
