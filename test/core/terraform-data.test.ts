import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApplyTimeCommand, CLI_COMMAND_CONTEXT_KEY } from '../../lib/core/apply-time-command';
import { TEST_EDITION, TSX_EDITION_ARGS } from '../edition';
import { cleanupTempDirs, REPO_ROOT, tempDir } from '../code/helpers';
import { newStack, synthStack } from './synth-helpers';

afterAll(cleanupTempDirs);

describe('ApplyTimeCommand synthesizes a terraform_data resource', () => {
  test('triggers, local-exec provisioner with its environment, depends_on', () => {
    // Set once for the app, as a user of another package manager does (CDK context, e.g. in cdktf.json).
    const { app, stack } = newStack('test', { [CLI_COMMAND_CONTEXT_KEY]: 'pnpm exec cdktf-azure-webpubsub' });
    {
      const first = new ApplyTimeCommand(stack, 'First', { subcommand: 'noop', environment: {}, triggers: { a: '1' }, dependsOn: [] });
      new ApplyTimeCommand(stack, 'Second', {
        subcommand: 'publish',
        environment: { CDKTF_AZURE_WEBPUBSUB_APP_ID: 'app' },
        triggers: { package_sha256: 'abc' },
        dependsOn: [first],
      });
    }
    const { json } = synthStack(app, stack);
    const resources = json.resource.terraform_data as Record<string, Record<string, unknown>>;
    const second = Object.entries(resources).find(([key]) => key.startsWith('Second'))![1];
    expect(second.triggers_replace).toEqual({ package_sha256: 'abc' });
    expect(second.provisioner).toEqual([
      { 'local-exec': { command: 'pnpm exec cdktf-azure-webpubsub publish', environment: { CDKTF_AZURE_WEBPUBSUB_APP_ID: 'app' } } },
    ]);
    expect(second.depends_on).toEqual([expect.stringMatching(/^terraform_data\.First/)]);
    // built into Terraform: no provider block, no required_providers entry
    expect(json.provider ?? {}).not.toHaveProperty('terraform');
    expect(json.terraform?.required_providers ?? {}).not.toHaveProperty('terraform');
  });
});

// The version check runs in a child process: its answer is kept for the process, and the point is how many times a
// synth runs Terraform. The stand-in `terraform` below logs each call and prints `terraform version -json` output.
const APP_SOURCE = `
import { App, TerraformStack } from ${JSON.stringify(path.join(REPO_ROOT, 'node_modules', TEST_EDITION))};
import { ApplyTimeCommand } from ${JSON.stringify(path.join(REPO_ROOT, 'lib', 'core/apply-time-command'))};

const app = new App({ outdir: 'out' });
for (const name of ['one', 'two']) {
  const stack = new TerraformStack(app, name);
  for (let i = 0; i < 10; i++) new ApplyTimeCommand(stack, 'Step' + i, { subcommand: 'noop', environment: {}, triggers: {}, dependsOn: [] });
}
app.synth();
`;

interface Synth {
  readonly status: number | null;
  readonly stderr: string;
  readonly terraformCalls: string[];
}

function synthWith(terraform: { version: string } | { textOnly: string } | 'absent'): Synth {
  const dir = tempDir('terraform-data');
  fs.writeFileSync(path.join(dir, 'main.ts'), APP_SOURCE);
  const log = path.join(dir, 'terraform-calls.log');
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('CDKTF_') || name === 'CHECKPOINT_DISABLE') delete env[name];
  if (terraform === 'absent') {
    env.TERRAFORM_BINARY_NAME = path.join(dir, 'no-terraform-here');
  } else {
    const bin = path.join(dir, 'terraform');
    // a Terraform before 0.13 has no `version -json`: it prints its text banner whatever the flags
    const answer = 'version' in terraform ? `{"terraform_version":"${terraform.version}","platform":"linux_amd64"}` : terraform.textOnly;
    fs.writeFileSync(bin, `#!/bin/sh\necho "CHECKPOINT_DISABLE=$CHECKPOINT_DISABLE $*" >> '${log}'\necho '${answer}'\n`, { mode: 0o755 });
    env.TERRAFORM_BINARY_NAME = bin;
  }
  const child = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [...TSX_EDITION_ARGS, 'main.ts'], { cwd: dir, env, encoding: 'utf8' });
  const terraformCalls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  if (child.status === 0) for (const stack of ['one', 'two']) expect(fs.existsSync(path.join(dir, 'out', 'stacks', stack, 'cdk.tf.json'))).toBe(true);
  return { status: child.status, stderr: child.stderr, terraformCalls };
}

describe('Terraform version check of terraform_data (child process synth, stand-in terraform)', () => {
  test('20 steps in two stacks ask Terraform once, without its network update check', () => {
    const run = synthWith({ version: '1.15.9' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.terraformCalls).toEqual(['CHECKPOINT_DISABLE=1 version -json']);
  });

  test('no Terraform installed: the synth still succeeds (synthesizing needs none)', () => {
    const run = synthWith('absent');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  test('Terraform older than 1.4 fails the synth at the first stack, naming the version and the minimum', () => {
    const run = synthWith({ version: '1.3.9' });
    expect(run.status).not.toBe(0);
    const messages = run.stderr.match(
      /Terraform 1\.3\.9 is installed \(`\/.*\/terraform`, from TERRAFORM_BINARY_NAME\), but this stack's apply-time steps are terraform_data resources, which need Terraform 1\.4 or later: upgrade it, or point TERRAFORM_BINARY_NAME at a newer one/g,
    );
    expect(messages).toHaveLength(1);
    expect(run.terraformCalls).toHaveLength(1);
  });

  test('a Terraform too old for `version -json` is read from its text banner and fails the check', () => {
    const run = synthWith({ textOnly: 'Terraform v0.12.31' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/Terraform 0\.12\.31 is installed .* need Terraform 1\.4 or later/);
    expect(run.terraformCalls).toEqual(['CHECKPOINT_DISABLE=1 version -json', 'CHECKPOINT_DISABLE=1 version']);
  });
});
