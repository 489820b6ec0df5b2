/**
 * Check "local auth": whether the live service accepts access keys, against the stack's `localAuthEnabled`. The
 * stack disables local auth unless told otherwise, so drift here means keys work that the code says must not.
 */
import { coreCommand } from '../../cli-edition';
import type { LiveServiceContext } from '../context';

/** The name of the check when it cannot run: an imported service's auth is reported, not checked. */
export function localAuthCheckName(declared: boolean | null): string {
  return declared === null ? 'local auth (not managed by this stack)' : 'local auth disabled';
}

export function checkLocalAuth(ctx: LiveServiceContext): void {
  const { live, report } = ctx;
  const declared = ctx.target.service.localAuthEnabled;
  if (declared === null) {
    // An imported service: its auth settings belong to whoever manages it; say what it does, fail nothing.
    return report(
      localAuthCheckName(declared),
      'pass',
      live.disableLocalAuth === true
        ? 'access keys are rejected; only Entra ID tokens work'
        : 'access keys are accepted on this service (its owner can disable local auth so only Entra ID tokens work)',
    );
  }
  const liveEnabled = live.disableLocalAuth !== true;
  if (liveEnabled === declared) {
    return report(
      declared ? 'local auth enabled, as the stack declares' : 'local auth disabled',
      'pass',
      declared ? 'access keys work on this service (localAuthEnabled: true in the stack)' : 'access keys are rejected; only Entra ID tokens work',
    );
  }
  report(
    'local auth disabled',
    'fail',
    declared
      ? `the service rejects access keys but the stack declares localAuthEnabled: true: run \`${coreCommand('deploy')}\` to converge`
      : `the service accepts access keys (disableLocalAuth is not true): remove \`localAuthEnabled: true\` from the service props (or fix drift) and run \`${coreCommand('deploy')}\``,
  );
}
