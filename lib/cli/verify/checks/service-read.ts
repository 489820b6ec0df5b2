/**
 * Check "read the service from ARM": the service the stack deployed exists and ARM returns it. Every other
 * management-plane check compares against what this one reads, so it returns the service and the client that read it.
 */
import { WebPubSubManagementClient } from '@azure/arm-webpubsub';
import type { WebPubSubResource } from '@azure/arm-webpubsub';
import { isHostName, printableBadHost } from '../../host-name';
import { explainArmError, timeBoundCredential } from '../arm';
import type { VerifyContext } from '../context';

export const READ_SERVICE_CHECK = 'read the service from ARM';

export interface LiveService {
  readonly client: WebPubSubManagementClient;
  readonly resource: WebPubSubResource;
}

/** The service as ARM returns it, or undefined (the failure reported) when it cannot be named, read or trusted. */
export async function readService(ctx: VerifyContext): Promise<LiveService | undefined> {
  const { target, report, serviceLabel, armEndpoint, timeoutMs } = ctx;
  if (target.serviceProblem) {
    report(READ_SERVICE_CHECK, 'fail', target.serviceProblem);
    return undefined;
  }
  const client = new WebPubSubManagementClient(timeBoundCredential(ctx.credential, timeoutMs), target.subscriptionId!, {
    endpoint: armEndpoint,
    credentialScopes: [`${armEndpoint}/.default`],
    ...(ctx.armAgent ? { agent: ctx.armAgent } : {}),
  });
  ctx.progress(`… reading ${serviceLabel} in resource group ${target.resourceGroup}`);
  try {
    const read = await client.webPubSub.get(target.resourceGroup!, target.serviceName!, { abortSignal: AbortSignal.timeout(timeoutMs) });
    // The host name is the origin of every webhook check and is printed in URLs: a malformed one is not used.
    if (read.hostName !== undefined && !isHostName(read.hostName)) {
      report(READ_SERVICE_CHECK, 'fail', `ARM returned ${serviceLabel} with a hostName that is not a host name: ${printableBadHost(read.hostName)}`);
      return undefined;
    }
    report(READ_SERVICE_CHECK, 'pass', `${read.name ?? target.serviceName} (${read.hostName ?? 'no host name'})`);
    return { client, resource: read };
  } catch (err) {
    report(READ_SERVICE_CHECK, 'fail', explainArmError(err, serviceLabel, target));
    return undefined;
  }
}
