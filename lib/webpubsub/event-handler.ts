import { ITerraformDependable, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import {
  SystemEvent,
  validateEventHandlerUrlTemplate,
  validateHttpFunctionPath,
  validateSystemEvents,
  validateUserEvents,
} from '../validation/event-routing';
import { warnAtSynth } from '../core/synth-messages';
import { LIBRARY_EDITION } from '../core/edition-guard';
import { InvalidPropError, isUnresolved } from '../validation/invalid-prop-error';
import { validateUpstreamAuthResource } from '../validation/web-pubsub-options';
import { TUNNEL_URL_PREFIX, WEBPUBSUB_EXTENSION_WEBHOOK_PATH } from '../common/webhook-targets';
import { defaultHandlersRoute, isRouteSafeHubName } from '../runtime/web-pubsub-handlers';
import { declaredTargetCode } from './event-target-code';

/** Which events a handler receives. */
export interface EventRouting {
  /**
   * System events to forward: any of connect, connected, disconnected.
   * @default - none (or, for `functionApp` and `functionsExtension` handlers, what the app's code declares)
   */
  readonly systemEvents?: SystemEvent[];
  /**
   * User events to forward: `*`, one event name, or comma-separated names.
   * @default - none (or, for `functionApp` and `functionsExtension` handlers, what the app's code declares)
   */
  readonly userEventPattern?: string;
}

/** Options common to every event handler. */
export interface EventHandlerOptions extends EventRouting {
  /**
   * Authenticate calls to the upstream with Entra ID: the service gets a token for this audience (the upstream
   * application's client id or App ID URI, e.g. `api://<client id>`) with its own managed identity, which a
   * `WebPubSubService` is then given. Only for upstreams that validate Entra tokens; the Functions extension webhook
   * is protected by its key instead.
   * (azurerm `auth.managed_identity_id`, sent as ARM `ManagedIdentitySettings.resource`:
   * https://learn.microsoft.com/azure/azure-web-pubsub/howto-use-managed-identity#use-a-managed-identity-in-client-events-scenarios)
   * @default - no upstream authentication
   */
  readonly upstreamAuthAudience?: string;
}

/** A key of an app the hubs put in their URL (`?code=`), and the step after which every instance of the app serves it. */
export interface ExtensionWebhookKey {
  /** The key (a sensitive Terraform value). */
  readonly value: string;
  /**
   * Hubs that call the webhook wait for this step (the service validates the URL when a hub is saved).
   * @default - nothing to wait for (an imported app)
   */
  readonly servedAfter?: ITerraformDependable;
}

/** A key of an app the hubs put in their URL (`?code=`); the same shape for the system key and the app key. */
export type WebhookKey = ExtensionWebhookKey;

/** A hub's handlers the app's code serves as an HTTP function (`registerWebPubSubHandlers`). */
export interface DeclaredHttpEventHandlers extends EventRouting {
  /** Path on the app's host with `{event}`, without the leading `/` (e.g. `api/webpubsub/chat/{event}`). */
  readonly path: string;
  /** The function serving them. */
  readonly functionName: string;
}

/**
 * A function app as an event target: its public host name and the keys the library writes into the app: the
 * `webpubsub_extension` system key (the Web PubSub extension webhook, for `webPubSubTrigger` functions) and the
 * `webpubsub_upstream` app key (HTTP functions with the `webPubSubContext` input).
 */
export interface IWebPubSubEventTarget extends IConstruct {
  /** The app's default host name as ARM reports it (Flex Consumption host names are not `<name>.azurewebsites.net`). */
  readonly defaultHostname: string;
  /** The `webpubsub_extension` system key, when the app has one the library knows. */
  readonly extensionWebhookKey?: ExtensionWebhookKey;
  /** The `webpubsub_upstream` app key for HTTP functions, when the app has one the library knows. */
  readonly upstreamKey?: WebhookKey;
  /**
   * Whether the app runs on Flex Consumption, where the host does not serve the Web PubSub trigger's webhook
   * (azure-functions-host#11493); undefined when unknown (an imported app).
   */
  readonly flexConsumption?: boolean;
  /** Whether `webPubSubTrigger` functions were explicitly allowed on Flex Consumption. */
  readonly webPubSubTriggersOnFlex?: boolean;
}

/**
 * Why the routing of `hubName` cannot be read from the app's code, in the user's terms: what the code declares and
 * what the stack declares. Undefined when it can.
 */
export function missingRoutingReason(app: IWebPubSubEventTarget | undefined, hubName: string): string | undefined {
  const code = declaredTargetCode(app);
  if (code?.declaredRouting(hubName) || code?.declaredHttpHandlers(hubName)) return undefined;
  const hubs = code?.declaredTriggerHubs();
  const fix = 'or set `systemEvents`/`userEventPattern` for it explicitly';
  const contextFunctions = code?.undeclaredContextFunctions() ?? [];
  if (contextFunctions.length > 0 && !(hubs ?? []).some((h) => h.toLowerCase() === hubName.toLowerCase())) {
    return (
      `gets its event routing from the app's code, but the code's HTTP functions with the webPubSubContext input (${contextFunctions.map((n) => `"${n}"`).join(', ')}) ` +
      'do not say which hub and events they handle: register them with `registerWebPubSubHandlers({ app, input }, { hub, connect, userEvents, ... })` from ' +
      '`cdktf-azure-webpubsub/runtime`, or give the hub an explicit handler, e.g. `EventHandler.httpFunction(app, \'api/{event}\', { systemEvents: [\'connect\'], userEventPattern: \'message\' })` ' +
      '(with a function that answers the service\'s OPTIONS validation at api/validate, and `authLevel: \'function\'`)'
    );
  }
  if (hubs === undefined) {
    return `gets its event routing from the app's code, but the app's code is not packaged by this stack (no \`code\`), so it is unknown: ${fix}`;
  }
  const expressions = [...new Set(hubs.filter((h) => h === '' || /[%{]/.test(h)))];
  if (expressions.length > 0) {
    const shown = expressions.map((h) => (h === '' ? '(none: the WebPubSubHub app setting)' : `"${h}"`)).join(', ');
    return `gets its event routing from the app's code, but the code's Web PubSub triggers name their hub as ${shown}, resolved only at runtime: ${fix}`;
  }
  const literal = [...new Set(hubs)];
  if (literal.length === 0) return `gets its event routing from the app's code, but the code declares no handlers for it (no registerWebPubSubHandlers call, no Web PubSub trigger): ${fix}`;
  const guess = closestName(hubName, literal);
  return `is "${hubName}", but the app's Web PubSub triggers use hub ${literal.map((h) => `"${h}"`).join(', ')}${guess ? `; did you mean "${guess}"?` : ''} (${fix})`;
}

/** The candidate closest to `name` (case-insensitive edit distance at most 2, or a third of its length), if any. */
function closestName(name: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = current;
      }
    }
    return row[b.length];
  };
  const scored = candidates.map((c) => ({ c, d: distance(name.toLowerCase(), c.toLowerCase()) })).sort((x, y) => x.d - y.d);
  return scored[0] && scored[0].d <= Math.max(2, Math.floor(name.length / 3)) ? scored[0].c : undefined;
}

