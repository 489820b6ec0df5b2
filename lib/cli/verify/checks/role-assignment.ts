/**
 * Check "app identity holds Web PubSub Service Owner": the identity the app's bindings use has the data-plane role on
 * the service (or above it). Without it negotiate and send fail with 403 at run time, not at deploy.
 */
import { WEB_PUBSUB_SERVICE_OWNER_ROLE_ID } from '../../../common/role-ids';
import { coreCommand } from '../../cli-edition';
import { explainArmError, listRoleAssignments } from '../arm';
import type { LiveServiceContext } from '../context';

export const ROLE_CHECK = 'app identity holds Web PubSub Service Owner';

/** Needs the service's resource id (`serviceId`): the orchestrator skips the check without one. */
export async function checkRoleAssignment(ctx: LiveServiceContext, serviceId: string): Promise<void> {
  const { target, report, live } = ctx;
  if (!target.appPrincipalId) {
    report(ROLE_CHECK, 'fail', target.principalProblem ?? 'no principal id for the app identity: pass --app-principal-id');
    return;
  }
  ctx.progress(`… reading role assignments of principal ${target.appPrincipalId}`);
  try {
    const assignments = await listRoleAssignments(ctx.arm, ctx.armEndpoint, serviceId, target.appPrincipalId, ctx.timeoutMs);
    const holds = assignments.some(
      (a) => a.roleDefinitionId.toLowerCase().endsWith(`/${WEB_PUBSUB_SERVICE_OWNER_ROLE_ID}`) && isSameOrParentScope(a.scope, serviceId),
    );
    if (holds) {
      report(ROLE_CHECK, 'pass', `principal ${target.appPrincipalId} on ${live.name}`);
    } else {
      report(
        ROLE_CHECK,
        'fail',
        `principal ${target.appPrincipalId} has no Web PubSub Service Owner assignment on the service or above it (negotiate and send will fail with 403): run \`${coreCommand('deploy')}\`, or \`az role assignment create --assignee-object-id ${target.appPrincipalId} --assignee-principal-type ServicePrincipal --role ${WEB_PUBSUB_SERVICE_OWNER_ROLE_ID} --scope ${serviceId}\``,
      );
    }
  } catch (err) {
    report(ROLE_CHECK, 'fail', explainArmError(err, 'role assignments', target, true));
  }
}

/** True when `scope` is `resourceId` itself or one of its ancestors (role assignments inherit downwards). */
export function isSameOrParentScope(scope: string, resourceId: string): boolean {
  const a = scope.toLowerCase().replace(/\/+$/, '');
  const b = resourceId.toLowerCase().replace(/\/+$/, '');
  return a === '' || a === b || b.startsWith(`${a}/`);
}
