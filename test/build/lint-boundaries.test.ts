/**
 * The layout's import rules (eslint.config.mjs, README "Layout") catch what they are for: each case lints a line as
 * if it stood in a file of that folder, through ESLint's own API and the project's config.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');
const eslintBin = path.join(repoRoot, 'node_modules', 'eslint', 'bin', 'eslint.js');

/** The real eslint bin, as `npm run lint` runs it (the config is an ES module, which Jest's loader cannot import). */
async function restrictedImports(file: string, code: string): Promise<string[]> {
  const run = spawnSync(process.execPath, [eslintBin, '--stdin', '--stdin-filename', file, '--format', 'json'], { cwd: repoRoot, input: code, encoding: 'utf8' });
  const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint: import boundaries of the layout', () => {
  test.each([
    ['lib/functions/private/webhook-activation.ts', "import { APPLY_STEP_ENV } from '../../cli/apply/apply-commands';", /constructs never import the CLI/],
    ['lib/webpubsub/event-handler.ts', "import { main } from '../cli/main';", /constructs never import the CLI/],
    ['lib/cli/verify/verify.ts', "import { TerraformStack } from 'cdktf';", /never load a CDK core or provider/],
    ['lib/cli/apply/publish.ts', "import { WebPubSubHub } from '../../webpubsub/web-pubsub-hub';", /never import construct modules/],
    ['lib/cli/verify/checks/hub-exists.ts', "import { WebPubSubHub } from '../../../webpubsub/web-pubsub-hub';", /never import construct modules/],
    ['lib/common/editions.ts', "import { Construct } from 'constructs';", /never load a CDK core or provider/],
    ['lib/common/editions.ts', "import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';", /never load a CDK core or provider/],
    ['lib/runtime/web-pubsub-handlers.ts', "import { app } from '@azure/functions';", /imports nothing outside lib\/runtime/],
    ['lib/runtime/web-pubsub-handlers.ts', "import { APPLY_STEP_ENV } from '../common/apply-step-env';", /imports nothing outside lib\/runtime/],
  ])('%s: %s is refused', async (file, code, message) => {
    expect(await restrictedImports(file, `${code}\nexport {};\n`)).toEqual([expect.stringMatching(message)]);
  });

  test.each([
    ['lib/functions/private/webhook-activation.ts', "import { APPLY_STEP_ENV } from '../../common/apply-step-env';"],
    ['lib/cli/verify/verify.ts', "import { WEBPUBSUB_EXTENSION_WEBHOOK_PATH } from '../../common/webhook-targets';"],
    ['lib/cli/verify/checks/handler-url.ts', "import { WEBPUBSUB_EXTENSION_WEBHOOK_PATH } from '../../../common/webhook-targets';"],
    ['lib/runtime/web-pubsub-handlers.ts', "import { describeValue } from './argument-checks';"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await restrictedImports(file, `${code}\nexport {};\n`)).toEqual([]);
  });
});
