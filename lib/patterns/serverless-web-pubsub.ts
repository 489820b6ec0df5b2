import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Construct } from 'constructs';
import { defaultResourceName } from '../core/default-resource-name';
import { type IResourceGroup, rejectNestedResourceGroup, validateResourceGroupValue } from '../core/resource-group';
import { hubsUsedWithoutEvents } from '../code/private/declared-event-handlers';
import { EventHandler, EventRouting, missingRoutingReason } from '../webpubsub/event-handler';
import { WebPubSubFunctionApp } from '../functions/web-pubsub-function-app';
import { SharedPrivateLinkApproval } from '../functions/shared-private-link-approval';
import { WebPubSubSharedPrivateLink } from '../webpubsub/web-pubsub-shared-private-link';
import { DEFAULT_WEB_PUBSUB_CONNECTION, WebPubSubFunctionAppProps } from '../functions/web-pubsub-function-app-props';
import { WebPubSubHub } from '../webpubsub/web-pubsub-hub';
import { IWebPubSubService, WebPubSubService, WebPubSubServiceProps } from '../webpubsub/web-pubsub-service';
import type { WebPubSubReplica } from '../webpubsub/web-pubsub-replica';
import { validateAzureRegion } from '../validation/arm-ids';
import { RESOURCE_GROUP_NAME, validateAzureName, WEB_PUBSUB_HUB_NAME_RULE } from '../validation/azure-resource-names';
import { validateRoutingWithoutExplicitHandlers } from '../validation/event-routing';
import { validateTags } from '../validation/tags';
import { assertNotBoth, InvalidPropError, isUnresolved } from '../validation/invalid-prop-error';
import { requireDefined, validateBoolean } from '../validation/literals';
import { LibraryConstruct } from '../core/edition-guard';
import { TopologyNetwork } from '../network/topology-network';
import type { ServerlessNetworkOptions } from './serverless-network-options';

/** Props for a new resource group. */
export interface ServerlessResourceGroupProps {
  /** Azure region of the group and of every resource in the topology. */
  readonly location: string;
  /**
   * Group name.
   * @default - derived from the construct path plus a per-deployment random suffix
   */
  readonly name?: string;
}

/** A hub of the topology. */
export interface ServerlessHubOptions extends EventRouting {
  /** Hub name. */
  readonly name: string;
  /**
   * Event handlers, in order. Give routing on each handler then, not on the hub (`systemEvents`/`userEventPattern`
   * of the hub only apply to the default handler).
   * @default - one handler: the function app's handlers for the hub as its code declares them
   * (`EventHandler.functionApp`: the HTTP function `registerWebPubSubHandlers` registers, or on Premium/Dedicated the
   * Web PubSub extension webhook of its triggers); none when the code only sends to the hub
   */
  readonly eventHandlers?: EventHandler[];
  /**
   * DEVELOPMENT ONLY: send the hub's events through the Web PubSub tunnel to the functions running on a developer's
   * machine (`cdktf-azure-webpubsub dev`), instead of to the deployed app: the default handler becomes
   * `EventHandler.tunnel(app)` (`tunnel:///api/webpubsub/<hub>/{event}` or `tunnel:///runtime/webhooks/webpubsub`, as
   * the code declares). The deployed app then receives none of this hub's events; the synth warns. Use it in a
   * development stack (or a development hub next to the real one), never in production. Not with `eventHandlers`
   * (use `EventHandler.tunnel` there).
   * @default false
   */
  readonly developmentTunnel?: boolean;
  /**
   * Allow connections without an access token.
   * @default false
   */
  readonly anonymousConnectionsEnabled?: boolean;
}

