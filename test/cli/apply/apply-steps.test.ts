/**
 * The commands Terraform runs at apply (`publish`, `activate-webhook`, `await-blob-access`), run through the real bin
 * in a child process against LOCAL STAND-INS for ARM, the SCM site, the webhook, storage, the Azure CLI and the
 * Entra/GitHub token endpoints (test/cli/stand-ins/app-service-stand-in.ts). No Azure is reached.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NotServedStreak } from '../../../lib/cli/apply/activate-webhook';
import { AppServiceStandIn, APP_SERVICE_TOKEN, ARM_TOKEN, fakeAzureCli, HostileServer, SITE_ID, startAppServiceStandIn, startHostileServer } from '../stand-ins/app-service-stand-in';
import { createTestCertificate, TestCertificate } from '../stand-ins/tls';

const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'cdktf-azure-webpubsub.js');

let tls: TestCertificate;
let certFile: string;
let work: string;
let zip: string;
let zipSha256: string;
let az: { binDir: string; callsFile: string };

beforeAll(() => {
  tls = createTestCertificate();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'apply-steps-'));
  certFile = path.join(work, 'stand-in.pem');
  fs.writeFileSync(certFile, tls.cert);
  zip = path.join(work, 'functions-0123456789abcdef.zip');
  fs.writeFileSync(zip, Buffer.from('PK\u0003\u0004 stand-in package bytes'));
  zipSha256 = require('node:crypto').createHash('sha256').update(fs.readFileSync(zip)).digest('hex');
  az = fakeAzureCli(fs.mkdtempSync(path.join(work, 'az-')));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** The child was killed because it outlived its time (a hung step). */
  killed: boolean;
}

/** How long one bin run may take before it is killed: below Jest's test timeout, so a hang fails one test clearly. */
const SPAWN_TIMEOUT_MS = 45_000;

