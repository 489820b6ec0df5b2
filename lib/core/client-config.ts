import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';

const ID = 'AzurermClientConfig';

/**
 * The azurerm provider's own configuration (subscription, tenant, the principal running Terraform), one data source
 * per stack. It reads the provider's login, it calls no API that needs the resources of this stack.
 */
export function clientConfig(scope: IConstruct): DataAzurermClientConfig {
  const stack = TerraformStack.of(scope);
  return (stack.node.tryFindChild(ID) as DataAzurermClientConfig | undefined) ?? new DataAzurermClientConfig(stack, ID);
}

/** `/subscriptions/<subscription of the provider>/resourceGroups/<name>`. */
export function resourceGroupIdOf(scope: IConstruct, resourceGroupName: string): string {
  return `/subscriptions/${clientConfig(scope).subscriptionId}/resourceGroups/${resourceGroupName}`;
}
