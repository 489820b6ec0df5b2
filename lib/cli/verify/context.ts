/**
 * What `verify` is given (its options and dependencies), what it reports, and the one context every check receives:
 * a check reads what it needs from {@link VerifyContext} instead of taking a long list of parameters, so adding an
 * input to one check does not change the signature of the others.
 */
import type { Agent } from 'node:https';
import type { TokenCredential } from '@azure/identity';
import type { EventHandler, WebPubSubManagementClient, WebPubSubResource } from '@azure/arm-webpubsub';
import type { DeploymentManifest, ManifestEventHandler, ManifestFunctionApp, ManifestHub, ManifestService } from '../../common/manifest-schema';
import type { DeploymentOutputs } from '../deployment-inputs';

export interface VerifyOptions {
  /** Stack whose manifest to use. @default - the only stack of the synth output with a Web PubSub manifest */
  readonly stack?: string;
  /** Deployed values (`cdktf deploy --outputs-file`). @default 'outputs.json' in the cdktf project directory, when it exists */
  readonly outputsFile?: string;
  /** @default '<cdktf output dir>/stacks/<stack>/webpubsub-manifest.json' */
  readonly manifestFile?: string;
  /** Construct path of the service to check, when the manifest has several. @default - the only one */
  readonly servicePath?: string;
  /** Construct path of the Function App for the role check and the round trip. @default - the only one connected to the service */
  readonly functionApp?: string;
  /** Overrides the subscription of the service's resource id. */
  readonly subscriptionId?: string;
  /** Overrides the resource group of the service's resource id. */
  readonly resourceGroup?: string;
  /** Overrides the name of the service's resource id. */
  readonly serviceName?: string;
  /** Overrides the Function App's host name. */
  readonly appHost?: string;
  /** Overrides the principal id of the app identity (the one its bindings use). */
  readonly appPrincipalId?: string;
  /** Negotiate endpoint. @default - the app's anonymous negotiate function from the manifest */
  readonly negotiateUrl?: string;
  /** After connecting, send this user event (the service acknowledges it). @default - connect only */
  readonly event?: string;
  /** Payload of `event`: JSON, else sent as text. @default '{"text":"verify","id":"<unique id>"}' */
  readonly eventData?: string;
  /** Wait for the handler's reply to `event` (a message from the server). @default false */
  readonly expectReply?: boolean;
  /** Time allowed for each network step (token, ARM call, negotiate, connect, reply), at most `MAX_TIMEOUT_MS`. @default 20000 */
  readonly timeoutMs?: number;
  /** @default process.cwd() */
  readonly cwd?: string;
}

/** Everything `verify` talks to. The CLI passes the real ones; tests pass stand-ins. */
export interface VerifyDeps {
  /** Signs ARM requests (the CLI logs in as the Terraform run does, see azure-login.ts); each token request is bounded by the timeout. */
  readonly credential: TokenCredential;
  /** @default 'https://management.azure.com' */
  readonly armEndpoint?: string;
  /** HTTPS agent for ARM calls (e.g. one that trusts a test certificate). @default - Node's global agent */
  readonly armAgent?: Agent;
  /** Used for the negotiate endpoint and the webhook preflight. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** One line per finished check (secrets in URLs redacted). @default console.log */
  readonly log?: (line: string) => void;
  /** Progress while a step runs (secrets in URLs redacted). @default console.error */
  readonly progress?: (line: string) => void;
}

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface VerifyCheck {
  readonly name: string;
  readonly status: CheckStatus;
  /** For a pass: what was found; for a failure: what is wrong and what to do; for a skip: why it did not run. */
  readonly message: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly checks: readonly VerifyCheck[];
}

/** Records a finished check and prints its line. */
export type Report = (name: string, status: CheckStatus, message: string) => void;

/** The negotiate endpoint to call, or why there is none. */
export interface NegotiateTarget {
  readonly url?: URL;
  /** Query parameter the function reads the user id from, if any. */
  readonly userIdParameter?: string;
  /** How the URL was found, for the progress line. */
  readonly source?: string;
  /** Why no URL (a failure message). */
  readonly problem?: string;
}

/**
 * What the code declares (the manifest) joined with what was deployed (the outputs file) and the options that override
 * it. Each value that could not be found comes with the reason, which the check needing it reports as its failure.
 */
export interface DeployedTarget extends Pick<VerifyOptions, 'subscriptionId' | 'resourceGroup' | 'serviceName' | 'appPrincipalId'> {
  readonly manifest: DeploymentManifest;
  readonly outputs?: DeploymentOutputs;
  readonly service: ManifestService;
  /** Why the service cannot be named, when it cannot. */
  readonly serviceProblem?: string;
  readonly app?: ManifestFunctionApp;
  /** Why the app principal is unknown, when it is. */
  readonly principalProblem?: string;
  /** Host name of each app of the manifest, by construct path (the selected app's override applied). */
  readonly appHosts: ReadonlyMap<string, string>;
  /** Why an app's host name is unknown, by construct path. */
  readonly appHostProblems: ReadonlyMap<string, string>;
  readonly negotiate: NegotiateTarget;
}

/** What every check receives. */
export interface VerifyContext {
  readonly options: VerifyOptions;
  /** The manifest, the deployed values and the overrides, resolved once before any check runs. */
  readonly target: DeployedTarget;
  /** Bound for each network step, already checked against `MAX_TIMEOUT_MS`. */
  readonly timeoutMs: number;
  /** Signs ARM requests (unbounded: the ARM client bounds each token request by `timeoutMs`). */
  readonly credential: TokenCredential;
  /** ARM endpoint without a trailing slash. */
  readonly armEndpoint: string;
  readonly armAgent?: Agent;
  /** For the negotiate endpoint and the webhook preflight. */
  readonly fetch: typeof fetch;
  /** "Web PubSub <name>" (or "Web PubSub service" when unnamed), as messages refer to the service. */
  readonly serviceLabel: string;
  /** Records a check and prints its line, secrets redacted. */
  readonly report: Report;
  /** Prints what a step is doing while it runs, secrets redacted. */
  readonly progress: (line: string) => void;
}

/** The context of the checks that need the live service: given only once ARM has returned it. */
export interface LiveServiceContext extends VerifyContext {
  /** The management client that read the service (the hub and role checks go through its pipeline too). */
  readonly arm: WebPubSubManagementClient;
  /** The service as ARM returned it (its host name already checked to be one). */
  readonly live: WebPubSubResource;
}

/** A hub the code declares, with its name from the deployed values (undefined while only known after deploy). */
export interface HubUnderCheck {
  readonly declared: ManifestHub;
  readonly name?: string;
}

/** One event handler of a live hub, paired with the one the code declares at the same position. */
export interface HandlerUnderCheck {
  /** Prefix of the check names, e.g. "hub chat handler 1". */
  readonly name: string;
  readonly hubName: string;
  readonly declared: ManifestEventHandler;
  readonly live: EventHandler;
}
