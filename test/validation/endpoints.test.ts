import { validateHostname, validateStorageEndpoint, withTrailingSlash } from '../../lib/validation/endpoints';
import { errorOf, scope, stringToken } from './helpers';

describe('validateHostname', () => {
  test.each([
    'wps1.webpubsub.azure.com',
    'func-abc123.westeurope-01.azurewebsites.net',
    'xn--bcher-kva.example',
    `${'a'.repeat(63)}.example.com`,
  ])('accepts %s', (host) => {
    expect(() => validateHostname(scope(), 'hostname', host)).not.toThrow();
  });

  test.each([
    ['a scheme', 'https://wps1.webpubsub.azure.com'],
    ['a path', 'wps1.webpubsub.azure.com/api'],
    ['a trailing slash', 'wps1.webpubsub.azure.com/'],
    ['a trailing dot', 'wps1.webpubsub.azure.com.'],
    ['a port', 'wps1.webpubsub.azure.com:443'],
    ['a single label', 'localhost'],
    ['a label of 64 characters', `${'a'.repeat(64)}.example.com`],
    ['a label starting with a hyphen', '-a.example.com'],
    ['whitespace', 'wps1 .webpubsub.azure.com'],
    ['an empty string', ''],
    ['a number', 5],
  ])('rejects %s', (_label, value) => {
    expect(errorOf(() => validateHostname(scope(), 'hostname', value))).toMatch(/^Stack\/Thing: `hostname` must be a host name/);
  });

  test('checks the literal parts around tokens and skips a whole token', () => {
    expect(() => validateHostname(scope(), 'hostname', stringToken())).not.toThrow();
    expect(() => validateHostname(scope(), 'hostname', `${stringToken()}.webpubsub.azure.com`)).not.toThrow();
    expect(() => validateHostname(scope(), 'hostname', `https://${stringToken()}`)).toThrow(/must be a host name/);
    expect(() => validateHostname(scope(), 'hostname', `${stringToken()}/`)).toThrow(/must be a host name/);
  });

  test('skips undefined', () => {
    expect(() => validateHostname(scope(), 'hostname', undefined)).not.toThrow();
  });
});

describe('validateStorageEndpoint', () => {
  test.each([
    ['public cloud, with trailing slash', 'https://st1.blob.core.windows.net/'],
    ['public cloud, without trailing slash', 'https://st1.blob.core.windows.net'],
    ['Azure China', 'https://st1.blob.core.chinacloudapi.cn/'],
    ['Azure US Government', 'https://st1.blob.core.usgovcloudapi.net/'],
    ['an Azure DNS zone endpoint', 'https://st1.z12.blob.storage.azure.net/'],
    ['Azure Stack Hub', 'https://st1.blob.region1.azurestack.contoso.com/'],
    ['an upper-case scheme', 'HTTPS://st1.blob.core.windows.net/'],
  ])('accepts %s', (_label, endpoint) => {
    expect(() => validateStorageEndpoint(scope(), 'primaryBlobEndpoint', endpoint, 'blob')).not.toThrow();
  });

  test('rejects HTTP with the expected shape in the message', () => {
    expect(errorOf(() => validateStorageEndpoint(scope(), 'primaryBlobEndpoint', 'http://st1.blob.core.windows.net/', 'blob'))).toBe(
      'Stack/Thing: `primaryBlobEndpoint` must be the blob endpoint of a storage account, https://<account>.blob.<storage domain>/ ' +
        '(optional trailing slash, no path or query), got "http://st1.blob.core.windows.net/"',
    );
  });

  test.each([
    ['a container path', 'https://st1.blob.core.windows.net/function-packages'],
    ['a SAS token', 'https://st1.blob.core.windows.net/?sv=2022-11-02&sig=abc'],
    ['a fragment', 'https://st1.blob.core.windows.net/#x'],
    ['two trailing slashes', 'https://st1.blob.core.windows.net//'],
    ['credentials', 'https://user:pw@st1.blob.core.windows.net/'],
    ['no scheme', 'st1.blob.core.windows.net'],
    ['a number', 1],
  ])('rejects %s', (_label, endpoint) => {
    expect(() => validateStorageEndpoint(scope(), 'primaryBlobEndpoint', endpoint, 'blob')).toThrow(/must be the blob endpoint of a storage account/);
  });

  test('rejects the endpoint of another service', () => {
    expect(() => validateStorageEndpoint(scope(), 'primaryBlobEndpoint', 'https://st1.queue.core.windows.net/', 'blob')).toThrow(
      /the host has no `blob` label/,
    );
    expect(() => validateStorageEndpoint(scope(), 'primaryQueueEndpoint', 'https://st1.queue.core.windows.net/', 'queue')).not.toThrow();
  });

  test('rejects the endpoint of another account when the account is known, case-insensitively', () => {
    expect(() =>
      validateStorageEndpoint(scope(), 'primaryTableEndpoint', 'https://other.table.core.windows.net/', 'table', { accountName: 'st1' }),
    ).toThrow(/belongs to account "other", not "st1"/);
    expect(() =>
      validateStorageEndpoint(scope(), 'primaryTableEndpoint', 'https://ST1.table.core.windows.net/', 'table', { accountName: 'st1' }),
    ).not.toThrow();
  });

  test('skips undefined and whole tokens; checks the literal parts around tokens', () => {
    expect(() => validateStorageEndpoint(scope(), 'e', undefined, 'blob')).not.toThrow();
    expect(() => validateStorageEndpoint(scope(), 'e', stringToken(), 'blob')).not.toThrow();
    expect(() => validateStorageEndpoint(scope(), 'e', `https://${stringToken()}.blob.core.windows.net/`, 'blob')).not.toThrow();
    expect(() => validateStorageEndpoint(scope(), 'e', `http://${stringToken()}.blob.core.windows.net/`, 'blob')).toThrow(/must be the blob endpoint/);
    expect(() => validateStorageEndpoint(scope(), 'e', `${stringToken()}?sig=x`, 'blob')).toThrow(/must be the blob endpoint/);
    expect(() => validateStorageEndpoint(scope(), 'e', 'st1.blob', 'blob', { accountName: stringToken() })).toThrow(/must be the blob endpoint/);
    expect(() => validateStorageEndpoint(scope(), 'e', 'https://st1.blob.core.windows.net', 'blob', { accountName: stringToken() })).not.toThrow();
  });
});

describe('withTrailingSlash', () => {
  test('adds a missing slash and keeps an existing one', () => {
    expect(withTrailingSlash('https://st1.blob.core.windows.net')).toBe('https://st1.blob.core.windows.net/');
    expect(withTrailingSlash('https://st1.blob.core.windows.net/')).toBe('https://st1.blob.core.windows.net/');
  });

  test('leaves a value that ends with a token alone (azurerm endpoints end with "/")', () => {
    const token = stringToken();
    expect(withTrailingSlash(token)).toBe(token);
    expect(withTrailingSlash(`https://${token}`)).toBe(`https://${token}`);
  });

  test('adds the slash after a literal tail that follows a token', () => {
    const token = stringToken();
    expect(withTrailingSlash(`https://${token}.blob.core.windows.net`)).toBe(`https://${token}.blob.core.windows.net/`);
  });
});
