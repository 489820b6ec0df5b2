/**
 * `npm run e2e`: the live end-to-end check. Deploys the example chat stack into a NEW resource group with a unique
 * suffix, runs `cdktf-azure-webpubsub verify` (including the round trip), synthesizes again and requires a second
 * `terraform plan` to report no changes, then destroys everything — always, also after a failure, unless E2E_KEEP=1.
 * One line per step and the total time; after the apply, one line per resource with its creation time (what
 * refines the estimates of `npm run bench`'s deploy-graph line, bench/deploy-graph.ts).
 *
 * It never touches Azure unless asked: without E2E_SUBSCRIPTION_ID it prints one "skipped" line and exits 0.
 *
 * Everything lives in `.e2e/<suffix>/` (synth output, Terraform state, logs), never in `cdktf.out/`, where a laptop
 * deploy of the example keeps its state; the e2e stack also gets its own `backend_override.tf.json`, so it can never
 * plan against (or destroy) that deployment, whatever backend the stack declares.
 *
 * The steps are built from injected tools (commands, clock, output, credential probe) so the order, the naming and
 * the always-destroy rule are tested offline (test/e2e/e2e.test.ts).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { azureCloud, loginLikeTerraform, tokenFor } from '../lib/cli/azure-login';

/** Every e2e resource group starts with this, so leftovers are easy to find: `az group list --query "[?starts_with(name, 'rg-cdktf-wps-e2e-')]"`. */
export const E2E_RESOURCE_GROUP_PREFIX = 'rg-cdktf-wps-e2e-';
/** The example's stack name (examples/chat/main.ts). */
export const STACK = 'chat';
/** The run's suffix: part of its resource group and working directory names. */
const SUFFIX_PATTERN = /^[a-z0-9]{1,16}$/;
const SUBSCRIPTION_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What one run deploys, and where it keeps its files (relative to the project root). */
export interface E2eSettings {
  readonly subscriptionId: string;
  readonly location: string;
  /** E2E_KEEP=1: leave the deployment (and its state) in place instead of destroying it. */
  readonly keep: boolean;
  readonly suffix: string;
  readonly resourceGroup: string;
  /** `.e2e/<suffix>`: the synth output directory (CDKTF_OUTDIR), outputs.json and logs. */
  readonly workDir: string;
  /** `.e2e/<suffix>/stacks/chat`: where terraform runs and the local state lives. */
  readonly stackDir: string;
}

export type E2eDecision = { readonly skip: string } | { readonly settings: E2eSettings };

/**
 * A unique, sortable suffix: the UTC date (yymmdd) then 5 random base-36 characters (36^5 ≈ 60 million per day).
 * Lowercase letters and digits only, 11 characters: it fits every Azure name the stack derives from it (storage
 * accounts allow only lowercase letters and digits; the default names keep a hash of the full construct path).
 */
export function e2eSuffix(now: Date, random: Uint8Array): string {
  if (random.length < 5) throw new Error('e2eSuffix needs at least 5 random bytes');
  const date = now.toISOString().slice(2, 10).replace(/-/g, '');
  const tail = Array.from(random.slice(0, 5), (b) => (b % 36).toString(36)).join('');
  return `${date}${tail}`;
}

/** `rg-cdktf-wps-e2e-<suffix>` (resource group names allow 90 characters). */
export function e2eResourceGroupName(suffix: string): string {
  if (!SUFFIX_PATTERN.test(suffix)) throw new Error(`e2e suffix ${JSON.stringify(suffix)} must be 1-16 lowercase letters or digits`);
  return `${E2E_RESOURCE_GROUP_PREFIX}${suffix}`;
}

