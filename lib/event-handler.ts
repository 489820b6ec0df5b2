import { ITerraformDependable } from 'cdktf';
import { IConstruct } from 'constructs';
import { SystemEvent, validateSystemEvents, validateUserEventPattern } from './validation/event-routing';
import { InvalidPropError, isUnresolved } from './validation/invalid-prop-error';

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
   * Managed identity (resource ID) the service uses to get a token for the upstream. Needed when the upstream
   * validates Entra tokens; the Functions extension webhook is protected by its key instead.
   * @default - no upstream authentication
   */
  readonly authManagedIdentityId?: string;
}

/**
 * A function app as an event target: its public host name and, for the Web PubSub extension webhook, the
 * `webpubsub_extension` system key the library writes into the app.
 */
export interface IWebPubSubEventTarget extends IConstruct {
  /** The app's `default_hostname` attribute (Flex Consumption host names are not `<name>.azurewebsites.net`). */
  readonly defaultHostname: string;
  /** The `webpubsub_extension` system key and the ARM call that writes it, when the app has one. */
  readonly webPubSubExtensionKey?: { readonly value: string; readonly writtenBy: ITerraformDependable };
  /**
   * Routing the app's code declares for a hub (from the packaged functions' Web PubSub triggers).
   * @returns undefined when the app's code is not known at synth
   */
  declaredRouting?(hub: string): EventRouting | undefined;
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
  readonly authManagedIdentityId?: string;
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
   * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-input#webpubsubcontext).
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
    const routing = this.resolveRouting(hub, hubName, prop);
    validateSystemEvents(hub, `${prop}.systemEvents`, routing.systemEvents ?? []);
    if (routing.userEventPattern !== undefined) validateUserEventPattern(hub, `${prop}.userEventPattern`, routing.userEventPattern);
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
      authManagedIdentityId: this.options.authManagedIdentityId,
      dependsOn: this.kind === 'functionsExtension' && this.app?.webPubSubExtensionKey ? [this.app.webPubSubExtensionKey.writtenBy] : [],
    };
  }

  private resolveRouting(hub: IConstruct, hubName: string, prop: string): EventRouting {
    const explicit = this.options.systemEvents !== undefined || this.options.userEventPattern !== undefined;
    if (explicit || this.kind !== 'functionsExtension') return this.options;
    const declared = this.app?.declaredRouting?.(hubName);
    if (!declared) {
      throw new InvalidPropError(
        hub,
        prop,
        'functionsExtension',
        "needs `systemEvents` or `userEventPattern`: routing cannot be derived (the app's packaged code declares no Web PubSub trigger with a literal hub of this name, or the app's code is not packaged by this stack)",
      );
    }
    return declared;
  }

  private urlTemplate(hub: IConstruct, prop: string): string {
    switch (this.kind) {
      case 'functionsExtension': {
        const key = this.app!.webPubSubExtensionKey;
        if (!key) {
          throw new InvalidPropError(hub, prop, 'functionsExtension', 'needs a function app that manages its webpubsub_extension key');
        }
        return `https://${this.app!.defaultHostname}/runtime/webhooks/webpubsub?code=${key.value}`;
      }
      case 'httpFunction':
        return `https://${this.app!.defaultHostname}/${this.template!.replace(/^\/+/, '')}`;
      case 'url': {
        const url = this.template!;
        if (!isUnresolved(url) && !/^https:\/\/[^\s/]+/.test(url)) {
          throw new InvalidPropError(hub, `${prop}.urlTemplate`, url, 'must be an https:// URL');
        }
        return url;
      }
    }
  }
}
