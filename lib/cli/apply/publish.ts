/**
 * `publish`: deploys a code package to a Flex Consumption app the way Microsoft's own tools do, with Entra ID only
 * (basic-auth publishing stays off): `POST https://<scm host>/api/publish?RemoteBuild=false` with the zip as the body
 * and a bearer token, then polling `/api/deployments/<id>` until the deployment succeeds or fails.
 *
 * Same protocol as the Azure CLI (`az functionapp deployment source config-zip`, `enable_zip_deploy_flex` in
 * Azure/azure-cli `appservice/custom.py`), Azure/functions-action (`oneDeployFlex`), Azure Functions Core Tools
 * (`func azure functionapp publish`, `PerformFlexDeployment`) and the Azure Pipelines `AzureFunctionApp@2` task
 * (`FlexConsumptionWebAppDeploymentProvider`); see docs/azure-sources.md §3. The token is for the App Service
 * audience, as current Azure CLI and VS Code request it, with the ARM audience (Microsoft's "Deploy ZIP" Kudu
 * example, Core Tools) as the fallback.
 *
 * Terraform runs this from a `terraform_data` + `local-exec` provisioner (see `FunctionCodePublish`), re-run exactly
 * when the package hash changes.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { BearerAuth, bodyExcerpt, Deadline, elapsed, send, StepContext, TokenCache } from './apply-step';
import { tokenMayGo, urlForMessage } from '../url-safety';
import { azureCloud } from '../azure-login';
import { coreCommand } from '../cli-edition';
import { CliError } from '../deployment-inputs';
import { readFunctionSite } from './function-site';
import { assertHostReachable } from './reachability';

/** Input of {@link publishPackage}. */
export interface PublishOptions {
  /** ARM id of the Flex Consumption app. */
  readonly appId: string;
  /** Path of the zip. */
  readonly packagePath: string;
  /** Expected sha256 of the zip (hex); a mismatch means the file changed since synth. */
  readonly packageSha256?: string;
  /** Time allowed for the whole step. */
  readonly timeoutMs: number;
}

/** Kudu deployment status codes (`DeployStatus` in Core Tools, `KUDU_DEPLOYMENT_CONSTANTS` in functions-action). */
const STATUS = { failed: 3, success: 4, conflict: 5, partialSuccess: 6, cancelled: -1 } as const;

/** A deployment log that names a storage authorization failure: the app identity's new role has not reached storage yet. */
const STORAGE_NOT_YET_AUTHORIZED = /(AuthorizationPermissionMismatch|AuthorizationFailure|This request is not authorized|\b403\b|Forbidden)/i;

interface DeploymentRecord {
  status?: number;
  status_text?: string;
  complete?: boolean;
  log_url?: string;
}

/** The App Service audience per cloud (vscode-azuretools `appServiceEnvironment.ts`; Azure CLI `app_service_resource_id`). */
function appServiceScope(): string | undefined {
  const cloud = azureCloud().name;
  return { public: 'https://appservice.azure.com/.default', usgovernment: 'https://appservice.azure.us/.default', china: 'https://appservice.azure.cn/.default' }[cloud];
}

