/**
 * The commands Terraform runs during apply (from `terraform_data` + `local-exec`, see `FunctionCodePublish`,
 * `WebhookActivation` and `FunctionPackage`). Each takes its inputs from options or, as the provisioners pass them
 * (environment variables are safe in every shell), from `CDKTF_AZURE_WEBPUBSUB_*` variables, and logs in exactly as
 * the Terraform run's azurerm provider does (see `azure-login.ts`).
 */
import type { Command } from 'commander';
import { parseSiteId, parseTimeoutSeconds, StepContext } from './apply-step';
import { azureCloud, loginLikeTerraform } from '../azure-login';
import { CliError } from '../deployment-inputs';
import { parseWebhookTargets, WebhookHostingKind } from '../../common/webhook-targets';
import { APPLY_STEP_ENV } from '../../common/apply-step-env';


type Options = Record<string, string | undefined>;

/** Multiplies every wait between retries (e.g. 0.01 in tests); 1 by default. */
export const RETRY_WAIT_SCALE_ENV = 'CDKTF_AZURE_WEBPUBSUB_RETRY_WAIT_SCALE';

function stepContext(options: Options): StepContext {
  const scale = Number(process.env[RETRY_WAIT_SCALE_ENV] ?? '1');
  const cloud = azureCloud(process.env);
  return {
    login: loginLikeTerraform(process.env),
    armEndpoint: options.armEndpoint ?? cloud.armEndpoint,
    armScope: `${cloud.armEndpoint}/.default`,
    fetch: globalThis.fetch,
    log: (line) => console.log(line),
    pace: Number.isFinite(scale) && scale >= 0 ? scale : 1,
    skipReachabilityCheck: /^(1|true|yes)$/i.test((process.env[APPLY_STEP_ENV.skipReachabilityCheck] ?? '').trim()),
  };
}

const fromEnv = (option: string | undefined, name: string): string | undefined => option ?? process.env[name];

const HOSTING_KINDS: readonly WebhookHostingKind[] = ['FlexConsumption', 'ElasticPremium', 'Dedicated'];

/** `--hosting` / CDKTF_AZURE_WEBPUBSUB_HOSTING: one of {@link HOSTING_KINDS}; absent or empty: not known (ARM tells Flex apart). */
function parseHosting(value: string | undefined): WebhookHostingKind | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const kind = HOSTING_KINDS.find((k) => k.toLowerCase() === value.trim().toLowerCase());
  if (!kind) throw new CliError(`--hosting (or ${APPLY_STEP_ENV.hosting}) must be one of ${HOSTING_KINDS.join(', ')}, got ${JSON.stringify(value)}`);
  return kind;
}