/** Runs the bin as Terraform's local-exec would: inputs in the environment, the login from ARM_* / az. */
function runBin(args: string[], env: Record<string, string | undefined>, standIn: AppServiceStandIn, timeoutMs = SPAWN_TIMEOUT_MS): Promise<Run> {
  const base: Record<string, string> = {
    PATH: `${az.binDir}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: work,
    NODE_EXTRA_CA_CERTS: certFile,
    CDKTF_AZURE_WEBPUBSUB_RETRY_WAIT_SCALE: '0.002',
  };
  const merged: Record<string, string> = { ...base };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k];
  else merged[k] = v;
  const started = Date.now();
  return new Promise((resolve) => {
    const arm = args[0] === 'await-blob-access' ? [] : ['--arm-endpoint', standIn.origin];
    const child = spawn(process.execPath, [BIN, ...args, ...arm], {
      env: merged,
      cwd: work,
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr: killed ? `${stderr}[test: killed after ${timeoutMs} ms]` : stderr, ms: Date.now() - started, killed });
    });
  });
}

async function withStandIn(state: Parameters<typeof startAppServiceStandIn>[1], fn: (s: AppServiceStandIn) => Promise<void>): Promise<void> {
  const standIn = await startAppServiceStandIn(tls, state);
  try {
    await fn(standIn);
  } finally {
    await standIn.close();
  }
}

const publishEnv = (extra: Record<string, string | undefined> = {}) => ({
  CDKTF_AZURE_WEBPUBSUB_APP_ID: SITE_ID,
  CDKTF_AZURE_WEBPUBSUB_PACKAGE: zip,
  CDKTF_AZURE_WEBPUBSUB_PACKAGE_SHA256: zipSha256,
  ...extra,
});

describe('publish (Flex: OneDeploy to the SCM site with Entra ID)', () => {
  test('uploads the zip with an App Service-audience token, follows the deployment to success', async () => {
    await withStandIn({ deploymentStatuses: [1, 2, 4] }, async (s) => {
      const run = await runBin(['publish'], publishEnv(), s);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/publishing 0\.0 kB to func-chat .* as the Azure CLI login \(az login\)/);
      expect(run.stdout).toMatch(/deployment deployment-1: status 1/);
      expect(run.stdout).toMatch(/published to func-chat in \d+ s \(deployment deployment-1\)/);
      expect(s.lastUpload).toEqual(fs.readFileSync(zip));
      expect(s.requests).toContain(`GET ${SITE_ID} ${ARM_TOKEN}`);
      expect(s.requests).toContain(`POST /api/publish ${APP_SERVICE_TOKEN}`);
    });
  });

  test('falls back to the ARM audience when the SCM site refuses the App Service one (401)', async () => {
    await withStandIn({ scmAcceptsAppServiceAudience: false }, async (s) => {
      const run = await runBin(['publish'], publishEnv(), s);
      expect(run.code).toBe(0);
      const publishes = s.requests.filter((r) => r.startsWith('POST /api/publish'));
      expect(publishes).toEqual([`POST /api/publish ${APP_SERVICE_TOKEN}`, `POST /api/publish ${ARM_TOKEN}`]);
    });
  });

  test('401/403 while the new roles propagate: retried, then succeeds', async () => {
    await withStandIn({ publishAnswers: [403, 403, 202] }, async (s) => {
      const run = await runBin(['publish'], publishEnv(), s);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/the SCM site refused the token \(403\); retrying/);
      expect(s.requests.filter((r) => r.startsWith('POST /api/publish'))).toHaveLength(3);
    });
  });

  test('a deployment that fails on storage authorization (the app identity\'s role not yet effective) is published again', async () => {
    await withStandIn({ deploymentStatuses: [3, 4], deploymentLog: ['Uploading package', 'Error: 403 AuthorizationPermissionMismatch writing released-package.zip'] }, async (s) => {
      const run = await runBin(['publish'], publishEnv(), s);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/could not write to the app's deployment storage yet/);
    });
  });

  test('a failed deployment fails the step with the deployment log, at once', async () => {
    await withStandIn({ deploymentStatuses: [1, 3], deploymentLog: ['Extracting package', 'Error: host.json is invalid'] }, async (s) => {
      const run = await runBin(['publish'], publishEnv(), s);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error: the deployment to func-chat failed \(failed\)\. Deployment log:\n {2}Extracting package\n {2}Error: host\.json is invalid\n$/);
      expect(s.requests.filter((r) => r.startsWith('POST /api/publish'))).toHaveLength(1);
    });
  });

  test('a partially successful deployment (status 6) counts as deployed, with a warning and the log', async () => {
    await withStandIn({ deploymentStatuses: [1, 6], deploymentLog: ['Package deployed', 'Warning: could not sync triggers'] }, async (s) => {
      const run = await runBin(['publish'], publishEnv(), s);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/warning: deployment deployment-1 partially succeeded \(status 6\).*\n {2}Package deployed\n {2}Warning: could not sync triggers/);
      expect(run.stdout).toMatch(/published to func-chat in \d+ s \(deployment deployment-1\)/);
    });
  });

  test('a deployment that never finishes stops at --timeout with a clear message', async () => {
    await withStandIn({ deploymentStatuses: [1] }, async (s) => {
      const run = await runBin(['publish', '--timeout', '5'], publishEnv(), s);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/the deployment deployment-1 did not finish within 5 s \(last status: 1\); it may still be running/);
      expect(run.ms).toBeLessThan(20_000);
    });
  });

  test('a package that changed since synth is refused before anything is sent', async () => {
    await withStandIn({}, async (s) => {
      const run = await runBin(['publish'], publishEnv({ CDKTF_AZURE_WEBPUBSUB_PACKAGE_SHA256: '0'.repeat(64) }), s);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error: the package .* has sha256 [0-9a-f]{64}, but the stack was synthesized with 0{64}: synthesize again\n$/);
      expect(s.requests.filter((r) => r.startsWith('POST'))).toEqual([]);
    });
  });

  test('no Azure credentials: one clear line, non-zero exit, no stack trace', async () => {
    await withStandIn({}, async (s) => {
      const run = await runBin(['publish'], publishEnv({ PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` }), s);
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^error: could not get an Azure token with the Azure CLI login \(az login\): /);
    });
  });

  test('GitHub Actions OIDC (ARM_USE_OIDC + the Actions ID-token request variables), as the azurerm provider logs in', async () => {
    await withStandIn({}, async (s) => {
      const run = await runBin(
        ['publish'],
        publishEnv({
          ARM_USE_OIDC: 'true',
          ARM_CLIENT_ID: '11111111-1111-4111-8111-111111111111',
          ARM_TENANT_ID: '33333333-3333-4333-8333-333333333333',
          ACTIONS_ID_TOKEN_REQUEST_URL: `${s.origin}/github-oidc?api-version=2.0`,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'github-request-token',
          AZURE_AUTHORITY_HOST: s.origin,
          PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, // no az: OIDC must not need it
        }),
        s,
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/as service principal 11111111-1111-4111-8111-111111111111 \(OIDC federation\)/);
      expect(s.requests.some((r) => r.startsWith('GET /github-oidc'))).toBe(true);
    });
  });

  test('a hanging token endpoint is bounded by --timeout', async () => {
    await withStandIn({ hangTokens: true }, async (s) => {
      const run = await runBin(
        ['publish', '--timeout', '3'],
        publishEnv({
          ARM_CLIENT_ID: '11111111-1111-4111-8111-111111111111',
          ARM_TENANT_ID: '33333333-3333-4333-8333-333333333333',
          ARM_CLIENT_SECRET: 'stand-in-secret',
          AZURE_AUTHORITY_HOST: s.origin,
        }),
        s,
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/getting an Azure token with service principal .* took longer than 3 s/);
      expect(run.ms).toBeLessThan(20_000);
    });
  });
});

