/**
 * A replica of the example's `ChatStack` (examples/chat/main.ts) that takes its function code as props and can
 * compose N topologies in one stack. Used for the scaling benchmark (P4), and for P1/P5 while the example's function
 * code is not written yet (then with the packaging fixture as code).
 */
import { performance } from 'perf_hooks';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { AzapiProvider } from '../../lib/azapi/azapi-provider';
import { FunctionCode } from '../../lib/code/function-code';
import { ServerlessWebPubSub } from '../../lib/patterns/serverless-web-pubsub';
import type { ChatAppCode } from './chat-app-code';

export interface BenchChatStackOptions {
  readonly location: string;
  /** The function app package (shared by every topology) and its connection setting prefix. */
  readonly app: ChatAppCode;
  /**
   * How many `ServerlessWebPubSub` topologies (service + hub + function app) to compose.
   * @default 1
   */
  readonly topologies?: number;
}

export class BenchChatStack extends TerraformStack {
  public readonly topologies: ServerlessWebPubSub[] = [];
  public readonly code: FunctionCode;
  /** Milliseconds spent building the code package (FunctionCode), to separate it from the per-topology cost. */
  public readonly packagingMs: number;

  public constructor(scope: App, id: string, options: BenchChatStackOptions) {
    super(scope, id);
    new AzurermProvider(this, 'azurerm', { features: [{}], storageUseAzuread: true });
    new RandomProvider(this, 'random');
    new AzapiProvider(this, 'azapi');
    const started = performance.now();
    this.code = new FunctionCode(this, 'ChatCode', { ...options.app.code, quiet: true });
    this.packagingMs = performance.now() - started;
    const client = new DataAzurermClientConfig(this, 'Client');
    new TerraformOutput(this, 'subscription_id', { value: client.subscriptionId });

    const count = options.topologies ?? 1;
    for (let i = 0; i < count; i++) {
      const topology = new ServerlessWebPubSub(this, i === 0 ? 'Chat' : `Chat${i + 1}`, {
        resourceGroupProps: { location: options.location },
        hubs: [{ name: 'chat' }],
        functionAppProps: { code: this.code, nodeVersion: '22' },
        connectionSettingPrefix: options.app.connectionSettingPrefix,
        tags: { example: 'cdktf-azure-webpubsub-chat' },
      });
      this.topologies.push(topology);
      const fn = topology.functionApp;
      const prefix = i === 0 ? '' : `chat${i + 1}_`;
      const outputs: Record<string, string> = {
        resource_group_name: topology.resourceGroup.name,
        web_pubsub_name: (topology.service as { serviceName?: string }).serviceName ?? '',
        web_pubsub_hostname: topology.serviceHostname,
        function_app_name: fn.appName,
        function_app_hostname: fn.defaultHostname,
        function_app_principal_id: fn.principalId,
        negotiate_url: `https://${fn.defaultHostname}/api/negotiate`,
        chat_page_url: `https://${fn.defaultHostname}/api/index`,
      };
      for (const [name, value] of Object.entries(outputs)) new TerraformOutput(this, `${prefix}${name}`, { value });
    }
  }
}
