import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { assertSameCdkEdition } from '../core/edition-guard';

/**
 * azapi 2.x from 2.3: object `body`/`output`, list-form `response_export_values`, and a custom `retry` that overrides the
 * default one (fixed in 2.3.0); docs/azure-sources.md §5.
 */
export const AZAPI_PROVIDER_VERSION_CONSTRAINT = '~> 2.3';

/**
 * Options for {@link AzapiProvider}.
 *
 * Credentials and the subscription come from the same `ARM_*` environment variables the azurerm provider reads
 * (`ARM_USE_OIDC`, `ARM_CLIENT_ID`, `ARM_TENANT_ID`, `ARM_SUBSCRIPTION_ID`) or the Azure CLI login.
 * @see https://registry.terraform.io/providers/Azure/azapi/latest/docs
 */
export interface AzapiProviderProps {
  /**
   * Alias, when a stack needs several azapi configurations.
   * @default - the default (unaliased) provider configuration
   */
  readonly alias?: string;
}

/**
 * A minimal, hand-written binding for the `Azure/azapi` Terraform provider.
 *
 * No prebuilt cdktf binding exists for azapi; the library uses `azapi_resource` (the Flex site),
 * `azapi_update_resource` (its basic-auth policy) and `azapi_resource_action` (the key write). Like every provider, the application (not a construct) adds it to the stack.
 */
export class AzapiProvider extends TerraformProvider {
  private readonly providerAlias?: string;

  public constructor(scope: Construct, id: string, props: AzapiProviderProps = {}) {
    super(scope, id, {
      terraformResourceType: 'azapi',
      terraformGeneratorMetadata: {
        providerName: 'azapi',
        providerVersionConstraint: AZAPI_PROVIDER_VERSION_CONSTRAINT,
      },
      terraformProviderSource: 'Azure/azapi',
    });
    assertSameCdkEdition(this);
    this.providerAlias = props.alias;
  }

  public get alias(): string | undefined {
    return this.providerAlias;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { alias: this.providerAlias };
  }
}
