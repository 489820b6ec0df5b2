import { ITerraformDependable, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { AzapiOperationConfig, azapiResourceConfig, operationToHcl, operationToTerraform } from './azapi-options';
import { hclDynamic, hclString } from '../core/hcl-attributes';
import { assertSameCdkEdition } from '../core/edition-guard';

/**
 * Configuration of {@link AzapiUpdateResource}, a typed subset of the provider's documented schema.
 * @see https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/update_resource
 */
export interface AzapiUpdateResourceConfig extends AzapiOperationConfig {
  /** Azure resource type and API version, e.g. `Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01`. */
  readonly type: string;
  /** ID of the existing resource to update. */
  readonly resourceId: string;
  /** The properties to set (merged into the resource's current body by the provider). */
  readonly body: Record<string, unknown>;
}

/**
 * `azapi_update_resource`: sets properties of a resource that exists anyway (a child the platform creates with its
 * parent, such as a site's basic publishing credential policies, which the REST API can read and update but not
 * delete). Destroying it changes nothing in Azure; the parent's deletion removes the child.
 * Hand-written: there is no prebuilt cdktf binding for azapi.
 */
export class AzapiUpdateResource extends TerraformResource implements ITerraformDependable {
  public static readonly tfResourceType = 'azapi_update_resource';

  private readonly config: AzapiUpdateResourceConfig;

  public constructor(scope: Construct, id: string, config: AzapiUpdateResourceConfig) {
    super(scope, id, azapiResourceConfig(AzapiUpdateResource.tfResourceType, config));
    assertSameCdkEdition(this);
    this.config = config;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return {
      type: c.type,
      resource_id: c.resourceId,
      body: c.body,
      ...operationToTerraform(c),
    };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    const c = this.config;
    return {
      type: hclString(c.type),
      resource_id: hclString(c.resourceId),
      body: hclDynamic(c.body),
      ...operationToHcl(c),
    };
  }
}
