/**
 * `verify`: checks a deployed stack against what its code declares, then makes one real round trip through it.
 *
 * Management-plane checks read the live service with `@azure/arm-webpubsub` (service, hubs) and the ARM role
 * assignment REST API (through the same authenticated pipeline). The end-to-end check calls the app's negotiate
 * function (from the manifest), and connects a `@azure/web-pubsub-client` — which any app passes; on request it also
 * sends a user event and waits for the handler's reply.
 *
 * This file is the orchestrator: it reads the inputs, builds the {@link VerifyContext} every check receives, runs the
 * checks of `./checks/` in order and decides which cannot run because an earlier one failed. Each check reports its
 * own lines; the CLI turns the report's `ok` into the exit code.
 *
 * Everything that reaches the network comes in through {@link VerifyDeps}, so tests run it against local stand-ins.
 */
import { CliError, resolveValue } from '../deployment-inputs';
import { WEB_PUBSUB_SERVICE_OWNER_ROLE_ID } from '../../common/role-ids';
import { DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS } from '../timeouts';
import { PUBLIC_ARM_ENDPOINT } from './arm';
import type { HubUnderCheck, LiveServiceContext, Report, VerifyCheck, VerifyContext, VerifyDeps, VerifyOptions, VerifyReport } from './context';
import { formatCheck, redactSecrets } from './report-lines';
import { resolveTarget } from './target';
import { CONNECT_CHECK, checkClientRoundTrip, eventCheckName } from './checks/client-round-trip';
import { checkHandlerEvents } from './checks/handler-events';
import { checkHandlerUrl } from './checks/handler-url';
import { checkHubExists, hubExistsCheckName } from './checks/hub-exists';
import { checkHubHandlerCount } from './checks/hub-handler-count';
import { checkLocalAuth, localAuthCheckName } from './checks/local-auth';
import { checkNegotiate } from './checks/negotiate';
import { ROLE_CHECK, checkRoleAssignment } from './checks/role-assignment';
import { readService } from './checks/service-read';
import { checkServiceUri } from './checks/service-uri';
import { checkWebhookAnswers } from './checks/webhook-answers';

// What the CLI and the tests import from here (the pieces live in the files beside it).
export type { VerifyDeps, VerifyOptions, VerifyReport } from './context';
export { redactSecrets } from './report-lines';
export { isSameOrParentScope } from './checks/role-assignment';
export { MAX_TIMEOUT_MS };
/** "Web PubSub Service Owner": the one constant the constructs assign (lib/common/role-ids.ts). */
export { WEB_PUBSUB_SERVICE_OWNER_ROLE_ID };

/** Why the checks of the live service did not run, whichever way reading it failed (the read check says how). */
const SERVICE_NOT_READ = 'not checked: the service could not be read';

/** Checks `--timeout`: a positive whole number of milliseconds, at most {@link MAX_TIMEOUT_MS}. */
export function checkTimeout(ms: number): number {
  if (!Number.isInteger(ms) || ms <= 0 || ms > MAX_TIMEOUT_MS) {
    throw new CliError(`--timeout ${ms}: must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
  }
  return ms;
}

/**
 * Runs every check, printing one line per check as it finishes. Never throws for a failed check (it is reported);
 * throws {@link CliError} only when the inputs themselves are unusable (no manifest, a malformed option).
 */
export async function verify(options: VerifyOptions, deps: VerifyDeps): Promise<VerifyReport> {
  const rawLog = deps.log ?? ((line: string) => console.log(line));
  const rawProgress = deps.progress ?? ((line: string) => console.error(line));
  const log = (line: string): void => rawLog(redactSecrets(line));
  const timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const target = resolveTarget(options);
  const checks: VerifyCheck[] = [];
  const report: Report = (name, status, message) => {
    const check = { name, status, message };
    checks.push(check);
    log(formatCheck(check));
  };
  const ctx: VerifyContext = {
    options,
    target,
    timeoutMs,
    credential: deps.credential,
    armEndpoint: (deps.armEndpoint ?? PUBLIC_ARM_ENDPOINT).replace(/\/+$/, ''),
    armAgent: deps.armAgent,
    fetch: deps.fetch ?? globalThis.fetch,
    serviceLabel: target.serviceName ? `Web PubSub ${target.serviceName}` : 'Web PubSub service',
    report,
    progress: (line: string): void => rawProgress(redactSecrets(line)),
  };

  // The service first: its settings, hubs and roles are compared against what ARM returns.
  const service = await readService(ctx);
  const live: LiveServiceContext | undefined = service ? { ...ctx, arm: service.client, live: service.resource } : undefined;

  if (live) checkLocalAuth(live);
  else report(localAuthCheckName(target.service.localAuthEnabled), 'skip', SERVICE_NOT_READ);
  // The host the app was given for the service (built from its name at synth) against the one ARM reports.
  if (live) checkServiceUri(live);

  // Hubs and their event handlers.
  for (const declared of target.service.hubs) {
    const hub: HubUnderCheck = { declared, name: resolveValue(declared.name, target.outputs) };
    if (!live) {
      report(hubExistsCheckName(hub), 'skip', SERVICE_NOT_READ);
      continue;
    }
    const liveHub = await checkHubExists(live, hub);
    if (!liveHub) continue;
    checkHubHandlerCount(live, liveHub);
    // Handlers compare by position; past the shorter list there is nothing to pair (the count check said so).
    const count = Math.min(liveHub.handlers.length, declared.eventHandlers.length);
    for (let i = 0; i < count; i++) {
      const handler = { name: `hub ${liveHub.name} handler ${i + 1}`, hubName: liveHub.name, declared: declared.eventHandlers[i], live: liveHub.handlers[i] };
      checkHandlerEvents(live, handler);
      const url = checkHandlerUrl(live, handler);
      if (url) await checkWebhookAnswers(live, handler, url);
    }
  }

  // The app identity's data-plane role on the service.
  if (!live || !live.live.id) report(ROLE_CHECK, 'skip', SERVICE_NOT_READ);
  else await checkRoleAssignment(live, live.live.id);

  // The round trip: negotiate, then a client on the URL it returns.
  const negotiated = await checkNegotiate(ctx);
  if ('clientUrl' in negotiated) {
    await checkClientRoundTrip(ctx, negotiated.clientUrl);
  } else {
    report(CONNECT_CHECK, 'skip', `not checked: ${negotiated.notRun}`);
    const eventCheck = eventCheckName(options.event);
    if (eventCheck) report(eventCheck, 'skip', `not checked: ${negotiated.notRun}`);
  }

  const ok = checks.every((c) => c.status === 'pass');
  const failed = checks.filter((c) => c.status !== 'pass').length;
  log(ok ? `all ${checks.length} checks passed` : `${failed} of ${checks.length} checks failed or could not run`);
  return { ok, checks };
}

