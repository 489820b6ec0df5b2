/**
 * Whether a Function App was given the host name ARM reports for a Web PubSub service. The constructs build a new
 * service's `<prefix>__serviceUri` at synth from its name and a DNS suffix (`WebPubSubServiceProps.hostnameSource`,
 * public cloud by default), so the app need not wait for the service's creation; in a cloud with another suffix the
 * setting would name a host that does not exist. `activate-webhook` (before any hub is created) and `verify` compare
 * the two here. Host names are case-insensitive (RFC 4343); ARM returns `<name lower-cased>.<suffix>` (REST API
 * spec example `WebPubSub_CreateOrUpdate`).
 */
import { sameHost } from './host-name';

/** The host of a `serviceUri` setting value (`https://<host>`, a trailing slash allowed); undefined when it is not one. */
export function hostOfServiceUri(serviceUri: string): string | undefined {
  try {
    const url = new URL(serviceUri.trim());
    return url.protocol === 'https:' && (url.pathname === '/' || url.pathname === '') && url.search === '' ? url.hostname : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Undefined when the app's `serviceUri` names the service's ARM host name (case-insensitively); else a message that
 * says which differ and what to set.
 * @param app what the app is, for the message (`the app func-chat-1a2b`)
 */
export function serviceHostMismatch(serviceUri: string, armHostName: string, app: string): string | undefined {
  const given = hostOfServiceUri(serviceUri);
  if (given !== undefined && sameHost(given, armHostName)) return undefined;
  const dot = armHostName.indexOf('.');
  const suffix = dot > 0 ? armHostName.slice(dot + 1) : armHostName;
  return (
    `${app} was given ${JSON.stringify(serviceUri)} as the Web PubSub service's URI (its <prefix>__serviceUri setting), but ARM names the service's host ${armHostName}: ` +
    `its bindings would call a host that is not the service. The URI is built at synth from the service name and the public cloud's suffix unless told otherwise; ` +
    `in this cloud set \`hostnameSource: WebPubSubHostnameSource.dnsSuffix('${suffix}')\` (or \`WebPubSubHostnameSource.serviceAttribute()\`) on the WebPubSubService (\`webPubSubProps\` of ServerlessWebPubSub) and deploy again`
  );
}
