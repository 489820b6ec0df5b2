/**
 * A user's cdktf project in a temp directory, synthesized for real the way `cdktf synth` runs an app (a child
 * process with CDKTF_OUTDIR and CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS), so the CLI tests read the manifest the
 * constructs write rather than a hand-written one.
 *
 * Two stacks:
 *  - `chat`: a new service, hub `chat` routed from the code, a Function App with packaged code (the packaging
 *    fixture: negotiate with `{query.userId}`, connect and message triggers, on Elastic Premium) under `functions/`;
 *  - `existing`: the same topology on an imported service (`WebPubSubService.fromWebPubSubServiceAttributes`, literal id and
 *    host name), without code.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TEST_EDITION, TSX_EDITION_ARGS } from '../edition';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const EXISTING_SERVICE_ID =
  '/subscriptions/00000000-0000-0000-0000-00000000bbbb/resourceGroups/rg-shared/providers/Microsoft.SignalRService/webPubSub/wps-shared';
export const EXISTING_SERVICE_HOST = 'wps-shared.webpubsub.azure.com';

export interface UserProject {
  /** The project directory (holds cdktf.json, main.ts, functions/, cdktf.out/). */
  readonly dir: string;
  readonly remove: () => void;
}

/** A module of the library as an import specifier for a project's main.ts. */
export function libImport(file: string): string {
  return JSON.stringify(path.join(REPO_ROOT, 'lib', file));
}

function program(): string {
  const lib = (file: string): string => JSON.stringify(path.join(REPO_ROOT, 'lib', file));
  return `import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { AzapiProvider } from ${lib('azapi/azapi-provider')};
import { FunctionCode } from ${lib('code/function-code')};
import { FunctionAppHosting } from ${lib('functions/function-app-hosting')};
import { ServerlessWebPubSub } from ${lib('patterns/serverless-web-pubsub')};
import { WebPubSubService } from ${lib('webpubsub/web-pubsub-service')};

const app = new App();
function stack(id: string): TerraformStack {
  const s = new TerraformStack(app, id);
  new AzurermProvider(s, 'azurerm', { features: [{}], storageUseAzuread: true });
  new RandomProvider(s, 'random');
  new AzapiProvider(s, 'azapi');
  return s;
}

const chat = stack('chat');
const code = new FunctionCode(chat, 'Code', { projectDir: 'functions', entryPoints: ['src/functions/negotiate.ts', 'src/functions/chat.ts'], quiet: true });
new ServerlessWebPubSub(chat, 'Chat', {
  resourceGroupProps: { location: 'westeurope' },
  hubs: [{ name: 'chat' }],
  connectionSettingPrefix: 'WebPubSubConnection',
  // The fixture's handlers are webPubSubTrigger functions: Premium serves their webhook (Flex does not).
  functionAppProps: { code, hosting: FunctionAppHosting.elasticPremium() },
});

const existing = stack('existing');
const shared = WebPubSubService.fromWebPubSubServiceAttributes(existing, 'Shared', { serviceId: ${JSON.stringify(EXISTING_SERVICE_ID)}, hostname: ${JSON.stringify(EXISTING_SERVICE_HOST)} });
new ServerlessWebPubSub(existing, 'Chat', {
  existingResourceGroup: { name: 'rg-app', location: 'westeurope' },
  existingWebPubSub: shared,
  hubs: [{ name: 'chat', systemEvents: ['connect'] }],
});
app.synth();
`;
}

/** Creates and synthesizes the project (a few seconds: tsx, providers, esbuild). */
export function synthesizeUserProject(): UserProject {
  return synthesizeProject(program());
}

/**
 * A project with `main` as its cdktf app (it may import the library by absolute path, see {@link libImport}) and the
 * packaging fixture under `functions/`, synthesized for real.
 */
export function synthesizeProject(main: string): UserProject {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-user-project-'));
  fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'npx tsx main.ts' }));
  fs.writeFileSync(path.join(dir, 'main.ts'), main);
  fs.cpSync(path.join(REPO_ROOT, 'test', 'code', 'fixtures', 'chat-app'), path.join(dir, 'functions'), { recursive: true });
  // A Functions project as `func init` leaves it: `func start` runs there with local.settings.json.
  fs.writeFileSync(path.join(dir, 'functions', 'host.json'), '{ "version": "2.0" }\n');
  // cdktf, the providers and @azure/functions resolve from the repository's node_modules.
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  // On this Jest project's edition: in the cdktn project, tsconfig.cdktn.json resolves cdktf and @cdktf/* to cdktn.
  const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), ...TSX_EDITION_ARGS, 'main.ts'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CDKTF_OUTDIR: path.join(dir, 'cdktf.out'), CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true' },
  });
  if (run.status !== 0) throw new Error(`synth of the user project failed:\n${run.stderr}`);
  const coreVersion = (JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'manifest.json'), 'utf8')) as { version: string }).version;
  const expected = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', TEST_EDITION, 'package.json'), 'utf8')) as { version: string }).version;
  if (coreVersion !== expected) throw new Error(`the user project synthesized with core ${coreVersion}, not ${TEST_EDITION} ${expected}`);
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * STAND-IN for what `cdktf deploy --outputs-file` writes — NOT the cdktf CLI: for each stack, the `"//".outputs`
 * mapping of its cdk.tf.json (construct path → Terraform output name) with each name replaced by its deployed value.
 * `values` maps Terraform output names to values; outputs without a value are left out (as when not applied).
 */
export function cdktfOutputsFile(projectDir: string, values: (outputName: string, stack: string) => string | undefined): Record<string, unknown> {
  const stacksDir = path.join(projectDir, 'cdktf.out', 'stacks');
  const result: Record<string, unknown> = {};
  const substitute = (node: unknown, stack: string): unknown => {
    if (typeof node === 'string') return values(node, stack);
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      const value = substitute(child, stack);
      if (value !== undefined) out[key] = value;
    }
    return out;
  };
  for (const stack of fs.readdirSync(stacksDir)) {
    const json = JSON.parse(fs.readFileSync(path.join(stacksDir, stack, 'cdk.tf.json'), 'utf8'));
    Object.assign(result, substitute(json['//'].outputs, stack));
  }
  return result;
}
