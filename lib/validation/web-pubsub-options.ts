import { IConstruct } from 'constructs';
import { warnAtSynth } from '../core/synth-messages';
import { InvalidPropError, isUnresolved } from './invalid-prop-error';
import { oneOf, validateBoolean } from './literals';

/**
 * Network ACL actions of `azurerm_web_pubsub_network_acl.default_action` (ARM `ACLAction`; azurerm
 * `StringInSlice(..., false)`: case-sensitive). Source: azurerm `internal/services/signalr/web_pubsub_network_acl_resource.go`.
 */
export const NETWORK_ACL_ACTIONS = ['Allow', 'Deny'] as const;

/**
 * Request types of Web PubSub network ACL rules (ARM `WebPubSubRequestType`; azurerm
 * `webpubsub.PossibleValuesForWebPubSubRequestType()`, case-sensitive).
 * Source: https://learn.microsoft.com/azure/azure-web-pubsub/howto-secure-network-access-control#request-type-rules
 */
export const WEB_PUBSUB_REQUEST_TYPES = ['ClientConnection', 'ServerConnection', 'RESTAPI', 'Trace'] as const;

/**
 * What the public endpoint has to allow for this library's topology to work when no private endpoint carries the
 * function app's traffic: clients connect (`ClientConnection`) and the function app calls the data-plane REST API
 * (`RESTAPI`: client token generation for the negotiate binding with an identity, every output binding). See
 * docs/validation-rules.md, "Network ACL default".
 */
export const RECOMMENDED_PUBLIC_REQUEST_TYPES = ['ClientConnection', 'RESTAPI'] as const;

/** Fails unless the value is `Allow` or `Deny` (exact case). */
export function validateNetworkAclAction(scope: IConstruct, prop: string, value: unknown): void {
  oneOf(scope, prop, value, NETWORK_ACL_ACTIONS);
}

/** Fails unless the value is an array of {@link WEB_PUBSUB_REQUEST_TYPES} (exact case). An empty array is valid. */
export function validateRequestTypes(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!Array.isArray(value)) throw new InvalidPropError(scope, prop, value, `must be an array of ${WEB_PUBSUB_REQUEST_TYPES.join(', ')}`);
  value.forEach((t, i) => oneOf(scope, `${prop}[${i}]`, t, WEB_PUBSUB_REQUEST_TYPES));
}

/** The network ACL props as the library exposes them. */
export interface WebPubSubNetworkAclInput {
  /** `default_action`. */
  readonly defaultAction?: unknown;
  /** `public_network.allowed_request_types`. */
  readonly publicAllowedRequestTypes?: unknown;
  /** `public_network.denied_request_types`. */
  readonly publicDeniedRequestTypes?: unknown;
}

/** Facts about the deployment {@link validateWebPubSubNetworkAcl} needs. */
export interface WebPubSubNetworkAclContext {
  /**
   * The function app reaches the service's REST API through a private endpoint (then it need not be allowed on the
   * public network). The library creates no private endpoint, so only a user who adds one sets this.
   * @default false
   */
  readonly restApiThroughPrivateEndpoint?: boolean;
  /**
   * The `defaultAction` the construct applies when the prop is omitted.
   * @default 'Deny'
   */
  readonly defaultActionDefault?: 'Allow' | 'Deny';
  /**
   * The service's `public_network_access_enabled`. When false, public rules have no effect ("Disabled: Completely
   * blocks public network access. All other network access control rules are ignored for public networks.").
   * @default true
   */
  readonly publicNetworkAccessEnabled?: boolean;
  /**
   * Live trace is enabled on the service; its tool connects as request type `Trace`.
   * @default false
   */
  readonly liveTraceEnabled?: boolean;
}

