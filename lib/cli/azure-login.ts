/**
 * The Azure login of a CLI command that Terraform runs (e.g. `publish` from a `local-exec` provisioner): the same
 * identity, from the same environment variables, that the azurerm and azapi providers of that Terraform run use, so
 * no extra login or setup is needed on a laptop (`az login`) or in CI (OIDC federation).
 *
 * Order, as the providers' shared authentication library tries them (hashicorp/go-azure-sdk `sdk/auth/auth.go`,
 * `Config.NewAuthorizer`: client certificate, client secret, OIDC token, GitHub OIDC, MSI, Azure CLI); the first
 * method whose settings are present is used, later ones are not tried.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { CliError } from './deployment-inputs';

/** One Azure cloud: where tokens come from and which ARM endpoint they are for. */
export interface AzureCloud {
  readonly name: string;
  readonly authorityHost: string;
  readonly armEndpoint: string;
}

// ARM_ENVIRONMENT values the azurerm provider accepts, with their Entra and ARM endpoints
// (https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud).
const CLOUDS: Record<string, AzureCloud> = {
  public: { name: 'public', authorityHost: 'https://login.microsoftonline.com', armEndpoint: 'https://management.azure.com' },
  usgovernment: { name: 'usgovernment', authorityHost: 'https://login.microsoftonline.us', armEndpoint: 'https://management.usgovcloudapi.net' },
  china: { name: 'china', authorityHost: 'https://login.chinacloudapi.cn', armEndpoint: 'https://management.chinacloudapi.cn' },
};

/** The cloud named by `ARM_ENVIRONMENT` (default `public`). */
export function azureCloud(env: NodeJS.ProcessEnv = process.env): AzureCloud {
  const name = (env.ARM_ENVIRONMENT ?? 'public').toLowerCase();
  const cloud = CLOUDS[name];
  if (!cloud) throw new CliError(`ARM_ENVIRONMENT "${env.ARM_ENVIRONMENT}" is not one of ${Object.keys(CLOUDS).join(', ')}`);
  return cloud;
}

/** A credential and a one-line description of it (never a secret) for progress output. */
export interface AzureLogin {
  readonly credential: TokenCredential;
  readonly description: string;
}

const isTrue = (value: string | undefined): boolean => value !== undefined && /^(1|true|yes)$/i.test(value.trim());

/**
 * The credential the azurerm provider would use with this environment.
 * - `ARM_CLIENT_ID` + `ARM_TENANT_ID` + `ARM_CLIENT_SECRET`: a service principal secret.
 * - `ARM_USE_OIDC=true` + `ARM_CLIENT_ID` + `ARM_TENANT_ID`: OIDC federation, the assertion from `ARM_OIDC_TOKEN`,
 *   `ARM_OIDC_TOKEN_FILE_PATH`, or requested from GitHub Actions (`ARM_OIDC_REQUEST_URL`/`_TOKEN`, falling back to
 *   `ACTIONS_ID_TOKEN_REQUEST_URL`/`_TOKEN`) for the audience `api://AzureADTokenExchange`.
 * - `ARM_USE_MSI=true`: the machine's managed identity (`ARM_CLIENT_ID` picks a user-assigned one).
 * - otherwise, unless `ARM_USE_CLI=false`: the Azure CLI login.
 * `AZURE_AUTHORITY_HOST` overrides the Entra endpoint (as for every @azure/identity credential).
 */
