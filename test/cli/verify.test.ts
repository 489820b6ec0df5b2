/**
 * `verify` against LOCAL STAND-INS — nothing here talks to Azure:
 *  - an HTTPS stand-in for ARM (test/cli/stand-ins/arm-stand-in.ts) that the real `@azure/arm-webpubsub` client reads;
 *  - an HTTP + WebSocket stand-in for the deployed Function App and the Web PubSub data plane
 *    (test/cli/stand-ins/web-pubsub-stand-in.ts) that the real `@azure/web-pubsub-client` connects to;
 *  - a stand-in TokenCredential, and a fetch that routes the example's app host name to the local stand-in.
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { VerifyDeps, VerifyReport, WEB_PUBSUB_SERVICE_OWNER_ROLE_ID, isSameOrParentScope, redactCode, verify } from '../../lib/cli/verify';
import type { WebPubSubManifest } from '../../lib/cli/deployment-inputs';
import { ArmStandIn, ArmStandInState, STAND_IN_TOKEN, startArmStandIn } from './stand-ins/arm-stand-in';
import { createTestCertificate, TestCertificate } from './stand-ins/tls';
import { DataPlaneStandIn, startDataPlaneStandIn } from './stand-ins/web-pubsub-stand-in';

const SUBSCRIPTION = '00000000-0000-0000-0000-00000000aaaa';
const APP_HOST = 'chat-func.stand-in.test';
const SERVICE_HOST = 'chat-wps.webpubsub.stand-in.test';
const PRINCIPAL = '11111111-2222-3333-4444-555555555555';
const KEY = 'stand-in-extension-key';

const manifest: WebPubSubManifest = {
  version: 1,
  stack: 'chat',
  services: [
    {
      path: 'chat/Chat/Service',
      localAuthEnabled: false,
      hubs: [
        {
          name: 'chat',
          eventHandlers: [
            {
              kind: 'functionsExtension',
              functionApp: 'chat/Chat/FunctionApp',
              urlPath: '/runtime/webhooks/webpubsub',
              systemEvents: ['connect', 'connected', 'disconnected'],
              userEventPattern: '*',
            },
          ],
        },
      ],
    },
  ],
  functionApps: [{ path: 'chat/Chat/FunctionApp', connectionPrefixes: ['WebPubSubConnectionString'], defaultHubName: 'chat' }],
};

/** A stand-in TokenCredential: always the same fake token, which the ARM stand-in accepts. */
const standInCredential: TokenCredential = {
  getToken: async () => ({ token: STAND_IN_TOKEN, expiresOnTimestamp: Date.now() + 3600_000 }),
};

function freshArmState(): ArmStandInState {
  return {
    subscriptionId: SUBSCRIPTION,
    resourceGroup: 'rg-chat',
    serviceName: 'chat-wps',
    hostName: SERVICE_HOST,
    disableLocalAuth: true,
    hubs: {
      chat: [
        {
          urlTemplate: `https://${APP_HOST}/runtime/webhooks/webpubsub?code=${KEY}`,
          userEventPattern: '*',
          systemEvents: ['connect', 'connected', 'disconnected'],
        },
      ],
    },
    roleAssignments: [
      {
        scope: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-chat/providers/Microsoft.SignalRService/WebPubSub/chat-wps`,
        roleDefinitionId: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${WEB_PUBSUB_SERVICE_OWNER_ROLE_ID}`,
        principalId: PRINCIPAL,
      },
    ],
    forbidden: false,
  };
}

let tls: TestCertificate;
let arm: ArmStandIn;
let dataPlane: DataPlaneStandIn;
let workDir: string;

beforeAll(async () => {
  tls = createTestCertificate();
  arm = await startArmStandIn(tls, freshArmState());
  dataPlane = await startDataPlaneStandIn({ webhookKey: KEY });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-test-'));
  const stackDir = path.join(workDir, 'cdktf.out', 'stacks', 'chat');
  fs.mkdirSync(stackDir, { recursive: true });
  fs.writeFileSync(path.join(stackDir, 'webpubsub-manifest.json'), JSON.stringify(manifest));
  fs.writeFileSync(
    path.join(workDir, 'outputs.json'),
    JSON.stringify({
      chat: {
        resource_group_name: 'rg-chat',
        subscription_id: SUBSCRIPTION,
        web_pubsub_name: 'chat-wps',
        web_pubsub_hostname: SERVICE_HOST,
        function_app_name: 'chat-func',
        function_app_hostname: APP_HOST,
        function_app_principal_id: PRINCIPAL,
        negotiate_url: `https://${APP_HOST}/api/negotiate`,
        chat_page_url: `https://${APP_HOST}/api/index`,
      },
    }),
  );
});