/** Reads the opt-in from the environment. Throws on a malformed value (a typo must not look like a skip). */
export function decideE2e(env: Record<string, string | undefined>, now: Date, random: Uint8Array): E2eDecision {
  const subscriptionId = env.E2E_SUBSCRIPTION_ID?.trim();
  if (!subscriptionId) {
    return {
      skip:
        'e2e skipped: no Azure credentials (set E2E_SUBSCRIPTION_ID to the subscription to deploy a throwaway copy of the example into; ' +
        'it uses your az login or ARM_* credentials, creates one resource group and destroys it)',
    };
  }
  if (!SUBSCRIPTION_ID_PATTERN.test(subscriptionId)) {
    throw new Error(`E2E_SUBSCRIPTION_ID ${JSON.stringify(subscriptionId)} must be a subscription id (a GUID)`);
  }
  const location = (env.E2E_LOCATION || env.AZURE_LOCATION || 'westeurope').trim();
  if (!/^[a-z0-9]+$/.test(location)) throw new Error(`E2E_LOCATION ${JSON.stringify(location)} must be an Azure region name such as westeurope`);
  const suffix = e2eSuffix(now, random);
  const workDir = path.posix.join('.e2e', suffix);
  return {
    settings: {
      subscriptionId,
      location,
      keep: env.E2E_KEEP === '1' || env.E2E_KEEP === 'true',
      suffix,
      resourceGroup: e2eResourceGroupName(suffix),
      workDir,
      stackDir: path.posix.join(workDir, 'stacks', STACK),
    },
  };
}

/** The edge to the machine: commands, files, clock, output and the Azure sign-in probe. Tests pass stand-ins. */
export interface E2eTools {
  /** Runs a command from the project root; its stdout and stderr are appended to `logFile`. Resolves with the exit code and stdout. */
  run(command: string, args: readonly string[], options: { env: Record<string, string>; logFile: string }): Promise<{ code: number; stdout: string }>;
  writeFile(file: string, text: string): void;
  appendFile(file: string, text: string): void;
  makeDir(dir: string): void;
  removeDir(dir: string): void;
  /** The last lines of a log, shown under a failed step. */
  tail(file: string, lines: number): string;
  /**
   * Resolves when the sign-in Terraform's azurerm provider would use (ARM_* client secret, OIDC, MSI, else the Azure
   * CLI: lib/cli/azure-login.ts, also what verify and the apply steps use) yields an ARM token; rejects with the reason.
   */
  probeAzureCredential(): Promise<void>;
  sleep(ms: number): Promise<void>;
  now(): number;
  print(line: string): void;
}

/** One step of the run. */
export interface E2eStep {
  readonly name: string;
  /** Azure resources may exist once this step has started: from here on a failure still destroys. */
  readonly deploys?: boolean;
  /** Tries before the step fails (Azure RBAC propagation and app cold starts are not instant). */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
  run(): Promise<void>;
}

/** A command that ran and failed; the message says which and where its output went. */
export class StepFailure extends Error {
  public constructor(
    message: string,
    public readonly logFile?: string,
  ) {
    super(message);
  }
}

