/**
 * LOCAL STAND-IN for Azure Resource Manager — NOT Azure. It answers only the requests `verify` makes, with the
 * response shapes of the public REST API (Microsoft.SignalRService/webPubSub 2024-03-01, hubs, and
 * Microsoft.Authorization/roleAssignments 2022-04-01), so the real `@azure/arm-webpubsub` client can be pointed at it.
 */
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestCertificate } from './tls';

export const STAND_IN_TOKEN = 'stand-in-arm-token';

export interface StandInEventHandler {
  urlTemplate: string;
  userEventPattern?: string;
  systemEvents?: string[];
}

export interface StandInRoleAssignment {
  scope: string;
  roleDefinitionId: string;
  principalId: string;
}

/** What the stand-in serves; tests mutate it to produce each failure. */
export interface ArmStandInState {
  subscriptionId: string;
  resourceGroup: string;
  serviceName: string;
  hostName: string;
  disableLocalAuth: boolean;
  hubs: Record<string, StandInEventHandler[]>;
  roleAssignments: StandInRoleAssignment[];
  /** When set, every request answers 403 AuthorizationFailed (the signed-in principal lacks Reader). */
  forbidden: boolean;
  /**
   * `nextLink` of the first role-assignment page (the assignments are all on it); a request with `$skiptoken=page2`
   * gets an empty last page.
   */
  roleAssignmentsNextLink?: string;
}

export interface ArmStandIn {
  readonly endpoint: string;
  readonly state: ArmStandInState;
  /** Request lines seen (`GET /subscriptions/...`), for assertions. */
  readonly requests: string[];
  serviceId(): string;
  close(): Promise<void>;
}

export async function startArmStandIn(tls: TestCertificate, state: ArmStandInState): Promise<ArmStandIn> {
  const requests: string[] = [];
  const serviceId = (): string =>
    `/subscriptions/${state.subscriptionId}/resourceGroups/${state.resourceGroup}/providers/Microsoft.SignalRService/WebPubSub/${state.serviceName}`;

  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://stand-in');
    requests.push(`${req.method} ${url.pathname}`);
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-ms-request-id': 'stand-in' });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, code: string, message: string): void => send(status, { error: { code, message } });

    if (req.headers.authorization !== `Bearer ${STAND_IN_TOKEN}`) {
      return error(401, 'InvalidAuthenticationToken', 'The access token is missing or invalid.');
    }
    if (req.method !== 'GET') return error(405, 'MethodNotAllowed', 'the stand-in only serves GET');
    if (state.forbidden) {
      return error(
        403,
        'AuthorizationFailed',
        `The client 'stand-in' does not have authorization to perform action 'Microsoft.SignalRService/WebPubSub/read' over scope '${url.pathname}'.`,
      );
    }
    const path = url.pathname.toLowerCase();
    const service = serviceId().toLowerCase();

    if (path === `${service}/providers/microsoft.authorization/roleassignments`) {
      if (url.searchParams.get('api-version') !== '2022-04-01') return error(400, 'InvalidApiVersion', 'api-version');
      const match = /^principalId eq '([^']+)'$/.exec(url.searchParams.get('$filter') ?? '');
      if (!match) return error(400, 'InvalidFilter', 'the stand-in expects $filter=principalId eq ...');
      const value = state.roleAssignments
        .filter((a) => a.principalId === match[1])
        .map((a, i) => ({
          id: `${a.scope}/providers/Microsoft.Authorization/roleAssignments/0000000${i}`,
          name: `0000000${i}`,
          type: 'Microsoft.Authorization/roleAssignments',
          properties: { roleDefinitionId: a.roleDefinitionId, principalId: a.principalId, principalType: 'ServicePrincipal', scope: a.scope },
        }));
      if (url.searchParams.get('$skiptoken') === 'page2') return send(200, { value: [] });
      return send(200, { value, ...(state.roleAssignmentsNextLink ? { nextLink: state.roleAssignmentsNextLink } : {}) });
    }
    if (path === service) {
      return send(200, {
        id: serviceId(),
        name: state.serviceName,
        type: 'Microsoft.SignalRService/WebPubSub',
        location: 'westeurope',
        sku: { name: 'Standard_S1', tier: 'Standard', capacity: 1 },
        properties: {
          provisioningState: 'Succeeded',
          hostName: state.hostName,
          disableLocalAuth: state.disableLocalAuth,
          disableAadAuth: false,
          publicNetworkAccess: 'Enabled',
        },
      });
    }
    const hubJson = (name: string): unknown => ({
      id: `${serviceId()}/hubs/${name}`,
      name,
      type: 'Microsoft.SignalRService/WebPubSub/hubs',
      properties: { eventHandlers: state.hubs[name], anonymousConnectPolicy: 'deny' },
    });
    if (path === `${service}/hubs`) return send(200, { value: Object.keys(state.hubs).map(hubJson) });
    const hubMatch = /\/hubs\/([^/]+)$/.exec(url.pathname);
    if (hubMatch && path === `${service}/hubs/${hubMatch[1].toLowerCase()}`) {
      const name = Object.keys(state.hubs).find((h) => h.toLowerCase() === hubMatch[1].toLowerCase());
      if (!name) return error(404, 'NotFound', `Hub '${hubMatch[1]}' is not found.`);
      return send(200, hubJson(name));
    }
    return error(404, 'ResourceNotFound', `The Resource '${url.pathname}' was not found.`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}`,
    state,
    requests,
    serviceId,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