/** Props of {@link ServerlessWebPubSub}. */
export interface ServerlessWebPubSubProps {
  /**
   * Deploy into this existing resource group: `{ name, location }`, or an azurerm `ResourceGroup` of this or another
   * stack. Every resource of the topology is created in its `location`.
   * @default - a group is created from `resourceGroupProps`
   */
  readonly existingResourceGroup?: IResourceGroup;
  /**
   * The resource group to create. One of `existingResourceGroup` or `resourceGroupProps` is required.
   * @default - none
   */
  readonly resourceGroupProps?: ServerlessResourceGroupProps;
  /**
   * Use this Web PubSub service instead of creating one: a `WebPubSubService` of another stack (e.g. a platform
   * stack) or `WebPubSubService.fromWebPubSubServiceAttributes(...)`. Hubs, the app and its role assignment stay in this stack.
   * @default - a new service from `webPubSubProps`
   */
  readonly existingWebPubSub?: IWebPubSubService;
  /**
   * Options for the new Web PubSub service, including its geo-replicas (`replicas: [{ location, units? }]`) and
   * autoscale (`autoscale: { maxUnits }`), both Premium only.
   * @default - Standard_S1, one unit, local auth off, no replicas, no autoscale
   */
  readonly webPubSubProps?: Omit<WebPubSubServiceProps, 'resourceGroup'>;
  /** Hubs; each gets the function app's webhook as its event handler unless told otherwise. */
  readonly hubs: ServerlessHubOptions[];
  /**
   * The function app: code, hosting plan, identity, storage, monitoring.
   * @default - Flex Consumption, Node 22, user-assigned identity, no code
   */
  readonly functionAppProps?: Omit<WebPubSubFunctionAppProps, 'resourceGroup' | 'webPubSubConnections'>;
  /**
   * Private networking: the service behind a private endpoint (public network: client connections only), the app
   * integrated with the network so it reaches the service's REST API privately; bring any part, the rest is created
   * (README "Private networking"). With `existingWebPubSub`, only the app's integration (the service's endpoint is its
   * owner's).
   * @default - no private networking: the app calls the service over its public endpoint
   */
  readonly network?: ServerlessNetworkOptions;
  /**
   * The service calls the app's webhook through a shared private link (group `sites`) instead of the public internet,
   * approved on the app at apply time; hubs wait for the approval. Needs Standard_S1 or Premium. The app stays open
   * to the public unless `functionAppProps.publicNetworkAccessEnabled` is false (docs/private-networking.md). With
   * `webPubSubProps.replicas`, each replica's copy of the link is approved too, and each replica is created with its
   * region endpoint disabled and enabled after the approval.
   * @default false
   */
  readonly privateWebhook?: boolean;
  /**
   * Setting prefix the bindings' `connection` property names.
   * @default 'WebPubSubConnectionString'
   */
  readonly connectionSettingPrefix?: string;
  /**
   * Tags for every resource created.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * The whole serverless Web PubSub topology in one construct: resource group, Web PubSub service and hubs, and a
 * function app whose identity owns the service's data plane, whose code handles the hubs' events, and whose key
 * the hubs' URLs carry, all in one `cdktf deploy`.
 */
export class ServerlessWebPubSub extends LibraryConstruct {
  /** The resource group every resource is created in, and its region (created or given). */
  public readonly resourceGroup: IResourceGroup;
  /** The created `azurerm_resource_group` (escape hatch); undefined with `existingResourceGroup`. */
  public readonly resourceGroupResource?: ResourceGroup;
  /** The Web PubSub service (created, or the one given). */
  public readonly service: IWebPubSubService;
  /** The function app that handles the hubs' events. */
  public readonly functionApp: WebPubSubFunctionApp;
  /** Hubs by name. */
  public readonly hubs: Record<string, WebPubSubHub> = {};
  /** The network parts (given or created), with `network`. */
  public readonly network?: TopologyNetwork;
  /** The service's shared private link to the app, with `privateWebhook`. */
  public readonly webhookPrivateLink?: WebPubSubSharedPrivateLink;
  /**
   * Its approval on the app, with `privateWebhook`: it also approves the replicas' copies of the link (the service's
   * replicas, those added later included), and the replicas are enabled after it.
   */
  public readonly webhookPrivateLinkApproval?: SharedPrivateLinkApproval;