/** The steps in order, plus the destroy step the runner adds whenever something may have been deployed. */
export function buildE2eSteps(settings: E2eSettings, tools: E2eTools, baseEnv: Record<string, string>): { steps: E2eStep[]; destroy: E2eStep } {
  const { stackDir, workDir } = settings;
  const log = (name: string) => path.posix.join(workDir, 'logs', `${name}.log`);
  // Terraform and verify sign in as the caller (az login, or ARM_* / AZURE_* variables); only the subscription is forced.
  const terraformEnv = { ...baseEnv, ARM_SUBSCRIPTION_ID: settings.subscriptionId, TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  const synthEnv = {
    ...baseEnv,
    CDKTF_OUTDIR: workDir,
    CHAT_RESOURCE_GROUP: settings.resourceGroup,
    AZURE_LOCATION: settings.location,
  };
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

  async function mustRun(name: string, command: string, args: readonly string[], env: Record<string, string>): Promise<string> {
    const logFile = log(name);
    const { code, stdout } = await tools.run(command, args, { env, logFile });
    if (code !== 0) throw new StepFailure(`${[command, ...args].join(' ')} exited ${code}`, logFile);
    return stdout;
  }
  const terraform = (name: string, ...args: string[]) => mustRun(name, 'terraform', [`-chdir=${stackDir}`, ...args], terraformEnv);

  async function synth(name: string): Promise<void> {
    tools.makeDir(path.posix.join(workDir, 'logs'));
    await mustRun(name, npm, ['run', 'synth'], synthEnv);
    // Overrides the stack's backend, so this run's state lives in its own directory whatever the stack declares.
    tools.writeFile(path.posix.join(stackDir, 'backend_override.tf.json'), `${JSON.stringify({ terraform: { backend: { local: { path: 'terraform.tfstate' } } } }, null, 2)}\n`);
  }

  const steps: E2eStep[] = [
    {
      name: 'preflight (terraform, Azure sign-in)',
      run: async () => {
        tools.makeDir(path.posix.join(workDir, 'logs'));
        await mustRun('preflight', 'terraform', ['version'], terraformEnv);
        try {
          await tools.probeAzureCredential();
        } catch (err) {
          const message = String((err as Error).message ?? err);
          tools.appendFile(log('preflight'), `${message}\n`);
          throw new StepFailure(`no Azure credential works (run \`az login\`, or set the ARM_* variables Terraform's azurerm provider reads): ${message.split('\n')[0]}`, log('preflight'));
        }
      },
    },
    { name: `synth (${settings.resourceGroup})`, run: () => synth('synth') },
    { name: 'terraform init', run: async () => void (await terraform('init', 'init', '-input=false', '-no-color')) },
    {
      name: 'terraform apply',
      deploys: true,
      // A first deploy can hit a 403 while new role assignments propagate (docs/deploying.md); a second apply converges.
      attempts: 2,
      retryDelayMs: 60_000,
      run: async () => {
        const output = await terraform('apply', 'apply', '-input=false', '-auto-approve', '-no-color');
        // How long each resource took: what refines the creation times of `npm run bench` (P7, bench/deploy-graph.ts).
        for (const { address, seconds } of applyDurations(output)) tools.print(`time  ${address}: ${formatDuration(seconds * 1000)}`);
      },
    },
    {
      name: 'outputs',
      run: async () => {
        const raw = JSON.parse(await terraform('outputs', 'output', '-json')) as Record<string, { value: unknown }>;
        const values = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.value]));
        // The shape `cdktf deploy --outputs-file` writes, which verify reads.
        tools.writeFile(path.posix.join(workDir, 'outputs.json'), `${JSON.stringify({ [STACK]: values }, null, 2)}\n`);
      },
    },
    {
      name: 'verify (service, hubs, handlers, roles, round trip)',
      // The app identity's data-plane role and the app's first start can take minutes after the apply.
      attempts: 4,
      retryDelayMs: 60_000,
      run: async () =>
        void (await mustRun(
          'verify',
          process.execPath,
          [
            'bin/cdktf-azure-webpubsub.js',
            'verify',
            '--stack',
            STACK,
            '--outputs',
            path.posix.join(workDir, 'outputs.json'),
            '--manifest',
            path.posix.join(stackDir, 'webpubsub-manifest.json'),
            '--timeout',
            '60000',
            // The example's message handler replies; this proves events reach the code and back (not only connect).
            '--event',
            'message',
            '--expect-reply',
          ],
          baseEnv,
        )),
    },
    // Synthesize again: a non-deterministic synth (or a package hash that moves) shows up as a change below.
    { name: 'synth again', run: () => synth('synth-again') },
    {
      name: 'terraform plan: no changes',
      run: async () => {
        const logFile = log('plan');
        const { code } = await tools.run('terraform', [`-chdir=${stackDir}`, 'plan', '-input=false', '-no-color', '-detailed-exitcode'], { env: terraformEnv, logFile });
        if (code === 2) throw new StepFailure('the second plan reports changes: the deployment does not converge', logFile);
        if (code !== 0) throw new StepFailure(`terraform plan exited ${code}`, logFile);
      },
    },
  ];

  const destroy: E2eStep = {
    name: `terraform destroy (${settings.resourceGroup})`,
    attempts: 2,
    retryDelayMs: 30_000,
    run: async () => void (await terraform('destroy', 'destroy', '-input=false', '-auto-approve', '-no-color')),
  };
  return { steps, destroy };
}

