/** Reading a Function App (`Microsoft.Web/sites`) from ARM: its host names and plan kind. */
import { armAuth, armUrl, bodyExcerpt, Deadline, isTransient, send, siteNameOf, StepContext, TokenCache } from './apply-step';
import { CliError } from '../deployment-inputs';
import { isHostName, printableBadHost } from '../host-name';

/** What the apply-time commands need to know about the app. */
export interface FunctionSite {
  readonly id: string;
  readonly name: string;
  /** `properties.defaultHostName` (Flex apps may have a regional unique name, never build it from the name). */
  readonly defaultHostName: string;
  /** The SCM (Kudu) host: the `hostNameSslStates` entry of type `Repository`, as the Azure CLI's `_get_scm_url` reads it. */
  readonly scmHostName?: string;
  /** True on the Flex Consumption plan (the site has a `functionAppConfig`). */
  readonly flexConsumption: boolean;
  /** `properties.publicNetworkAccess` (`Enabled`, `Disabled`, or absent: open unless a private endpoint closes it). */
  readonly publicNetworkAccess?: string;
}


interface SiteResponse {
  properties?: {
    defaultHostName?: string;
    hostNameSslStates?: { name?: string; hostType?: string }[];
    functionAppConfig?: unknown;
    sku?: string;
    publicNetworkAccess?: string;
  };
}

/**
 * GETs the site, retrying while ARM does not know it yet (404 right after creation) or answers a transient error,
 * until the deadline.
 */
export async function readFunctionSite(ctx: StepContext, tokens: TokenCache, deadline: Deadline, siteId: string): Promise<FunctionSite> {
  const url = armUrl(ctx.armEndpoint, siteId);
  let last: string;
  for (let attempt = 0; ; attempt++) {
    const { response, error } = await send(ctx, tokens, deadline, url, { auth: armAuth(ctx) });
    if (response?.ok) {
      const site = (await response.json()) as SiteResponse;
      const defaultHostName = site.properties?.defaultHostName;
      if (!defaultHostName) throw new CliError(`ARM returned the app ${siteNameOf(siteId)} without a defaultHostName`);
      const scm = site.properties?.hostNameSslStates?.find((h) => h.hostType?.toLowerCase() === 'repository')?.name;
      // Keys and tokens are sent to these hosts: anything but a plain host name (a `/`, `?`, `#` or `@` would move
      // them into another URL part or to another host) is refused before a URL is built.
      for (const [what, host] of [['defaultHostName', defaultHostName], ['SCM host name', scm]] as const) {
        if (host !== undefined && !isHostName(host)) {
          throw new CliError(`ARM returned the app ${siteNameOf(siteId)} with a ${what} that is not a host name: ${printableBadHost(host)}`);
        }
      }
      return {
        id: siteId,
        name: siteNameOf(siteId),
        defaultHostName,
        scmHostName: scm,
        flexConsumption: site.properties?.functionAppConfig != null || site.properties?.sku === 'FlexConsumption',
        publicNetworkAccess: typeof site.properties?.publicNetworkAccess === 'string' ? site.properties.publicNetworkAccess : undefined,
      };
    }
    if (response && !isTransient(response.status) && response.status !== 404) {
      const detail = await bodyExcerpt(response);
      if (response.status === 401 || response.status === 403) {
        throw new CliError(`reading the app ${siteNameOf(siteId)} from ARM was refused (${response.status}): the principal running Terraform needs Reader (or Contributor) on it. ${detail}`);
      }
      throw new CliError(`reading the app ${siteNameOf(siteId)} from ARM failed with ${response.status}: ${detail}`);
    }
    last = response ? `${response.status}` : (error ?? 'no response');
    await response?.body?.cancel();
    if (!(await deadline.sleep(Math.min(30_000, 2_000 * 2 ** attempt) * (ctx.pace ?? 1)))) {
      throw new CliError(`the app ${siteNameOf(siteId)} could not be read from ARM within ${deadline.totalMs / 1000} s (last answer: ${last})`);
    }
  }
}
