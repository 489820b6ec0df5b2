/**
 * A throwaway self-signed certificate for the local ARM STAND-IN.
 *
 * Why HTTPS at all: the Azure SDK's bearer-token policy refuses to send a token over plain http, so the stand-in for
 * management.azure.com must speak TLS. The certificate is generated per test run with the `openssl` CLI (Node's
 * crypto cannot issue certificates) and trusted only by the `https.Agent` the test hands to `verify` — nothing global
 * (no NODE_TLS_REJECT_UNAUTHORIZED) is touched.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestCertificate {
  readonly key: string;
  readonly cert: string;
}

export function createTestCertificate(): TestCertificate {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stand-in-tls-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
        '-subj', '/CN=arm-stand-in.localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout', keyFile, '-out', certFile,
      ],
      { stdio: 'pipe' },
    );
    return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