  public constructor(scope: Construct, id: string, props: ServerlessWebPubSubProps) {
    super(scope, id);
    assertNotBoth(this, 'existingResourceGroup', props.existingResourceGroup, 'resourceGroupProps', props.resourceGroupProps);
    assertNotBoth(this, 'existingWebPubSub', props.existingWebPubSub, 'webPubSubProps', props.webPubSubProps);
    if (!props.existingResourceGroup && !props.resourceGroupProps) {
      throw new InvalidPropError(this, 'resourceGroupProps', undefined, 'or `existingResourceGroup` is required (where to deploy)');
    }
    if (props.hubs.length === 0) {
      throw new InvalidPropError(this, 'hubs', props.hubs, 'must declare at least one hub');
    }
    const names = props.hubs.map((h) => (isUnresolved(h.name) ? h.name : h.name.toLowerCase()));
    const duplicate = props.hubs.find((h, i) => !isUnresolved(h.name) && names.indexOf(h.name.toLowerCase()) !== i);
    if (duplicate !== undefined) {
      throw new InvalidPropError(this, 'hubs', props.hubs.map((h) => h.name), `must not declare hub "${duplicate.name}" twice (hub names are case-insensitive)`);
    }
    props.hubs.forEach((hub, i) => {
      validateAzureName(this, `hubs[${i}].name`, hub.name, WEB_PUBSUB_HUB_NAME_RULE);
      validateRoutingWithoutExplicitHandlers(this, `hubs[${i}]`, hub);
    });

    validateTags(this, 'tags', props.tags, { storageAccount: true });
    validateBoolean(this, 'privateWebhook', props.privateWebhook);
    if (props.privateWebhook && props.webPubSubProps?.sku === 'Free_F1') {
      throw new InvalidPropError(this, 'webPubSubProps.sku', 'Free_F1', 'has no shared private links, which `privateWebhook` needs: use Standard_S1, Premium_P1 or Premium_P2');
    }
    // Named here, where the user chose both: the service only sees the private endpoint `network` gives it.
    if (props.network && props.existingWebPubSub === undefined && props.webPubSubProps?.sku === 'Free_F1') {
      throw new InvalidPropError(this, 'webPubSubProps.sku', 'Free_F1', 'cannot have a private endpoint, which `network` gives the service (the free tier cannot integrate with one): use Standard_S1, Premium_P1 or Premium_P2');
    }
    for (const sub of ['webPubSubProps', 'functionAppProps'] as const) {
      rejectNestedResourceGroup(this, sub, props[sub], 'the topology (`existingResourceGroup` or `resourceGroupProps`)');
    }
    if (props.existingResourceGroup) {
      validateResourceGroupValue(this, 'existingResourceGroup', props.existingResourceGroup);
      this.resourceGroup = props.existingResourceGroup;
    } else {
      const rg = props.resourceGroupProps!;
      const name = rg.name ?? defaultResourceName(this, RESOURCE_GROUP_NAME, 'rg');
      validateAzureName(this, 'resourceGroupProps.name', name, RESOURCE_GROUP_NAME);
      requireDefined(this, 'resourceGroupProps.location', rg.location);
      validateAzureRegion(this, 'resourceGroupProps.location', rg.location);
      this.resourceGroupResource = new ResourceGroup(this, 'ResourceGroup', { name, location: rg.location, tags: props.tags });
      this.resourceGroup = this.resourceGroupResource;
    }
    const placement = { resourceGroup: this.resourceGroup };

    // Each part's own tags add to (and win over) the topology's.
    const tags = (own?: Record<string, string>) => (props.tags || own ? { ...props.tags, ...own } : undefined);
    if (props.network) {
      if (props.webPubSubProps?.privateEndpoint !== undefined) {
        throw new InvalidPropError(this, 'webPubSubProps.privateEndpoint', '(given)', 'and `network` are mutually exclusive: `network` creates the private endpoint');
      }
      if (props.functionAppProps?.virtualNetworkSubnet !== undefined) {
        throw new InvalidPropError(this, 'functionAppProps.virtualNetworkSubnet', '(given)', 'and `network` are mutually exclusive: give the subnet as `network.appSubnet`');
      }
      if (props.existingWebPubSub !== undefined && props.network.privateEndpointAllowedRequestTypes !== undefined) {
        throw new InvalidPropError(this, 'network.privateEndpointAllowedRequestTypes', props.network.privateEndpointAllowedRequestTypes, "has no use with an existing Web PubSub service: its private endpoint is its owner's (`WebPubSubService` `privateEndpoint`)");
      }
      const hosting = props.functionAppProps?.hosting;
      const hostnameSource = props.webPubSubProps?.hostnameSource;
      this.network = new TopologyNetwork(this, 'Network', {
        ...props.network,
        prop: 'network',
        resourceGroup: this.resourceGroup,
        appDelegation: hosting === undefined || hosting.kind === 'FlexConsumption' ? 'Microsoft.App/environments' : 'Microsoft.Web/serverFarms',
        servicePrivateEndpoint: props.existingWebPubSub === undefined,
        // The zone follows the service's cloud: privatelink.<the suffix its host name is built with>.
        webPubSubDnsSuffix: hostnameSource?.kind === 'dnsSuffix' ? hostnameSource.suffix : undefined,
        webPubSubCloudUnknown: hostnameSource?.kind === 'serviceAttribute',
        tags: props.tags,
      });
    }
    const privateEndpoint =
      this.network?.privateEndpointSubnet !== undefined
        ? { subnet: this.network.privateEndpointSubnet, privateDnsZone: this.network.webPubSubPrivateDnsZone, allowedRequestTypes: props.network?.privateEndpointAllowedRequestTypes }
        : undefined;
    this.service =
      props.existingWebPubSub ??
      new WebPubSubService(this, 'WebPubSub', { ...props.webPubSubProps, ...placement, ...(privateEndpoint ? { privateEndpoint } : {}), tags: tags(props.webPubSubProps?.tags) });

    this.functionApp = new WebPubSubFunctionApp(this, 'FunctionApp', {
      ...placement,
      defaultHubName: props.hubs.length === 1 ? props.hubs[0].name : undefined,
      ...props.functionAppProps,
      ...(this.network ? { virtualNetworkSubnet: this.network.appSubnet } : {}),
      ...placement,
      tags: tags(props.functionAppProps?.tags),
      webPubSubConnections: [{ service: this.service, settingPrefix: props.connectionSettingPrefix ?? DEFAULT_WEB_PUBSUB_CONNECTION }],
    });

    if (props.privateWebhook) {
      // Before the hubs, which then wait for the approval (they would also pick it up if created first).
      this.webhookPrivateLink = new WebPubSubSharedPrivateLink(this, 'WebhookPrivateLink', { service: this.service, targetResourceId: this.functionApp.appId });
      this.webhookPrivateLinkApproval = new SharedPrivateLinkApproval(this, 'WebhookPrivateLinkApproval', {
        functionApp: this.functionApp,
        sharedPrivateLinks: [this.webhookPrivateLink],
      });
    }

    const sentTo = (props.functionAppProps?.code?.registrations && hubsUsedWithoutEvents(props.functionAppProps.code.registrations)) || [];
    props.hubs.forEach((hub, i) => {
      const routing: EventRouting = { systemEvents: hub.systemEvents, userEventPattern: hub.userEventPattern };
      validateBoolean(this, `hubs[${i}].developmentTunnel`, hub.developmentTunnel);
      if (hub.developmentTunnel === true && hub.eventHandlers !== undefined) {
        throw new InvalidPropError(this, `hubs[${i}].developmentTunnel`, true, 'cannot be combined with `eventHandlers`: put `EventHandler.tunnel(app)` in `eventHandlers` instead');
      }
      let eventHandlers = hub.eventHandlers;
      if (hub.eventHandlers === undefined && hub.systemEvents === undefined && hub.userEventPattern === undefined && !isUnresolved(hub.name)) {
        const reason = missingRoutingReason(this.functionApp, hub.name);
        // A hub the code only sends to (a `webPubSub` output) or negotiates for gets no handler: it relays messages.
        if (reason !== undefined && sentTo.some((h) => h.toLowerCase() === hub.name.toLowerCase())) eventHandlers = [];
        else if (reason !== undefined) throw new InvalidPropError(this, `hubs[${i}].name`, hub.name, reason);
      }
      // Hubs live here, in the app's stack (the service may be another stack's). Ids never come from token values.
      this.hubs[hub.name] = new WebPubSubHub(this, isUnresolved(hub.name) ? `Hub${i}` : `Hub-${hub.name}`, {
        service: this.service,
        name: hub.name,
        anonymousConnectionsEnabled: hub.anonymousConnectionsEnabled,
        eventHandlers: eventHandlers ?? [hub.developmentTunnel === true ? EventHandler.tunnel(this.functionApp, routing) : EventHandler.functionApp(this.functionApp, routing)],
      });
    });
  }

  /** The service's host name. */
  public get serviceHostname(): string {
    return this.service.hostname;
  }

  /** The hub names. */
  public get hubNames(): string[] {
    return Object.keys(this.hubs);
  }

  /**
   * The geo-replicas of the service created here (`webPubSubProps.replicas`, and `addReplica` on the service); none
   * with `existingWebPubSub`. With `privateWebhook`, their copies of the link are approved with it.
   */
  public get replicas(): WebPubSubReplica[] {
    return this.service instanceof WebPubSubService ? this.service.replicas : [];
  }
}
