import { WebPubsubHub } from '@cdktf/provider-azurerm/lib/web-pubsub-hub';
import { Construct } from 'constructs';
import { recordWebPubSubHub } from './deployment-outputs';
import { BoundEventHandler, EventHandler } from './event-handler';
import type { IWebPubSubService } from './web-pubsub-service';
import { validateAzureName, WEB_PUBSUB_HUB_NAME } from './validation/azure-resource-names';

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
 * A Web PubSub hub with ordered event handlers. A hub that targets a function app's extension webhook waits for
 * the app's `webpubsub_extension` key to be written, so the first deploy already delivers events.
 */
export class WebPubSubHub extends Construct {
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
    validateAzureName(this, 'name', this.hubName, WEB_PUBSUB_HUB_NAME);

    this.service = props.service;
    const handlers = (props.eventHandlers ?? []).map((h, i) => h.bind(this, this.hubName, `eventHandlers[${i}]`));
    this.eventHandlers = handlers;
    const dependsOn = [...new Set(handlers.flatMap((h) => h.dependsOn))];
    this.resource = new WebPubsubHub(this, 'Resource', {
      name: this.hubName,
      webPubsubId: props.service.serviceId,
      anonymousConnectionsEnabled: props.anonymousConnectionsEnabled ?? false,
      eventHandler: handlers.map((h) => ({
        urlTemplate: h.urlTemplate,
        systemEvents: h.systemEvents,
        userEventPattern: h.userEventPattern,
        auth: h.authManagedIdentityId ? { managedIdentityId: h.authManagedIdentityId } : undefined,
      })),
      dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
    });
    // Manifest entry for the CLI tools (verify); an output for the name when it is a token.
    recordWebPubSubHub(this);
  }
}
