/**
 * `verify` against LOCAL STAND-INS — nothing here talks to Azure:
 *  - an HTTPS stand-in for ARM (test/cli/stand-ins/arm-stand-in.ts) that the real `@azure/arm-webpubsub` client reads;
 *  - an HTTP + WebSocket stand-in for the deployed Function App and the Web PubSub data plane
 *    (test/cli/stand-ins/web-pubsub-stand-in.ts) that the real `@azure/web-pubsub-client` connects to;
 *  - a stand-in TokenCredential, and a fetch that routes the app's host name to the local stand-in.
 * The manifest is the one the constructs write when a user project is synthesized (test/cli/user-project.ts).
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { DeploymentOutputs } from '../../../lib/cli/deployment-inputs';
import {
  MAX_TIMEOUT_MS,
  VerifyDeps,
  VerifyOptions,
  VerifyReport,
  WEB_PUBSUB_SERVICE_OWNER_ROLE_ID,
  isSameOrParentScope,
  redactSecrets,
  verify,
} from '../../../lib/cli/verify/verify';
import { DeploymentManifest, ManifestValue, parseDeploymentManifest } from '../../../lib/common/manifest-schema';
import { ArmStandIn, ArmStandInState, STAND_IN_TOKEN, startArmStandIn } from '../stand-ins/arm-stand-in';
import { startHostileServer } from '../stand-ins/app-service-stand-in';
import { createTestCertificate, TestCertificate } from '../stand-ins/tls';
import { DataPlaneStandIn, startDataPlaneStandIn } from '../stand-ins/web-pubsub-stand-in';
import { cdktfOutputsFile, EXISTING_SERVICE_HOST, EXISTING_SERVICE_ID, synthesizeUserProject, UserProject } from '../user-project';

const SUBSCRIPTION = '00000000-0000-0000-0000-00000000aaaa';
const APP_HOST = 'chat-func.stand-in.test';
const SERVICE_HOST = 'chat-wps.webpubsub.stand-in.test';
const SERVICE_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-chat/providers/Microsoft.SignalRService/webPubSub/chat-wps`;
const PRINCIPAL = '11111111-2222-3333-4444-555555555555';
const KEY = 'stand-in-extension-key';
const UPSTREAM_KEY = 'stand-in-upstream-key';
/**
 * "Web PubSub Service Owner", written out as Microsoft's built-in roles page lists it
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles), not taken from the library's constant.
 */
const WEB_PUBSUB_SERVICE_OWNER_GUID = '12cf5a90-567b-43ae-8102-96cf46c7d9b4';

/** A stand-in TokenCredential: always the same fake token, which the ARM stand-in accepts. */
const standInCredential: TokenCredential = {
  getToken: async () => ({ token: STAND_IN_TOKEN, expiresOnTimestamp: Date.now() + 3600_000 }),
};

let project: UserProject;
let chatManifest: DeploymentManifest;
let tls: TestCertificate;
let arm: ArmStandIn;
let dataPlane: DataPlaneStandIn;

const outputName = (v: ManifestValue): string => {
  if (!('output' in v)) throw new Error('expected an output');
  return v.output.name;
};