/** Adds `publish`, `activate-webhook`, `await-blob-access` and `approve-private-links` to the program. */
export function registerApplyCommands(program: Command): void {
  program
    .command('publish')
    .description(`deploy a code package to a Flex Consumption app with Entra ID (run by Terraform at apply; inputs also from ${APPLY_STEP_ENV.appId}, ${APPLY_STEP_ENV.packagePath}, ${APPLY_STEP_ENV.packageSha256})`)
    .option('--app-id <id>', 'ARM resource id of the Function App')
    .option('--package <zip>', 'the code package (zip)')
    .option('--sha256 <hex>', 'expected sha256 of the package')
    .option('--timeout <seconds>', 'time allowed for the whole deployment (default 900, at most 3600)')
    .option('--arm-endpoint <url>', 'Azure Resource Manager endpoint (default: from ARM_ENVIRONMENT)')
    .action(async (options: Options) => {
      const { publishPackage } = require('./publish') as typeof import('./publish');
      const packagePath = fromEnv(options.package, APPLY_STEP_ENV.packagePath);
      if (!packagePath) throw new CliError(`--package (or ${APPLY_STEP_ENV.packagePath}) is required`);
      await publishPackage(
        {
          appId: parseSiteId(fromEnv(options.appId, APPLY_STEP_ENV.appId), `--app-id (or ${APPLY_STEP_ENV.appId})`),
          packagePath,
          packageSha256: fromEnv(options.sha256, APPLY_STEP_ENV.packageSha256),
          timeoutMs: parseTimeoutSeconds(fromEnv(options.timeout, APPLY_STEP_ENV.timeoutSeconds), 900, '--timeout'),
        },
        stepContext(options),
      );
    });

  program
    .command('activate-webhook')
    .description(`restart a Function App after its Web PubSub keys were written and wait until each upstream answers the service's validation (run by Terraform at apply; inputs also from ${APPLY_STEP_ENV.appId}, ${APPLY_STEP_ENV.origins}, ${APPLY_STEP_ENV.serviceUris}, ${APPLY_STEP_ENV.webhooks}, ${APPLY_STEP_ENV.hosting})`)
    .option('--app-id <id>', 'ARM resource id of the Function App')
    .option('--origins <hosts>', 'comma-separated host names of the Web PubSub services that call the app')
    .option('--service-uris <uris>', 'comma-separated serviceUri settings the app was given, one per origin, each checked against it')
    .option('--webhooks <json>', 'JSON array of webhook targets ({kind, path, keyType, keyName, hubs}) to probe (default: the extension webhook /runtime/webhooks/webpubsub)')
    .option('--hosting <kind>', `the app's plan, for the diagnosis: ${HOSTING_KINDS.join(', ')} (default: Flex Consumption when ARM says so)`)
    .option('--no-restart', 'only wait for the webhook')
    .option('--no-probe', `only restart (no code with a Web PubSub trigger deployed yet); also ${APPLY_STEP_ENV.probe}=false`)
    .option('--timeout <seconds>', 'time allowed (default 600, at most 3600)')
    .option('--arm-endpoint <url>', 'Azure Resource Manager endpoint (default: from ARM_ENVIRONMENT)')
    .action(async (options: Options & { restart?: boolean; probe?: boolean }) => {
      const { activateWebhook } = require('./activate-webhook') as typeof import('./activate-webhook');
      const origins = (fromEnv(options.origins, APPLY_STEP_ENV.origins) ?? '').split(',').map((o) => o.trim()).filter((o) => o !== '');
      const serviceUris = (fromEnv(options.serviceUris, APPLY_STEP_ENV.serviceUris) ?? '').split(',').map((o) => o.trim()).filter((o) => o !== '');
      const webhooks = fromEnv(options.webhooks, APPLY_STEP_ENV.webhooks);
      let targets;
      try {
        // Absent or empty: a stack synthesized before webhook targets existed, which probes the extension webhook.
        targets = webhooks === undefined || webhooks.trim() === '' ? undefined : parseWebhookTargets(webhooks, `--webhooks (or ${APPLY_STEP_ENV.webhooks})`);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      await activateWebhook(
        {
          appId: parseSiteId(fromEnv(options.appId, APPLY_STEP_ENV.appId), `--app-id (or ${APPLY_STEP_ENV.appId})`),
          origins,
          serviceUris,
          targets,
          hosting: parseHosting(fromEnv(options.hosting, APPLY_STEP_ENV.hosting)),
          restart: options.restart !== false,
          probe: options.probe !== false && process.env[APPLY_STEP_ENV.probe] !== 'false',
          timeoutMs: parseTimeoutSeconds(fromEnv(options.timeout, APPLY_STEP_ENV.timeoutSeconds), 600, '--timeout'),
        },
        stepContext(options),
      );
    });

  program
    .command('await-blob-access')
    .description(`wait until the Terraform principal can use a blob container with Entra ID (run by Terraform at apply; input also from ${APPLY_STEP_ENV.containerUrl})`)
    .option('--container-url <url>', 'https://<account>.blob.core.windows.net/<container>')
    .option('--timeout <seconds>', 'time allowed (default 900, at most 3600)')
    .action(async (options: Options) => {
      const { awaitBlobAccess } = require('./await-blob-access') as typeof import('./await-blob-access');
      const containerUrl = fromEnv(options.containerUrl, APPLY_STEP_ENV.containerUrl);
      if (!containerUrl) throw new CliError(`--container-url (or ${APPLY_STEP_ENV.containerUrl}) is required`);
      await awaitBlobAccess(
        { containerUrl, timeoutMs: parseTimeoutSeconds(fromEnv(options.timeout, APPLY_STEP_ENV.timeoutSeconds), 900, '--timeout') },
        stepContext(options),
      );
    });

  program
    .command('approve-private-links')
    .description(`approve on a Function App the private endpoint connections of Web PubSub shared private links and wait until each link reports Approved (run by Terraform at apply; inputs also from ${APPLY_STEP_ENV.appId}, ${APPLY_STEP_ENV.sharedPrivateLinks})`)
    .option('--app-id <id>', 'ARM resource id of the Function App the links target')
    .option('--links <ids>', 'comma-separated shared private link resource ids (of the service and of its replicas\' copies)')
    .option('--timeout <seconds>', 'time allowed (default 900, at most 3600)')
    .option('--arm-endpoint <url>', 'Azure Resource Manager endpoint (default: from ARM_ENVIRONMENT)')
    .action(async (options: Options) => {
      const { approvePrivateLinks, parseSharedPrivateLinkIds } = require('./approve-private-links') as typeof import('./approve-private-links');
      await approvePrivateLinks(
        {
          appId: parseSiteId(fromEnv(options.appId, APPLY_STEP_ENV.appId), `--app-id (or ${APPLY_STEP_ENV.appId})`),
          sharedPrivateLinkIds: parseSharedPrivateLinkIds(fromEnv(options.links, APPLY_STEP_ENV.sharedPrivateLinks), `--links (or ${APPLY_STEP_ENV.sharedPrivateLinks})`),
          timeoutMs: parseTimeoutSeconds(fromEnv(options.timeout, APPLY_STEP_ENV.timeoutSeconds), 900, '--timeout'),
        },
        stepContext(options),
      );
    });
}