export async function publishPackage(options: PublishOptions, ctx: StepContext): Promise<void> {
  const started = Date.now();
  const deadline = new Deadline(options.timeoutMs);
  const tokens = new TokenCache(ctx.login, deadline);
  const zip = readPackage(options);
  const site = await readFunctionSite(ctx, tokens, deadline, options.appId);
  if (!site.flexConsumption) {
    throw new CliError(`the app ${site.name} is not on the Flex Consumption plan: publish deploys Flex apps only (Premium and Dedicated apps run from their package blob)`);
  }
  if (!site.scmHostName) throw new CliError(`ARM lists no SCM (Repository) host name for the app ${site.name}`);
  const scm = `https://${site.scmHostName}`;
  // Every token of this step is bound to the SCM host (readFunctionSite checked it is a plain host name).
  const scmHost = new URL(scm).host;
  // An app closed to the public network is reachable only through its private endpoint: fail now, not at the deadline.
  await assertHostReachable(
    { host: site.scmHostName, role: 'SCM site', app: site.name, publicNetworkAccess: site.publicNetworkAccess, skip: ctx.skipReachabilityCheck },
    ctx.log,
    ctx.reachability,
  );
  ctx.log(`publishing ${(zip.byteLength / 1024).toFixed(1)} kB to ${site.name} (${scm}) as ${ctx.login.description}`);

  // Audiences to try, preferred first; a 401 with one moves to the next.
  const scopes = [appServiceScope(), ctx.armScope].filter((s): s is string => s !== undefined);
  let scopeIndex = 0;
  for (let attempt = 0; ; attempt++) {
    const url = `${scm}/api/publish?RemoteBuild=false&Deployer=cdktf-azure-webpubsub`;
    const auth: BearerAuth = { scope: scopes[scopeIndex], host: scmHost };
    try {
      await tokens.get(auth.scope); // cached for the request below
    } catch (err) {
      if (scopeIndex + 1 < scopes.length) {
        scopeIndex++; // this login cannot get a token for the App Service audience: use the ARM audience
        continue;
      }
      throw err;
    }
    // Not in the try above: a refused redirect is an answer of the SCM site, not a reason to try another audience.
    const { response, error } = await send(ctx, tokens, deadline, url, {
      method: 'POST',
      auth,
      headers: { 'Content-Type': 'application/zip', 'Cache-Control': 'no-cache' },
      body: zip, // send copies it for each attempt and redirect
      timeoutMs: 10 * 60_000,
    });
    let retryReason: string;
    if (response && (response.status === 200 || response.status === 202)) {
      const deploymentId = await deploymentIdOf(response);
      if (response.status === 200 && deploymentId === undefined) {
        ctx.log(`published to ${site.name} in ${elapsed(started)} (synchronous deployment)`);
        return;
      }
      const result = await followDeployment(ctx, tokens, deadline, scm, auth, deploymentId);
      if (result.ok) {
        ctx.log(`published to ${site.name} in ${elapsed(started)} (deployment ${result.id})`);
        return;
      }
      if (!STORAGE_NOT_YET_AUTHORIZED.test(result.log)) {
        throw new CliError(`the deployment to ${site.name} failed (${result.reason}). Deployment log:\n${result.log || '(empty)'}`);
      }
      retryReason = `the deployment could not write to the app's deployment storage yet (role assignments can take minutes to apply)`;
      if (deadline.expired()) {
        throw new CliError(
          `the deployment to ${site.name} kept failing on storage authorization for ${deadline.totalMs / 1000} s: check that the app's identity holds Storage Blob Data Owner on its deployment storage account. Deployment log:\n${result.log}`,
        );
      }
    } else if (response?.status === 401 && scopeIndex + 1 < scopes.length) {
      await response.body?.cancel();
      scopeIndex++;
      continue;
    } else if (response && (response.status === 401 || response.status === 403)) {
      retryReason = `the SCM site refused the token (${response.status})`;
      if (deadline.expired()) {
        throw new CliError(
          `the SCM site of ${site.name} answered ${response.status} for ${deadline.totalMs / 1000} s: ${ctx.login.description} needs Microsoft.Web/sites/publish/Action (Website Contributor or Contributor) on the app. ${await bodyExcerpt(response)}`,
        );
      }
      await response.body?.cancel();
    } else if (response && response.status !== 409 && response.status !== 404 && response.status < 500 && response.status !== 429) {
      throw new CliError(`the SCM site of ${site.name} rejected the package with ${response.status}: ${await bodyExcerpt(response)}`);
    } else {
      retryReason = response ? (response.status === 409 ? 'another deployment is in progress' : `the SCM site answered ${response.status}`) : `the SCM site did not answer (${error})`;
      await response?.body?.cancel();
    }
    ctx.log(`… ${retryReason}; retrying`);
    if (!(await deadline.sleep(Math.min(30_000, 5_000 * 2 ** attempt) * (ctx.pace ?? 1)))) {
      throw new CliError(`publishing to ${site.name} did not succeed within ${deadline.totalMs / 1000} s (last: ${retryReason})`);
    }
  }
}

function readPackage(options: PublishOptions): Buffer {
  let zip: Buffer;
  try {
    zip = fs.readFileSync(options.packagePath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      `cannot read the package ${options.packagePath} (${code ?? 'error'}): run Terraform in the synthesized stack directory after \`${coreCommand('synth')}\` (the zip is one of its assets)`,
    );
  }
  if (options.packageSha256 !== undefined) {
    const actual = createHash('sha256').update(zip).digest('hex');
    if (actual !== options.packageSha256.toLowerCase()) {
      throw new CliError(`the package ${options.packagePath} has sha256 ${actual}, but the stack was synthesized with ${options.packageSha256}: synthesize again`);
    }
  }
  return zip;
}

