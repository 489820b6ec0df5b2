/**
 * scripts/e2e.ts offline: naming, the opt-in, the order of the real commands it would run, and the rule that a run
 * which may have deployed anything always ends with `terraform destroy`. The commands themselves (terraform, npm,
 * verify) and the Azure sign-in are the edge this machine cannot reach: a stand-in records them and answers with the
 * exit codes a test chooses.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  applyDurations,
  buildE2eSteps,
  decideE2e,
  E2E_RESOURCE_GROUP_PREFIX,
  E2eSettings,
  E2eTools,
  e2eResourceGroupName,
  e2eSuffix,
  formatDuration,
  nodeTools,
  runE2eSteps,
} from '../../scripts/e2e';
import { RESOURCE_GROUP_NAME } from '../../lib/validation/azure-resource-names';

const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';
const NOW = new Date('2026-08-26T10:00:00Z');
const RANDOM = Uint8Array.from([0, 35, 36, 71, 200]);

function settingsFor(env: Record<string, string> = {}): E2eSettings {
  const decision = decideE2e({ E2E_SUBSCRIPTION_ID: SUBSCRIPTION, ...env }, NOW, RANDOM);
  if (!('settings' in decision)) throw new Error('expected settings');
  return decision.settings;
}

/** Stand-in for the machine edge: records every command; `exitCodes` answers by command line (first match wins). */
class StandInTools implements E2eTools {
  public readonly commands: string[] = [];
  public readonly printed: string[] = [];
  public readonly files = new Map<string, string>();
  public readonly removed: string[] = [];
  public readonly sleeps: number[] = [];
  public credentialError?: Error;
  private clock = 0;

  public constructor(private readonly exitCodes: Array<[RegExp, number[]]> = []) {}

  public async run(command: string, args: readonly string[], options: { env: Record<string, string>; logFile: string }) {
    const line = [command, ...args].join(' ');
    this.commands.push(line);
    this.lastEnv.set(line, options.env);
    this.clock += 1000;
    const rule = this.exitCodes.find(([re]) => re.test(line));
    const code = rule ? (rule[1].length > 1 ? rule[1].shift()! : rule[1][0]) : 0;
    const stdout = / output -json$/.test(line) ? JSON.stringify({ resource_group_name: { value: 'rg-x', type: 'string', sensitive: false } }) : '';
    return { code, stdout };
  }
  public readonly lastEnv = new Map<string, Record<string, string>>();
  public writeFile(file: string, text: string) {
    this.files.set(file, text);
  }
  public appendFile(file: string, text: string) {
    this.files.set(file, (this.files.get(file) ?? '') + text);
  }
  public makeDir() {}
  public removeDir(dir: string) {
    this.removed.push(dir);
  }
  public tail() {
    return '';
  }
  public async probeAzureCredential() {
    if (this.credentialError) throw this.credentialError;
  }
  public async sleep(ms: number) {
    this.sleeps.push(ms);
  }
  public now() {
    return this.clock;
  }
  public print(line: string) {
    this.printed.push(line);
  }
}

async function runWith(tools: StandInTools, env: Record<string, string> = {}): Promise<{ ok: boolean; settings: E2eSettings }> {
  const settings = settingsFor(env);
  const ok = await runE2eSteps(settings, buildE2eSteps(settings, tools, { PATH: '/usr/bin' }), tools);
  return { ok, settings };
}