/**
 * Checks the public network ACL as a whole:
 * 1. `defaultAction` and request types are the allowed literals.
 * 2. azurerm rejects, at apply, allowed types with default `Allow` and denied types with default `Deny`
 *    ("when `default_action` is `Allow` for `public_network`, `allowed_request_types` cannot be specified").
 * 3. When the public endpoint ends up denying `RESTAPI` and the function app has no private endpoint, every call
 *    the app makes to the service fails with 403: the Web PubSub extension creates client tokens through the REST
 *    API when it authenticates with an identity (no access key to sign them locally) and sends every output-binding
 *    action through it. Microsoft's "only client connections from the public network" scenario assumes the app
 *    servers reach the service through a private endpoint.
 * Returns (and adds to the construct) warnings for rules without effect: public rules while public network access
 * is disabled, and a live trace tool that could not connect because `Trace` is not allowed publicly.
 * Sources: azurerm `internal/services/signalr/web_pubsub_network_acl_resource.go` (create/update checks);
 * https://learn.microsoft.com/azure/azure-web-pubsub/howto-secure-network-access-control ;
 * `@azure/web-pubsub` `WebPubSubServiceClient.getClientAccessToken` (TokenCredential -> `generateClientToken` REST call);
 * https://learn.microsoft.com/rest/api/webpubsub/dataplane/web-pub-sub/generate-client-token
 */
export function validateWebPubSubNetworkAcl(
  scope: IConstruct,
  prop: string,
  acl: WebPubSubNetworkAclInput,
  context: WebPubSubNetworkAclContext = {},
): string[] {
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    warnAtSynth(scope, message);
  };
  validateNetworkAclAction(scope, `${prop}.defaultAction`, acl.defaultAction);
  validateRequestTypes(scope, `${prop}.publicAllowedRequestTypes`, acl.publicAllowedRequestTypes);
  validateRequestTypes(scope, `${prop}.publicDeniedRequestTypes`, acl.publicDeniedRequestTypes);
  if ([acl.defaultAction, acl.publicAllowedRequestTypes, acl.publicDeniedRequestTypes].some((v) => isUnresolved(v))) return warnings;
  const action = (acl.defaultAction as string | undefined) ?? context.defaultActionDefault ?? 'Deny';
  const allowed = acl.publicAllowedRequestTypes as readonly string[] | undefined;
  const denied = acl.publicDeniedRequestTypes as readonly string[] | undefined;
  if (allowed && allowed.length > 0 && denied && denied.length > 0) {
    throw new InvalidPropError(scope, `${prop}.publicAllowedRequestTypes`, allowed, 'and `publicDeniedRequestTypes` cannot both be given (azurerm ConflictsWith)');
  }
  if (action === 'Allow' && allowed && allowed.length > 0) {
    throw new InvalidPropError(
      scope,
      `${prop}.publicAllowedRequestTypes`,
      allowed,
      'cannot be given with `defaultAction` Allow (everything is already allowed; azurerm rejects it at apply); list `publicDeniedRequestTypes` instead',
    );
  }
  if (action === 'Deny' && denied && denied.length > 0) {
    throw new InvalidPropError(
      scope,
      `${prop}.publicDeniedRequestTypes`,
      denied,
      'cannot be given with `defaultAction` Deny (everything else is already denied; azurerm rejects it at apply); list `publicAllowedRequestTypes` instead',
    );
  }
  if (context.publicNetworkAccessEnabled === false) {
    warn(`\`${prop}\` has no effect on the public network while \`publicNetworkAccessEnabled\` is false (all public requests are refused)`);
    return warnings;
  }
  const blocked = (type: string) => (action === 'Deny' ? !(allowed ?? []).includes(type) : (denied ?? []).includes(type));
  if (context.liveTraceEnabled && blocked('Trace')) {
    warn(`\`${prop}\` does not allow Trace on the public network, so the live trace tool cannot connect from there`);
  }
  if (context.restApiThroughPrivateEndpoint) return warnings;
  if (blocked('RESTAPI')) {
    throw new InvalidPropError(
      scope,
      prop,
      { defaultAction: action, publicAllowedRequestTypes: allowed, publicDeniedRequestTypes: denied },
      "must allow RESTAPI on the public network: the function app calls the service's REST API over the public endpoint (client tokens for negotiate, every output binding) and would get 403; allow ClientConnection and RESTAPI, or reach the service through a private endpoint",
    );
  }
  return warnings;
}