export function loginLikeTerraform(env: NodeJS.ProcessEnv = process.env, fetchImpl: typeof fetch = fetch): AzureLogin {
  // Loaded here so `--help` and argument errors never pay for @azure/identity.
  const identity = require('@azure/identity') as typeof import('@azure/identity');
  const cloud = azureCloud(env);
  const authorityHost = env.AZURE_AUTHORITY_HOST ?? cloud.authorityHost;
  // A custom authority (a sovereign or test endpoint) cannot be validated against the public instance list.
  const common = { authorityHost, disableInstanceDiscovery: env.AZURE_AUTHORITY_HOST !== undefined };
  const clientId = env.ARM_CLIENT_ID;
  const tenantId = env.ARM_TENANT_ID;
  const needIds = (how: string): void => {
    if (!clientId || !tenantId) throw new CliError(`${how} needs ARM_CLIENT_ID and ARM_TENANT_ID`);
  };

  if (env.ARM_CLIENT_CERTIFICATE_PATH) {
    throw new CliError('ARM_CLIENT_CERTIFICATE_PATH is set: client certificates are not supported here; use OIDC federation, a client secret or `az login`');
  }
  if (env.ARM_CLIENT_SECRET) {
    needIds('ARM_CLIENT_SECRET');
    return {
      credential: new identity.ClientSecretCredential(tenantId!, clientId!, env.ARM_CLIENT_SECRET, common),
      description: `service principal ${clientId} (client secret)`,
    };
  }
  if (isTrue(env.ARM_USE_OIDC)) {
    needIds('ARM_USE_OIDC');
    const assertion = oidcAssertionSource(env, fetchImpl);
    return {
      credential: new identity.ClientAssertionCredential(tenantId!, clientId!, assertion, common),
      description: `service principal ${clientId} (OIDC federation)`,
    };
  }
  if (isTrue(env.ARM_USE_MSI)) {
    return {
      credential: clientId ? new identity.ManagedIdentityCredential({ clientId }) : new identity.ManagedIdentityCredential(),
      description: clientId ? `managed identity ${clientId}` : 'the system-assigned managed identity',
    };
  }
  if (env.ARM_USE_CLI !== undefined && !isTrue(env.ARM_USE_CLI)) {
    throw new CliError('no Azure credentials: ARM_USE_CLI is false and none of ARM_CLIENT_SECRET, ARM_USE_OIDC or ARM_USE_MSI is set');
  }
  return { credential: new identity.AzureCliCredential(tenantId ? { tenantId } : {}), description: 'the Azure CLI login (az login)' };
}

/** The OIDC assertion (a JWT) for federation, fetched fresh on each token request (GitHub's tokens are short-lived). */
function oidcAssertionSource(env: NodeJS.ProcessEnv, fetchImpl: typeof fetch): () => Promise<string> {
  if (env.ARM_OIDC_TOKEN) {
    const token = env.ARM_OIDC_TOKEN;
    return async () => token;
  }
  if (env.ARM_OIDC_TOKEN_FILE_PATH) {
    const file = env.ARM_OIDC_TOKEN_FILE_PATH;
    return async () => (await import('node:fs/promises')).readFile(file, 'utf8').then((t) => t.trim());
  }
  const requestUrl = env.ARM_OIDC_REQUEST_URL ?? env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = env.ARM_OIDC_REQUEST_TOKEN ?? env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!requestUrl || !requestToken) {
    throw new CliError(
      'ARM_USE_OIDC is set but no OIDC token is available: set ARM_OIDC_TOKEN or ARM_OIDC_TOKEN_FILE_PATH, or run in GitHub Actions with `permissions: id-token: write`',
    );
  }
  return async () => {
    // GitHub's documented request: the job's request URL plus the audience Entra federation expects.
    const url = new URL(requestUrl);
    url.searchParams.set('audience', 'api://AzureADTokenExchange');
    const response = await fetchImpl(url, { headers: { Authorization: `Bearer ${requestToken}`, Accept: 'application/json' } });
    if (!response.ok) throw new Error(`the OIDC token request answered ${response.status}`);
    const body = (await response.json()) as { value?: unknown };
    if (typeof body.value !== 'string' || body.value === '') throw new Error('the OIDC token response has no `value`');
    return body.value;
  };
}

/** Gets a token for `scope`, bounded by `timeoutMs`, with a message that names the login when it fails. */
export async function tokenFor(login: AzureLogin, scope: string, timeoutMs: number): Promise<AccessToken> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CliError(`getting an Azure token with ${login.description} took longer than ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
  });
  try {
    const options: GetTokenOptions = { abortSignal: controller.signal };
    const token = await Promise.race([login.credential.getToken(scope, options), timeout]);
    if (!token) throw new CliError(`${login.description} returned no token`);
    return token;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`could not get an Azure token with ${login.description}: ${firstLine(err)}`);
  } finally {
    clearTimeout(timer);
  }
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0];
}
