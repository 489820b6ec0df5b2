import { IConstruct } from 'constructs';
import { InvalidPropError, isUnresolved } from './invalid-prop-error';
import { literalParts } from './tokens';

// DNS host names: labels of 1-63 letters, digits and hyphens, not starting or ending with a hyphen, at most 253
// characters in all (RFC 1123 section 2.1, RFC 1035 section 2.3.4). Punycode labels (`xn--...`) fit this form.
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

function isHostname(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  const labels = host.split('.');
  return labels.length >= 2 && labels.every((l) => LABEL.test(l));
}

/**
 * Fails unless the value is a bare DNS host name with at least two labels: no scheme, port, path, query, trailing
 * dot or slash, e.g. `<name>.webpubsub.azure.com` or a function app's `default_hostname`. The library builds
 * URLs as `https://${hostname}/...`, so `https://x.webpubsub.azure.com` would become `https://https://...`.
 * A value with Terraform tokens is checked on its literal parts only (no scheme, slash, colon or whitespace in
 * them). Sources: RFC 1123 section 2.1; `hostName` of https://learn.microsoft.com/rest/api/webpubsub/controlplane/web-pub-sub/get
 */
export function validateHostname(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined) return;
  const rule = 'must be a host name such as example.webpubsub.azure.com (no scheme, port, path or trailing dot)';
  if (typeof value !== 'string') {
    if (isUnresolved(value)) return;
    throw new InvalidPropError(scope, prop, value, rule);
  }
  const parts = literalParts(value);
  if (!parts.hasTokens) {
    if (!isHostname(value)) throw new InvalidPropError(scope, prop, value, rule);
    return;
  }
  const literals = parts.literals.join('');
  const first = parts.startsWithToken ? '' : parts.literals[0];
  if (/[^A-Za-z0-9.-]/.test(literals) || first.startsWith('.') || first.startsWith('-') || value.endsWith('.')) {
    throw new InvalidPropError(scope, prop, value, rule);
  }
}

/** The Azure Storage services that have endpoints of their own. */
export type StorageService = 'blob' | 'queue' | 'table' | 'file' | 'dfs' | 'web';

/** Options of {@link validateStorageEndpoint}. */
export interface StorageEndpointOptions {
  /**
   * The account the endpoint must belong to: its first host label (`<account>.blob.core.windows.net`,
   * `<account>.z12.blob.storage.azure.net`) must be this name.
   * @default - not checked
   */
  readonly accountName?: string;
}

/**
 * Fails unless the value is the account-level endpoint of an Azure Storage service:
 * `https://<account>.<service>.<storage domain>` with an optional trailing slash and nothing after it.
 * - The storage domain is not hard-coded, so sovereign clouds (`core.chinacloudapi.cn`, `core.usgovcloudapi.net`),
 *   Azure DNS zone endpoints (`<account>.z<nn>.blob.storage.azure.net`) and Azure Stack Hub pass; the host must
 *   have a `<service>` label after the account label, so a queue endpoint given as the blob endpoint is caught.
 * - HTTPS only: the library sets up identity (Entra ID) access, whose bearer tokens must not travel in clear text.
 * - The trailing slash is optional. azurerm's `primary_*_endpoint` attributes end with `/`, users often copy the
 *   portal's form without it; both are the same endpoint. Code that appends a path must use
 *   {@link withTrailingSlash} (the library builds `packageContainerUrl = primaryBlobEndpoint + containerName`).
 * - No path, query or fragment: an endpoint with a path (`.../container`) or a SAS token (`?sv=...&sig=...`) is
 *   not an account endpoint, and a SAS is a key-derived secret.
 * Values with Terraform tokens are checked on their literal parts (scheme, no query). Sources:
 * https://learn.microsoft.com/azure/storage/common/storage-account-overview#standard-endpoints and
 * #azure-dns-zone-endpoints-preview ; https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity
 * (`AzureWebJobsStorage__blobServiceUri` = "the data plane URI of the blob service ... using the HTTPS scheme").
 */
export function validateStorageEndpoint(
  scope: IConstruct,
  prop: string,
  value: unknown,
  service: StorageService,
  options: StorageEndpointOptions = {},
): void {
  if (value === undefined) return;
  const shape = `must be the ${service} endpoint of a storage account, https://<account>.${service}.<storage domain>/ (optional trailing slash, no path or query)`;
  if (typeof value !== 'string') {
    if (isUnresolved(value)) return;
    throw new InvalidPropError(scope, prop, value, shape);
  }
  const parts = literalParts(value);
  if (parts.hasTokens) {
    const head = parts.startsWithToken ? undefined : parts.literals[0];
    if (head !== undefined && !'https://'.startsWith(head.toLowerCase()) && !head.toLowerCase().startsWith('https://')) {
      throw new InvalidPropError(scope, prop, value, shape);
    }
    if (parts.literals.some((l) => /[?#\s]/.test(l))) throw new InvalidPropError(scope, prop, value, shape);
    return;
  }
  const match = /^https:\/\/([^/?#\s]+?)\/?$/i.exec(value);
  if (!match) throw new InvalidPropError(scope, prop, value, shape);
  const host = match[1];
  if (!isHostname(host)) throw new InvalidPropError(scope, prop, value, shape);
  const labels = host.toLowerCase().split('.');
  if (!labels.slice(1).includes(service) || labels.length < 3) {
    throw new InvalidPropError(scope, prop, value, `${shape}; the host has no \`${service}\` label`);
  }
  const accountName = options.accountName;
  if (accountName !== undefined && !isUnresolved(accountName) && labels[0] !== accountName.toLowerCase()) {
    throw new InvalidPropError(scope, prop, value, `${shape}; it belongs to account "${labels[0]}", not "${accountName}"`);
  }
}

/**
 * The endpoint ending with a slash, ready to have a path appended. When the value ends with a Terraform token it
 * is returned unchanged: azurerm's endpoint attributes (`primary_blob_endpoint`, ...) always end with `/`.
 */
export function withTrailingSlash(endpoint: string): string {
  if (endpoint.endsWith('/')) return endpoint;
  if (isUnresolved(endpoint)) {
    const literals = literalParts(endpoint).literals;
    const last = literals[literals.length - 1];
    // Tokens are encoded as `${TfToken[...]}`: the value ends with a literal only if it ends with the last one.
    const endsWithLiteral = last !== undefined && last !== '' && !last.endsWith('}') && endpoint.endsWith(last);
    if (!endsWithLiteral) return endpoint;
  }
  return `${endpoint}/`;
}
