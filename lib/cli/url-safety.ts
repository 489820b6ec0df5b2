/**
 * Where a bearer token may be sent, and how a URL is printed: shared by the apply-time steps (`send`, `publish`'s
 * deployment log links) and `verify` (ARM's `nextLink`), so a URL taken from a server's answer is judged and printed
 * the same way everywhere.
 */

/** True when `url` may carry a token bound to `host` (`host[:port]`): https, exactly that host and port, no credentials. */
export function tokenMayGo(url: string | URL, auth: { readonly host: string }): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.host.toLowerCase() === auth.host.toLowerCase() && parsed.username === '' && parsed.password === '';
}

/** The scheme, host and path of a URL (no query: it may hold a key), for messages. */
export function urlForMessage(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return JSON.stringify(redactSecrets(url.slice(0, 100)));
  }
}

/** Query parameters whose values are secrets: function keys, SAS signatures, access tokens. */
const SECRET_QUERY = /([?&](?:code|sig|access_token|accessToken|token)=)[^&#\s"'<>]+/gi;

/** Hides secret query values (`code`, `sig`, `access_token`, `token`) in any text (a URL, an error line) before it is printed. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_QUERY, '$1***');
}