/** Runs `fn` with a {@link HostileServer}: another host (another port) that records what reaches it. */
async function withHostile(protocol: 'https' | 'http', fn: (h: HostileServer) => Promise<void>): Promise<void> {
  const hostile = await startHostileServer(tls, protocol);
  try {
    await fn(hostile);
  } finally {
    await hostile.close();
  }
}

/** True when any recorded request line carries one of the stand-in tokens. */
const carriesToken = (requests: string[]) => requests.some((r) => r.includes(ARM_TOKEN) || r.includes(APP_SERVICE_TOKEN) || r.includes('Bearer'));

describe('publish: tokens go only to the SCM host they were obtained for (hostile answers)', () => {
  const failedLog = { deploymentStatuses: [1, 3], deploymentLog: ['Extracting package', 'Error: rsync failed'] };

  test('a details_url on the SCM site is read with the token (the normal case)', async () => {
    await withStandIn(failedLog, async (s) => {
      s.state.deploymentLogDetailsUrl = `${s.origin}/api/deployments/deployment-1/log/details`;
      const run = await runBin(['publish'], publishEnv(), s);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('\n    stand-in detail: rsync failed');
      expect(s.requests).toContain(`GET /api/deployments/deployment-1/log/details ${APP_SERVICE_TOKEN}`);
    });
  });

  for (const protocol of ['https', 'http'] as const) {
    test(`a details_url on another host over ${protocol} is named, not fetched: the token never reaches it`, async () => {
      await withHostile(protocol, async (hostile) => {
        await withStandIn(failedLog, async (s) => {
          s.state.deploymentLogDetailsUrl = `${hostile.origin}/collect?code=not-printed`;
          const run = await runBin(['publish'], publishEnv(), s);
          expect(run.code).toBe(1);
          expect(run.stderr).toContain(`    (details not read: ${hostile.origin}/collect is not on the SCM site https://${s.host})`);
          expect(run.stderr).not.toContain('not-printed');
          expect(hostile.requests).toEqual([]);
        });
      });
    });
  }

  test('a details_url on the SCM host over plain http is not fetched either', async () => {
    await withStandIn(failedLog, async (s) => {
      s.state.deploymentLogDetailsUrl = `http://${s.host}/api/deployments/deployment-1/log/details`;
      const run = await runBin(['publish'], publishEnv(), s);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`(details not read: http://${s.host}/api/deployments/deployment-1/log/details is not on the SCM site`);
      expect(s.requests.filter((r) => r.startsWith('GET /api/deployments/deployment-1/log/details'))).toEqual([]);
    });
  });

  test('the ARM-audience fallback token is not sent to another host either', async () => {
    await withHostile('https', async (hostile) => {
      await withStandIn({ ...failedLog, scmAcceptsAppServiceAudience: false }, async (s) => {
        s.state.deploymentLogDetailsUrl = `${hostile.origin}/collect`;
        const run = await runBin(['publish'], publishEnv(), s);
        expect(run.code).toBe(1);
        expect(s.requests).toContain(`POST /api/publish ${ARM_TOKEN}`);
        expect(hostile.requests).toEqual([]);
      });
    });
  });

  test('a 307 on the publish POST to another host is refused: one clear line, nothing reaches that host', async () => {
    await withHostile('https', async (hostile) => {
      await withStandIn({ publishAnswers: [307] }, async (s) => {
        s.state.publishLocation = `${hostile.origin}/api/publish?RemoteBuild=false`;
        const run = await runBin(['publish', '--timeout', '20'], publishEnv(), s);
        expect(run.code).toBe(1);
        expect(run.stderr).toBe(
          `error: https://${s.host}/api/publish redirected POST to ${hostile.origin}/api/publish: not followed (the token goes only to https://${s.host})\n`,
        );
        expect(hostile.requests).toEqual([]);
        expect(carriesToken(hostile.requests)).toBe(false);
      });
    });
  });

  test('a 307 on the publish POST to plain http on the same host is refused', async () => {
    await withStandIn({ publishAnswers: [307] }, async (s) => {
      s.state.publishLocation = `http://${s.host}/api/publish?RemoteBuild=false`;
      const run = await runBin(['publish', '--timeout', '20'], publishEnv(), s);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/redirected POST to http:\/\/127\.0\.0\.1:\d+\/api\/publish: not followed/);
      expect(s.requests.filter((r) => r.startsWith('POST /api/publish'))).toHaveLength(1);
    });
  });

  test('a 307 on the same host is followed with the token and the whole body; retries re-send the body', async () => {
    // 503, then 307 to the same site, then 202: before, the body buffer fetch had used could not be sent again
    // ("detached ArrayBuffer") and every attempt after the redirect failed until the timeout.
    await withStandIn({ publishAnswers: [503, 307, 202] }, async (s) => {
      s.state.publishLocation = '/api/publish?RemoteBuild=false&Deployer=cdktf-azure-webpubsub&moved=1';
      const run = await runBin(['publish', '--timeout', '30'], publishEnv(), s);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      // The redirect itself succeeded: the only retry is the one after the 503 (before, the redirected POST failed
      // with "the SCM site did not answer (fetch failed: ... detached ArrayBuffer)" and cost a retry).
      expect(run.stdout.match(/retrying/g)).toEqual(['retrying']);
      expect(run.stdout).toContain('… the SCM site answered 503; retrying');
      expect(run.stdout).not.toMatch(/did not answer|detached/);
      expect(s.requests.filter((r) => r.startsWith('POST /api/publish'))).toEqual(Array(3).fill(`POST /api/publish ${APP_SERVICE_TOKEN}`));
      expect(s.lastUpload).toEqual(fs.readFileSync(zip));
    });
  });
});

