import { HttpRequest, HttpResponse } from '@azure/functions';
import { ManagedIdentityCredential } from '@azure/identity';
import { WebPubSubServiceClient, type ClientTokenResponse, type GenerateClientTokenOptions } from '@azure/web-pubsub';
import {
  type ClientTokenIssuer,
  createNegotiateRolesHandler,
  createServiceClient,
} from '../../examples/chat/functions/handlers/negotiate-roles';
import { invocation } from './helpers';

/**
 * STAND-IN for the Azure Web PubSub data plane (`WebPubSubServiceClient.getClientAccessToken`): records the token
 * requests and answers with a fixed token. The only mock in these tests; everything else is the real handler.
 */
class StandInTokenIssuer implements ClientTokenIssuer {
  public readonly requests: GenerateClientTokenOptions[] = [];
  public failWith: Error | undefined;

  public async getClientAccessToken(options?: GenerateClientTokenOptions): Promise<ClientTokenResponse> {
    this.requests.push({ ...options });
    if (this.failWith) throw this.failWith;
    return {
      token: 'stand-in-token',
      baseUrl: 'wss://wps-example.webpubsub.azure.com/client/hubs/chat',
      url: 'wss://wps-example.webpubsub.azure.com/client/hubs/chat?access_token=stand-in-token',
    };
  }
}

const request = (query: Record<string, string> = { userid: 'alice' }): HttpRequest =>
  new HttpRequest({ method: 'GET', url: 'https://app.example/api/negotiate/roles', query });

describe('negotiate-roles (server SDK for roles and groups)', () => {
  test('asks the service for a token with the lobby roles and group and returns it in the negotiate shape', async () => {
    const issuer = new StandInTokenIssuer();
    const handler = createNegotiateRolesHandler(() => issuer);
    const { context } = invocation('negotiate-roles');

    const response = new HttpResponse(await handler(request(), context));

    expect(issuer.requests).toEqual([
      { userId: 'alice', roles: ['webpubsub.joinLeaveGroup.lobby', 'webpubsub.sendToGroup.lobby'], groups: ['lobby'] },
    ]);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      baseUrl: 'wss://wps-example.webpubsub.azure.com/client/hubs/chat',
      url: 'wss://wps-example.webpubsub.azure.com/client/hubs/chat?access_token=stand-in-token',
      accessToken: 'stand-in-token',
    });
  });

  test('creates the client once and reuses it', async () => {
    const issuer = new StandInTokenIssuer();
    const createClient = jest.fn(() => issuer);
    const handler = createNegotiateRolesHandler(createClient);
    await handler(request({ userid: 'alice' }), invocation('negotiate-roles').context);
    await handler(request({ userid: 'bob' }), invocation('negotiate-roles').context);
    expect(createClient).toHaveBeenCalledTimes(1);
    expect(issuer.requests.map((r) => r.userId)).toEqual(['alice', 'bob']);
  });

  test('without userid: 400, and the service is not called', async () => {
    const createClient = jest.fn(() => new StandInTokenIssuer());
    const response = await createNegotiateRolesHandler(createClient)(request({}), invocation('negotiate-roles').context);
    expect(response.status).toBe(400);
    expect(createClient).not.toHaveBeenCalled();
  });

  test('a failing service call is a 502 with the cause logged, not leaked', async () => {
    const issuer = new StandInTokenIssuer();
    issuer.failWith = new Error('ManagedIdentityCredential: no managed identity endpoint');
    const { context, logs } = invocation('negotiate-roles');
    const response = new HttpResponse(await createNegotiateRolesHandler(() => issuer)(request(), context));
    expect(response.status).toBe(502);
    expect(await response.text()).not.toContain('ManagedIdentityCredential');
    expect(logs).toEqual([expect.objectContaining({ level: 'error', message: expect.stringContaining('no managed identity endpoint') })]);
  });
});

describe('createServiceClient (app settings written by the library)', () => {
  test('uses the serviceUri and a ManagedIdentityCredential for the app identity client id', () => {
    const client = createServiceClient({
      WebPubSubConnectionString__serviceUri: 'https://wps-example.webpubsub.azure.com',
      WebPubSubConnectionString__credential: 'managedidentity',
      WebPubSubConnectionString__clientId: '00000000-0000-0000-0000-00000000c1d0',
    });
    expect(client).toBeInstanceOf(WebPubSubServiceClient);
    const real = client as WebPubSubServiceClient;
    expect(real.endpoint).toBe('https://wps-example.webpubsub.azure.com');
    expect(real.hubName).toBe('chat');
    // the credential is private to the SDK client: check it was built as a managed identity credential
    expect(Object.values(real).some((v) => v instanceof ManagedIdentityCredential)).toBe(true);
  });

  test('local.settings.json style names (":" instead of "__") work too', () => {
    const client = createServiceClient({ 'WebPubSubConnectionString:serviceUri': 'https://local.webpubsub.azure.com' });
    expect((client as WebPubSubServiceClient).endpoint).toBe('https://local.webpubsub.azure.com');
  });

  test('a key connection string signs tokens locally with the roles and groups claims', async () => {
    // no network: access-key tokens are signed in process by the SDK
    const key = Buffer.from('k'.repeat(32)).toString('base64');
    const client = createServiceClient({
      WebPubSubConnectionString: `Endpoint=https://wps-example.webpubsub.azure.com;AccessKey=${key};Version=1.0;`,
    });
    const handler = createNegotiateRolesHandler(() => client);
    const response = new HttpResponse(await handler(request(), invocation('negotiate-roles').context));
    const body = (await response.json()) as { accessToken: string; url: string; baseUrl: string };
    expect(body.baseUrl).toBe('wss://wps-example.webpubsub.azure.com/client/hubs/chat');
    const claims = JSON.parse(Buffer.from(body.accessToken.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({
      sub: 'alice',
      role: ['webpubsub.joinLeaveGroup.lobby', 'webpubsub.sendToGroup.lobby'],
      'webpubsub.group': ['lobby'],
    });
  });

  test('no connection settings: the error names the settings to add', () => {
    expect(() => createServiceClient({})).toThrow(/WebPubSubConnectionString__serviceUri/);
  });
});