/** What a hub synthesizes for one handler. */
export interface BoundEventHandler {
  /** Which kind of upstream. */
  readonly kind: HandlerKind;
  /** Construct path of the target function app, if any. */
  readonly functionAppPath?: string;
  /** Path of the upstream URL on the function app (no host, no query), if any. */
  readonly urlPath?: string;
  readonly urlTemplate: string;
  readonly systemEvents: string[];
  readonly userEventPattern?: string;
  /** Audience of the service's upstream token, when the handler authenticates. */
  readonly upstreamAuthAudience?: string;
  /** Resources the hub must wait for (e.g. the key write). */
  readonly dependsOn: ITerraformDependable[];
  /** The handler sends events through the Web PubSub tunnel (`EventHandler.tunnel`), not to the deployed app. */
  readonly tunnel?: boolean;
}

/** Kinds of event handler upstreams. */
export type HandlerKind = 'functionsExtension' | 'httpFunction' | 'url';

/**
 * An event handler of a Web PubSub hub: where the service sends events, and which.
 */
export class EventHandler {
  /**
   * The function app's own handlers for the hub, as its code declares them: the HTTP function that
   * `registerWebPubSubHandlers` (runtime entry) registers for the hub, called at
   * `https://<host>/api/<route>?code=<webpubsub_upstream app key>` on every plan; otherwise the Web PubSub extension
   * webhook for `webPubSubTrigger` functions (Premium and Dedicated; see `EventHandler.functionsExtension`). Routing comes
   * from the code unless given. This is the default handler of `ServerlessWebPubSub` hubs.
   */
  public static functionApp(app: IWebPubSubEventTarget, options: EventHandlerOptions = {}): EventHandler {
    return new EventHandler('functionApp', app, undefined, options);
  }

