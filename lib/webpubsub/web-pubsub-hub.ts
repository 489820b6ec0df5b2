import { WebPubsubHub } from '@cdktf/provider-azurerm/lib/web-pubsub-hub';
import { ITerraformDependable, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { recordWebPubSubHub } from '../core/deployment-outputs';
import { BoundEventHandler, EventHandler } from './event-handler';
import type { IWebPubSubService } from './web-pubsub-service';
import { enableManagedIdentity } from './service-identity';
import { validateAzureName, WEB_PUBSUB_HUB_NAME_RULE } from '../validation/azure-resource-names';
import { validateHandlerOrder } from '../validation/event-routing';
import { InvalidPropError, isUnresolved } from '../validation/invalid-prop-error';
import { validateBoolean } from '../validation/literals';
import { LibraryConstruct } from '../core/edition-guard';
import { attachUpstreamPrerequisites, hasPrivateRoute, isClosedTarget } from './upstream-prerequisites';

/** Options of a hub added through {@link IWebPubSubService.addHub}. */
export interface WebPubSubHubOptions {
  /**
   * Hub name, as used by clients and in the bindings' `hub` property.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Event handlers, in the order the service tries them.
   * @default - none (the hub only relays messages between clients)
   */
  readonly eventHandlers?: EventHandler[];
  /**
   * Allow clients to connect without an access token.
   * @default false
   */
  readonly anonymousConnectionsEnabled?: boolean;
}

/** Props of {@link WebPubSubHub}. */
export interface WebPubSubHubProps extends WebPubSubHubOptions {
  /** The service the hub belongs to. */
  readonly service: IWebPubSubService;
}

/**
 * A Web PubSub hub with ordered event handlers. A hub that targets a function app (its HTTP functions with the
 * `webpubsub_upstream` app key, or its extension webhook with the `webpubsub_extension` system key) waits until the
 * app serves that key, so the first deploy already delivers events: the service validates the URL (an OPTIONS
 * abuse-protection request) when the hub is saved (https://learn.microsoft.com/azure/azure-web-pubsub/howto-develop-eventhandler).
 *
 * Create the hub in the stack of the function app its handler targets (the service may live in another stack): the
 * key then never crosses a stack boundary, and the hub can wait for the app's activation.
 */
export class WebPubSubHub extends LibraryConstruct {
  /** The hub name. */
  public readonly hubName: string;
  /** The `azurerm_web_pubsub_hub` resource (escape hatch). */
  public readonly resource: WebPubsubHub;
  /** The resolved event handlers, in order. */
  public readonly eventHandlers: readonly BoundEventHandler[];
  /** The service this hub belongs to. */
  public readonly service: IWebPubSubService;

  public constructor(scope: Construct, id: string, props: WebPubSubHubProps) {
    super(scope, id);
    this.hubName = props.name ?? id;
    validateAzureName(this, 'name', this.hubName, WEB_PUBSUB_HUB_NAME_RULE);
    validateBoolean(this, 'anonymousConnectionsEnabled', props.anonymousConnectionsEnabled);

    this.service = props.service;
    registerHubName(this, props.service, this.hubName);
    const handlers = (props.eventHandlers ?? []).map((h, i) => h.bind(this, this.hubName, `eventHandlers[${i}]`));
    validateHandlerOrder(this, 'eventHandlers', handlers);
    this.eventHandlers = handlers;
    if (handlers.some((h) => h.upstreamAuthAudience !== undefined)) {
      // The service requests upstream tokens with its own identity.
      if (!enableManagedIdentity(props.service) && props.service.managedIdentityEnabled === false) {
        throw new InvalidPropError(this, 'eventHandlers', '(upstreamAuthAudience)', `needs a managed identity on the service ${props.service.node.path}`);
      }
    }
    const dependsOn = sameStackDependencies(this, handlers.flatMap((h) => h.dependsOn));
    this.resource = new WebPubsubHub(this, 'Resource', {
      name: this.hubName,
      webPubsubId: props.service.serviceId,
      anonymousConnectionsEnabled: props.anonymousConnectionsEnabled ?? false,
      eventHandler: handlers.map((h) => ({
        urlTemplate: h.urlTemplate,
        systemEvents: h.systemEvents,
        userEventPattern: h.userEventPattern,
        auth: h.upstreamAuthAudience !== undefined ? { managedIdentityId: h.upstreamAuthAudience } : undefined,
      })),
      dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
    });
    // A shared private link to a target app (its approval) is waited for too, whether it is created before or after.
    // A tunnel handler is not a target: the service hands its events to awps-tunnel, never to the deployed app.
    const targets = handlers.filter((h) => h.tunnel !== true).map((h) => h.functionAppPath).filter((p): p is string => p !== undefined);
    attachUpstreamPrerequisites(props.service, targets, this.resource);
    // An app closed to the public network is reachable by the service only through an approved shared private link;
    // checked at synth's validation, once every construct (and link) exists.
    this.node.addValidation({
      validate: () =>
        [...new Set(targets)]
          .filter((path) => isClosedTarget(this, path) && !hasPrivateRoute(props.service, path))
          .map(
            (path) =>
              `${this.node.path}: \`eventHandlers\` call ${path}, which is closed to the public network (publicNetworkAccessEnabled: false), but ${props.service.node.path} has no approved shared private link to it, so the service cannot reach the handler and the hub's first save fails: add \`WebPubSubSharedPrivateLink\` and \`SharedPrivateLinkApproval\` (or \`privateWebhook: true\` on ServerlessWebPubSub)`,
          ),
    });
    // Manifest entry for the CLI tools (verify); an output for the name when it is a token.
    recordWebPubSubHub(this);
  }
}

/**
 * Terraform accepts `depends_on` only on whole objects of the same configuration; a reference into another stack is a
 * remote-state output, so those are dropped (stack order already applies them first).
 */
function sameStackDependencies(hub: IConstruct, dependencies: ITerraformDependable[]): ITerraformDependable[] {
  const stack = TerraformStack.of(hub);
  return [...new Set(dependencies)].filter((d) => !(d instanceof Construct) || TerraformStack.of(d) === stack);
}

// Hub names per service (any IWebPubSubService, created or imported): ARM names are case-insensitive, and a second hub
// of the same name on one service would fight the first at deploy.
const HUB_NAMES = new WeakMap<IWebPubSubService, Map<string, string>>();

function registerHubName(hub: IConstruct, service: IWebPubSubService, name: string): void {
  if (isUnresolved(name)) return;
  let names = HUB_NAMES.get(service);
  if (!names) HUB_NAMES.set(service, (names = new Map()));
  const other = names.get(name.toLowerCase());
  if (other !== undefined && other !== hub.node.path) {
    throw new InvalidPropError(hub, 'name', name, `is already a hub of ${service.node.path} (declared by ${other}); hub names are case-insensitive, so declare each hub once`);
  }
  names.set(name.toLowerCase(), hub.node.path);
}
