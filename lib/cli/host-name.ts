/**
 * Host names the CLI reads from ARM or from the deployed outputs (an app's defaultHostName and SCM host, a Web PubSub
 * service's hostName) and builds URLs with. Keys and tokens are sent to those URLs, so anything but a plain host name
 * (a `/`, `?`, `#` or `@` would move them into another URL part or to another host) is refused before a URL is built,
 * with a message that never repeats a secret the malformed value may hold (a connection string pasted as a host name).
 */
import { CliError } from './deployment-inputs';

/** A host name as given (outputs, `--web-pubsub-hostname`, `--app-host`): trimmed, without `http(s)://` or trailing slashes. */
export function bareHostName(value: string): string {
  return value.trim().replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

/** A DNS host name (letters, digits, hyphens, dot-separated labels), optionally with a port. */
export function isHostName(value: string): boolean {
  const [host, port, ...rest] = value.split(':');
  if (rest.length > 0 || (port !== undefined && !/^\d{1,5}$/.test(port))) return false;
  return host.length <= 253 && /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(host);
}

/**
 * A malformed value, fit for a one-line message: at most 100 characters, JSON-quoted, with the values of secret
 * query parameters and connection-string keys, and any long base64-like run (a bare key), replaced by `***`.
 */
export function printableBadHost(value: string): string {
  const masked = value
    .replace(/([?&;](?:code|sig|access_token|accesstoken|token)=)[^&#;]*/gi, '$1***')
    .replace(/((?:AccessKey|AccountKey|SharedAccessKey|SharedAccessSignature|ClientSecret|Password)\s*=)[^;]*/gi, '$1***')
    .replace(/[A-Za-z0-9+/]{32,}={0,2}/g, '***');
  return JSON.stringify(masked.length > 100 ? `${masked.slice(0, 100)}…` : masked);
}

/** `value` when it is a host name (see {@link isHostName}), else a {@link CliError}: `<what> is not a host name: "<value>"<hint>`. */
export function checkHostName(value: string, what: string, hint = ''): string {
  if (isHostName(value)) return value;
  throw new CliError(`${what} is not a host name: ${printableBadHost(value)}${hint}`);
}

/**
 * True when two host names are the same host. Host names are case-insensitive (RFC 4343), and the two sides often
 * differ in case: the Web PubSub extension keeps its allowed hosts as .NET `Uri.Host` gives them (lower-cased), while
 * service names (and so their default host names) may be mixed case; WHATWG `URL` lower-cases too.
 */
export function sameHost(a: string, b: string): boolean {
  return a.trim().replace(/\.$/, '').toLowerCase() === b.trim().replace(/\.$/, '').toLowerCase();
}
