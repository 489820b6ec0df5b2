/**
 * Check "the app's serviceUri names the service's host": the `<prefix>__serviceUri` setting the app was given (built
 * at synth from the service name and a DNS suffix, see `WebPubSubServiceProps.hostnameSource`) names the host ARM
 * reports for the service, case-insensitively. Otherwise the app's bindings call a host that is not the service
 * (negotiate and send fail) although the hubs may work.
 */
import { resolveValue } from '../../deployment-inputs';
import { serviceHostMismatch } from '../../service-host';
import type { LiveServiceContext } from '../context';

export const SERVICE_URI_CHECK = "app's serviceUri names the service's host";

/**
 * Runs for the app under check and each of its connections to the service; reports nothing when the manifest does
 * not record the setting (an older manifest, an app connected to another service).
 */
export function checkServiceUri(ctx: LiveServiceContext): void {
  const { target, report, live } = ctx;
  const app = target.app;
  if (!app || !live.hostName) return;
  for (const connection of app.connections.filter((c) => c.service === target.service.path && c.serviceUri !== undefined)) {
    const name = app.connections.length > 1 ? `${SERVICE_URI_CHECK} (${connection.prefix})` : SERVICE_URI_CHECK;
    const uri = resolveValue(connection.serviceUri!, target.outputs);
    if (uri === undefined) {
      report(name, 'skip', `not checked: the outputs do not hold the ${connection.prefix}__serviceUri setting of ${app.path} (deploy with --outputs-file again)`);
      continue;
    }
    const problem = serviceHostMismatch(uri, live.hostName, `the app ${app.path}`);
    report(name, problem ? 'fail' : 'pass', problem ?? `${connection.prefix}__serviceUri ${uri} names ${live.hostName}`);
  }
}