  /**
   * The Functions Web PubSub extension webhook, for `webPubSubTrigger` functions:
   * `https://<app default_hostname>/runtime/webhooks/webpubsub?code=<webpubsub_extension system key>`.
   * Source: https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger and
   * https://learn.microsoft.com/azure/azure-web-pubsub/quickstart-serverless.
   * Without explicit routing, the events come from the triggers the app's code declares for the hub. Not on Flex
   * Consumption, whose HTTP instances do not serve this webhook (azure-functions-host#11493), unless the app sets
   * `webPubSubTriggersOnFlex`.
   */
  public static functionsExtension(app: IWebPubSubEventTarget, options: EventHandlerOptions = {}): EventHandler {
    return new EventHandler('functionsExtension', app, undefined, options);
  }

  /**
   * An HTTP-triggered function that reads the request with the `webPubSubContext` input
   * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input).
   * `pathTemplate` is appended to `https://<app default_hostname>/`, e.g. `api/{event}`. When the app has the
   * library's `webpubsub_upstream` app key and the template has no `code`, `?code=<key>` is added: with
   * identity-based connections the extension skips the signature check, so the key is the only guard.
   */
  public static httpFunction(app: IWebPubSubEventTarget, pathTemplate: string, options: EventHandlerOptions = {}): EventHandler {
    return new EventHandler('httpFunction', app, pathTemplate, options);
  }

  /** Any HTTPS upstream, e.g. `https://example.com/api/{hub}/{event}`. */
  public static url(urlTemplate: string, options: EventHandlerOptions = {}): EventHandler {
    return new EventHandler('url', undefined, urlTemplate, options);
  }

  /**
   * DEVELOPMENT ONLY: the app's handlers for the hub, as `functionApp` resolves them (the HTTP route
   * `registerWebPubSubHandlers` registers, else the extension webhook), reached through the Web PubSub tunnel instead
   * of the deployed app: `tunnel:///api/webpubsub/<hub>/{event}` or `tunnel:///runtime/webhooks/webpubsub`. The service
   * hands each event to the `awps-tunnel` connected to the hub (`cdktf-azure-webpubsub dev` starts it), which forwards it
   * to the Functions host on that machine (`func start`, which checks no keys, so the URL carries none). The deployed app
   * receives none of the hub's events, and with no tunnel connected the events fail: use it on a development stack or
   * hub, never in production; the synth prints a warning for every such hub. Nothing waits for the app's key
   * activation (the hub calls no deployed URL).
   * Sources: Azure/azure-webpubsub `tools/awps-tunnel` README ("specify the event handler URL to start with
   * `tunnel:///`"); https://learn.microsoft.com/azure/azure-web-pubsub/howto-web-pubsub-tunnel-tool.
   */
  public static tunnel(app: IWebPubSubEventTarget, options: EventHandlerOptions = {}): EventHandler {
    return new EventHandler('functionApp', app, undefined, options, true);
  }

  private constructor(
    private readonly kind: HandlerKind | 'functionApp',
    private readonly app: IWebPubSubEventTarget | undefined,
    private readonly template: string | undefined,
    private readonly options: EventHandlerOptions,
    private readonly viaTunnel: boolean = false,
  ) {}

  /** Resolves the handler for one hub; `prop` names it in errors. */
  public bind(hub: IConstruct, hubName: string, prop: string): BoundEventHandler {
    const { kind, template, declared } = this.resolveKind(hub, hubName, prop);
    const routing = this.resolveRouting(hub, hubName, kind, declared);
    validateSystemEvents(hub, `${prop}.systemEvents`, routing.systemEvents ?? []);
    if (routing.userEventPattern !== undefined) validateUserEvents(hub, `${prop}.userEventPattern`, routing.userEventPattern);
    validateUpstreamAuthResource(hub, `${prop}.upstreamAuthAudience`, this.options.upstreamAuthAudience);
    if ((routing.systemEvents ?? []).length === 0 && routing.userEventPattern === undefined) {
      throw new InvalidPropError(hub, prop, routing, 'must route at least one system event or a user event pattern');
    }
    if (this.viaTunnel) return this.bindTunnel(hub, hubName, prop, kind, template, routing);
    const key = kind === 'functionsExtension' ? this.app?.extensionWebhookKey : kind === 'httpFunction' ? this.app?.upstreamKey : undefined;
    return {
      kind,
      functionAppPath: this.app?.node.path,
      urlPath: kind === 'functionsExtension' ? WEBPUBSUB_EXTENSION_WEBHOOK_PATH : kind === 'httpFunction' ? `/${template!.replace(/^\/+/, '').split('?')[0]}` : undefined,
      urlTemplate: this.urlTemplate(hub, prop, kind, template),
      systemEvents: [...(routing.systemEvents ?? [])],
      userEventPattern: routing.userEventPattern,
      upstreamAuthAudience: this.options.upstreamAuthAudience,
      dependsOn: key?.servedAfter && !(kind === 'httpFunction' && hasCode(template)) ? [key.servedAfter] : [],
    };
  }

