import { HttpRequest, HttpResponse } from '@azure/functions';
import { connectionFromPrincipal, connectionFromQuery } from '../../examples/chat/functions/bindings';
import { negotiateHandler, negotiatePrincipalHandler } from '../../examples/chat/functions/handlers/negotiate';
import { invocation } from './helpers';

// The shape the webPubSubConnection input binding resolves to ("Usage" in the input binding docs: baseUrl, url, accessToken).
const CONNECTION = {
  baseUrl: 'wss://wps-example.webpubsub.azure.com/client/hubs/chat',
  url: 'wss://wps-example.webpubsub.azure.com/client/hubs/chat?access_token=eyJhbGciOiJIUzI1NiJ9.e30.sig',
  accessToken: 'eyJhbGciOiJIUzI1NiJ9.e30.sig',
};

describe('negotiate (webPubSubConnection input, userId {query.userid})', () => {
  test('the binding asks the host for a token for the userid query parameter of hub chat', () => {
    expect(connectionFromQuery).toEqual({ type: 'webPubSubConnection', name: 'connection', hub: 'chat', userId: '{query.userid}' });
  });

  test('returns the connection info as JSON, uncached', async () => {
    // GIVEN a request with ?userid=alice and the input the host resolved for it
    const request = new HttpRequest({ method: 'GET', url: 'https://app.example/api/negotiate?userid=alice', query: { userid: 'alice' } });
    const { context } = invocation('negotiate', { inputs: [[connectionFromQuery, { ...CONNECTION }]] });
    // WHEN
    const response = new HttpResponse(await negotiateHandler(request, context));
    // THEN
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual(CONNECTION);
  });

  test('a request without userid gets 400 and no token', async () => {
    const request = new HttpRequest({ method: 'GET', url: 'https://app.example/api/negotiate' });
    const { context } = invocation('negotiate', { inputs: [[connectionFromQuery, CONNECTION]] });
    const response = new HttpResponse(await negotiateHandler(request, context));
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).not.toContain(CONNECTION.accessToken);
  });

  test('a missing or malformed binding value is a 500, not a half-filled body', async () => {
    const request = new HttpRequest({ method: 'GET', url: 'https://app.example/api/negotiate?userid=alice', query: { userid: 'alice' } });
    const { context } = invocation('negotiate', { inputs: [[connectionFromQuery, { url: CONNECTION.url }]] });
    expect((await negotiateHandler(request, context)).status).toBe(500);
  });
});

describe('negotiate-principal (userId {headers.x-ms-client-principal-id})', () => {
  test('the binding takes the user id from the App Service Authentication header', () => {
    expect(connectionFromPrincipal.userId).toBe('{headers.x-ms-client-principal-id}');
    expect(connectionFromPrincipal.hub).toBe('chat');
  });

  test('a signed-in caller gets the connection info', async () => {
    const request = new HttpRequest({
      method: 'GET',
      url: 'https://app.example/api/negotiate/principal',
      headers: { 'x-ms-client-principal-id': '5b2c7f0e-principal', 'x-ms-client-principal-name': 'alice@example.com' },
    });
    const { context } = invocation('negotiate-principal', { inputs: [[connectionFromPrincipal, CONNECTION]] });
    const response = new HttpResponse(await negotiatePrincipalHandler(request, context));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(CONNECTION);
  });

  test('a caller without the principal header gets 401', async () => {
    const request = new HttpRequest({ method: 'GET', url: 'https://app.example/api/negotiate/principal' });
    const { context } = invocation('negotiate-principal', { inputs: [[connectionFromPrincipal, CONNECTION]] });
    const response = new HttpResponse(await negotiatePrincipalHandler(request, context));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toContain('x-ms-client-principal-id');
  });
});