describe('naming', () => {
  test('suffix: UTC date then 5 base-36 characters, lowercase letters and digits only', () => {
    expect(e2eSuffix(NOW, RANDOM)).toBe('2608260z0zk');
    expect(e2eSuffix(new Date('2026-12-31T23:59:59Z'), Uint8Array.from([1, 2, 3, 4, 5]))).toBe('26123112345');
    for (let i = 0; i < 200; i++) {
      const random = Uint8Array.from({ length: 5 }, () => Math.floor(Math.random() * 256));
      expect(e2eSuffix(NOW, random)).toMatch(/^260826[a-z0-9]{5}$/);
    }
  });

  test('different random bytes give different suffixes', () => {
    expect(e2eSuffix(NOW, Uint8Array.from([1, 1, 1, 1, 1]))).not.toBe(e2eSuffix(NOW, Uint8Array.from([1, 1, 1, 1, 2])));
  });

  test('resource group name fits the Azure rule (90 characters, allowed characters) with the longest suffix', () => {
    for (const suffix of [e2eSuffix(NOW, RANDOM), 'z'.repeat(16)]) {
      const name = e2eResourceGroupName(suffix);
      expect(name.startsWith(E2E_RESOURCE_GROUP_PREFIX)).toBe(true);
      expect(name.length).toBeLessThanOrEqual(RESOURCE_GROUP_NAME.maxLength);
      expect(name).toMatch(RESOURCE_GROUP_NAME.pattern);
    }
    expect(() => e2eResourceGroupName('Bad_Suffix')).toThrow(/lowercase letters or digits/);
    expect(() => e2eResourceGroupName('a'.repeat(17))).toThrow(/1-16/);
  });

  test('durations: seconds with a decimal under a minute, then minutes and seconds', () => {
    expect(formatDuration(3210)).toBe('3.2 s');
    expect(formatDuration(754_000)).toBe('12 min 34 s');
    expect(formatDuration(60_000)).toBe('1 min 00 s');
  });
});