  /**
   * A tunnel handler: the same path as on the deployed app, behind `tunnel:///`, without a key (the local Functions host
   * checks none, https://learn.microsoft.com/azure/azure-functions/functions-run-local) and without waiting for the
   * app's key activation (the hub never calls the deployed app; the activation still probes the deployed app's own URLs).
   */
  private bindTunnel(hub: IConstruct, hubName: string, prop: string, kind: HandlerKind, template: string | undefined, routing: EventRouting): BoundEventHandler {
    const urlPath = kind === 'functionsExtension' ? WEBPUBSUB_EXTENSION_WEBHOOK_PATH : `/${template!.replace(/^\/+/, '').split('?')[0]}`;
    if (kind === 'httpFunction') validateHttpFunctionPath(hub, `${prop}.pathTemplate`, template);
    const urlTemplate = `${TUNNEL_URL_PREFIX}${urlPath.replace(/^\/+/, '')}`;
    warnAtSynth(
      hub,
      `\`${prop}\` is a development tunnel (${urlTemplate}): the service sends hub "${hubName}"'s events only to a machine running \`awps-tunnel\` ` +
        `for it (\`${LIBRARY_EDITION.packageName} dev\`), never to the deployed app ${this.app!.node.path}; without a tunnel the events fail. ` +
        'Keep it to a development stack or hub, never production',
    );
    return {
      kind,
      functionAppPath: this.app!.node.path,
      urlPath,
      urlTemplate,
      systemEvents: [...(routing.systemEvents ?? [])],
      userEventPattern: routing.userEventPattern,
      upstreamAuthAudience: this.options.upstreamAuthAudience,
      dependsOn: [],
      tunnel: true,
    };
  }

  /** `functionApp` becomes the HTTP path when the code declares HTTP handlers for the hub, else the extension webhook. */
  private resolveKind(hub: IConstruct, hubName: string, prop: string): { kind: HandlerKind; template?: string; declared?: DeclaredHttpEventHandlers } {
    if (this.kind !== 'functionApp') {
      if (this.kind === 'functionsExtension') assertTriggersServed(hub, prop, this.app!);
      return { kind: this.kind, template: this.template };
    }
    const code = declaredTargetCode(this.app);
    const declared = isUnresolved(hubName) ? undefined : code?.declaredHttpHandlers(hubName);
    if (declared) return { kind: 'httpFunction', template: declared.path, declared };
    // A Flex app whose code this stack does not package: the only style Flex serves, at the route
    // registerWebPubSubHandlers gives the hub by default, so code deployed later with it is reached.
    const codeUnknown = code?.undeclaredContextFunctions() === undefined;
    if (this.app!.flexConsumption === true && this.app!.webPubSubTriggersOnFlex !== true && codeUnknown && !isUnresolved(hubName) && isRouteSafeHubName(hubName)) {
      warnAtSynth(
        hub,
        `\`${prop}\` targets ${this.app!.node.path}, whose code is not packaged by this stack: the hub calls /api/${defaultHandlersRoute(hubName)}, where registerWebPubSubHandlers serves hub "${hubName}" by default; the service validates the URL when the hub is saved, so deploy that code before the hub is created (or add the hub in a later apply)`,
      );
      return { kind: 'httpFunction', template: `api/${defaultHandlersRoute(hubName)}` };
    }
    // Through the tunnel the local Functions host serves the webhook, whatever the deployed app's plan.
    if (!this.viaTunnel) assertTriggersServed(hub, prop, this.app!, hubName);
    return { kind: 'functionsExtension' };
  }

  private resolveRouting(hub: IConstruct, hubName: string, kind: HandlerKind, declaredHttp: DeclaredHttpEventHandlers | undefined): EventRouting {
    const explicit = this.options.systemEvents !== undefined || this.options.userEventPattern !== undefined;
    if (explicit) return this.options;
    if (declaredHttp) return { systemEvents: declaredHttp.systemEvents, userEventPattern: declaredHttp.userEventPattern };
    if (kind !== 'functionsExtension') return this.options;
    const declared = declaredTargetCode(this.app)?.declaredRouting(hubName);
    if (!declared) {
      throw new InvalidPropError(hub, 'name', hubName, missingRoutingReason(this.app, hubName) ?? 'has no routing');
    }
    return declared;
  }

