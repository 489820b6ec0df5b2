/**
 * Check "hub <name> exists": each hub the code declares is on the live service. Its event handlers are what the
 * handler checks compare, so it returns them.
 */
import type { EventHandler, WebPubSubHub, WebPubSubManagementClient } from '@azure/arm-webpubsub';
import { isRestError } from '@azure/core-rest-pipeline';
import type { ManifestHub } from '../../../common/manifest-schema';
import { coreCommand } from '../../cli-edition';
import { missingValueHint } from '../../deployment-inputs';
import { explainArmError } from '../arm';
import type { DeployedTarget, HubUnderCheck, LiveServiceContext } from '../context';

/** A declared hub found on the service. */
export interface LiveHub {
  readonly name: string;
  readonly declared: ManifestHub;
  readonly handlers: readonly EventHandler[];
}

export function hubExistsCheckName(hub: HubUnderCheck): string {
  return `hub ${hub.name ?? hub.declared.path} exists`;
}

/** The hub with its live event handlers, or undefined (the failure reported) when it is not there or not readable. */
export async function checkHubExists(ctx: LiveServiceContext, hub: HubUnderCheck): Promise<LiveHub | undefined> {
  const { target, report, timeoutMs } = ctx;
  const checkName = hubExistsCheckName(hub);
  const hubName = hub.name;
  if (hubName === undefined) {
    report(checkName, 'fail', `the hub name is only known after deploy: ${missingValueHint(hub.declared.name, target.outputs, '--outputs <file>')}`);
    return undefined;
  }
  ctx.progress(`… reading hub ${hubName}`);
  let liveHub: WebPubSubHub;
  try {
    liveHub = await ctx.arm.webPubSubHubs.get(hubName, target.resourceGroup!, target.serviceName!, { abortSignal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    if (isRestError(err) && err.statusCode === 404) {
      const existing = await listHubNames(ctx.arm, target, timeoutMs);
      report(
        checkName,
        'fail',
        `hub "${hubName}" is not on ${ctx.serviceLabel} (hubs there: ${existing.length ? existing.join(', ') : 'none'}): run \`${coreCommand('deploy')}\` so the hub the code uses is created`,
      );
    } else {
      report(checkName, 'fail', explainArmError(err, `hub ${hubName}`, target));
    }
    return undefined;
  }
  const handlers = liveHub.properties.eventHandlers ?? [];
  report(checkName, 'pass', `${handlers.length} event handler(s)`);
  return { name: hubName, declared: hub.declared, handlers };
}

async function listHubNames(client: WebPubSubManagementClient, target: DeployedTarget, timeoutMs: number): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const hub of client.webPubSubHubs.list(target.resourceGroup!, target.serviceName!, { abortSignal: AbortSignal.timeout(timeoutMs) })) {
      if (hub.name) names.push(hub.name);
    }
  } catch {
    // The list only improves the message.
  }
  return names;
}
