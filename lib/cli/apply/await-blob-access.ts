/**
 * `await-blob-access`: waits until the principal running Terraform can use a blob container with Entra ID, so the
 * package upload that follows (azurerm `azurerm_storage_blob`, which does not retry a 403) does not race the role
 * assignment made in the same apply. Microsoft's storage docs say a new role assignment can take up to 10 minutes to
 * take effect (https://learn.microsoft.com/azure/storage/blobs/assign-azure-role-data-access#assign-an-azure-role);
 * this polls instead of sleeping a fixed time.
 *
 * The probe lists at most one blob of the container (`GET <container>?restype=container&comp=list&maxresults=1`,
 * https://learn.microsoft.com/rest/api/storageservices/list-blobs), the data-plane read the upload's own existence
 * check makes first. It is the request `az storage blob list --account-name <a> --container-name <c> --auth-mode login
 * --num-results 1` (Azure CLI) sends with the signed-in identity's token, the usual check that a new data role works.
 */
import { bodyExcerpt, Deadline, elapsed, isTransient, send, StepContext, TokenCache } from './apply-step';
import { CliError } from '../deployment-inputs';

/** Input of {@link awaitBlobAccess}. */
export interface AwaitBlobAccessOptions {
  /** `https://<account>.blob.core.windows.net/<container>` */
  readonly containerUrl: string;
  /** Time allowed for the whole step. */
  readonly timeoutMs: number;
}

/** Entra scope of Azure Storage data-plane tokens (https://learn.microsoft.com/azure/storage/common/authorize-data-access). */
export const STORAGE_SCOPE = 'https://storage.azure.com/.default';
/** A Blob service REST version that accepts bearer tokens (2017-11-09 or later). */
const STORAGE_API_VERSION = '2023-11-03';

export async function awaitBlobAccess(options: AwaitBlobAccessOptions, ctx: StepContext): Promise<void> {
  const started = Date.now();
  const deadline = new Deadline(options.timeoutMs);
  const tokens = new TokenCache(ctx.login, deadline);
  let container: URL;
  try {
    container = new URL(options.containerUrl);
  } catch {
    throw new CliError(`the container URL ${JSON.stringify(options.containerUrl)} is not a URL`);
  }
  if (container.protocol !== 'https:') throw new CliError(`the container URL ${options.containerUrl} must use https`);
  const url = new URL(container.toString());
  url.search = '';
  url.searchParams.set('restype', 'container');
  url.searchParams.set('comp', 'list');
  url.searchParams.set('maxresults', '1');
  let last = '';
  for (let attempt = 0; ; attempt++) {
    const { response, error } = await send(ctx, tokens, deadline, url.toString(), {
      auth: { scope: STORAGE_SCOPE, host: container.host },
      headers: { 'x-ms-version': STORAGE_API_VERSION },
      timeoutMs: 30_000,
    });
    if (response?.ok) {
      await response.body?.cancel();
      ctx.log(`${ctx.login.description} can use ${container.host}${container.pathname} (${elapsed(started)})`);
      return;
    }
    if (response && response.status !== 403 && response.status !== 404 && !isTransient(response.status)) {
      throw new CliError(`${container.host}${container.pathname} answered ${response.status}: ${await bodyExcerpt(response)}`);
    }
    const status = response ? `${response.status}` : `no answer (${error})`;
    if (status !== last) ctx.log(`… ${container.host}${container.pathname}: ${status}${response?.status === 403 ? ' (the role assignment has not taken effect yet)' : ''}`);
    last = status;
    await response?.body?.cancel();
    if (!(await deadline.sleep(Math.min(30_000, 5_000 * 2 ** attempt) * (ctx.pace ?? 1)))) {
      throw new CliError(
        `${ctx.login.description} still cannot use ${container.host}${container.pathname} after ${deadline.totalMs / 1000} s (last answer: ${last}): it needs Storage Blob Data Contributor on the account, and the provider needs \`storage_use_azuread = true\``,
      );
    }
  }
}
