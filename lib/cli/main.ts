/**
 * `cdktf-azure-webpubsub` command line: `local-settings`, `dev` and `verify`, for any app built with these constructs.
 *
 * Reads JSON files only (the deployment manifest synth writes, and the deployed outputs) and never imports the
 * constructs or cdktf, so it starts fast. Azure SDK modules are loaded only by the command that needs them (lazy
 * `require`, which works both compiled and when run from source through tsx).
 *
 * Every error is one line on stderr and a non-zero exit; the process exits as soon as the command is done.
 */
import { Command, InvalidArgumentError } from 'commander';
import { registerApplyCommands } from './apply/apply-commands';
import { cliPackage, coreCommand } from './cli-edition';
import { CliError } from './deployment-inputs';
import { DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS } from './timeouts';

function timeoutMs(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n <= 0 || n > MAX_TIMEOUT_MS) {
    throw new InvalidArgumentError(`must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
  }
  return n;
}

/** Builds the program; `run` parses `argv` and exits. Exported for tests. */
export function createProgram(): Command {
  const { edition, version } = cliPackage();
  const program = new Command(edition.packageName)
    .description(
      `Tools for stacks built with ${edition.packageName}: local development settings and post-deploy checks, and the steps Terraform runs at apply (publish, activate-webhook, await-blob-access)`,
    )
    .version(version, '-V, --version', 'print the version')
    // Errors stay one line: the usage hint goes on the same line instead of the whole help.
    .configureOutput({ outputError: (text, write) => write(`${text.trimEnd()} (see --help)\n`) });

  const stackOption = '--stack <name>';
  const stackHelp = 'stack to use (default: the only stack of the synth output with a Web PubSub manifest)';
  const outputsHelp = `deployed values: \`${coreCommand('deploy --outputs-file')}\` or \`terraform output -json\` file (default: outputs.json in the cdktf project, when it exists)`;
  const manifestHelp = 'deployment manifest (default: <cdktf output dir>/stacks/<stack>/webpubsub-manifest.json, written by synth)';

  program
    .command('local-settings')
    .description('write <project>/local.settings.json for `func start` against the deployed service (identity-based: uses your az login; <project> must be a Functions project: host.json, package.json main)')
    .option(stackOption, stackHelp)
    .option('--outputs <file>', outputsHelp)
    .option('--manifest <file>', manifestHelp)
    .option('--project <dir>', "function project directory (default: the packaged code's projectDir from the manifest, else the current directory)")
    .option('--function-app <path>', 'construct path of the Function App, when the stack has several')
    .option('--web-pubsub-hostname <host>', 'service host name, instead of reading the outputs file')
    .option('--force', 'replace existing values that differ (each is still reported; the old file is kept as local.settings.json.bak)', false)
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const { writeLocalSettings } = require('./local-settings') as typeof import('./local-settings');
      writeLocalSettings({
        stack: opts.stack as string | undefined,
        outputsFile: opts.outputs as string | undefined,
        manifestFile: opts.manifest as string | undefined,
        projectDir: opts.project as string | undefined,
        functionApp: opts.functionApp as string | undefined,
        webPubSubHostname: opts.webPubsubHostname as string | undefined,
        force: opts.force === true,
      });
    });

  const portNumber = (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < 1 || n > 65535) throw new InvalidArgumentError('must be a port number from 1 to 65535');
    return n;
  };
  program
    .command('dev')
    .description(
      "run the stack's packaged function code on this machine: unpack the synthesized package into .webpubsub-dev/, write its local.settings.json and start `func start`, " +
        'with `awps-tunnel` for the hubs that use the development tunnel (events from the deployed service) or, with --emulator, the local Web PubSub emulator; Ctrl-C stops everything',
    )
    .option(stackOption, stackHelp)
    .option('--outputs <file>', outputsHelp)
    .option('--manifest <file>', manifestHelp)
    .option('--function-app <path>', 'construct path of the Function App, when the stack has several')
    .option('--web-pubsub-hostname <host>', 'service host name, instead of reading the outputs file')
    .option('--emulator', 'use the local Web PubSub emulator (awps-emulator) instead of the deployed service: no Azure needed', false)
    .option('--port <port>', 'port of `func start`', portNumber, 7071)
    .option('--emulator-port <port>', "the emulator's port", portNumber, 8080)
    .option('--webview', "keep awps-tunnel's web view (without it, dev passes --noWebview)", false)
    .option('--watch', 're-synthesize when a file of the code project changes, and restart func with the new package', false)
    .option('--synth-command <command>', "command --watch runs to synthesize (default: cdktf.json's app, with CDKTF_OUTDIR set)")
    .option('--pass-credentials', 'pass this shell\'s service-principal variables (AZURE_CLIENT_*, ARM_CLIENT_*, ...) to func and awps-tunnel (without it, they sign in as your az login)', false)
    .option('--prepare-only', 'write the project and settings, print the commands, start nothing', false)
    .action(async (opts: Record<string, string | number | boolean | undefined>) => {
      const { dev } = require('./dev/dev') as typeof import('./dev/dev');
      const result = await dev({
        stack: opts.stack as string | undefined,
        outputsFile: opts.outputs as string | undefined,
        manifestFile: opts.manifest as string | undefined,
        functionApp: opts.functionApp as string | undefined,
        webPubSubHostname: opts.webPubsubHostname as string | undefined,
        emulator: opts.emulator === true,
        port: opts.port as number,
        emulatorPort: opts.emulatorPort as number,
        webview: opts.webview === true,
        watch: opts.watch === true,
        synthCommand: opts.synthCommand as string | undefined,
        prepareOnly: opts.prepareOnly === true,
        passCredentials: opts.passCredentials === true,
      });
      process.exitCode = result.exitCode;
    });

  program
    .command('verify')
    .description('check the deployed service, hubs, handlers and roles against the code, then negotiate and connect a client (optionally send an event and wait for the reply)')
    .option(stackOption, stackHelp)
    .option('--outputs <file>', outputsHelp)
    .option('--manifest <file>', manifestHelp)
    .option('--service-path <path>', 'construct path of the service, when the stack has several')
    .option('--function-app <path>', 'construct path of the Function App for the role check and the round trip, when several use the service')
    .option('--subscription <id>', "subscription id (overrides the one in the service's resource id)")
    .option('--resource-group <name>', "resource group (overrides the one in the service's resource id)")
    .option('--service <name>', "Web PubSub service name (overrides the one in the service's resource id)")
    .option('--app-host <host>', "the Function App's host name (overrides the deployed output)")
    .option('--app-principal-id <id>', 'principal id of the app identity (overrides the deployed output)')
    .option('--negotiate-url <url>', "negotiate endpoint (default: the app's anonymous negotiate function from the manifest)")
    .option('--event <name>', 'after connecting, send this user event (passes when the service accepts it)')
    .option('--event-data <data>', 'payload of --event: JSON, else text (default: {"text":"verify","id":"<unique id>"})')
    .option('--expect-reply', "with --event: also wait for the handler's reply (a message from the server)", false)
    .option('--timeout <ms>', `time allowed per network step (token, ARM call, negotiate, connect, reply): 1 to ${MAX_TIMEOUT_MS}`, timeoutMs, DEFAULT_TIMEOUT_MS)
    .option('--arm-endpoint <url>', 'Azure Resource Manager endpoint (default: from ARM_ENVIRONMENT, as the azurerm provider)')
    .action(async (opts: Record<string, string | number | boolean | undefined>) => {
      if (opts.expectReply === true && opts.event === undefined) throw new CliError('--expect-reply needs --event <name> (the event whose reply to wait for)');
      const { verify } = require('./verify/verify') as typeof import('./verify/verify');
      const { azureCloud, loginLikeTerraform } = require('./azure-login') as typeof import('./azure-login');
      const report = await verify(
        {
          stack: opts.stack as string | undefined,
          outputsFile: opts.outputs as string | undefined,
          manifestFile: opts.manifest as string | undefined,
          servicePath: opts.servicePath as string | undefined,
          functionApp: opts.functionApp as string | undefined,
          subscriptionId: opts.subscription as string | undefined,
          resourceGroup: opts.resourceGroup as string | undefined,
          serviceName: opts.service as string | undefined,
          appHost: opts.appHost as string | undefined,
          appPrincipalId: opts.appPrincipalId as string | undefined,
          negotiateUrl: opts.negotiateUrl as string | undefined,
          event: opts.event as string | undefined,
          eventData: opts.eventData as string | undefined,
          expectReply: opts.expectReply === true,
          timeoutMs: opts.timeout as number,
        },
        // The same login as the Terraform run and the apply steps: `az login`, or the ARM_* / OIDC variables.
        { credential: loginLikeTerraform(process.env).credential, armEndpoint: (opts.armEndpoint as string | undefined) ?? azureCloud(process.env).armEndpoint },
      );
      if (!report.ok) process.exitCode = 1;
    });

  registerApplyCommands(program);
  return program;
}

function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/** One line for an error; the stack only when CDKTF_AZURE_WEBPUBSUB_DEBUG is set. */
export function errorLine(err: unknown): string {
  if (err instanceof CliError) return `error: ${err.message}`;
  if (process.env.CDKTF_AZURE_WEBPUBSUB_DEBUG) return `error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  return `error: ${message} (unexpected: set CDKTF_AZURE_WEBPUBSUB_DEBUG=1 for details)`;
}

/**
 * Runs the CLI, then exits: with 1 after any error (printed as one line) or failed check, else 0. Exiting explicitly
 * means a handle something left open (an identity endpoint that never answered, a socket in its close handshake)
 * cannot keep the process alive after the report.
 */
export async function run(argv: readonly string[] = process.argv): Promise<never> {
  try {
    await createProgram().parseAsync([...argv]);
  } catch (err) {
    console.error(errorLine(err));
    process.exitCode = 1;
  }
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  process.exit();
}

if (require.main === module) {
  void run();
}
