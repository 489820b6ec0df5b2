/**
 * Check "negotiate returns a client URL": the app's negotiate endpoint (from the manifest, or `--negotiate-url`)
 * answers with a ws(s):// client URL, as a browser client would call it. The round trip connects with that URL.
 */
import { randomUUID } from 'node:crypto';
import type { VerifyContext } from '../context';
import { firstLine } from '../report-lines';

export const NEGOTIATE_CHECK = 'negotiate returns a client URL';

/** The client URL, or why there is none (the failure already reported), worded for the checks that then cannot run. */
export type NegotiateOutcome = { readonly clientUrl: URL } | { readonly notRun: string };

export async function checkNegotiate(ctx: VerifyContext): Promise<NegotiateOutcome> {
  const { report, timeoutMs } = ctx;
  const { url: negotiateBase, userIdParameter, source, problem } = ctx.target.negotiate;
  if (!negotiateBase) {
    report(NEGOTIATE_CHECK, 'fail', problem ?? 'no negotiate endpoint: pass --negotiate-url');
    return { notRun: 'no client URL' };
  }
  const userId = `verify-${randomUUID().slice(0, 8)}`;
  const negotiateUrl = new URL(negotiateBase.toString());
  if (userIdParameter) negotiateUrl.searchParams.set(userIdParameter, userId);
  ctx.progress(`… GET ${negotiateUrl.toString()} (${source})`);
  let clientUrl: URL;
  try {
    const response = await ctx.fetch(negotiateUrl.toString(), { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    if (!response.ok) {
      report(NEGOTIATE_CHECK, 'fail', explainNegotiateStatus(response.status, negotiateUrl.pathname));
      return { notRun: 'negotiate failed' };
    }
    let body: { url?: unknown };
    try {
      body = JSON.parse(text) as { url?: unknown };
    } catch {
      body = {};
    }
    const parsed = typeof body.url === 'string' && /^wss?:\/\//.test(body.url) ? tryUrl(body.url) : undefined;
    if (!parsed) {
      report(NEGOTIATE_CHECK, 'fail', 'negotiate answered 200 without a ws(s):// `url` in JSON: the function must return the webPubSubConnection input as JSON ({ baseUrl, url, accessToken })');
      return { notRun: 'negotiate failed' };
    }
    clientUrl = parsed;
  } catch (err) {
    const timedOut = (err as { name?: string }).name === 'TimeoutError';
    report(
      NEGOTIATE_CHECK,
      'fail',
      timedOut
        ? `${negotiateUrl.host} did not answer within ${timeoutMs} ms: is the Function App running? (a cold start can take longer: retry with a larger --timeout)`
        : `could not call ${negotiateUrl.host} (${firstLine(err)}): is the Function App running and the URL right?`,
    );
    return { notRun: 'negotiate failed' };
  }
  const hubFromUrl = /\/client\/hubs\/([^/?]+)/.exec(clientUrl.pathname)?.[1];
  report(NEGOTIATE_CHECK, 'pass', `as user ${userId}${hubFromUrl ? `, hub ${hubFromUrl}` : ''} on ${clientUrl.host}`);
  return { clientUrl };
}

function tryUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function explainNegotiateStatus(status: number, pathname: string): string {
  if (status === 404) return `negotiate answered 404: no function at ${pathname} — check the code package was deployed (\`az functionapp function list\`)`;
  if (status === 401 || status === 403) {
    return `negotiate answered ${status}: the function requires a key or a signed-in user — pass --negotiate-url with ?code=<function key>`;
  }
  if (status >= 500) {
    return `negotiate answered ${status}: the function failed — usually the app identity cannot get a Web PubSub token (missing Web PubSub Service Owner, or wrong <prefix>__serviceUri/__credential/__clientId app settings); see Application Insights`;
  }
  return `negotiate answered ${status}: expected 200 with { baseUrl, url, accessToken }`;
}
