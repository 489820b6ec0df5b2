/**
 * The checks of lib/cli/verify/checks/ on their own: each takes one context, so a test builds that context by hand
 * (no ARM, no app, no network) and sees exactly the lines the check reports. The end-to-end behaviour, with the real
 * SDK clients against stand-ins, is verify.test.ts's.
 */
import type { WebPubSubManagementClient, WebPubSubResource } from '@azure/arm-webpubsub';
import type { TokenCredential } from '@azure/identity';
import type { ManifestEventHandler, ManifestService } from '../../../lib/common/manifest-schema';
import type { CheckStatus, DeployedTarget, HandlerUnderCheck, LiveServiceContext, VerifyContext } from '../../../lib/cli/verify/context';
import { checkHandlerEvents } from '../../../lib/cli/verify/checks/handler-events';
import { checkHandlerUrl } from '../../../lib/cli/verify/checks/handler-url';
import { checkHubHandlerCount } from '../../../lib/cli/verify/checks/hub-handler-count';
import { checkLocalAuth } from '../../../lib/cli/verify/checks/local-auth';
import { checkNegotiate } from '../../../lib/cli/verify/checks/negotiate';

const APP = 'stack/app';
const APP_HOST = 'app.azurewebsites.net';

interface Recorded {
  /** What the check reported, in order. */
  readonly lines: Array<[string, CheckStatus, string]>;
}

function context(overrides: { service?: Partial<ManifestService>; target?: Partial<DeployedTarget>; fetch?: typeof fetch } = {}): VerifyContext & Recorded {
  const lines: Recorded['lines'] = [];
  const service: ManifestService = { path: 'stack/wps', resourceId: { value: '' }, hostname: { value: '' }, localAuthEnabled: false, hubs: [], ...overrides.service };
  return {
    lines,
    options: {},
    target: {
      manifest: { version: 2, stack: 'stack', services: [service], functionApps: [] } as unknown as DeployedTarget['manifest'],
      service,
      appHosts: new Map([[APP, APP_HOST]]),
      appHostProblems: new Map(),
      negotiate: {},
      ...overrides.target,
    },
    timeoutMs: 1000,
    credential: {} as TokenCredential,
    armEndpoint: 'https://management.azure.com',
    fetch: overrides.fetch ?? (() => Promise.reject(new Error('no network in this test'))),
    serviceLabel: 'Web PubSub wps',
    report: (name, status, message) => lines.push([name, status, message]),
    progress: () => undefined,
  };
}

function live(ctx: VerifyContext, resource: Partial<WebPubSubResource> = {}): LiveServiceContext {
  return { ...ctx, arm: {} as WebPubSubManagementClient, live: { location: 'westeurope', hostName: 'wps.webpubsub.azure.com', ...resource } };
}

const declaredHandler: ManifestEventHandler = {
  kind: 'httpFunction',
  functionApp: APP,
  urlPath: '/api/{hub}/events',
  systemEvents: ['connect', 'disconnected'],
  userEventPattern: '*',
};

function handler(urlTemplate: string, liveEvents: Partial<HandlerUnderCheck['live']> = {}): HandlerUnderCheck {
  return { name: 'hub chat handler 1', hubName: 'chat', declared: declaredHandler, live: { urlTemplate, systemEvents: ['Disconnected', 'connect'], userEventPattern: '*', ...liveEvents } };
}

