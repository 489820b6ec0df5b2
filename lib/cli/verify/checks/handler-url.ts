/**
 * Check "<handler> URL": a handler the stack wires to one of its Function Apps points at that app's webhook (the
 * Web PubSub extension's, or the HTTP function's route) over https, with a key in `code`. Returns the URL for the
 * reachability check, which only makes sense once the URL is the right one.
 */
import { TUNNEL_URL_PREFIX, WEBPUBSUB_EXTENSION_KEY_NAME, WEBPUBSUB_EXTENSION_WEBHOOK_PATH, WEBPUBSUB_UPSTREAM_KEY_NAME } from '../../../common/webhook-targets';
import { sameHost } from '../../host-name';
import { coreCommand } from '../../cli-edition';
import type { HandlerUnderCheck, LiveServiceContext } from '../context';

/** A handler URL that passed the check. */
export interface CheckedHandlerUrl {
  readonly url: URL;
  /** True for the Web PubSub extension webhook, false for an HTTP function. */
  readonly extension: boolean;
  /** Which key belongs in `code`, as messages name it. */
  readonly keyName: string;
}

/** The URL when it is the app's, else undefined: the failure reported, or (a URL outside the stack) nothing to probe. */
export function checkHandlerUrl(ctx: LiveServiceContext, handler: HandlerUnderCheck): CheckedHandlerUrl | undefined {
  const { target, report } = ctx;
  const { name, hubName, declared, live } = handler;
  const urlCheck = `${name} URL`;
  if (declared.kind === 'url' || declared.functionApp === null) {
    report(urlCheck, 'pass', 'a URL outside the stack: not checked');
    return undefined;
  }
  if (declared.tunnel === true) {
    // A development tunnel (EventHandler.tunnel): nothing on the internet to probe; the path must be the local host's.
    const expected = `${TUNNEL_URL_PREFIX}${(declared.urlPath ?? '').replace(/^\/+/, '')}`;
    if (live.urlTemplate.toLowerCase() !== expected.toLowerCase()) {
      // Without its query: a deployed handler URL carries a key in `code`.
      report(urlCheck, 'fail', `the handler URL is ${JSON.stringify(live.urlTemplate.split('?')[0])}, not the development tunnel ${expected}: run \`${coreCommand('deploy')}\``);
    } else {
      report(urlCheck, 'pass', `${expected}: a development tunnel, events reach only a machine running \`dev\` (not probed)`);
    }
    return undefined;
  }
  const appHost = target.appHosts.get(declared.functionApp);
  if (!appHost) {
    report(urlCheck, 'fail', target.appHostProblems.get(declared.functionApp) ?? `the manifest does not list Function App ${declared.functionApp}: pass --app-host`);
    return undefined;
  }
  const extension = declared.kind === 'functionsExtension';
  // The key in `code`: the extension webhook checks a system key; the library's HTTP-function handlers are
  // key-protected (authLevel function) with an app key, a host-level function key (lib/common/webhook-targets.ts).
  const keyName = extension ? `the ${WEBPUBSUB_EXTENSION_KEY_NAME} system key` : `the ${WEBPUBSUB_UPSTREAM_KEY_NAME} app key`;
  const expectedPath = (extension ? WEBPUBSUB_EXTENSION_WEBHOOK_PATH : fillTemplate(declared.urlPath ?? '', hubName)).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(fillTemplate(live.urlTemplate, hubName));
  } catch {
    report(urlCheck, 'fail', `the handler URL ${JSON.stringify(live.urlTemplate)} is not a URL: run \`${coreCommand('deploy')}\``);
    return undefined;
  }
  const actualPath = url.pathname.replace(/\/+$/, '');
  // Host names compare case-insensitively (service and app names may be mixed case; URL lower-cases); Functions
  // routes match case-insensitively too.
  if (url.protocol !== 'https:' || !sameHost(url.host, appHost) || actualPath.toLowerCase() !== expectedPath.toLowerCase()) {
    report(
      urlCheck,
      'fail',
      `the handler points at ${url.protocol}//${url.host}${actualPath}, not at the app's ${extension ? 'Web PubSub webhook' : 'function'} https://${appHost}${expectedPath}: run \`${coreCommand('deploy')}\` (was the app renamed or the hub edited by hand?)`,
    );
    return undefined;
  }
  const code = url.searchParams.get('code');
  if (!code) {
    report(
      urlCheck,
      'fail',
      `the handler URL has ${code === null ? 'no' : 'an empty'} \`code\` query parameter, so the Functions host answers 401: redeploy so ${keyName} is written into the URL`,
    );
    return undefined;
  }
  report(urlCheck, 'pass', url.toString());
  return { url, extension, keyName };
}

/** A URL template with its placeholders filled as the service fills them for one event. */
export function fillTemplate(template: string, hubName: string, event = 'message'): string {
  return template.replace(/\{hub\}/g, hubName).replace(/\{event\}/g, event);
}