/** The deployment id of a 202 answer: the body (a JSON string or plain text), `scm-deployment-id`, or the Location URL. */
async function deploymentIdOf(response: Response): Promise<string | undefined> {
  const header = response.headers.get('scm-deployment-id');
  const text = (await response.text().catch(() => '')).trim();
  if (header) return header;
  if (text) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed === 'string' && parsed !== '') return parsed;
      if (parsed && typeof parsed === 'object' && typeof (parsed as { id?: unknown }).id === 'string') return (parsed as { id: string }).id;
    } catch {
      if (/^[\w-]+$/.test(text)) return text;
    }
  }
  const location = response.headers.get('location');
  return location ? location.replace(/\/+$/, '').split('/').pop() : undefined;
}

type DeploymentResult = { ok: true; id: string } | { ok: false; id: string; reason: string; log: string };

/**
 * Polls the deployment until it ends; a missing record is awaited for a minute (it appears after the upload). The
 * status URL is built on the SCM site from the deployment id, never taken from the answer's `Location` (which could
 * name any host).
 */
async function followDeployment(
  ctx: StepContext,
  tokens: TokenCache,
  deadline: Deadline,
  scm: string,
  auth: BearerAuth,
  deploymentId: string | undefined,
): Promise<DeploymentResult> {
  const url = deploymentId ? `${scm}/api/deployments/${encodeURIComponent(deploymentId)}` : `${scm}/api/deployments/latest`;
  const id = deploymentId ?? 'latest';
  let lastStatus: string | undefined;
  for (;;) {
    const { response } = await send(ctx, tokens, deadline, url, { auth, timeoutMs: 30_000 });
    if (response?.ok) {
      const record = (await response.json().catch(() => ({}))) as DeploymentRecord;
      const status = record.status;
      const text = `${status ?? '?'}${record.status_text ? ` ${record.status_text}` : ''}`;
      if (text !== lastStatus) ctx.log(`… deployment ${id}: status ${text}`);
      lastStatus = text;
      if (status === STATUS.success) return { ok: true, id };
      if (status === STATUS.partialSuccess) {
        // Azure/functions-action fails a Flex deployment only on status 3 (its `KUDU_DEPLOYMENT_CONSTANTS`): a partial
        // success deployed the package, with some post-deployment step reporting a problem. Say so, and go on.
        const log = await deploymentLog(ctx, tokens, deadline, `${scm}/api/deployments/${encodeURIComponent(id)}/log`, auth);
        ctx.log(`warning: deployment ${id} partially succeeded (status 6): the package is deployed, but a step reported a problem${log ? `. Deployment log:\n${log}` : ` (see ${scm}/api/deployments/${id}/log)`}`);
        return { ok: true, id };
      }
      if (status === STATUS.failed || status === STATUS.cancelled || status === STATUS.conflict) {
        const reason = { [STATUS.failed]: 'failed', [STATUS.cancelled]: 'cancelled', [STATUS.conflict]: 'another deployment took over' }[status];
        return { ok: false, id, reason, log: await deploymentLog(ctx, tokens, deadline, `${scm}/api/deployments/${encodeURIComponent(id)}/log`, auth) };
      }
    } else {
      await response?.body?.cancel();
    }
    if (!(await deadline.sleep(3_000 * (ctx.pace ?? 1)))) {
      throw new CliError(`the deployment ${id} did not finish within ${deadline.totalMs / 1000} s (last status: ${lastStatus ?? 'none'}); it may still be running: see ${scm}/api/deployments/${id}/log`);
    }
  }
}

/**
 * The deployment log's messages, following each entry's `details_url` once (as Core Tools and functions-action print
 * them) when it is on the SCM site over https: the token goes nowhere else, and a details page elsewhere is named,
 * not read.
 */
async function deploymentLog(ctx: StepContext, tokens: TokenCache, deadline: Deadline, url: string, auth: BearerAuth): Promise<string> {
  const read = async (target: string): Promise<{ message?: string; details_url?: string }[]> => {
    const { response } = await send(ctx, tokens, deadline, target, { auth, timeoutMs: 30_000 });
    if (!response?.ok) return [];
    const body = (await response.json().catch(() => [])) as unknown;
    return Array.isArray(body) ? body : [];
  };
  const lines: string[] = [];
  for (const entry of await read(url)) {
    if (entry.message) lines.push(`  ${entry.message}`);
    if (typeof entry.details_url !== 'string' || entry.details_url === '') continue;
    if (!tokenMayGo(entry.details_url, auth)) {
      lines.push(`    (details not read: ${urlForMessage(entry.details_url)} is not on the SCM site https://${auth.host})`);
      continue;
    }
    for (const detail of await read(entry.details_url)) if (detail.message) lines.push(`    ${detail.message}`);
  }
  return lines.slice(-60).join('\n');
}