function freshArmState(): ArmStandInState {
  // The hub routing as the code declares it (from the synthesized manifest): what a correct deploy produces.
  const handler = chatManifest.services[0].hubs[0].eventHandlers[0];
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
          userEventPattern: handler.userEventPattern ?? undefined,
          systemEvents: [...handler.systemEvents],
        },
      ],
    },
    roleAssignments: [
      {
        scope: SERVICE_ID,
        roleDefinitionId: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${WEB_PUBSUB_SERVICE_OWNER_GUID}`,
        principalId: PRINCIPAL,
      },
    ],
    forbidden: false,
    roleAssignmentsNextLink: undefined,
  };
}

beforeAll(async () => {
  project = synthesizeUserProject();
  chatManifest = parseDeploymentManifest(JSON.parse(fs.readFileSync(path.join(project.dir, 'cdktf.out', 'stacks', 'chat', 'webpubsub-manifest.json'), 'utf8')));
  const [service] = chatManifest.services;
  const [app] = chatManifest.functionApps;
  const existingApp = JSON.parse(fs.readFileSync(path.join(project.dir, 'cdktf.out', 'stacks', 'existing', 'webpubsub-manifest.json'), 'utf8')).functionApps[0];
  const deployed = new Map<string, string>([
    [outputName(service.resourceId), SERVICE_ID],
    [outputName(service.hostname), SERVICE_HOST],
    [outputName(app.resourceId), `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-chat/providers/Microsoft.Web/sites/chat-func`],
    [outputName(app.hostname), APP_HOST],
    [outputName(app.principalId), PRINCIPAL],
    // The serviceUri setting the app was given, as Terraform resolves it: the service's host name (case aside).
    [outputName(app.connections[0].serviceUri!), `https://${SERVICE_HOST.toUpperCase()}`],
    [outputName(existingApp.hostname), APP_HOST],
    [outputName(existingApp.principalId), PRINCIPAL],
  ]);
  fs.writeFileSync(path.join(project.dir, 'outputs.json'), JSON.stringify(cdktfOutputsFile(project.dir, (name) => deployed.get(name))));
  tls = createTestCertificate();
  arm = await startArmStandIn(tls, freshArmState());
  dataPlane = await startDataPlaneStandIn({ webhookKey: KEY });
}, 60_000);

afterAll(async () => {
  await Promise.all([arm?.close(), dataPlane?.close()]);
  project?.remove();
});

beforeEach(() => {
  Object.assign(arm.state, freshArmState());
  arm.requests.length = 0;
  dataPlane.requests.length = 0;
  Object.assign(dataPlane.state, { negotiateStatus: 200, handlerAnswers: true, webhookKey: KEY, upstreamKey: UPSTREAM_KEY, upstreamPaths: [] });
});

/**
 * The chat stack's manifest with the hub's handler switched to an HTTP function (what the constructs declare for a
 * Flex app whose handlers are registered with `registerWebPubSubHandlers`), and the live hub to match.
 */
function useHttpFunctionHandler(urlTemplate = `https://${APP_HOST}/api/webpubsub/{hub}/{event}?code=${UPSTREAM_KEY}`): string {
  const manifest = JSON.parse(JSON.stringify(chatManifest));
  manifest.services[0].hubs[0].eventHandlers[0] = { ...manifest.services[0].hubs[0].eventHandlers[0], kind: 'httpFunction', urlPath: '/api/webpubsub/{hub}/{event}' };
  const manifestFile = path.join(project.dir, 'http-function-manifest.json');
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  arm.state.hubs.chat[0].urlTemplate = urlTemplate;
  dataPlane.state.upstreamPaths = ['/api/webpubsub/chat/validate'];
  return manifestFile;
}

interface Run {
  readonly report: VerifyReport;
  readonly lines: string[];
  readonly progress: string[];
}

