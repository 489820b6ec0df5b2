import { ITerraformDependable, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import {
  SystemEvent,
  validateEventHandlerUrlTemplate,
  validateHttpFunctionPath,
  validateSystemEvents,
  validateUserEvents,
} from './validation/event-routing';
import { warnAtSynth } from './synth-messages';
import { InvalidPropError } from './validation/invalid-prop-error';
import { validateUpstreamAuthResource } from './validation/web-pubsub-options';

/** Which events a handler receives. */
export interface EventRouting {
  /**
   * System events to forward: any of connect, connected, disconnected.
   * @default - none (or, for the Functions extension handler, what the app's code declares)
   */
  readonly systemEvents?: SystemEvent[];
  /**
   * User events to forward: `*`, one event name, or comma-separated names.
   * @default - none (or, for the Functions extension handler, what the app's code declares)
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

/** The `webpubsub_extension` system key of an app, and the step after which every instance of the app serves it. */
export interface ExtensionWebhookKey {
  /** The key (a sensitive Terraform value). */
  readonly value: string;
  /**
   * Hubs that call the webhook wait for this step (the service validates the URL when a hub is saved).
   * @default - nothing to wait for (an imported app)
   */
  readonly servedAfter?: ITerraformDependable;
}

/**
 * A function app as an event target: its public host name and, for the Web PubSub extension webhook, the
 * `webpubsub_extension` system key the library writes into the app.
 */
export interface IWebPubSubEventTarget extends IConstruct {
  /** The app's default host name as ARM reports it (Flex Consumption host names are not `<name>.azurewebsites.net`). */
  readonly defaultHostname: string;
  /** The `webpubsub_extension` system key, when the app has one the library knows. */
  readonly extensionWebhookKey?: ExtensionWebhookKey;
  /**
   * Routing the app's code declares for a hub (from the packaged functions' Web PubSub triggers).
   * @returns undefined when the app's code is not known at synth
   */
  declaredRouting?(hub: string): EventRouting | undefined;
  /**
   * The hubs the app's Web PubSub triggers name, as written (a literal, or an expression such as `%WebPubSubHub%`
   * resolved by the host at runtime; empty for a trigger that names none).
   * @returns undefined when the app's code is not known at synth
   */
  declaredTriggerHubs?(): string[] | undefined;
}

/**
 * Why the routing of `hubName` cannot be read from the app's code, in the user's terms: what the code declares and
 * what the stack declares. Undefined when it can.
 */
export function missingRoutingReason(app: IWebPubSubEventTarget | undefined, hubName: string): string | undefined {
  if (app?.declaredRouting?.(hubName)) return undefined;
  const hubs = app?.declaredTriggerHubs?.();
  const fix = 'or set `systemEvents`/`userEventPattern` for it explicitly';
  if (hubs === undefined) {
    return `gets its event routing from the app's code, but the app's code is not packaged by this stack (no \`code\`), so it is unknown: ${fix}`;
  }
  const expressions = [...new Set(hubs.filter((h) => h === '' || /[%{]/.test(h)))];
  if (expressions.length > 0) {
    const shown = expressions.map((h) => (h === '' ? '(none: the WebPubSubHub app setting)' : `"${h}"`)).join(', ');
    return `gets its event routing from the app's code, but the code's Web PubSub triggers name their hub as ${shown}, resolved only at runtime: ${fix}`;
  }
  const literal = [...new Set(hubs)];
  if (literal.length === 0) return `gets its event routing from the app's code, but the code declares no Web PubSub trigger: ${fix}`;
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
}

/** Kinds of event handler upstreams. */
export type HandlerKind = 'functionsExtension' | 'httpFunction' | 'url';

/**
 * An event handler of a Web PubSub hub: where the service sends events, and which.
 */
export class EventHandler {
  /**
   * The Functions Web PubSub extension webhook, for `webPubSubTrigger` functions:
   * `https://<app default_hostname>/runtime/webhooks/webpubsub?code=<webpubsub_extension system key>`.
   * Source: https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger and
   * https://learn.microsoft.com/azure/azure-web-pubsub/quickstart-serverless.
   * Without explicit routing, the events come from the triggers the app's code declares for the hub.
   */
  public static functionsExtension(app: IWebPubSubEventTarget, options: EventHandlerOptions = {}): EventHandler {
    return new EventHandler('functionsExtension', app, undefined, options);
  }

  /**
   * An HTTP-triggered function that reads the request with the `webPubSubContext` input
   * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input).
   * `pathTemplate` is appended to `https://<app default_hostname>/`, e.g. `api/{event}`.
   */
  public static httpFunction(app: IWebPubSubEventTarget, pathTemplate: string, options: EventHandlerOptions = {}): EventHandler {
    return new EventHandler('httpFunction', app, pathTemplate, options);
  }

  /** Any HTTPS upstream, e.g. `https://example.com/api/{hub}/{event}`. */
  public static url(urlTemplate: string, options: EventHandlerOptions = {}): EventHandler {
    return new EventHandler('url', undefined, urlTemplate, options);
  }

  private constructor(
    private readonly kind: HandlerKind,
    private readonly app: IWebPubSubEventTarget | undefined,
    private readonly template: string | undefined,
    private readonly options: EventHandlerOptions,
  ) {}

  /** Resolves the handler for one hub; `prop` names it in errors. */
  public bind(hub: IConstruct, hubName: string, prop: string): BoundEventHandler {
    const routing = this.resolveRouting(hub, hubName);
    validateSystemEvents(hub, `${prop}.systemEvents`, routing.systemEvents ?? []);
    if (routing.userEventPattern !== undefined) validateUserEvents(hub, `${prop}.userEventPattern`, routing.userEventPattern);
    validateUpstreamAuthResource(hub, `${prop}.upstreamAuthAudience`, this.options.upstreamAuthAudience);
    if ((routing.systemEvents ?? []).length === 0 && routing.userEventPattern === undefined) {
      throw new InvalidPropError(hub, prop, routing, 'must route at least one system event or a user event pattern');
    }
    return {
      kind: this.kind,
      functionAppPath: this.app?.node.path,
      urlPath:
        this.kind === 'functionsExtension'
          ? '/runtime/webhooks/webpubsub'
          : this.kind === 'httpFunction'
            ? `/${this.template!.replace(/^\/+/, '')}`
            : undefined,
      urlTemplate: this.urlTemplate(hub, prop),
      systemEvents: [...(routing.systemEvents ?? [])],
      userEventPattern: routing.userEventPattern,
      upstreamAuthAudience: this.options.upstreamAuthAudience,
      dependsOn: this.kind === 'functionsExtension' && this.app?.extensionWebhookKey?.servedAfter ? [this.app.extensionWebhookKey.servedAfter] : [],
    };
  }

  private resolveRouting(hub: IConstruct, hubName: string): EventRouting {
    const explicit = this.options.systemEvents !== undefined || this.options.userEventPattern !== undefined;
    if (explicit || this.kind !== 'functionsExtension') return this.options;
    const declared = this.app?.declaredRouting?.(hubName);
    if (!declared) {
      throw new InvalidPropError(hub, 'name', hubName, missingRoutingReason(this.app, hubName) ?? 'has no routing');
    }
    return declared;
  }

  private urlTemplate(hub: IConstruct, prop: string): string {
    switch (this.kind) {
      case 'functionsExtension': {
        const key = this.app!.extensionWebhookKey;
        if (!key) {
          throw new InvalidPropError(hub, prop, 'functionsExtension', 'needs a function app that manages its webpubsub_extension key (or an imported app with `extensionKey`)');
        }
        if (key.servedAfter && this.app!.declaredTriggerHubs?.() === undefined) {
          warnAtSynth(
            hub,
            `\`${prop}\` targets ${this.app!.node.path}, whose code is not packaged by this stack: Web PubSub validates the webhook when the hub is saved, so deploy code with a Web PubSub trigger to the app before this hub is created (or add it in a later apply)`,
          );
        }
        if (key.servedAfter && TerraformStack.of(this.app!) !== TerraformStack.of(hub)) {
          throw new InvalidPropError(
            hub,
            prop,
            'functionsExtension',
            `targets ${this.app!.node.path} in stack "${TerraformStack.of(this.app!).node.id}", but the hub is in stack "${TerraformStack.of(hub).node.id}": create the hub in the app's stack (new WebPubSubHub(appStackScope, id, { service, ... }); the service may stay in its own stack), so the webhook key never crosses stacks and the hub can wait for the app`,
          );
        }
        return `https://${this.app!.defaultHostname}/runtime/webhooks/webpubsub?code=${key.value}`;
      }
      case 'httpFunction':
        validateHttpFunctionPath(hub, `${prop}.pathTemplate`, this.template);
        return `https://${this.app!.defaultHostname}/${this.template!.replace(/^\/+/, '')}`;
      case 'url':
        validateEventHandlerUrlTemplate(hub, `${prop}.urlTemplate`, this.template);
        return this.template!;
    }
  }
}
