import { ITerraformDependable, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { AzapiOperationConfig, azapiResourceConfig, operationToHcl, operationToTerraform } from './azapi-options';
import { hclBlock, hclBoolean, hclDynamic, hclString, hclStringList, hclStringMap } from '../core/hcl-attributes';
import { assertSameCdkEdition } from '../core/edition-guard';

/** The managed identity block of an azapi resource. */
export interface AzapiIdentity {
  /** `SystemAssigned`, `UserAssigned` or `SystemAssigned, UserAssigned`. */
  readonly type: 'SystemAssigned' | 'UserAssigned' | 'SystemAssigned, UserAssigned';
  /**
   * Resource ids of the user-assigned identities.
   * @default - none
   */
  readonly identityIds?: string[];
}

/**
 * Configuration of {@link AzapiResource}, a typed subset of the provider's documented schema.
 * @see https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/resource
 */
export interface AzapiResourceConfig extends AzapiOperationConfig {
  /** Azure resource type and API version, e.g. `Microsoft.Web/sites@2024-04-01`. */
  readonly type: string;
  /** Resource name. */
  readonly name: string;
  /** ID of the parent (a resource group id for top-level resources). */
  readonly parentId: string;
  /**
   * Azure region.
   * @default - none (for resources without a location)
   */
  readonly location?: string;
  /**
   * Managed identity of the resource.
   * @default - none
   */
  readonly identity?: AzapiIdentity;
  /**
   * Resource body without `location`, `tags` and `identity` (azapi 2.x takes an object).
   * @default - no body
   */
  readonly body?: Record<string, unknown>;
  /**
   * Tags.
   * @default - none
   */
  readonly tags?: Record<string, string>;
  /**
   * Response values exported into `output` (paths such as `properties.defaultHostName`).
   * @default - nothing exported
   */
  readonly responseExportValues?: string[];
  /**
   * Check `body` against the resource type's schema at plan time.
   * @default true
   */
  readonly schemaValidationEnabled?: boolean;
  /**
   * Ignore body properties that the service does not return on read (e.g. write-only secrets).
   * @default - provider default (true)
   */
  readonly ignoreMissingProperty?: boolean;
}

/**
 * `azapi_resource`: an Azure resource managed through its ARM REST API with the given body. Used where the azurerm
 * resource cannot express what Microsoft's own templates deploy. Hand-written: there is no prebuilt cdktf binding.
 */
export class AzapiResource extends TerraformResource implements ITerraformDependable {
  public static readonly tfResourceType = 'azapi_resource';

  private readonly config: AzapiResourceConfig;

  public constructor(scope: Construct, id: string, config: AzapiResourceConfig) {
    super(scope, id, azapiResourceConfig(AzapiResource.tfResourceType, config));
    assertSameCdkEdition(this);
    this.config = config;
  }

  /** ARM resource id. */
  public get id(): string {
    return this.getStringAttribute('id');
  }

  /** The resource's name. */
  public get name(): string {
    return this.getStringAttribute('name');
  }

  /** A value of the exported response (it must be listed in `responseExportValues`), e.g. `properties.defaultHostName`. */
  public outputValue(path: string): string {
    if (!(this.config.responseExportValues ?? []).includes(path)) {
      throw new Error(`${this.node.path}: \`${path}\` is not in responseExportValues, so \`output\` will not hold it`);
    }
    return this.getStringAttribute(`output.${path}`);
  }

  /** The principal id of the resource's system-assigned identity. */
  public get identityPrincipalId(): string {
    return this.getStringAttribute('identity[0].principal_id');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return {
      type: c.type,
      name: c.name,
      parent_id: c.parentId,
      location: c.location,
      identity: c.identity && [{ type: c.identity.type, identity_ids: c.identity.identityIds }],
      body: c.body,
      tags: c.tags,
      response_export_values: c.responseExportValues,
      schema_validation_enabled: c.schemaValidationEnabled,
      ignore_missing_property: c.ignoreMissingProperty,
      ...operationToTerraform(c),
    };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    const c = this.config;
    return {
      type: hclString(c.type),
      name: hclString(c.name),
      parent_id: hclString(c.parentId),
      location: hclString(c.location),
      identity: c.identity && hclBlock({ type: hclString(c.identity.type), identity_ids: hclStringList(c.identity.identityIds) }),
      body: hclDynamic(c.body),
      tags: hclStringMap(c.tags),
      response_export_values: hclStringList(c.responseExportValues),
      schema_validation_enabled: hclBoolean(c.schemaValidationEnabled),
      ignore_missing_property: hclBoolean(c.ignoreMissingProperty),
      ...operationToHcl(c),
    };
  }
}
