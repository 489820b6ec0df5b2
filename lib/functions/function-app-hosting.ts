/** Options of the Flex Consumption plan. */
export interface FlexConsumptionOptions {
  /**
   * Upper bound of instances the app scales out to (40-1000).
   * @default 100
   */
  readonly maximumInstanceCount?: number;
  /**
   * Memory per instance, in MB.
   * @default 2048
   */
  readonly instanceMemoryMb?: 512 | 2048 | 4096;
}

/** Elastic Premium SKUs. */
export type ElasticPremiumSku = 'EP1' | 'EP2' | 'EP3';

/**
 * Where the function app runs: Flex Consumption (FC1, the default), Elastic Premium, or a Dedicated App Service
 * plan. Flex is an azapi `Microsoft.Web/sites` body on an FC1 `azurerm_service_plan`; the others
 * `azurerm_service_plan` + `azurerm_linux_function_app`.
 */
export class FunctionAppHosting {
  /** Flex Consumption (FC1): serverless, scales to zero, deploys through its deployment container. */
  public static flexConsumption(options: FlexConsumptionOptions = {}): FunctionAppHosting {
    return new FunctionAppHosting('FlexConsumption', 'FC1', options);
  }

  /** Elastic Premium: pre-warmed instances, runs from a package blob. */
  public static elasticPremium(sku: ElasticPremiumSku = 'EP1'): FunctionAppHosting {
    return new FunctionAppHosting('ElasticPremium', sku, {});
  }

  /** A Dedicated (App Service) plan SKU, e.g. `B1`, `S1`, `P1v3`; runs from a package blob. */
  public static dedicated(sku: string): FunctionAppHosting {
    return new FunctionAppHosting('Dedicated', sku, {});
  }

  private constructor(
    public readonly kind: 'FlexConsumption' | 'ElasticPremium' | 'Dedicated',
    public readonly skuName: string,
    public readonly flex: FlexConsumptionOptions,
  ) {}
}