/**
 * Each resource's time from the output of `terraform apply -no-color` (`<address>: Creation complete after 1m30s
 * [id=...]`, also `Modifications complete`), slowest first; a resource applied twice (a retried apply) keeps its last.
 */
export function applyDurations(output: string): Array<{ address: string; seconds: number }> {
  const byAddress = new Map<string, number>();
  for (const m of output.matchAll(/^(\S+): (?:Creation|Modifications) complete after (?:(\d+)h)?(?:(\d+)m)?(\d+)s\b/gm)) {
    byAddress.set(m[1], Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4]));
  }
  return [...byAddress].map(([address, seconds]) => ({ address, seconds })).sort((a, b) => b.seconds - a.seconds || a.address.localeCompare(b.address));
}

export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/**
 * Runs the steps in order and stops at the first failure. Once a step that deploys has started, the destroy step
 * runs at the end whatever happened (unless `keep`). Resolves true when every step (and the destroy) passed.
 */
export async function runE2eSteps(
  settings: E2eSettings,
  plan: { steps: E2eStep[]; destroy: E2eStep },
  tools: E2eTools,
  shouldStop: () => boolean = () => false,
): Promise<boolean> {
  const started = tools.now();
  let deployed = false;
  let failedAt: string | undefined;

  async function attempt(step: E2eStep): Promise<boolean> {
    const t0 = tools.now();
    const attempts = step.attempts ?? 1;
    for (let i = 1; ; i++) {
      const tryStart = tools.now();
      try {
        await step.run();
        tools.print(`ok    ${step.name} (${formatDuration(tools.now() - t0)}${i > 1 ? `, attempt ${i}` : ''})`);
        return true;
      } catch (err) {
        const failure = err instanceof StepFailure ? err : new StepFailure((err as Error).message ?? String(err));
        // An interrupt stops retries, except the destroy's: cleaning up is what an interrupt asks for.
        if (i < attempts && (step === plan.destroy || !shouldStop())) {
          tools.print(`retry ${step.name}: attempt ${i} of ${attempts} failed after ${formatDuration(tools.now() - tryStart)} (${failure.message}); again in ${formatDuration(step.retryDelayMs ?? 0)}`);
          await tools.sleep(step.retryDelayMs ?? 0);
          continue;
        }
        tools.print(`FAIL  ${step.name} (${formatDuration(tools.now() - t0)}): ${failure.message}${failure.logFile ? ` — log: ${failure.logFile}` : ''}`);
        if (failure.logFile) {
          const tail = tools.tail(failure.logFile, 25);
          if (tail) tools.print(tail.replace(/^/gm, '      | '));
        }
        return false;
      }
    }
  }

  for (const step of plan.steps) {
    if (shouldStop()) {
      failedAt = `${step.name} (interrupted)`;
      tools.print(`stop  interrupted before ${step.name}`);
      break;
    }
    if (step.deploys) deployed = true;
    if (!(await attempt(step))) {
      failedAt = step.name;
      break;
    }
  }

  let destroyed = true;
  if (deployed && settings.keep) {
    tools.print(
      `kept  E2E_KEEP=1: resource group ${settings.resourceGroup} stays; state in ${settings.stackDir}/terraform.tfstate. ` +
        `Remove it with: terraform -chdir=${settings.stackDir} destroy -auto-approve`,
    );
  } else if (deployed) {
    destroyed = await attempt(plan.destroy);
    if (destroyed) {
      tools.removeDir(settings.workDir);
    } else {
      tools.print(
        `      resources may remain in resource group ${settings.resourceGroup}: retry with ` +
          `terraform -chdir=${settings.stackDir} destroy -auto-approve, or az group delete -n ${settings.resourceGroup} --yes`,
      );
    }
  }

  const total = formatDuration(tools.now() - started);
  const ok = failedAt === undefined && destroyed;
  if (ok) tools.print(`e2e passed in ${total}`);
  else tools.print(`e2e FAILED in ${total}: ${failedAt ?? plan.destroy.name}`);
  return ok;
}