describe('activate-webhook (after the key write)', () => {
  test('restarts the app, reads the key from ARM, waits until the webhook answers the service\'s check', async () => {
    await withStandIn({ webhookAnswers: [401, 401, 200] }, async (s) => {
      const run = await runBin(['activate-webhook'], { CDKTF_AZURE_WEBPUBSUB_APP_ID: SITE_ID, CDKTF_AZURE_WEBPUBSUB_ORIGINS: 'wps-chat.webpubsub.azure.com' }, s);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/restarted func-chat so every instance loads the written webpubsub_extension key/);
      expect(run.stdout).toMatch(/answered 401: the host does not accept the webpubsub_extension system key \(yet\)/);
      expect(run.stdout).toMatch(/the Web PubSub webhook of func-chat answers the service's validation for wps-chat\.webpubsub\.azure\.com/);
      expect(`${run.stdout}${run.stderr}`).not.toContain('the-written-key');
      const order = s.requests.map((r) => r.split(' ').slice(0, 2).join(' '));
      expect(order.indexOf(`POST ${SITE_ID}/restart`)).toBeLessThan(order.indexOf(`POST ${SITE_ID}/host/default/listkeys`));
      expect(order.filter((r) => r === 'OPTIONS /runtime/webhooks/webpubsub?code=***')).toHaveLength(5);
    });
  });

  test('a webhook that allows another origin fails with what to fix', async () => {
    await withStandIn({ allowedOrigin: 'other.webpubsub.azure.com' }, async (s) => {
      const run = await runBin(['activate-webhook', '--timeout', '5'], { CDKTF_AZURE_WEBPUBSUB_APP_ID: SITE_ID, CDKTF_AZURE_WEBPUBSUB_ORIGINS: 'wps-chat.webpubsub.azure.com' }, s);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/allows events from other\.webpubsub\.azure\.com, not from wps-chat\.webpubsub\.azure\.com/);
      expect(run.stderr).toMatch(/did not answer the service's validation within 5 s/);
    });
  });

  test('without packaged code (CDKTF_AZURE_WEBPUBSUB_PROBE=false): restarts only, no key read, no webhook request', async () => {
    await withStandIn({}, async (s) => {
      const run = await runBin(['activate-webhook'], { CDKTF_AZURE_WEBPUBSUB_APP_ID: SITE_ID, CDKTF_AZURE_WEBPUBSUB_PROBE: 'false' }, s);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/not waiting for its webhook/);
      expect(s.requests.some((r) => r.startsWith(`POST ${SITE_ID}/restart`))).toBe(true);
      expect(s.requests.some((r) => r.includes('listkeys') || r.startsWith('OPTIONS'))).toBe(false);
    });
  });

  test('the serviceUri the app was given names the service\'s ARM host, case aside: the step goes on', async () => {
    await withStandIn({}, async (s) => {
      const env = { CDKTF_AZURE_WEBPUBSUB_APP_ID: SITE_ID, CDKTF_AZURE_WEBPUBSUB_ORIGINS: 'WPS-Chat.webpubsub.azure.com', CDKTF_AZURE_WEBPUBSUB_SERVICE_URIS: 'https://wps-chat.webpubsub.azure.com' };
      const run = await runBin(['activate-webhook'], { ...env, CDKTF_AZURE_WEBPUBSUB_PROBE: 'false' }, s);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    });
  });

  test('a serviceUri that names another host (a sovereign cloud without hostnameSource) stops the step before anything is sent, saying what to set', async () => {
    await withStandIn({}, async (s) => {
      const env = { CDKTF_AZURE_WEBPUBSUB_APP_ID: SITE_ID, CDKTF_AZURE_WEBPUBSUB_ORIGINS: 'wps-chat.webpubsub.sovereign.example', CDKTF_AZURE_WEBPUBSUB_SERVICE_URIS: 'https://wps-chat.webpubsub.azure.com' };
      const run = await runBin(['activate-webhook'], env, s);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /^error: the app func-chat was given "https:\/\/wps-chat\.webpubsub\.azure\.com" as the Web PubSub service's URI \(its <prefix>__serviceUri setting\), but ARM names the service's host wps-chat\.webpubsub\.sovereign\.example: .*set `hostnameSource: WebPubSubHostnameSource\.dnsSuffix\('webpubsub\.sovereign\.example'\)`/,
      );
      expect(s.requests).toEqual([]);
    });
  });

  test('a malformed app id is refused naming the input', async () => {
    await withStandIn({}, async (s) => {
      const run = await runBin(['activate-webhook'], { CDKTF_AZURE_WEBPUBSUB_APP_ID: 'func-chat' }, s);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('error: --app-id (or CDKTF_AZURE_WEBPUBSUB_APP_ID) must be a Function App resource id (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Web/sites/<name>), got "func-chat"\n');
    });
  });
});