async function run(options: VerifyOptions = {}, credential: TokenCredential = standInCredential): Promise<Run> {
  const lines: string[] = [];
  const progress: string[] = [];
  const agent = new https.Agent({ ca: tls.cert });
  // Stand-in DNS: the app's https host name is served by the local plain-HTTP stand-in.
  const standInFetch: typeof fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input).replace(`https://${APP_HOST}`, dataPlane.baseUrl);
    return fetch(url, init);
  };
  const deps: VerifyDeps = {
    credential,
    armEndpoint: arm.endpoint,
    armAgent: agent,
    fetch: standInFetch,
    log: (line) => lines.push(line),
    progress: (line) => progress.push(line),
  };
  try {
    const report = await verify({ cwd: project.dir, stack: 'chat', timeoutMs: 5000, ...options }, deps);
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

describe('verify a synthesized user project against the ARM and data-plane stand-ins', () => {
  test('stand-ins: a correct deployment passes every check, one line each; negotiate comes from the manifest', async () => {
    const r = await run();
    expect(r.lines.filter((l) => l.startsWith('✘') || l.startsWith('–'))).toEqual([]);
    expect(r.report.ok).toBe(true);
    expect(r.report.checks.map((c) => c.name)).toEqual([
      'read the service from ARM',
      'local auth disabled',
      "app's serviceUri names the service's host",
      'hub chat exists',
      'hub chat handler 1 events',
      'hub chat handler 1 URL',
      'hub chat handler 1 webhook answers',
      'app identity holds Web PubSub Service Owner',
      'negotiate returns a client URL',
      'client connects to the service',
    ]);
    // The fixture's negotiate function reads the user id from `{query.userId}`: verify sets that parameter.
    expect(r.progress).toEqual(expect.arrayContaining([expect.stringMatching(/^… GET https:\/\/chat-func\.stand-in\.test\/api\/negotiate\?userId=verify-[0-9a-f]{8} \(function "negotiate" of chat\/Chat\/FunctionApp\)$/)]));
    expect(line(r, '✔ client connects')).toMatch(/connected as verify-[0-9a-f]{8}, connection /);
    // The key never reaches the output.
    expect([...r.lines, ...r.progress].join('\n')).not.toContain(KEY);
    expect(line(r, '✔ hub chat handler 1 URL')).toContain('code=***');
    // Subscription, resource group and name came from the deployed resource id output.
    expect(arm.requests.map((x) => x.toLowerCase())).toEqual(
      expect.arrayContaining([`GET ${SERVICE_ID}`, `GET ${SERVICE_ID}/hubs/chat`, `GET ${SERVICE_ID}/providers/Microsoft.Authorization/roleAssignments`].map((x) => x.toLowerCase())),
    );
    // The default round trip sends no event: any app passes it.
    expect(dataPlane.events).toEqual([]);
    expect(r.lines.at(-1)).toBe('all 10 checks passed');
  });

  test('--event message --expect-reply: the event is accepted and the handler answers (first server message shown)', async () => {
    const r = await run({ event: 'message', expectReply: true });
    expect(r.report.ok).toBe(true);
    // The stand-in handler broadcasts, then replies: both reach the caller as server messages; the first one counts.
    expect(line(r, '✔ round trip: event "message"')).toMatch(/^✔ round trip: event "message": accepted by the service, reply \{"from":"verify-[0-9a-f]{8}","text":"verify"\}$/);
    expect(dataPlane.events.at(-1)).toMatchObject({ event: 'message', data: { text: 'verify' } });
  });

  test('--event with --event-data as text, without waiting for a reply: passes on the service ack', async () => {
    const r = await run({ event: 'ping', eventData: 'hello there' });
    expect(line(r, '✔ round trip: event "ping"')).toBe('✔ round trip: event "ping": accepted by the service');
    expect(dataPlane.events.at(-1)).toMatchObject({ event: 'ping', data: 'hello there' });
  });

  test('stand-in handler never answers: no reply within the timeout', async () => {
    dataPlane.state.handlerAnswers = false;
    const started = Date.now();
    const r = await run({ event: 'message', expectReply: true, timeoutMs: 800 });
    expect(r.report.ok).toBe(false);
    expect(line(r, '✘ round trip: event "message"')).toMatch(/no reply to "message" within 800 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('stand-in ARM answers 403: says the signed-in principal lacks Reader, skips what depends on it', async () => {
    arm.state.forbidden = true;
    const r = await run();
    expect(r.report.ok).toBe(false);
    expect(line(r, '✘ read the service from ARM')).toMatch(/403.*lacks Reader on resource group rg-chat/);
    expect(line(r, '– local auth disabled')).toContain('not checked');
    expect(line(r, '– hub chat exists')).toContain('not checked');
    // The round trip does not need ARM and still runs.
    expect(line(r, '✔ client connects')).toBeDefined();
  });

  test('stand-in service with local auth enabled fails the local-auth check', async () => {
    arm.state.disableLocalAuth = false;
    const r = await run();
    expect(line(r, '✘ local auth disabled')).toContain('accepts access keys');
  });

  test('stand-in service without the hub: names the hubs that exist', async () => {
    arm.state.hubs = { lobby: arm.state.hubs.chat };
    const r = await run();
    expect(line(r, '✘ hub chat exists')).toMatch(/not on Web PubSub chat-wps \(hubs there: lobby\).*`npx cdktf-cli@0\.21 deploy`/);
  });

  test('stand-in hub whose handler URL has an empty code: says the Functions host answers 401', async () => {
    arm.state.hubs.chat[0].urlTemplate = `https://${APP_HOST}/runtime/webhooks/webpubsub?code=`;
    const r = await run();
    expect(line(r, '✘ hub chat handler 1 URL')).toMatch(/empty `code`.*401.*webpubsub_extension/);
  });

  test('stand-in hub whose handler points elsewhere: shows both URLs', async () => {
    arm.state.hubs.chat[0].urlTemplate = `https://old-app.stand-in.test/runtime/webhooks/webpubsub?code=${KEY}`;
    const r = await run();
    expect(line(r, '✘ hub chat handler 1 URL')).toContain(
      `points at https://old-app.stand-in.test/runtime/webhooks/webpubsub, not at the app's Web PubSub webhook https://${APP_HOST}/runtime/webhooks/webpubsub`,
    );
  });

  test('stand-in webhook rejects the key with 401: wrong or missing key', async () => {
    dataPlane.state.webhookKey = 'rotated-key';
    const r = await run();
    expect(line(r, '✘ hub chat handler 1 webhook answers')).toMatch(/401: wrong or missing key/);
  });

  test('an HTTP-function handler: URL from the template, the webpubsub_upstream key, preflight to {event}=validate (mixed-case hosts)', async () => {
    const manifestFile = useHttpFunctionHandler(`https://Chat-Func.Stand-In.test/api/webpubsub/{hub}/{event}?code=${UPSTREAM_KEY}`);
    arm.state.hostName = 'Chat-WPS.webpubsub.stand-in.test';
    const r = await run({ manifestFile });
    expect(r.lines.filter((l) => l.startsWith('✘') || l.startsWith('–'))).toEqual([]);
    expect(line(r, '✔ hub chat handler 1 URL')).toBe('✔ hub chat handler 1 URL: https://chat-func.stand-in.test/api/webpubsub/chat/message?code=***');
    expect(line(r, '✔ hub chat handler 1 webhook answers')).toBe('✔ hub chat handler 1 webhook answers: 200, allowed origin chat-wps.webpubsub.stand-in.test');
    expect(dataPlane.requests).toContain('OPTIONS /api/webpubsub/chat/validate');
    expect([...r.lines, ...r.progress].join('\n')).not.toContain(UPSTREAM_KEY);
  });

  test('an HTTP-function handler whose key is wrong: names the webpubsub_upstream app key', async () => {
    const manifestFile = useHttpFunctionHandler();
    dataPlane.state.upstreamKey = 'rotated-key';
    const r = await run({ manifestFile });
    expect(line(r, '✘ hub chat handler 1 webhook answers')).toMatch(/the function answered 401: wrong or missing key — the `code` in the handler URL is not the webpubsub_upstream app key of the app/);
  });

  test('an HTTP-function handler URL without a code: says the webpubsub_upstream app key belongs there', async () => {
    const manifestFile = useHttpFunctionHandler(`https://${APP_HOST}/api/webpubsub/{hub}/{event}`);
    const r = await run({ manifestFile });
    expect(line(r, '✘ hub chat handler 1 URL')).toContain('has no `code` query parameter, so the Functions host answers 401: redeploy so the webpubsub_upstream app key is written into the URL');
  });

  test('an HTTP-function handler whose route the app does not have: route not found, with what to check', async () => {
    const manifestFile = useHttpFunctionHandler();
    dataPlane.state.upstreamPaths = [];
    const r = await run({ manifestFile });
    expect(line(r, '✘ hub chat handler 1 webhook answers')).toMatch(
      /the function answered 404 at \/api\/webpubsub\/chat\/validate: route not found — is an HTTP function registered with that route and authLevel function \(registerWebPubSubHandlers/,
    );
  });

  test('an HTTP-function handler pointing at another route: shows the expected path from the template', async () => {
    const manifestFile = useHttpFunctionHandler(`https://${APP_HOST}/api/other/{event}?code=${UPSTREAM_KEY}`);
    const r = await run({ manifestFile });
    expect(line(r, '✘ hub chat handler 1 URL')).toContain(`points at https://${APP_HOST}/api/other/message, not at the app's function https://${APP_HOST}/api/webpubsub/chat/message`);
  });

  test('stand-in hub whose events differ from the code', async () => {
    arm.state.hubs.chat[0].systemEvents = ['connected'];
    arm.state.hubs.chat[0].userEventPattern = '*';
    const r = await run();
    expect(line(r, '✘ hub chat handler 1 events')).toContain(
      'system events are [connected], the code handles [connect]; user event pattern is "*", the code declares "message": synthesize and run `npx cdktf-cli@0.21 deploy`',
    );
  });

  test('stand-in role assignments without Web PubSub Service Owner: prints the az command', async () => {
    arm.state.roleAssignments = [{ ...arm.state.roleAssignments[0], roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7' }];
    const r = await run();
    expect(line(r, '✘ app identity holds Web PubSub Service Owner')).toContain(
      `az role assignment create --assignee-object-id ${PRINCIPAL} --assignee-principal-type ServicePrincipal --role ${WEB_PUBSUB_SERVICE_OWNER_GUID}`,
    );
  });

  test('a role-assignment nextLink on the ARM endpoint is followed', async () => {
    const filter = encodeURIComponent(`principalId eq '${PRINCIPAL}'`);
    arm.state.roleAssignmentsNextLink = `${arm.endpoint}${SERVICE_ID}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=${filter}&$skiptoken=page2`;
    const r = await run();
    expect(line(r, '✔ app identity holds Web PubSub Service Owner')).toBeDefined();
    expect(arm.requests.filter((x) => x.toLowerCase().endsWith('/roleassignments'))).toHaveLength(2);
  });

  test('a role-assignment nextLink to another host is not followed: the ARM token never reaches it', async () => {
    const hostile = await startHostileServer(tls);
    try {
      arm.state.roleAssignmentsNextLink = `${hostile.origin}/steal?$skiptoken=page2&token=not-printed`;
      const r = await run();
      expect(line(r, '✘ app identity holds Web PubSub Service Owner')).toBe(
        `✘ app identity holds Web PubSub Service Owner: reading role assignments failed: ARM's nextLink points at ${hostile.origin}/steal, not at ${arm.endpoint}: not followed (the ARM token goes only to the ARM endpoint)`,
      );
      expect(hostile.requests).toEqual([]);
      expect([...r.lines, ...r.progress].join('\n')).not.toContain('not-printed');
    } finally {
      await hostile.close();
    }
  });

  test("the app's serviceUri that names another host than ARM's (a sovereign cloud without hostnameSource) fails, saying what to set", async () => {
    arm.state.hostName = 'chat-wps.webpubsub.sovereign.test';
    const r = await run();
    expect(r.report.ok).toBe(false);
    expect(line(r, "✘ app's serviceUri names the service's host")).toMatch(
      /the app chat\/Chat\/FunctionApp was given "https:\/\/CHAT-WPS\.WEBPUBSUB\.STAND-IN\.TEST" as the Web PubSub service's URI .* but ARM names the service's host chat-wps\.webpubsub\.sovereign\.test: .*dnsSuffix\('webpubsub\.sovereign\.test'\)/,
    );
  });

  test('a malformed Web PubSub hostName from ARM is not used: the read fails (secret masked), no webhook is probed', async () => {
    arm.state.hostName = 'chat-wps.example/x?code=SECRET-IN-HOST';
    const r = await run();
    expect(line(r, '✘ read the service from ARM')).toBe('✘ read the service from ARM: ARM returned Web PubSub chat-wps with a hostName that is not a host name: "chat-wps.example/x?code=***"');
    expect(line(r, '– hub chat exists')).toContain('not checked');
    expect(dataPlane.requests.filter((x) => x.startsWith('OPTIONS'))).toEqual([]);
    expect([...r.lines, ...r.progress].join('\n')).not.toContain('SECRET-IN-HOST');
  });

  test('a malformed app host name (--app-host) is refused before a negotiate URL is built from it', async () => {
    const r = await run({ appHost: 'chat-func.stand-in.test@evil.example' });
    expect(line(r, '✘ negotiate returns a client URL')).toBe(
      '✘ negotiate returns a client URL: the host name of Function App chat/Chat/FunctionApp (--app-host) is not a host name: "chat-func.stand-in.test@evil.example": pass the app\'s default host name',
    );
    expect(line(r, '✘ hub chat handler 1 URL')).toContain('is not a host name');
    expect(dataPlane.requests).toEqual([]);
  });

  test('stand-in negotiate answers 500: points at the app identity and settings', async () => {
    dataPlane.state.negotiateStatus = 500;
    const r = await run();
    expect(line(r, '✘ negotiate returns a client URL')).toMatch(/500.*Web PubSub Service Owner/);
    expect(line(r, '– client connects')).toContain('negotiate failed');
  });

  test('an imported service (stack "existing"): literal id and host name, local auth reported, not failed', async () => {
    Object.assign(arm.state, { subscriptionId: '00000000-0000-0000-0000-00000000bbbb', resourceGroup: 'rg-shared', serviceName: 'wps-shared', hostName: EXISTING_SERVICE_HOST, disableLocalAuth: false });
    arm.state.hubs.chat[0].systemEvents = ['connect'];
    arm.state.hubs.chat[0].userEventPattern = undefined;
    arm.state.roleAssignments[0].scope = EXISTING_SERVICE_ID;
    // A Flex app without packaged code: the hub calls the route registerWebPubSubHandlers gives hub chat by default.
    arm.state.hubs.chat[0].urlTemplate = `https://${APP_HOST}/api/webpubsub/chat/{event}?code=${UPSTREAM_KEY}`;
    dataPlane.state.upstreamPaths = ['/api/webpubsub/chat/validate'];
    const r = await run({ stack: 'existing' });
    expect(line(r, '✔ read the service from ARM')).toContain(`wps-shared (${EXISTING_SERVICE_HOST})`);
    expect(line(r, '✔ local auth (not managed by this stack)')).toContain('access keys are accepted');
    // The app has no packaged code: the conventional negotiate path.
    expect(r.progress.some((p) => p.includes('/api/negotiate?userid=verify-') && p.includes('conventional'))).toBe(true);
    expect(line(r, '✔ hub chat handler 1 URL')).toContain('/api/webpubsub/chat/');
    expect(r.report.ok).toBe(true);
  });

  test('a hub name known only after deploy is read from the outputs', async () => {
    const manifest = JSON.parse(JSON.stringify(chatManifest));
    const hubPath: string = manifest.services[0].hubs[0].path;
    const ref = { stack: 'chat', path: `${hubPath}/DeploymentOutputs/HubName`, name: 'HubName_0' };
    manifest.services[0].hubs[0].name = { output: ref };
    const manifestFile = path.join(project.dir, 'token-hub-manifest.json');
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    const outputs = JSON.parse(fs.readFileSync(path.join(project.dir, 'outputs.json'), 'utf8'));
    // Where `cdktf deploy --outputs-file` puts it: nested by construct id.
    let node = outputs;
    for (const id of hubPath.split('/')) node = node[id] ??= {};
    node.DeploymentOutputs = { HubName: 'chat' };
    const outputsFile = path.join(project.dir, 'token-hub-outputs.json');
    fs.writeFileSync(outputsFile, JSON.stringify(outputs));
    const r = await run({ manifestFile, outputsFile });
    expect(line(r, '✔ hub chat exists')).toBeDefined();
    expect(r.report.ok).toBe(true);
  });

  test('a token request that never returns is bounded by the timeout', async () => {
    const hanging: TokenCredential = { getToken: () => new Promise(() => undefined) };
    const started = Date.now();
    const r = await run({ timeoutMs: 1000 }, hanging);
    expect(Date.now() - started).toBeLessThan(6000);
    expect(line(r, '✘ read the service from ARM')).toMatch(/^✘ read the service from ARM: no Azure access token within 1000 ms/);
    expect(line(r, '✔ client connects')).toBeDefined();
  });

  test('stand-in credential that is unavailable: says to run az login', async () => {
    const unavailable: TokenCredential = {
      getToken: async () => {
        const err = new Error('DefaultAzureCredential failed to retrieve a token from the included credentials.');
        err.name = 'CredentialUnavailableError';
        throw err;
      },
    };
    const r = await run({ timeoutMs: 2000 }, unavailable);
    expect(line(r, '✘ read the service from ARM')).toMatch(/no Azure sign-in available.*az login/);
  });

  test('secrets in URLs are redacted from every printed line: a negotiate URL with a function key', async () => {
    const r = await run({ negotiateUrl: `https://${APP_HOST}/api/negotiate?code=function-key-SECRET` });
    expect(r.report.ok).toBe(true);
    const printed = [...r.lines, ...r.progress].join('\n');
    expect(printed).not.toContain('SECRET');
    expect(r.progress.some((p) => p.includes('/api/negotiate?code=***&userid=verify-'))).toBe(true);
  });

  test('no outputs file: says how to get the deployed values', async () => {
    // The same synth output in a project that was never deployed.
    const undeployed = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-undeployed-'));
    try {
      fs.copyFileSync(path.join(project.dir, 'cdktf.json'), path.join(undeployed, 'cdktf.json'));
      fs.symlinkSync(path.join(project.dir, 'cdktf.out'), path.join(undeployed, 'cdktf.out'), 'dir');
      const r = await run({ cwd: undeployed });
      expect(line(r, '✘ read the service from ARM')).toMatch(/no outputs file: deploy with `npx cdktf-cli@0\.21 deploy chat --outputs-file outputs.json`/);
      expect(line(r, '✘ negotiate returns a client URL')).toMatch(/no host name for Function App chat\/Chat\/FunctionApp: no outputs file/);
    } finally {
      fs.rmSync(undeployed, { recursive: true, force: true });
    }
  });
});

describe('verify inputs', () => {
  const deps: VerifyDeps = { credential: standInCredential, log: () => undefined, progress: () => undefined };

  test('two stacks with a manifest: asks for --stack and lists them', async () => {
    await expect(verify({ cwd: project.dir }, deps)).rejects.toThrow('2 stacks have a Web PubSub manifest (chat, existing): pass --stack <name>');
  });

  test('a manifest of another stack is refused', async () => {
    const other = path.join(project.dir, 'cdktf.out', 'stacks', 'existing', 'webpubsub-manifest.json');
    await expect(verify({ cwd: project.dir, stack: 'chat', manifestFile: other }, deps)).rejects.toThrow(/is the manifest of stack "existing", not "chat"/);
  });

  test('no synth output: says to synthesize the app, not to run this repository\'s script', async () => {
    const err = await verify({ cwd: path.join(project.dir, 'functions', 'src') }, deps).catch((e: Error) => e);
    expect(String(err)).not.toMatch(/npm run synth/);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-empty-'));
    try {
      await expect(verify({ cwd: empty }, deps)).rejects.toThrow(/no Web PubSub manifest under .*: synthesize your app first \(`npx cdktf-cli@0\.21 synth`, or run the program that calls `app\.synth\(\)`\)/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  test('a malformed --negotiate-url is a message, not a stack trace', async () => {
    await expect(verify({ cwd: project.dir, stack: 'chat', negotiateUrl: 'not a url?code=abc' }, deps)).rejects.toThrow(
      '--negotiate-url "not a url?code=***" is not a URL: pass an absolute https:// URL',
    );
  });

  test(`--timeout is capped at ${MAX_TIMEOUT_MS} ms`, async () => {
    await expect(verify({ cwd: project.dir, stack: 'chat', timeoutMs: MAX_TIMEOUT_MS + 1 }, deps)).rejects.toThrow(`must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
  });
});

describe('verify helpers', () => {
  test('the role verify checks is the built-in Web PubSub Service Owner (the GUID Microsoft documents)', () => {
    expect(WEB_PUBSUB_SERVICE_OWNER_ROLE_ID).toBe(WEB_PUBSUB_SERVICE_OWNER_GUID);
  });

  test('a role assigned at a parent scope covers the service', () => {
    const id = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.SignalRService/WebPubSub/w';
    expect(isSameOrParentScope('/subscriptions/s/resourceGroups/RG', id)).toBe(true);
    expect(isSameOrParentScope(id, id)).toBe(true);
    expect(isSameOrParentScope('/subscriptions/s/resourceGroups/rg2', id)).toBe(false);
    expect(isSameOrParentScope(`${id}/hubs/chat`, id)).toBe(false);
  });

  test('function keys, SAS signatures and access tokens are never printed', () => {
    expect(redactSecrets('https://a/runtime/webhooks/webpubsub?code=abc&x=1')).toBe('https://a/runtime/webhooks/webpubsub?code=***&x=1');
    expect(redactSecrets('GET https://b/x?sv=1&sig=abc%3D&token=t1 and wss://c/client/hubs/h?access_token=eyJ.x.y')).toBe(
      'GET https://b/x?sv=1&sig=***&token=*** and wss://c/client/hubs/h?access_token=***',
    );
  });

  test('deployed values from each outputs-file shape: cdktf (nested by construct path), flat per stack, terraform output -json', () => {
    const ref = { stack: 'chat', path: 'chat/Chat/WebPubSub/DeploymentOutputs/Hostname', name: 'Chat_WebPubSub_DeploymentOutputs_Hostname_3F6FAA2D' };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outputs-shapes-'));
    try {
      const shapes = {
        cdktf: { chat: { Chat: { WebPubSub: { DeploymentOutputs: { Hostname: 'a.webpubsub.azure.com' } } } } },
        flat: { chat: { [ref.name]: 'a.webpubsub.azure.com' } },
        terraform: { [ref.name]: { sensitive: false, type: 'string', value: 'a.webpubsub.azure.com' } },
      };
      for (const [shape, content] of Object.entries(shapes)) {
        const file = path.join(dir, `${shape}.json`);
        fs.writeFileSync(file, JSON.stringify(content));
        expect([shape, DeploymentOutputs.read(file, true)!.lookup(ref)]).toEqual([shape, 'a.webpubsub.azure.com']);
      }
      fs.writeFileSync(path.join(dir, 'other.json'), JSON.stringify({ other: {} }));
      expect(DeploymentOutputs.read(path.join(dir, 'other.json'), true)!.lookup(ref)).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
