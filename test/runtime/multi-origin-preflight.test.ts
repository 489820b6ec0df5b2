import { HttpRequest, InvocationContext, input } from '@azure/functions';
import type { WebPubSubContext } from '../../lib/runtime';
import { createWebPubSubDispatcher } from '../../lib/runtime/web-pubsub-handlers';
import { preflightWebhook } from '../../lib/cli/apply/webhook-probe';
import { contextInputForPreflight, triggerWebhookFetch } from '../cli/stand-ins/abuse-protection-stand-in';

// A service with geo-replicas (or a custom domain) validates an upstream with several origins in one
// WebHook-Request-Origin header (azure-webpubsub#598). The library configures one connection per service, by its
// serviceUri (https://<service host>), which every replica shares. What the library's code does with such a request
// is tested here against LOCAL STAND-INS of the extension (test/cli/stand-ins/abuse-protection-stand-in.ts): the HTTP
// path passes the binding's pre-built answer through; the trigger path is answered by the extension itself, and the
// library only probes it (activate-webhook, verify) with the service host.
const SERVICE_URI = 'https://wps-chat.webpubsub.azure.com';
const HOST = 'wps-chat.webpubsub.azure.com';
const OTHER = 'chat.contoso.com';

const ORIGINS: ReadonlyArray<readonly [string, string, boolean]> = [
  ['one origin (no replicas)', HOST, true],
  ['the service host first, then another, ", " as the service joins them', `${HOST}, ${OTHER}`, true],
  ['another host first, no space', `${OTHER},${HOST}`, true],
  // The 1.10.x validator does not trim: " wps-chat..." is not the host. Which order the service sends is what a live
  // run with a replica must show (docs/azure-sources.md, multi-region).
  ['another host first, then the service host after ", "', `${OTHER}, ${HOST}`, false],
];

const contextInput = input.webPubSubContext({ name: 'webPubSubContext', connections: ['WebPubSubConnectionString'] });

async function httpPathAnswer(originHeader: string) {
  const context = new InvocationContext({ functionName: 'webpubsub-chat' });
  context.extraInputs.set(contextInput, contextInputForPreflight(originHeader, [SERVICE_URI]) as unknown as WebPubSubContext);
  const connect = jest.fn();
  const dispatch = createWebPubSubDispatcher<InvocationContext>({ hub: 'chat', connect }, contextInput);
  const request = new HttpRequest({ method: 'OPTIONS', url: 'https://app.example/api/webpubsub/chat/validate', headers: { 'WebHook-Request-Origin': originHeader } });
  const answer = await dispatch(request, context);
  expect(connect).not.toHaveBeenCalled();
  return answer;
}

describe('multi-origin abuse protection: HTTP path (the webPubSubContext input, stand-in)', () => {
  test.each(ORIGINS)('%s: the function answers what the binding decided', async (_case, origin, valid) => {
    const answer = await httpPathAnswer(origin);
    if (valid) expect(answer).toEqual({ status: 200, headers: { 'WebHook-Allowed-Origin': '*' } });
    else expect(answer.status).toBe(400);
  });
});

describe('multi-origin abuse protection: trigger path (the extension webhook, stand-in) and the library\'s probe', () => {
  // The extension answers the trigger path itself (no library code between the service and it), so the origin cases
  // above are not repeated against its stand-in: what the library does there is probe, with the service host.
  test('the probe activate-webhook and verify share (preflightWebhook) passes when the app allows the service host, the one origin with or without replicas', async () => {
    const result = await preflightWebhook(triggerWebhookFetch([SERVICE_URI]), 'https://app.example/runtime/webhooks/webpubsub?code=k', HOST, 1000);
    expect(result).toEqual({ kind: 'ok', status: 200, allowed: HOST });
  });

  test('an allowed-origin answer listing several hosts is read host by host (spaces trimmed)', async () => {
    const answer: typeof fetch = (async () => new Response(null, { status: 200, headers: { 'WebHook-Allowed-Origin': `${OTHER}, ${HOST}` } })) as typeof fetch;
    expect(await preflightWebhook(answer, 'https://app.example/api/webpubsub/chat/validate?code=k', HOST, 1000)).toEqual({ kind: 'ok', status: 200, allowed: `${OTHER}, ${HOST}` });
    const wrong: typeof fetch = (async () => new Response(null, { status: 200, headers: { 'WebHook-Allowed-Origin': OTHER } })) as typeof fetch;
    expect(await preflightWebhook(wrong, 'https://app.example/api/webpubsub/chat/validate?code=k', HOST, 1000)).toEqual({ kind: 'wrongOrigin', status: 200, allowed: OTHER });
  });
});
