/**
 * Talking to Azure Resource Manager for the management-plane checks: bounded sign-in, the role assignment REST API
 * (not in `@azure/arm-webpubsub`, so sent through its client's pipeline), and what an ARM failure means to the user.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import type { WebPubSubManagementClient } from '@azure/arm-webpubsub';
import { RestError, createPipelineRequest, isRestError } from '@azure/core-rest-pipeline';
import type { DeployedTarget } from './context';
import { firstLine } from './report-lines';
import { tokenMayGo, urlForMessage } from '../url-safety';

export const PUBLIC_ARM_ENDPOINT = 'https://management.azure.com';
const ROLE_ASSIGNMENTS_API_VERSION = '2022-04-01';

/** The credential, with every token request bounded: an identity endpoint that never answers fails after `timeoutMs`. */
export function timeBoundCredential(credential: TokenCredential, timeoutMs: number): TokenCredential {
  return {
    getToken: (scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> =>
      new Promise<AccessToken | null>((resolve, reject) => {
        const timer = setTimeout(() => {
          const err = new Error(`no Azure access token within ${timeoutMs} ms`);
          err.name = 'TokenTimeoutError';
          reject(err);
        }, timeoutMs);
        credential.getToken(scopes, options).then(
          (token) => {
            clearTimeout(timer);
            resolve(token);
          },
          (err: unknown) => {
            clearTimeout(timer);
            reject(err);
          },
        );
      }),
  };
}

/** What went wrong talking to ARM, and what to do about it. */
export function explainArmError(err: unknown, what: string, target: Pick<DeployedTarget, 'resourceGroup' | 'subscriptionId'>, roleAssignments = false): string {
  const name = (err as { name?: string } | undefined)?.name;
  if (name === 'TokenTimeoutError') {
    return `${firstLine(err)} for ${what}: the sign-in endpoint did not answer — check the network / proxy to Microsoft Entra ID, \`az login\`, or retry with a larger --timeout`;
  }
  if (name === 'CredentialUnavailableError' || name === 'AuthenticationRequiredError' || name === 'AggregateAuthenticationError') {
    return `no Azure sign-in available (${firstLine(err)}): run \`az login\` (in CI: the same ARM_USE_OIDC / ARM_CLIENT_ID / ARM_TENANT_ID variables the azurerm provider reads)`;
  }
  if (name === 'AuthenticationError') {
    return `signing in to Azure failed (${firstLine(err)}): run \`az login\` again`;
  }
  if (isRestError(err)) {
    const status = err.statusCode;
    if (status === 401) return `ARM returned 401 reading ${what}: the token was rejected — run \`az login\` (right tenant?) and retry`;
    if (status === 403) {
      return roleAssignments
        ? `ARM returned 403 listing ${what}: the signed-in principal lacks Microsoft.Authorization/roleAssignments/read — assign it Reader on resource group ${target.resourceGroup}`
        : `ARM returned 403 reading ${what}: the signed-in principal lacks Reader on resource group ${target.resourceGroup} — assign Reader (or run as the deploying principal)`;
    }
    if (status === 404) {
      return `ARM returned 404 for ${what}: check the subscription (${target.subscriptionId}), resource group (${target.resourceGroup}) and name, or deploy the stack first`;
    }
    if (status === undefined) return `could not reach ARM for ${what} (${firstLine(err)}): check the network / proxy`;
    return `ARM returned ${status} reading ${what} (${firstLine(err)}): retry; if it persists check https://status.azure.com`;
  }
  if (name === 'AbortError' || name === 'TimeoutError') return `ARM did not answer for ${what} within the timeout: retry with a larger --timeout`;
  return `reading ${what} failed: ${firstLine(err)}`;
}

export interface RoleAssignment {
  readonly scope: string;
  readonly roleDefinitionId: string;
}

/** The role assignments of `principalId` at `scope` and above, every page of them. */
export async function listRoleAssignments(
  client: WebPubSubManagementClient,
  armEndpoint: string,
  scope: string,
  principalId: string,
  timeoutMs: number,
): Promise<RoleAssignment[]> {
  const filter = encodeURIComponent(`principalId eq '${principalId}'`);
  let url: string | undefined = `${armEndpoint}${scope}/providers/Microsoft.Authorization/roleAssignments?api-version=${ROLE_ASSIGNMENTS_API_VERSION}&$filter=${filter}`;
  const result: RoleAssignment[] = [];
  while (url) {
    // Sent through the management client's pipeline: same credential, retries and agent as the SDK calls.
    const response = await client.sendRequest(createPipelineRequest({ url, method: 'GET', abortSignal: AbortSignal.timeout(timeoutMs) }));
    let body: Record<string, unknown>;
    try {
      body = response.bodyAsText ? (JSON.parse(response.bodyAsText) as Record<string, unknown>) : {};
    } catch {
      throw new RestError(`ARM answered ${response.status} with a body that is not JSON`, { statusCode: response.status });
    }
    if (response.status !== 200) {
      const error = (body.error ?? {}) as { code?: string; message?: string };
      throw new RestError(error.message ?? `HTTP ${response.status}`, { statusCode: response.status, code: error.code });
    }
    for (const item of (body.value ?? []) as Array<{ properties?: { scope?: string; roleDefinitionId?: string } }>) {
      if (item.properties?.scope && item.properties.roleDefinitionId) {
        result.push({ scope: item.properties.scope, roleDefinitionId: item.properties.roleDefinitionId });
      }
    }
    url = typeof body.nextLink === 'string' && body.nextLink !== '' ? body.nextLink : undefined;
    // The pipeline signs every request with the ARM token: a nextLink is followed only on the ARM endpoint's own host
    // over https, so an answer cannot send the token elsewhere.
    if (url !== undefined && !tokenMayGo(url, { host: new URL(armEndpoint).host })) {
      throw new Error(`ARM's nextLink points at ${urlForMessage(url)}, not at ${armEndpoint}: not followed (the ARM token goes only to the ARM endpoint)`);
    }
  }
  return result;
}