  private urlTemplate(hub: IConstruct, prop: string, kind: HandlerKind, template: string | undefined): string {
    switch (kind) {
      case 'functionsExtension': {
        const key = this.app!.extensionWebhookKey;
        if (!key) {
          throw new InvalidPropError(hub, prop, 'functionsExtension', 'needs a function app that manages its webpubsub_extension key (or an imported app with `extensionKey`)');
        }
        if (key.servedAfter && declaredTargetCode(this.app)?.declaredTriggerHubs() === undefined) {
          warnAtSynth(
            hub,
            `\`${prop}\` targets ${this.app!.node.path}, whose code is not packaged by this stack: Web PubSub validates the webhook when the hub is saved, so deploy code with a Web PubSub trigger to the app before this hub is created (or add it in a later apply)`,
          );
        }
        assertSameStack(hub, prop, kind, this.app!, key);
        return `https://${this.app!.defaultHostname}${WEBPUBSUB_EXTENSION_WEBHOOK_PATH}?code=${key.value}`;
      }
      case 'httpFunction': {
        validateHttpFunctionPath(hub, `${prop}.pathTemplate`, template);
        const path = template!.replace(/^\/+/, '');
        const key = this.app!.upstreamKey;
        if (!key || hasCode(path)) return `https://${this.app!.defaultHostname}/${path}`;
        assertSameStack(hub, prop, kind, this.app!, key);
        return `https://${this.app!.defaultHostname}/${path}${path.includes('?') ? '&' : '?'}code=${key.value}`;
      }
      case 'url':
        validateEventHandlerUrlTemplate(hub, `${prop}.urlTemplate`, template);
        return template!;
    }
  }
}

/** Whether a path template already carries a `code` query parameter (a key the user chose). */
function hasCode(template: string | undefined): boolean {
  return template !== undefined && /[?&]code=/.test(template);
}

/**
 * The extension webhook is not served on Flex Consumption's HTTP instances: the host groups functions for scaling, and
 * the instances that receive HTTP requests run only HTTP functions and the webhook triggers of its short list
 * (eventGrid, signalR, assistantSkill), so `/runtime/webhooks/webpubsub` answers 404 there
 * (https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan#per-function-scaling;
 * azure-functions-host#11493). Fails unless the app opted in with `webPubSubTriggersOnFlex`.
 */
function assertTriggersServed(hub: IConstruct, prop: string, app: IWebPubSubEventTarget, hubName?: string): void {
  if (app.flexConsumption !== true || app.webPubSubTriggersOnFlex === true) return;
  const what = hubName !== undefined ? `hub "${hubName}" has no handlers registered with registerWebPubSubHandlers in the code of ${app.node.path}, so it would use` : 'targets';
  throw new InvalidPropError(
    hub,
    prop,
    'functionsExtension',
    `${what} the Web PubSub extension webhook of a Flex Consumption app, which Flex does not serve (its HTTP instances run no trigger listeners: events get 404, azure-functions-host#11493). ${FLEX_TRIGGER_FIX}`,
  );
}

/** How to serve Web PubSub events on Flex Consumption (shared by the synth-time errors). */
export const FLEX_TRIGGER_FIX =
  'Register the hub\'s handlers as an HTTP function with `registerWebPubSubHandlers({ app, input }, { hub, connect, userEvents, ... })` from `cdktf-azure-webpubsub/runtime` ' +
  '(README "Which handler style on which plan"), or host the app on Premium or Dedicated (`FunctionAppHosting.elasticPremium()`), where triggers work, ' +
  'or set `webPubSubTriggersOnFlex: true` on the app if you have verified that triggers are served on Flex';

function assertSameStack(hub: IConstruct, prop: string, kind: HandlerKind, app: IWebPubSubEventTarget, key: ExtensionWebhookKey): void {
  if (!key.servedAfter || TerraformStack.of(app) === TerraformStack.of(hub)) return;
  throw new InvalidPropError(
    hub,
    prop,
    kind,
    `targets ${app.node.path} in stack "${TerraformStack.of(app).node.id}", but the hub is in stack "${TerraformStack.of(hub).node.id}": create the hub in the app's stack (new WebPubSubHub(appStackScope, id, { service, ... }); the service may stay in its own stack), so the webhook key never crosses stacks and the hub can wait for the app`,
  );
}
