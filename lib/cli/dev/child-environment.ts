/**
 * The environment `dev` hands its children (`func start` with the user's functions, `awps-tunnel`, the emulator).
 *
 * The local loop signs in as the developer (`az login`): the functions' identity-based connection and `awps-tunnel`
 * both use a DefaultAzureCredential-style chain, whose first link is the environment (Learn "Azure Identity client
 * library for JavaScript", environment variables of EnvironmentCredential and WorkloadIdentityCredential). A shell
 * that also holds a service principal for Terraform or CI (`AZURE_CLIENT_SECRET`, the azurerm provider's `ARM_*`
 * variables, a GitHub OIDC token request) would make the local functions and the tunnel act as that principal, and
 * would hand its secret to user code that does not need it. So those variables stay with `dev` unless the user asks
 * (`--pass-credentials`).
 */

/** Variables that sign a process in as a principal other than the developer's `az login`. */
const CREDENTIAL_VARIABLES = new Set([
  // Azure Identity: EnvironmentCredential, WorkloadIdentityCredential, ManagedIdentityCredential's client id.
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_CLIENT_CERTIFICATE_PASSWORD',
  'AZURE_CLIENT_SEND_CERTIFICATE_CHAIN',
  'AZURE_USERNAME',
  'AZURE_PASSWORD',
  'AZURE_FEDERATED_TOKEN_FILE',
  // GitHub Actions' OIDC token request (azure/login, the azurerm provider's use_oidc).
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
]);

/** The azurerm/azapi providers' authentication variables (`ARM_CLIENT_SECRET`, `ARM_OIDC_TOKEN`, ...). */
const isProviderCredential = (name: string): boolean => /^ARM_(CLIENT_|OIDC_|USE_OIDC$|USE_MSI$|MSI_|USE_AKS_WORKLOAD_IDENTITY$)/.test(name);

/** `env` without the credential variables, and the names it left out (sorted). */
export function withoutCredentials(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; removed: string[] } {
  const kept: NodeJS.ProcessEnv = {};
  const removed: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (CREDENTIAL_VARIABLES.has(name.toUpperCase()) || isProviderCredential(name.toUpperCase())) removed.push(name);
    else kept[name] = value;
  }
  return { env: kept, removed: removed.sort() };
}