afterAll(async () => {
  await Promise.all([arm?.close(), dataPlane?.close()]);
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

beforeEach(() => {
  Object.assign(arm.state, freshArmState());
  arm.requests.length = 0;
  Object.assign(dataPlane.state, { negotiateStatus: 200, handlerAnswers: true, webhookKey: KEY });
});

interface Run {
  readonly report: VerifyReport;
  readonly lines: string[];
  readonly progress: string[];
}

async function run(timeoutMs = 5000): Promise<Run> {
  const lines: string[] = [];
  const progress: string[] = [];
  const agent = new https.Agent({ ca: tls.cert });
  // Stand-in DNS: the app's https host name is served by the local plain-HTTP stand-in.
  const standInFetch: typeof fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input).replace(`https://${APP_HOST}`, dataPlane.baseUrl);
    return fetch(url, init);
  };
  const deps: VerifyDeps = {
    credential: standInCredential,
    armEndpoint: arm.endpoint,
    armAgent: agent,
    fetch: standInFetch,
    log: (line) => lines.push(line),
    progress: (line) => progress.push(line),
  };
  try {
    const report = await verify({ cwd: workDir, timeoutMs }, deps);
    return { report, lines, progress };
  } finally {
    agent.destroy();
  }
}

function line(r: Run, startsWith: string): string {
  const found = r.lines.find((l) => l.startsWith(startsWith));
  if (!found) throw new Error(`no line starting with ${JSON.stringify(startsWith)} in:\n${r.lines.join('\n')}`);
  return found;
}