/** The real tools: child processes with their output in log files. */
export function nodeTools(projectRoot: string, env: NodeJS.ProcessEnv = process.env): E2eTools {
  const abs = (p: string) => path.resolve(projectRoot, p);
  return {
    run: (command, args, { env, logFile }) =>
      new Promise((resolve, reject) => {
        fs.mkdirSync(path.dirname(abs(logFile)), { recursive: true });
        const out = fs.openSync(abs(logFile), 'a');
        fs.writeSync(out, `$ ${[command, ...args].join(' ')}\n`);
        // Windows runs npm.cmd only through a shell; everything else (node, terraform) starts directly, arguments unquoted.
        const shell = process.platform === 'win32' && /\.cmd$/i.test(command);
        const child = spawn(command, [...args], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'], shell });
        const stdout: Buffer[] = [];
        child.stdout.on('data', (chunk: Buffer) => {
          stdout.push(chunk);
          fs.writeSync(out, chunk);
        });
        child.stderr.on('data', (chunk: Buffer) => fs.writeSync(out, chunk));
        // A command that cannot start emits 'error' and then 'close': settle (and close the log) once.
        let settled = false;
        const settle = (done: () => void) => {
          if (settled) return;
          settled = true;
          fs.closeSync(out);
          done();
        };
        child.on('error', (err) => settle(() => reject(new StepFailure(`${command} could not start: ${err.message}`, logFile))));
        child.on('close', (code) => settle(() => resolve({ code: code ?? 1, stdout: Buffer.concat(stdout).toString('utf8') })));
      }),
    writeFile: (file, text) => {
      fs.mkdirSync(path.dirname(abs(file)), { recursive: true });
      fs.writeFileSync(abs(file), text);
    },
    appendFile: (file, text) => fs.appendFileSync(abs(file), text),
    makeDir: (dir) => fs.mkdirSync(abs(dir), { recursive: true }),
    removeDir: (dir) => fs.rmSync(abs(dir), { recursive: true, force: true }),
    tail: (file, lines) => {
      try {
        return fs.readFileSync(abs(file), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
    probeAzureCredential: async () => {
      // The login Terraform will use, not DefaultAzureCredential (which tries other sources, e.g. AZURE_* variables
      // or a VS Code sign-in, that the provider never reads): a pass here means the apply can sign in.
      const login = loginLikeTerraform(env);
      await tokenFor(login, `${azureCloud(env).armEndpoint}/.default`, 60_000);
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    print: (line) => console.log(line),
  };
}

export async function main(): Promise<number> {
  const projectRoot = path.resolve(__dirname, '..');
  let decision: E2eDecision;
  try {
    decision = decideE2e(process.env, new Date(), randomBytes(5));
  } catch (err) {
    console.error(`e2e: ${(err as Error).message}`);
    return 1;
  }
  if ('skip' in decision) {
    console.log(decision.skip);
    return 0;
  }
  const { settings } = decision;
  const tools = nodeTools(projectRoot);
  tools.print(`e2e: ${settings.resourceGroup} in ${settings.location}, subscription ${settings.subscriptionId}; files in ${settings.workDir}/`);
  // In GitHub Actions, hand the group to a cleanup step that runs even if this job is cancelled.
  if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, `resource_group=${settings.resourceGroup}\n`);

  // Ctrl-C: terraform (same process group) gets it too and stops cleanly; then nothing new starts and destroy runs.
  let interrupted = false;
  process.on('SIGINT', () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    tools.print('interrupted: stopping after the current step, then destroying (Ctrl-C again to leave everything as it is)');
  });
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  const ok = await runE2eSteps(settings, buildE2eSteps(settings, tools, baseEnv), tools, () => interrupted);
  return ok ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
