/**
 * Reads `verify`'s inputs before any check runs: the manifest (what the code declares), the outputs file (what was
 * deployed) and the options that override either. A value that cannot be found is not an error here: it is kept with
 * its reason, and the check that needs it fails with that reason while the others still run. Only unusable inputs
 * (no manifest, a malformed option) throw {@link CliError}.
 */
import * as path from 'node:path';
import type { ManifestFunctionApp } from '../../common/manifest-schema';
import { CliError, DeploymentOutputs, loadManifest, missingValueHint, parseResourceId, pickByPath, resolveValue } from '../deployment-inputs';
import { bareHostName, isHostName, printableBadHost } from '../host-name';
import type { DeployedTarget, NegotiateTarget, VerifyOptions } from './context';
import { redactSecrets } from './report-lines';

export function resolveTarget(options: VerifyOptions): DeployedTarget {
  const cwd = options.cwd ?? process.cwd();
  const { manifest, layout } = loadManifest({ stack: options.stack, manifestFile: options.manifestFile, cwd });
  // The service this stack checks: the one it adds hubs to, else the one it declares (not one it only connects to).
  const withHubs = manifest.services.filter((s) => s.hubs.length > 0);
  const declared = manifest.services.filter((s) => s.path.startsWith(`${manifest.stack}/`));
  const candidates = options.servicePath !== undefined ? manifest.services : withHubs.length > 0 ? withHubs : declared.length > 0 ? declared : manifest.services;
  const service = pickByPath(candidates, options.servicePath, 'Web PubSub service', '--service-path');

  const outputsFile = options.outputsFile !== undefined ? path.resolve(cwd, options.outputsFile) : path.join(layout.projectDir, 'outputs.json');
  const outputs = DeploymentOutputs.read(outputsFile, options.outputsFile !== undefined);

  // Subscription, resource group and name, from the service's resource id (each overridable).
  const resourceId = resolveValue(service.resourceId, outputs);
  const parts = resourceId !== undefined ? parseResourceId(resourceId) : undefined;
  const subscriptionId = options.subscriptionId ?? parts?.subscriptionId;
  const resourceGroup = options.resourceGroup ?? parts?.resourceGroup;
  const serviceName = options.serviceName ?? parts?.name;
  let serviceProblem: string | undefined;
  if (!subscriptionId || !resourceGroup || !serviceName) {
    serviceProblem =
      resourceId !== undefined && !parts
        ? `the service resource id ${JSON.stringify(resourceId)} is not an ARM resource id: pass --subscription, --resource-group and --service`
        : `don't know which service to read: ${missingValueHint(service.resourceId, outputs, '--subscription, --resource-group and --service')}`;
  }

  // The Function App for the role check and the round trip: connected to the service, else serving its hubs.
  const connected = manifest.functionApps.filter((a) => a.connections.some((c) => c.service === service.path));
  const handlerApps = new Set(service.hubs.flatMap((h) => h.eventHandlers.map((e) => e.functionApp)));
  const appCandidates = connected.length > 0 ? connected : manifest.functionApps.filter((a) => handlerApps.has(a.path));
  const app =
    options.functionApp !== undefined || appCandidates.length > 0
      ? pickByPath(options.functionApp !== undefined ? manifest.functionApps : appCandidates, options.functionApp, 'Function App', '--function-app')
      : undefined;

  const appHosts = new Map<string, string>();
  const appHostProblems = new Map<string, string>();
  for (const a of manifest.functionApps) {
    const overridden = a === app && options.appHost !== undefined;
    const host = overridden ? options.appHost : resolveValue(a.hostname, outputs);
    const normalized = host === undefined ? undefined : bareHostName(host);
    if (normalized === undefined) {
      appHostProblems.set(a.path, `no host name for Function App ${a.path}: ${missingValueHint(a.hostname, outputs, '--app-host')}`);
    } else if (!isHostName(normalized)) {
      // The negotiate URL and the handler check are built on this host: refuse it rather than build a URL from it.
      appHostProblems.set(
        a.path,
        `the host name of Function App ${a.path} (${overridden ? '--app-host' : 'deployed output'}) is not a host name: ${printableBadHost(normalized)}: ${overridden ? 'pass the app\'s default host name' : 'check the outputs file, or pass --app-host'}`,
      );
    } else {
      appHosts.set(a.path, normalized);
    }
  }
  const appPrincipalId = options.appPrincipalId ?? (app ? resolveValue(app.principalId, outputs) : undefined);
  const principalProblem = app
    ? `no principal id for the identity of ${app.path}: ${missingValueHint(app.principalId, outputs, '--app-principal-id')}`
    : 'the manifest has no Function App connected to the service: pass --function-app <construct path> or --app-principal-id';

  return {
    manifest,
    outputs,
    service,
    subscriptionId,
    resourceGroup,
    serviceName,
    serviceProblem,
    app,
    appPrincipalId,
    principalProblem,
    appHosts,
    appHostProblems,
    negotiate: negotiateTarget(options, app, app ? appHosts.get(app.path) : undefined, app ? appHostProblems.get(app.path) : undefined),
  };
}

/** The endpoint that returns a client URL: `--negotiate-url`, else the app's anonymous negotiate function. */
function negotiateTarget(options: VerifyOptions, app: ManifestFunctionApp | undefined, host: string | undefined, hostProblem: string | undefined): NegotiateTarget {
  if (options.negotiateUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(options.negotiateUrl);
    } catch {
      throw new CliError(`--negotiate-url ${JSON.stringify(redactSecrets(options.negotiateUrl))} is not a URL: pass an absolute https:// URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new CliError(`--negotiate-url ${JSON.stringify(redactSecrets(options.negotiateUrl))} must be an http(s):// URL`);
    }
    return { url, userIdParameter: url.searchParams.has('userid') ? undefined : 'userid', source: '--negotiate-url' };
  }
  if (!app) return { problem: 'the manifest has no Function App connected to the service: pass --negotiate-url <url> (or --function-app)' };
  let urlPath = '/api/negotiate';
  let userIdParameter: string | undefined = 'userid';
  let source = `${app.path} (the conventional /api/negotiate: the app's code is not packaged by the stack)`;
  if (app.code) {
    const functions = app.code.negotiateFunctions;
    if (functions.length === 0) {
      return { problem: `the code of ${app.path} has no HTTP function with a webPubSubConnection input (a negotiate endpoint): pass --negotiate-url <url>` };
    }
    const anonymous = functions.filter((f) => f.authLevel === 'anonymous');
    if (anonymous.length === 0) {
      const f = functions[0];
      return {
        problem: `negotiate function "${f.name}" needs a function key (authLevel ${f.authLevel}): pass --negotiate-url "https://${host ?? '<app host>'}${f.path}?code=<function key>"`,
      };
    }
    // A user id from the query string can be set; one from a header (App Service authentication) cannot.
    const fromQuery = (f: { userId: string | null }): string | undefined => /^\{query\.([^}]+)\}$/.exec(f.userId ?? '')?.[1];
    const chosen = anonymous.find((f) => fromQuery(f) !== undefined) ?? anonymous.find((f) => f.userId === null) ?? anonymous[0];
    urlPath = chosen.path;
    userIdParameter = fromQuery(chosen);
    source = `function "${chosen.name}" of ${app.path}`;
  }
  if (!host) return { problem: hostProblem ?? `no host name for ${app.path}: pass --app-host` };
  try {
    return { url: new URL(`https://${host}${urlPath}`), userIdParameter, source };
  } catch {
    return { problem: `the app host name ${JSON.stringify(host)} does not make a URL: check the outputs file, or pass --app-host` };
  }
}