describe('verify against the ARM and data-plane stand-ins', () => {
  test('stand-ins: a correct deployment passes every check, one line each, with progress', async () => {
    const r = await run();
    expect(r.lines.filter((l) => l.startsWith('✘') || l.startsWith('–'))).toEqual([]);
    expect(r.report.ok).toBe(true);
    expect(r.report.checks.map((c) => c.name)).toEqual([
      'read the service from ARM',
      'local auth disabled',
      'hub chat exists',
      'hub chat handler 1 events',
      'hub chat handler 1 URL',
      'hub chat handler 1 webhook answers',
      'app identity holds Web PubSub Service Owner',
      'negotiate returns a client URL',
      'round trip: send a message, receive the ack',
    ]);
    expect(line(r, '✔ round trip')).toContain('ack received, broadcast received');
    // The key never reaches the output.
    expect(r.lines.join('\n')).not.toContain(KEY);
    expect(line(r, '✔ hub chat handler 1 URL')).toContain('code=***');
    expect(r.progress.some((p) => p.startsWith('… reading Web PubSub chat-wps'))).toBe(true);
    // The real SDK made the calls the stand-in serves.
    expect(arm.requests.map((r) => r.toLowerCase())).toEqual(
      expect.arrayContaining(
        [
          `GET ${arm.serviceId()}`,
          `GET ${arm.serviceId()}/hubs/chat`,
          `GET ${arm.serviceId()}/providers/Microsoft.Authorization/roleAssignments`,
        ].map((r) => r.toLowerCase()),
      ),
    );
    expect(dataPlane.events.at(-1)).toMatchObject({ event: 'message', data: { text: 'verify' } });
    expect(r.lines.at(-1)).toBe('all 9 checks passed');
  });

  test('stand-in ARM answers 403: says the signed-in principal lacks Reader, skips what depends on it', async () => {
    arm.state.forbidden = true;
    const r = await run();
    expect(r.report.ok).toBe(false);
    expect(line(r, '✘ read the service from ARM')).toMatch(/403.*lacks Reader on resource group rg-chat/);
    expect(line(r, '– local auth disabled')).toContain('not checked');
    expect(line(r, '– hub chat exists')).toContain('not checked');
    // The round trip does not need ARM and still runs.
    expect(line(r, '✔ round trip')).toBeDefined();
  });

  test('stand-in service with local auth enabled fails the local-auth check', async () => {
    arm.state.disableLocalAuth = false;
    const r = await run();
    expect(r.report.ok).toBe(false);
    expect(line(r, '✘ local auth disabled')).toContain('accepts access keys');
  });

  test('stand-in service without the hub: names the hubs that exist', async () => {
    arm.state.hubs = { lobby: arm.state.hubs.chat };
    const r = await run();
    expect(r.report.ok).toBe(false);
    expect(line(r, '✘ hub chat exists')).toMatch(/not on Web PubSub chat-wps \(hubs there: lobby\).*cdktf deploy/);
  });

  test('stand-in hub whose handler URL has an empty code: says the Functions host answers 401', async () => {
    arm.state.hubs.chat[0].urlTemplate = `https://${APP_HOST}/runtime/webhooks/webpubsub?code=`;
    const r = await run();
    expect(r.report.ok).toBe(false);
    expect(line(r, '✘ hub chat handler 1 URL')).toMatch(/empty `code`.*401.*webpubsub_extension/);
  });

  test('stand-in hub whose handler points elsewhere: shows both URLs', async () => {
    arm.state.hubs.chat[0].urlTemplate = `https://old-app.stand-in.test/runtime/webhooks/webpubsub?code=${KEY}`;
    const r = await run();
    expect(r.report.ok).toBe(false);
    expect(line(r, '✘ hub chat handler 1 URL')).toContain(
      `points at https://old-app.stand-in.test/runtime/webhooks/webpubsub, not at the app's Web PubSub webhook https://${APP_HOST}/runtime/webhooks/webpubsub`,
    );
  });

  test('stand-in webhook rejects the key with 401: wrong or missing key', async () => {
    dataPlane.state.webhookKey = 'rotated-key';
    const r = await run();
    expect(r.report.ok).toBe(false);
    expect(line(r, '✘ hub chat handler 1 webhook answers')).toMatch(/401: wrong or missing key/);
  });

  test('stand-in hub whose events differ from the code', async () => {
    arm.state.hubs.chat[0].systemEvents = ['connected'];
    arm.state.hubs.chat[0].userEventPattern = 'message';
    const r = await run();
    expect(r.report.ok).toBe(false);
    expect(line(r, '✘ hub chat handler 1 events')).toContain(
      'system events are [connected], the code handles [connect, connected, disconnected]; user event pattern is "message", the code declares "*"',
    );
  });

  test('stand-in role assignments without Web PubSub Service Owner: prints the az command', async () => {
    arm.state.roleAssignments = [{ ...arm.state.roleAssignments[0], roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7' }];
    const r = await run();
    expect(r.report.ok).toBe(false);
    expect(line(r, '✘ app identity holds Web PubSub Service Owner')).toContain(
      `az role assignment create --assignee-object-id ${PRINCIPAL} --assignee-principal-type ServicePrincipal --role ${WEB_PUBSUB_SERVICE_OWNER_ROLE_ID}`,
    );
  });

  test('stand-in negotiate answers 500: points at the app identity and settings', async () => {
    dataPlane.state.negotiateStatus = 500;
    const r = await run();
    expect(r.report.ok).toBe(false);
    expect(line(r, '✘ negotiate returns a client URL')).toMatch(/500.*Web PubSub Service Owner/);
    expect(line(r, '– round trip')).toContain('negotiate failed');
  });

  test('stand-in handler never answers: no ack within the timeout', async () => {
    dataPlane.state.handlerAnswers = false;
    const started = Date.now();
    const r = await run(800);
    expect(r.report.ok).toBe(false);
    expect(line(r, '✘ round trip')).toMatch(/no ack from the `message` handler within 800 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('verify without a usable Azure sign-in', () => {
  test('stand-in credential that is unavailable: says to run az login', async () => {
    const lines: string[] = [];
    const unavailable: TokenCredential = {
      getToken: async () => {
        const err = new Error('DefaultAzureCredential failed to retrieve a token from the included credentials.');
        err.name = 'CredentialUnavailableError';
        throw err;
      },
    };
    const agent = new https.Agent({ ca: tls.cert });
    try {
      const report = await verify(
        { cwd: workDir, timeoutMs: 2000, negotiateUrl: `${dataPlane.baseUrl}/api/negotiate` },
        { credential: unavailable, armEndpoint: arm.endpoint, armAgent: agent, log: (l) => lines.push(l), progress: () => undefined },
      );
      expect(report.ok).toBe(false);
      expect(lines.find((l) => l.startsWith('✘ read the service from ARM'))).toMatch(/no Azure sign-in available.*az login/);
    } finally {
      agent.destroy();
    }
  });
});

describe('verify helpers', () => {
  test('a role assigned at a parent scope covers the service', () => {
    const id = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.SignalRService/WebPubSub/w';
    expect(isSameOrParentScope('/subscriptions/s/resourceGroups/RG', id)).toBe(true);
    expect(isSameOrParentScope(id, id)).toBe(true);
    expect(isSameOrParentScope('/subscriptions/s/resourceGroups/rg2', id)).toBe(false);
    expect(isSameOrParentScope(`${id}/hubs/chat`, id)).toBe(false);
  });

  test('function keys are never printed', () => {
    expect(redactCode('https://a/runtime/webhooks/webpubsub?code=abc&x=1')).toBe('https://a/runtime/webhooks/webpubsub?code=***&x=1');
  });

  test('a missing manifest is a user error that says to synth', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-empty-'));
    try {
      await expect(verify({ cwd: empty }, { credential: standInCredential, log: () => undefined, progress: () => undefined })).rejects.toThrow(
        /manifest not found.*npm run synth/,
      );
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
