/**
 * `cdktf-azure-webpubsub` command line: `local-settings` and `verify`.
 *
 * Reads JSON files only (the synth manifest and cdktf outputs) and never imports the constructs or cdktf, so it
 * starts fast. Azure SDK modules are loaded only by the command that needs them (lazy `require`, which works both
 * compiled and when run from source through tsx).
 */
import { Command, InvalidArgumentError } from 'commander';
import { registerApplyCommands } from './apply-commands';
import { CliError } from './deployment-inputs';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer (milliseconds)');
  return n;
}

/** Builds the program; `run` parses `argv` and sets `process.exitCode`. Exported for tests. */
export function createProgram(): Command {
  const program = new Command('cdktf-azure-webpubsub')
    .description('Tools for stacks built with cdktf-azure-webpubsub: local development settings and post-deploy checks')
    .showHelpAfterError();

  program
    .command('local-settings')
    .description(
      'write <project>/local.settings.json for `func start` against the deployed service (identity-based: uses your az login)',
    )
    .option('--stack <name>', 'stack name', 'chat')
    .option('--outputs <file>', 'cdktf outputs file (cdktf deploy --outputs-file; default: outputs.json when it exists)')
    .option('--manifest <file>', 'synth manifest (default: cdktf.out/stacks/<stack>/webpubsub-manifest.json)')
    .option('--project <dir>', 'function project directory', 'examples/chat')
    .option('--function-app <path>', 'construct path of the Function App, when the stack has several')
    .option('--web-pubsub-hostname <host>', 'service host name, instead of reading the outputs file')
    .option('--force', 'replace existing values that differ (each is still reported)', false)
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const { writeLocalSettings } = require('./local-settings') as typeof import('./local-settings');
      writeLocalSettings({
        stack: opts.stack as string,
        outputsFile: opts.outputs as string,
        manifestFile: opts.manifest as string | undefined,
        projectDir: opts.project as string,
        functionApp: opts.functionApp as string | undefined,
        webPubSubHostname: opts.webPubsubHostname as string | undefined,
        force: opts.force === true,
      });
    });

  program
    .command('verify')
    .description('check the deployed service, hubs, handlers and roles against the code, then do a real round trip')
    .option('--stack <name>', 'stack name', 'chat')
    .option('--outputs <file>', 'cdktf outputs file (default: outputs.json when it exists)')
    .option('--manifest <file>', 'synth manifest (default: cdktf.out/stacks/<stack>/webpubsub-manifest.json)')
    .option('--service-path <path>', 'construct path of the service, when the stack has several')
    .option('--subscription <id>', 'subscription id (overrides subscription_id)')
    .option('--resource-group <name>', 'resource group (overrides resource_group_name)')
    .option('--service <name>', 'Web PubSub service name (overrides web_pubsub_name)')
    .option('--app-host <host>', 'Function App host name (overrides function_app_hostname)')
    .option('--app-principal-id <id>', 'principal id of the app identity (overrides function_app_principal_id)')
    .option('--negotiate-url <url>', 'negotiate endpoint (default: https://<app host>/api/negotiate)')
    .option('--timeout <ms>', 'time allowed per network step and for the round trip', positiveInt, 20000)
    .option('--arm-endpoint <url>', 'Azure Resource Manager endpoint (sovereign clouds)', 'https://management.azure.com')
    .action(async (opts: Record<string, string | number | undefined>) => {
      const { verify } = require('./verify') as typeof import('./verify');
      const { DefaultAzureCredential } = require('@azure/identity') as typeof import('@azure/identity');
      const report = await verify(
        {
          stack: opts.stack as string,
          outputsFile: opts.outputs as string | undefined,
          manifestFile: opts.manifest as string | undefined,
          servicePath: opts.servicePath as string | undefined,
          subscriptionId: opts.subscription as string | undefined,
          resourceGroup: opts.resourceGroup as string | undefined,
          serviceName: opts.service as string | undefined,
          appHost: opts.appHost as string | undefined,
          appPrincipalId: opts.appPrincipalId as string | undefined,
          negotiateUrl: opts.negotiateUrl as string | undefined,
          timeoutMs: opts.timeout as number,
        },
        { credential: new DefaultAzureCredential(), armEndpoint: opts.armEndpoint as string },
      );
      if (!report.ok) process.exitCode = 1;
    });

  registerApplyCommands(program);
  return program;
}

/** Runs the CLI; user errors print one line and exit 1 (no stack trace). */
export async function run(argv: readonly string[] = process.argv): Promise<void> {
  try {
    await createProgram().parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CliError) {
      console.error(`error: ${err.message}`);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
}

if (require.main === module) {
  void run();
}
