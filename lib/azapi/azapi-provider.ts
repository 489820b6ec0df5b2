import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { assertSameCdkEdition } from '../edition-guard';

/** azapi 2.x: object `body` and the `retry` block of `azapi_resource_action` (docs/azure-sources.md §5). */
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
 * No prebuilt cdktf binding exists for azapi; the library only needs `azapi_resource_action`
 * (see {@link AzapiResourceAction}). Like every provider, the application (not a construct) adds it to the stack.
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
