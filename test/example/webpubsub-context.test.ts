import { HttpRequest, HttpResponse } from '@azure/functions';
import type { WebPubSubContext } from '../../lib/runtime';
import { webPubSubContextInput } from '../../examples/chat/functions/bindings';
import { webPubSubContextHandler } from '../../examples/chat/functions/handlers/webpubsub-context';
import { connectionContext, invocation } from './helpers';

const SERVICE_HOST = 'wps-example.webpubsub.azure.com';

function upstream(method: 'POST' | 'OPTIONS', event: string): HttpRequest {
  return new HttpRequest({
    method,
    url: `https://app.example/api/webpubsub-context/${event}`,
    params: { event },
    headers: method === 'OPTIONS' ? { 'webhook-request-origin': SERVICE_HOST } : { 'ce-type': `azure.webpubsub.sys.${event}`, 'ce-hub': 'chat' },
  });
}

describe('webpubsub-context (HTTP trigger + webPubSubContext input)', () => {
  test('abuse-protection preflight: returns the response the extension pre-built', async () => {
    // GIVEN the input the extension resolves for an OPTIONS preflight (input binding docs: isPreflight, response)
    const wpsContext: WebPubSubContext = {
      isPreflight: true,
      hasError: false,
      response: { status: 200, headers: { 'WebHook-Allowed-Origin': [SERVICE_HOST] } },
    };
    const { context } = invocation('webpubsub-context', { inputs: [[webPubSubContextInput, wpsContext]] });
    // WHEN
    const response = new HttpResponse(await webPubSubContextHandler(upstream('OPTIONS', 'connected'), context));
    // THEN
    expect(response.status).toBe(200);
    expect(response.headers.get('webhook-allowed-origin')).toBe(SERVICE_HOST);
    expect(await response.text()).toBe('');
  });

  test('an invalid upstream request: returns the pre-built error response and logs the reason', async () => {
    const wpsContext: WebPubSubContext = {
      isPreflight: false,
      hasError: true,
      errorMessage: 'Signature validation failed.',
      response: { status: 401, body: 'Signature validation failed.' },
    };
    const { context, logs } = invocation('webpubsub-context', { inputs: [[webPubSubContextInput, wpsContext]] });
    const response = new HttpResponse(await webPubSubContextHandler(upstream('POST', 'connected'), context));
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('Signature validation failed.');
    expect(logs).toEqual([{ level: 'warning', message: expect.stringContaining('Signature validation failed.') }]);
  });

  test('connected: recorded for analytics, 200 without a body', async () => {
    const wpsContext: WebPubSubContext = {
      isPreflight: false,
      hasError: false,
      request: { connectionContext: connectionContext('system', 'connected') },
    };
    const { context, logs } = invocation('webpubsub-context', { inputs: [[webPubSubContextInput, wpsContext]] });
    const response = new HttpResponse(await webPubSubContextHandler(upstream('POST', 'connected'), context));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(logs).toEqual([{ level: 'information', message: 'analytics: connected hub=chat user=alice connection=conn-alice-1' }]);
  });

  test('connect: accepts in the body and sends the merged states in the ce-connectionstate header', async () => {
    const wpsContext: WebPubSubContext = {
      isPreflight: false,
      hasError: false,
      request: { connectionContext: connectionContext('system', 'connect'), claims: {}, query: {}, subprotocols: [] },
    };
    const { context } = invocation('webpubsub-context', { inputs: [[webPubSubContextInput, wpsContext]] });
    const response = new HttpResponse(await webPubSubContextHandler(upstream('POST', 'connect'), context));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ userId: 'alice' });
    const header = response.headers.get('ce-connectionstate');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64').toString('utf8'))).toEqual({ theme: 'dark', acceptedVia: 'webpubsub-context' });
  });

  test('without the input (binding not configured): 500', async () => {
    const response = await webPubSubContextHandler(upstream('POST', 'connected'), invocation('webpubsub-context').context);
    expect(response.status).toBe(500);
  });
});