describe('opt-in', () => {
  test('without E2E_SUBSCRIPTION_ID: one "skipped: no Azure credentials" line, nothing else', () => {
    for (const env of [{}, { E2E_SUBSCRIPTION_ID: '' }, { E2E_SUBSCRIPTION_ID: '  ' }, { ARM_SUBSCRIPTION_ID: SUBSCRIPTION }]) {
      const decision = decideE2e(env, NOW, RANDOM);
      expect(decision).toEqual({ skip: expect.stringMatching(/^e2e skipped: no Azure credentials \(set E2E_SUBSCRIPTION_ID/) });
      expect((decision as { skip: string }).skip).not.toContain('\n');
    }
  });

  test('an ambient ARM_SUBSCRIPTION_ID alone is not an opt-in (a laptop logged in to Azure is not consent)', () => {
    expect(decideE2e({ ARM_SUBSCRIPTION_ID: SUBSCRIPTION, AZURE_SUBSCRIPTION_ID: SUBSCRIPTION }, NOW, RANDOM)).toHaveProperty('skip');
  });

  test('a malformed opt-in is an error, not a skip', () => {
    expect(() => decideE2e({ E2E_SUBSCRIPTION_ID: 'my-subscription' }, NOW, RANDOM)).toThrow(/E2E_SUBSCRIPTION_ID "my-subscription" must be a subscription id/);
    expect(() => decideE2e({ E2E_SUBSCRIPTION_ID: SUBSCRIPTION, E2E_LOCATION: 'West Europe' }, NOW, RANDOM)).toThrow(/E2E_LOCATION/);
  });

  test('settings: unique group, its own directory under .e2e/, location and keep from the environment', () => {
    const s = settingsFor({ AZURE_LOCATION: 'swedencentral' });
    expect(s).toEqual({
      subscriptionId: SUBSCRIPTION,
      location: 'swedencentral',
      keep: false,
      suffix: '2608260z0zk',
      resourceGroup: 'rg-cdktf-wps-e2e-2608260z0zk',
      workDir: '.e2e/2608260z0zk',
      stackDir: '.e2e/2608260z0zk/stacks/chat',
    });
    expect(settingsFor({ E2E_LOCATION: 'northeurope', AZURE_LOCATION: 'swedencentral' }).location).toBe('northeurope');
    expect(settingsFor().location).toBe('westeurope');
    expect(settingsFor({ E2E_KEEP: '1' }).keep).toBe(true);
    expect(settingsFor({ E2E_KEEP: '0' }).keep).toBe(false);
  });
});

describe('a passing run', () => {
  test('runs the steps in order: synth, init, apply, outputs, verify, synth again, plan with no changes, destroy', async () => {
    const tools = new StandInTools();
    const { ok, settings } = await runWith(tools);
    expect(ok).toBe(true);
    const dir = settings.stackDir;
    expect(tools.commands).toEqual([
      'terraform version',
      'npm run synth',
      `terraform -chdir=${dir} init -input=false -no-color`,
      `terraform -chdir=${dir} apply -input=false -auto-approve -no-color`,
      `terraform -chdir=${dir} output -json`,
      `${process.execPath} bin/cdktf-azure-webpubsub.js verify --stack chat --outputs ${settings.workDir}/outputs.json --manifest ${dir}/webpubsub-manifest.json --timeout 60000 --event message --expect-reply`,
      'npm run synth',
      `terraform -chdir=${dir} plan -input=false -no-color -detailed-exitcode`,
      `terraform -chdir=${dir} destroy -input=false -auto-approve -no-color`,
    ]);
    // The e2e directory (state, logs) goes once the destroy has succeeded.
    expect(tools.removed).toEqual([settings.workDir]);
  });

  test('prints one line per step and the total time', async () => {
    const tools = new StandInTools();
    await runWith(tools);
    expect(tools.printed.map((l) => l.replace(/\([^()]*\)$/, '(…)'))).toEqual([
      'ok    preflight (terraform, Azure sign-in) (…)',
      'ok    synth (rg-cdktf-wps-e2e-2608260z0zk) (…)',
      'ok    terraform init (…)',
      'ok    terraform apply (…)',
      'ok    outputs (…)',
      'ok    verify (service, hubs, handlers, roles, round trip) (…)',
      'ok    synth again (…)',
      'ok    terraform plan: no changes (…)',
      'ok    terraform destroy (rg-cdktf-wps-e2e-2608260z0zk) (…)',
      expect.stringMatching(/^e2e passed in \d+\.\d s$/),
    ]);
  });

  test('synth gets its own output directory and group; the stack gets a local backend of its own', async () => {
    const tools = new StandInTools();
    const { settings } = await runWith(tools);
    expect(tools.lastEnv.get('npm run synth')).toMatchObject({
      CDKTF_OUTDIR: settings.workDir,
      CHAT_RESOURCE_GROUP: settings.resourceGroup,
      AZURE_LOCATION: 'westeurope',
      PATH: '/usr/bin',
    });
    expect(JSON.parse(tools.files.get(`${settings.stackDir}/backend_override.tf.json`)!)).toEqual({
      terraform: { backend: { local: { path: 'terraform.tfstate' } } },
    });
  });

  test('terraform targets the opted-in subscription; outputs are written in the shape verify reads', async () => {
    const tools = new StandInTools();
    const { settings } = await runWith(tools);
    expect(tools.lastEnv.get(`terraform -chdir=${settings.stackDir} apply -input=false -auto-approve -no-color`)).toMatchObject({
      ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
      TF_IN_AUTOMATION: '1',
    });
    expect(JSON.parse(tools.files.get(`${settings.workDir}/outputs.json`)!)).toEqual({ chat: { resource_group_name: 'rg-x' } });
  });
});

describe('failures always destroy what may exist', () => {
  test.each([
    ['apply', / apply /],
    ['outputs', / output -json$/],
    ['verify', / verify /],
    ['synth again', /^npm run synth$/],
  ])('a failure at %s still destroys, and the run fails', async (_name, failing) => {
    // "synth again" is the second synth: let the first pass.
    const codes = failing.source.includes('synth') ? [0, 1] : [1];
    const tools = new StandInTools([[failing, codes]]);
    const { ok, settings } = await runWith(tools);
    expect(ok).toBe(false);
    expect(tools.commands[tools.commands.length - 1]).toBe(`terraform -chdir=${settings.stackDir} destroy -input=false -auto-approve -no-color`);
    expect(tools.printed.some((l) => l.startsWith('FAIL  '))).toBe(true);
    expect(tools.printed[tools.printed.length - 1]).toMatch(/^e2e FAILED in /);
  });

  test('a second plan with changes (exit 2) fails the run, names the reason, and destroys', async () => {
    const tools = new StandInTools([[/ plan /, [2]]]);
    const { ok } = await runWith(tools);
    expect(ok).toBe(false);
    expect(tools.printed.find((l) => l.startsWith('FAIL'))).toMatch(/terraform plan: no changes .*the second plan reports changes: the deployment does not converge — log: \.e2e\/.*\/logs\/plan\.log/);
    expect(tools.commands[tools.commands.length - 1]).toMatch(/ destroy /);
  });

  test('nothing is destroyed when the run failed before anything was deployed', async () => {
    for (const failing of [/^terraform version$/, /^npm run synth$/, / init /]) {
      const tools = new StandInTools([[failing, [1]]]);
      const { ok } = await runWith(tools);
      expect(ok).toBe(false);
      expect(tools.commands.filter((c) => / (apply|destroy) /.test(c))).toEqual([]);
    }
  });

  test('no Azure credential: the preflight fails, nothing else runs', async () => {
    const tools = new StandInTools();
    tools.credentialError = new Error('ChainedTokenCredential authentication failed.\nAzure CLI could not be found.');
    const { ok } = await runWith(tools);
    expect(ok).toBe(false);
    expect(tools.commands).toEqual(['terraform version']);
    expect(tools.printed[0]).toMatch(/^FAIL  preflight .*no Azure credential works \(run `az login`.*\): ChainedTokenCredential authentication failed\. — log:/);
  });

  test('E2E_KEEP=1 keeps the deployment after a failure and says how to remove it', async () => {
    const tools = new StandInTools([[/ verify /, [1]]]);
    const { ok, settings } = await runWith(tools, { E2E_KEEP: '1' });
    expect(ok).toBe(false);
    expect(tools.commands.some((c) => / destroy /.test(c))).toBe(false);
    expect(tools.printed.find((l) => l.startsWith('kept'))).toContain(`terraform -chdir=${settings.stackDir} destroy -auto-approve`);
    expect(tools.removed).toEqual([]);
  });

  test('a destroy that keeps failing fails the run, keeps the state and names the group to delete', async () => {
    const tools = new StandInTools([[/ destroy /, [1]]]);
    const { ok, settings } = await runWith(tools);
    expect(ok).toBe(false);
    expect(tools.commands.filter((c) => / destroy /.test(c))).toHaveLength(2);
    expect(tools.removed).toEqual([]);
    expect(tools.printed.join('\n')).toContain(`az group delete -n ${settings.resourceGroup} --yes`);
    expect(tools.printed[tools.printed.length - 1]).toMatch(/e2e FAILED in .*: terraform destroy/);
  });

  test('retries: apply once more after a minute (RBAC propagation), verify up to 4 times', async () => {
    const tools = new StandInTools([
      [/ apply /, [1, 0]],
      [/ verify /, [1, 1, 0]],
    ]);
    const { ok } = await runWith(tools);
    expect(ok).toBe(true);
    expect(tools.commands.filter((c) => / apply /.test(c))).toHaveLength(2);
    expect(tools.commands.filter((c) => / verify /.test(c))).toHaveLength(3);
    expect(tools.sleeps).toEqual([60_000, 60_000, 60_000]);
    expect(tools.printed.filter((l) => l.startsWith('retry'))).toHaveLength(3);
  });

  test("each step's duration is printed: per attempt on a retry, for the whole step when it ends", async () => {
    // The stand-in clock advances 1 s per command; the retry's sleep does not move it.
    const tools = new StandInTools([[/ apply /, [1, 0]]]);
    await runWith(tools);
    expect(tools.printed).toEqual(
      expect.arrayContaining([
        'ok    terraform init (1.0 s)',
        expect.stringMatching(/^retry terraform apply: attempt 1 of 2 failed after 1\.0 s \(terraform .* exited 1\); again in 1 min 00 s$/),
        'ok    terraform apply (2.0 s, attempt 2)',
        'ok    terraform plan: no changes (1.0 s)',
      ]),
    );
  });

  test("after the apply, each resource's creation time, slowest first (what refines bench/deploy-graph.ts)", async () => {
    const output = [
      'random_string.DeploymentNameSuffix_Value_946F1CAB: Creation complete after 0s [id=ab12cd]',
      'azurerm_web_pubsub.Chat_WebPubSub_6212B3E4: Still creating... [3m10s elapsed]',
      'azurerm_web_pubsub.Chat_WebPubSub_6212B3E4: Creation complete after 3m12s [id=/subscriptions/x]',
      'terraform_data.Chat_FunctionApp_CodeDeployment_Publish_E7AA7B36 (local-exec): published',
      'terraform_data.Chat_FunctionApp_CodeDeployment_Publish_E7AA7B36: Creation complete after 1m5s [id=1]',
      'azapi_resource.Chat_FunctionApp_Site_76078535: Modifications complete after 1h2m3s [id=/subscriptions/y]',
    ].join('\n');
    expect(applyDurations(output)).toEqual([
      { address: 'azapi_resource.Chat_FunctionApp_Site_76078535', seconds: 3723 },
      { address: 'azurerm_web_pubsub.Chat_WebPubSub_6212B3E4', seconds: 192 },
      { address: 'terraform_data.Chat_FunctionApp_CodeDeployment_Publish_E7AA7B36', seconds: 65 },
      { address: 'random_string.DeploymentNameSuffix_Value_946F1CAB', seconds: 0 },
    ]);
    // Printed by the apply step, before its own line.
    const tools = new StandInTools();
    const run = tools.run.bind(tools);
    tools.run = async (command, args, options) => {
      const result = await run(command, args, options);
      return / apply /.test([command, ...args].join(' ')) ? { ...result, stdout: output } : result;
    };
    await runWith(tools);
    const at = tools.printed.findIndex((l) => l.startsWith('ok    terraform apply'));
    expect(tools.printed.slice(at - 4, at)).toEqual([
      'time  azapi_resource.Chat_FunctionApp_Site_76078535: 62 min 03 s',
      'time  azurerm_web_pubsub.Chat_WebPubSub_6212B3E4: 3 min 12 s',
      'time  terraform_data.Chat_FunctionApp_CodeDeployment_Publish_E7AA7B36: 1 min 05 s',
      'time  random_string.DeploymentNameSuffix_Value_946F1CAB: 0.0 s',
    ]);
  });

  test('an interrupt stops before the next step and still destroys', async () => {
    const tools = new StandInTools();
    const settings = settingsFor();
    let stop = false;
    const plan = buildE2eSteps(settings, tools, {});
    const apply = plan.steps.find((s) => s.name === 'terraform apply')!;
    const original = apply.run.bind(apply);
    Object.assign(apply, { run: async () => { await original(); stop = true; } });
    const ok = await runE2eSteps(settings, plan, tools, () => stop);
    expect(ok).toBe(false);
    expect(tools.commands.map((c) => c.replace(/ -chdir=\S+/, ''))).toEqual([
      'terraform version',
      'npm run synth',
      'terraform init -input=false -no-color',
      'terraform apply -input=false -auto-approve -no-color',
      'terraform destroy -input=false -auto-approve -no-color',
    ]);
  });
});

describe('the real tools', () => {
  test('the sign-in probe logs in as Terraform does (ARM_* variables, then az), not with DefaultAzureCredential', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-tools-'));
    try {
      // Messages only the Terraform-like login gives: it reads the variables the azurerm provider reads.
      await expect(nodeTools(root, { ARM_USE_CLI: 'false' }).probeAzureCredential()).rejects.toThrow(
        'no Azure credentials: ARM_USE_CLI is false and none of ARM_CLIENT_SECRET, ARM_USE_OIDC or ARM_USE_MSI is set',
      );
      await expect(nodeTools(root, { ARM_USE_OIDC: 'true' }).probeAzureCredential()).rejects.toThrow('ARM_USE_OIDC needs ARM_CLIENT_ID and ARM_TENANT_ID');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('run: exit code, stdout, and both streams in the log file', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-tools-'));
    const tools = nodeTools(root);
    const result = await tools.run(process.execPath, ['-e', 'process.stdout.write("out"); process.stderr.write("err"); process.exit(3)'], {
      env: { PATH: process.env.PATH ?? '' },
      logFile: 'logs/x.log',
    });
    expect(result).toEqual({ code: 3, stdout: 'out' });
    const log = fs.readFileSync(path.join(root, 'logs', 'x.log'), 'utf8');
    expect(log).toContain('out');
    expect(log).toContain('err');
    expect(tools.tail('logs/x.log', 1)).toMatch(/err$/);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('run: a command that cannot start rejects with its name', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-tools-'));
    await expect(nodeTools(root).run('definitely-not-a-command-e2e', [], { env: { PATH: '' }, logFile: 'x.log' })).rejects.toThrow(
      /definitely-not-a-command-e2e could not start/,
    );
    fs.rmSync(root, { recursive: true, force: true });
  });
});