/** The targets the constructs write for a hub `chat` served by HTTP functions (lib/common/webhook-targets.ts). */
const HTTP_TARGET = { kind: 'httpFunction', path: '/api/webpubsub/chat/validate', keyType: 'functionKeys', keyName: 'webpubsub_upstream', hubs: ['chat'] };
const activateEnv = (extra: Record<string, string | undefined> = {}) => ({
  CDKTF_AZURE_WEBPUBSUB_APP_ID: SITE_ID,
  CDKTF_AZURE_WEBPUBSUB_ORIGINS: 'wps-chat.webpubsub.azure.com',
  ...extra,
});
const optionsTo = (s: AppServiceStandIn, path: string) => s.requests.filter((r) => r.startsWith(`OPTIONS ${path}?code=***`)).length;

describe('activate-webhook on a Flex Consumption HTTP-group instance (stand-in, azure-functions-host#11493)', () => {
  test('the extension webhook (no trigger listener: 400) fails fast with the #11493 diagnosis, well before the timeout', async () => {
    await withStandIn({ appHost: 'flexHttpGroup' }, async (s) => {
      // At pace 0.002 the ~30 s span is 60 ms; the 300 s timeout is real: waiting it out would hit the spawn timeout.
      const run = await runBin(['activate-webhook', '--timeout', '300'], activateEnv({ CDKTF_AZURE_WEBPUBSUB_HOSTING: 'FlexConsumption' }), s);
      expect(run.killed).toBe(false);
      expect(run.code).toBe(1);
      expect(run.ms).toBeLessThan(30_000);
      expect(run.stderr).toMatch(/^error: the Web PubSub trigger webhook \/runtime\/webhooks\/webpubsub of func-chat answered 400 \d+ times in a row over \d+ s: /);
      expect(run.stderr).toContain('does not serve the Web PubSub trigger webhook from the instances that receive HTTP traffic (Azure/azure-functions-host#11493)');
      expect(run.stderr).toContain("registerWebPubSubHandlers from 'cdktf-azure-webpubsub/runtime' (README, \"Which handler style on which plan\")");
      expect(run.stderr).toMatch(/Elastic Premium or Dedicated plan, where Web PubSub triggers work/);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(optionsTo(s, '/runtime/webhooks/webpubsub')).toBeGreaterThanOrEqual(4);
      expect(`${run.stdout}${run.stderr}`).not.toContain('the-written-key');
    });
  });

  test('the hosting kind defaults to what ARM says (a site with functionAppConfig is Flex)', async () => {
    await withStandIn({ appHost: 'flexHttpGroup' }, async (s) => {
      const run = await runBin(['activate-webhook', '--timeout', '300'], activateEnv(), s);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Azure/azure-functions-host#11493');
    });
  });

  test('the hosting kind defaults to what ARM says (a site without functionAppConfig is not Flex: no #11493 diagnosis)', async () => {
    await withStandIn({ webhookAnswers: [404], flexSite: false }, async (s) => {
      const run = await runBin(['activate-webhook', '--timeout', '300'], activateEnv(), s);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/no Web PubSub trigger is loaded on the app/);
      expect(run.stderr).not.toContain('11493');
    });
  });

  test('on another plan, an extension webhook that keeps answering 404 says no trigger is loaded', async () => {
    await withStandIn({ webhookAnswers: [404] }, async (s) => {
      const run = await runBin(['activate-webhook', '--timeout', '300', '--hosting', 'ElasticPremium'], activateEnv(), s);
      expect(run.code).toBe(1);
      expect(run.ms).toBeLessThan(30_000);
      expect(run.stderr).toMatch(/answered 404 \d+ times in a row over \d+ s: no Web PubSub trigger is loaded on the app: was the code with the webPubSubTrigger functions deployed, and did the host start\?/);
      expect(run.stderr).not.toContain('11493');
    });
  });

  test('an HTTP-function target with the webpubsub_upstream app key passes (mixed-case service host, lower-cased allowed origin)', async () => {
    await withStandIn({ appHost: 'flexHttpGroup', httpFunctionPaths: [HTTP_TARGET.path], httpFunctionOrigins: ['wps-chat.webpubsub.azure.com'] }, async (s) => {
      const run = await runBin(
        ['activate-webhook', '--webhooks', JSON.stringify([HTTP_TARGET])],
        activateEnv({ CDKTF_AZURE_WEBPUBSUB_ORIGINS: 'WPS-Chat.webpubsub.azure.com', CDKTF_AZURE_WEBPUBSUB_HOSTING: 'FlexConsumption' }),
        s,
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/restarted func-chat so every instance loads the written webpubsub_upstream key\n/);
      expect(run.stdout).toMatch(/the Web PubSub upstream \/api\/webpubsub\/chat\/validate of func-chat answers the service's validation for WPS-Chat\.webpubsub\.azure\.com/);
      expect(optionsTo(s, HTTP_TARGET.path)).toBe(3);
      expect(optionsTo(s, '/runtime/webhooks/webpubsub')).toBe(0);
      expect(`${run.stdout}${run.stderr}`).not.toMatch(/the-upstream-key|the-written-key/);
    });
  });

  test('targets from CDKTF_AZURE_WEBPUBSUB_WEBHOOKS; 401 while the new key is not honoured yet, then success', async () => {
    await withStandIn(
      { appHost: 'flexHttpGroup', httpFunctionPaths: [HTTP_TARGET.path], httpFunctionOrigins: ['wps-chat.webpubsub.azure.com'], httpFunctionAnswers: [401, 401, 401, 401, 401, 200] },
      async (s) => {
        const run = await runBin(['activate-webhook'], activateEnv({ CDKTF_AZURE_WEBPUBSUB_WEBHOOKS: JSON.stringify([HTTP_TARGET]), CDKTF_AZURE_WEBPUBSUB_HOSTING: 'FlexConsumption' }), s);
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(/… \/api\/webpubsub\/chat\/validate: answered 401: the host does not accept the webpubsub_upstream app key \(yet\)/);
        expect(optionsTo(s, HTTP_TARGET.path)).toBe(8);
      },
    );
  });

  test('401 from the extension webhook never ends the wait early, also on Flex (a new key takes up to a minute everywhere)', async () => {
    await withStandIn({ webhookAnswers: [...Array(10).fill(401), 200] }, async (s) => {
      const run = await runBin(['activate-webhook', '--hosting', 'FlexConsumption'], activateEnv(), s);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(optionsTo(s, '/runtime/webhooks/webpubsub')).toBe(13);
    });
  });

  test('an HTTP function that is not indexed (404) is waited for until the timeout, then named with what to check', async () => {
    // 10 s rather than less: the first token comes from the stand-in az CLI (a Node process), which on a loaded machine
    // can take seconds; the deadline covers that too, and the assertion needs the 404 to have been seen.
    await withStandIn({ appHost: 'flexHttpGroup' }, async (s) => {
      const run = await runBin(['activate-webhook', '--timeout', '10', '--webhooks', JSON.stringify([HTTP_TARGET])], activateEnv(), s);
      expect(run.code).toBe(1);
      expect(run.ms).toBeGreaterThanOrEqual(10_000);
      expect(run.stderr).toMatch(
        /^error: the Web PubSub upstream \/api\/webpubsub\/chat\/validate of func-chat did not answer the service's validation within 10 s \(last: \/api\/webpubsub\/chat\/validate: answered 404: route not found: is an HTTP function registered with the route webpubsub\/chat\/validate .* and authLevel function/,
      );
    });
  });

  test('a failed restart is a warning: the step goes on to the probe; the restart is asynchronous', async () => {
    await withStandIn({ restartAnswers: [403] }, async (s) => {
      const run = await runBin(['activate-webhook'], activateEnv(), s);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/warning: restarting func-chat failed \(403: .* needs Microsoft\.Web\/sites\/restart\/action/);
      expect(run.stdout).toMatch(/the Web PubSub webhook of func-chat answers the service's validation/);
      expect(s.restartQueries).toHaveLength(1);
      expect(s.restartQueries[0]).toContain('softRestart=false');
      expect(s.restartQueries[0]).not.toContain('synchronous');
    });
  });

  test('a restart that keeps answering 409 is retried a few times, then only warns', async () => {
    await withStandIn({ restartAnswers: [409] }, async (s) => {
      const run = await runBin(['activate-webhook'], activateEnv(), s);
      expect(run.code).toBe(0);
      expect(s.restartQueries).toHaveLength(3);
      expect(run.stdout).toMatch(/warning: restarting func-chat failed \(409: /);
    });
  });

  test('a host name from ARM that is not a host name is refused before any URL with a key is built', async () => {
    await withStandIn({ defaultHostName: 'evil.example/steal?x=' }, async (s) => {
      const run = await runBin(['activate-webhook'], activateEnv(), s);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('error: ARM returned the app func-chat with a defaultHostName that is not a host name: "evil.example/steal?x="\n');
      expect(s.requests.filter((r) => r.startsWith('OPTIONS'))).toEqual([]);
      expect(`${run.stdout}${run.stderr}`).not.toContain('the-written-key');
    });
  });

  test('malformed --webhooks or --hosting inputs are refused naming the input', async () => {
    await withStandIn({}, async (s) => {
      const bad = await runBin(['activate-webhook'], activateEnv({ CDKTF_AZURE_WEBPUBSUB_WEBHOOKS: '[{"kind":"queue"}]' }), s);
      expect(bad.stderr).toBe('error: --webhooks (or CDKTF_AZURE_WEBPUBSUB_WEBHOOKS)[0].kind must be "extensionWebhook" or "httpFunction"\n');
      const hosting = await runBin(['activate-webhook', '--hosting', 'Consumption'], activateEnv(), s);
      expect(hosting.stderr).toBe('error: --hosting (or CDKTF_AZURE_WEBPUBSUB_HOSTING) must be one of FlexConsumption, ElasticPremium, Dedicated, got "Consumption"\n');
    });
  });
});

describe('NotServedStreak (when 404/400 from the extension webhook is a verdict)', () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  test('several consecutive 404/400 answers spanning the span conclude', () => {
    const c = clock();
    const streak = new NotServedStreak(30_000, c.now);
    expect([0, 3_000, 6_000, 12_000].map((ms) => (c.advance(ms), streak.record(ms % 2 ? 400 : 404)))).toEqual([false, false, false, false]);
    c.advance(15_000);
    expect(streak.record(400)).toBe(true);
    expect(streak.describe()).toBe('answered 400 and 404 5 times in a row over 36 s');
  });

  test('never on elapsed time alone: two answers a minute apart do not conclude', () => {
    const c = clock();
    const streak = new NotServedStreak(30_000, c.now);
    streak.record(404);
    c.advance(60_000);
    expect(streak.record(404)).toBe(false);
  });

  test('never on the count alone: many answers within a few seconds do not conclude', () => {
    const c = clock();
    const streak = new NotServedStreak(30_000, c.now);
    const results = Array.from({ length: 10 }, () => (c.advance(1_000), streak.record(404)));
    expect(results.every((r) => r === false)).toBe(true);
  });

  test('any other answer (401/403 while a key propagates, 200, 503, no answer) starts the run again', () => {
    for (const other of [401, 403, 200, 503, undefined]) {
      const c = clock();
      const streak = new NotServedStreak(30_000, c.now);
      for (let i = 0; i < 3; i++) (streak.record(404), c.advance(15_000));
      streak.record(other);
      expect([other, streak.record(404)]).toEqual([other, false]);
      c.advance(15_000);
      expect(streak.record(404)).toBe(false);
    }
  });
});

describe('await-blob-access (Premium: before the package upload)', () => {
  test('403 while the deployer\'s new role propagates, then access: the step succeeds', async () => {
    await withStandIn({ containerAnswers: [403, 403, 200] }, async (s) => {
      const run = await runBin(['await-blob-access'], { CDKTF_AZURE_WEBPUBSUB_CONTAINER_URL: `${s.origin}/app-package` }, s);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/403 \(the role assignment has not taken effect yet\)/);
      expect(run.stdout).toMatch(/can use 127\.0\.0\.1:\d+\/app-package/);
    });
  });

  test('still 403 at the timeout: says which role is missing', async () => {
    // 12 s rather than less: the first token comes from the stand-in az CLI (a Node process), which on a loaded CI
    // machine can take seconds; the deadline covers that too, and the assertion needs the 403 to have been seen.
    await withStandIn({ containerAnswers: [403] }, async (s) => {
      const run = await runBin(['await-blob-access', '--timeout', '12'], { CDKTF_AZURE_WEBPUBSUB_CONTAINER_URL: `${s.origin}/app-package` }, s);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/still cannot use .* after 12 s \(last answer: 403\): it needs Storage Blob Data Contributor on the account/);
    });
  });
});