describe('verify checks, each with a hand-built context', () => {
  test('local auth: drift from the declared setting fails with what to run', () => {
    const ctx = context();
    checkLocalAuth(live(ctx, { disableLocalAuth: false }));
    expect(ctx.lines).toEqual([['local auth disabled', 'fail', expect.stringContaining('the service accepts access keys (disableLocalAuth is not true)')]]);
  });

  test('local auth: an imported service is described, not failed', () => {
    const ctx = context({ service: { localAuthEnabled: null } });
    checkLocalAuth(live(ctx, { disableLocalAuth: true }));
    expect(ctx.lines).toEqual([['local auth (not managed by this stack)', 'pass', 'access keys are rejected; only Entra ID tokens work']]);
  });

  test('handler count: only a difference is reported', () => {
    const ctx = context();
    const declared = { path: 'stack/wps/chat', name: { value: 'chat' }, eventHandlers: [declaredHandler] };
    checkHubHandlerCount(live(ctx), { name: 'chat', declared, handlers: [handler('https://x/').live] });
    expect(ctx.lines).toEqual([]);
    checkHubHandlerCount(live(ctx), { name: 'chat', declared, handlers: [] });
    expect(ctx.lines).toEqual([['hub chat event handlers', 'fail', expect.stringMatching(/^the service has 0 event handler\(s\), the code declares 1: /)]]);
  });

  test('handler events: system events compare as a set, ignoring case', () => {
    const ctx = context();
    checkHandlerEvents(live(ctx), handler('https://x/'));
    expect(ctx.lines).toEqual([['hub chat handler 1 events', 'pass', 'system [Disconnected, connect], user "*"']]);

    // A set, not a subset either way: an event missing on the service, or one the code does not handle, is drift.
    for (const systemEvents of [['connect'], ['connect', 'disconnected', 'connected']]) {
      const drift = context();
      checkHandlerEvents(live(drift), handler('https://x/', { systemEvents }));
      expect(drift.lines).toEqual([['hub chat handler 1 events', 'fail', expect.stringContaining(`system events are [${systemEvents.join(', ')}], the code handles [connect, disconnected]`)]]);
    }
  });

  test("handler URL: the app's route with a key passes and is handed on; without a key it fails and nothing is probed", () => {
    const ctx = context();
    const checked = checkHandlerUrl(live(ctx), handler(`https://${APP_HOST}/api/{hub}/events?code=secret`));
    expect(checked).toMatchObject({ extension: false, keyName: 'the webpubsub_upstream app key' });
    expect(checked?.url.toString()).toBe(`https://${APP_HOST}/api/chat/events?code=secret`);
    expect(ctx.lines).toEqual([['hub chat handler 1 URL', 'pass', `https://${APP_HOST}/api/chat/events?code=secret`]]);

    const keyless = context();
    expect(checkHandlerUrl(live(keyless), handler(`https://${APP_HOST}/api/{hub}/events`))).toBeUndefined();
    expect(keyless.lines).toEqual([['hub chat handler 1 URL', 'fail', expect.stringContaining('the handler URL has no `code` query parameter')]]);
  });

  test('handler URL: a development tunnel handler passes at tunnel:///<path> and is never probed; anything else fails', () => {
    const tunnel = (urlTemplate: string): HandlerUnderCheck => ({ ...handler(urlTemplate), declared: { ...declaredHandler, urlPath: '/api/webpubsub/chat/{event}', tunnel: true } });
    const ctx = context();
    expect(checkHandlerUrl(live(ctx), tunnel('tunnel:///api/webpubsub/chat/{event}'))).toBeUndefined();
    expect(ctx.lines).toEqual([['hub chat handler 1 URL', 'pass', expect.stringContaining('a development tunnel, events reach only a machine running `dev` (not probed)')]]);

    const drifted = context();
    expect(checkHandlerUrl(live(drifted), tunnel(`https://${APP_HOST}/api/webpubsub/chat/{event}?code=k`))).toBeUndefined();
    expect(drifted.lines).toEqual([['hub chat handler 1 URL', 'fail', expect.stringContaining('not the development tunnel tunnel:///api/webpubsub/chat/{event}')]]);
    expect(drifted.lines[0][2]).not.toContain('code=');
  });

  test('negotiate: a failure says why the client checks cannot run', async () => {
    const ctx = context({
      target: { negotiate: { url: new URL(`https://${APP_HOST}/api/negotiate`), userIdParameter: 'userid', source: 'test' } },
      fetch: () => Promise.resolve(new Response('nope', { status: 404 })),
    });
    await expect(checkNegotiate(ctx)).resolves.toEqual({ notRun: 'negotiate failed' });
    expect(ctx.lines).toEqual([['negotiate returns a client URL', 'fail', expect.stringContaining('negotiate answered 404: no function at /api/negotiate')]]);

    const none = context();
    await expect(checkNegotiate(none)).resolves.toEqual({ notRun: 'no client URL' });
  });
});
