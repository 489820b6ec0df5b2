/**
 * LOCAL STAND-IN for a managed identity token endpoint that never answers — NOT Azure. It plays the App Service
 * managed identity endpoint (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`, which @azure/identity's ManagedIdentityCredential
 * calls; the CLI uses it with `ARM_USE_MSI=true`, as the azurerm provider does), accepts each request and holds it open forever: the way a token request hangs
 * behind a broken proxy or a firewall that drops packets.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HangingTokenEndpoint {
  /** `http://127.0.0.1:<port>/msi/token`, for IDENTITY_ENDPOINT. */
  readonly url: string;
  /** Request lines seen (`GET /msi/token?...`). */
  readonly requests: string[];
  /** Environment that makes the CLI's login use this endpoint (and only it). */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export async function startHangingTokenEndpoint(): Promise<HangingTokenEndpoint> {
  const requests: string[] = [];
  const server = http.createServer((req) => {
    requests.push(`${req.method} ${req.url}`);
    // Never answers.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/msi/token`;
  return {
    url,
    requests,
    env: { ARM_USE_MSI: 'true', IDENTITY_ENDPOINT: url, IDENTITY_HEADER: 'stand-in' },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
