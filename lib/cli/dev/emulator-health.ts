/**
 * Waits until the emulator answers its health check: `HEAD /api/health` returns 200 when it is ready (Azure/azure-webpubsub
 * `tools/emulator` README, "Run from source"; older READMEs said `GET /health`, the current source serves `/api/health`).
 */
import * as http from 'node:http';
import { EMULATOR_HEALTH_PATH } from './emulator-settings';

/** One `HEAD` request: the status code, or undefined when nothing answered. */
function headStatus(port: number, timeoutMs: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = http.request({ host: 'localhost', port, path: EMULATOR_HEALTH_PATH, method: 'HEAD', timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
    request.end();
  });
}

/**
 * Polls until a 2xx answer, `stillRunning()` turns false (the emulator exited) or `timeoutMs` passed.
 * @returns true when healthy
 */
export async function waitForEmulator(port: number, timeoutMs: number, stillRunning: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && stillRunning()) {
    const status = await headStatus(port, 2000);
    if (status !== undefined && status >= 200 && status < 300) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}