/** The authentication switches of a Web PubSub service. */
export interface WebPubSubAuthInput {
  /** `local_auth_enabled` (access keys and connection strings). */
  readonly localAuthEnabled?: unknown;
  /** `aad_auth_enabled` (Microsoft Entra ID tokens). */
  readonly aadAuthEnabled?: unknown;
}

/**
 * Fails on authentication settings under which nothing (or not the library's function app) can authenticate:
 * - both off: "When set as true, connection with AccessKey=xxx won't work" (`disableLocalAuth`) and "connection
 *   with AuthType=aad won't work" (`disableAadAuth`) leave no way to call the REST API or issue client tokens;
 * - Entra ID off while identity-based clients (the library's function app, `<prefix>__credential=managedidentity`)
 *   use the service: their Entra tokens would be refused.
 * `undefined` means the library's defaults: local auth off, Entra ID on.
 * Sources: ARM `WebPubSubProperties.disableLocalAuth` / `disableAadAuth`
 * (https://learn.microsoft.com/rest/api/webpubsub/controlplane/web-pub-sub/create-or-update);
 * https://learn.microsoft.com/azure/azure-web-pubsub/howto-disable-local-auth
 */
export function validateWebPubSubAuth(
  scope: IConstruct,
  auth: WebPubSubAuthInput,
  options: { readonly identityClients?: boolean } = {},
): void {
  validateBoolean(scope, 'localAuthEnabled', auth.localAuthEnabled);
  validateBoolean(scope, 'aadAuthEnabled', auth.aadAuthEnabled);
  if (isUnresolved(auth.localAuthEnabled) || isUnresolved(auth.aadAuthEnabled)) return;
  const local = (auth.localAuthEnabled as boolean | undefined) ?? false;
  const aad = (auth.aadAuthEnabled as boolean | undefined) ?? true;
  if (!local && !aad) {
    throw new InvalidPropError(
      scope,
      'aadAuthEnabled',
      false,
      'cannot be false while `localAuthEnabled` is false: the service would accept neither access keys nor Entra ID tokens, so nothing could call it or issue client tokens',
    );
  }
  if (!aad && options.identityClients) {
    throw new InvalidPropError(
      scope,
      'aadAuthEnabled',
      false,
      'cannot be false: the function app authenticates to the service with its managed identity (Entra ID tokens)',
    );
  }
}

/**
 * Fails unless the value can be the audience Web PubSub requests a token for when it calls an upstream with
 * managed identity authentication (`auth.managed_identity_id` in azurerm, sent as ARM
 * `ManagedIdentitySettings.resource`: "The Resource indicating the App ID URI of the target resource. It also
 * appears in the aud (audience) claim of the issued token."). That is an application (client) ID GUID or an App ID
 * URI / resource URI (`api://...`, `https://...`), not the ARM ID of a managed identity: the service always uses
 * its own managed identity (the `identity` of the Web PubSub resource), and azurerm's argument name is misleading.
 * Sources: https://learn.microsoft.com/azure/azure-web-pubsub/howto-use-managed-identity#use-a-managed-identity-in-client-events-scenarios ;
 * azurerm `internal/services/signalr/web_pubsub_hub_resource.go` (`expandAuth`).
 */
export function validateUpstreamAuthResource(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined || isUnresolved(value)) return;
  const rule =
    "must be the audience of the upstream's Entra ID application: its application (client) ID or App ID URI (e.g. api://<client id>), not a managed identity's resource ID (the service uses its own identity)";
  if (typeof value !== 'string') throw new InvalidPropError(scope, prop, value, rule);
  const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
  const uri = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/.test(value);
  if (!guid && !uri) throw new InvalidPropError(scope, prop, value, rule);
}

