import type { IResourceGroup } from '../core/resource-group';
import type { EventRouting } from '../webpubsub/event-handler';
import type { FunctionAppHosting } from './function-app-hosting';
import type { AppIdentity } from './app-identity';
import type { AppMonitoring } from './app-monitoring';
import type { FunctionHostStorageProps, IFunctionHostStorage } from './function-host-storage';
import type { IFunctionCodePackage } from './private/function-package';
import type { RegisteredFunction } from '../code/private/function-registration-recorder';
import type { IWebPubSubService } from '../webpubsub/web-pubsub-service';
import type { ISubnet } from '../network/subnet';

import { type FunctionsNodeVersion } from '../common/azure-constants';
export { DEFAULT_WEB_PUBSUB_CONNECTION, type FunctionsNodeVersion } from '../common/azure-constants';


/** A Web PubSub service the app's bindings talk to, and the setting prefix their `connection` property names. */
export interface WebPubSubConnection {
  /** The service. */
  readonly service: IWebPubSubService;
  /**
   * Prefix of the identity-based settings (`<prefix>__serviceUri`, `__credential`, `__clientId`).
   * @default 'WebPubSubConnectionString'
   */
  readonly settingPrefix?: string;
}

/** Packaged code, as `FunctionCode` provides it: the zip, and what the code declares (for routing and drift checks). */
export interface IFunctionAppCode extends IFunctionCodePackage {
  /** Routing the code's Web PubSub triggers declare for a hub. */
  declaredRouting?(hub: string): EventRouting | undefined;
  /** Functions the code registers. */
  readonly registrations?: readonly RegisteredFunction[];
  /** Node.js version the code was bundled for. */
  readonly nodeVersion?: string;
  /** The package's host.json (its HTTP route prefix places the HTTP handlers). */
  readonly hostJson?: Record<string, unknown>;
}

/** Props of {@link WebPubSubFunctionApp}. */
export interface WebPubSubFunctionAppProps {
  /**
   * Resource group (and region) for the app and every resource it creates: an azurerm `ResourceGroup`, or
   * `{ name, location }` for an existing one.
   */
  readonly resourceGroup: IResourceGroup;
  /**
   * App name (globally unique host name prefix). Apps sharing a storage account must differ in their first 32
   * characters (the Functions host ID).
   * @default - derived from the construct path plus a per-deployment random suffix (at most 32 characters)
   */
  readonly name?: string;
  /**
   * Hosting plan.
   * @default FunctionAppHosting.flexConsumption()
   */
  readonly hosting?: FunctionAppHosting;
  /**
   * Run on this existing plan (ARM id) instead of creating one; it must match `hosting`.
   * @default - a plan is created
   */
  readonly existingServicePlanId?: string;
  /**
   * Node.js version (must equal the version the code is bundled for).
   * @default - the code's `nodeVersion`, else '22'
   */
  readonly nodeVersion?: FunctionsNodeVersion;
  /**
   * The managed identity the app runs as: `AppIdentity.userAssigned({ name })` (a new one),
   * `AppIdentity.fromIdentity(identity)` (an existing or shared one) or `AppIdentity.systemAssigned()`.
   * @default - a new user-assigned identity (`AppIdentity.userAssigned()`), created before the app so its roles are in
   * place when the app first starts
   */
  readonly identity?: AppIdentity;
  /**
   * Use this storage account for the host and packages (e.g. one shared by several apps: `FunctionHostStorage` or
   * `FunctionHostStorage.fromFunctionHostStorageAttributes`). Each app gets its own package container on it.
   * @default - a new account (see `storageProps`)
   */
  readonly existingStorage?: IFunctionHostStorage;
  /**
   * Options for the new storage account.
   * @default - Standard LRS, shared keys off
   */
  readonly storageProps?: Omit<FunctionHostStorageProps, 'resourceGroup'>;
  /**
   * Name of the app's private package container on the storage account (the Flex deployment container, or the
   * run-from-package blobs' container).
   * @default - `app-package-<hash of the construct path>-<deployment suffix>`
   */
  readonly packageContainerName?: string;
  /**
   * Where the app sends telemetry: `AppMonitoring.applicationInsights(props)` (a new component),
   * `AppMonitoring.fromApplicationInsights(insights)` (an existing or shared one) or `AppMonitoring.off()`.
   * @default - a new workspace-based Application Insights component with Entra-only ingestion
   * (`AppMonitoring.applicationInsights()`)
   */
  readonly monitoring?: AppMonitoring;
  /**
   * The packaged function code (e.g. `FunctionCode`). Without it the app is created empty and you deploy code
   * yourself; hub routing then has to be explicit.
   * @default - no code deployment
   */
  readonly code?: IFunctionAppCode;
  /**
   * Web PubSub services the bindings use, each with its own setting prefix. The app's identity gets
   * "Web PubSub Service Owner" on each service.
   * @default - none
   */
  readonly webPubSubConnections?: WebPubSubConnection[];
  /**
   * Written as the `WebPubSubHub` setting, which bindings use when they name no hub.
   * @default - not set
   */
  readonly defaultHubName?: string;
  /**
   * Extra app settings. Settings the construct manages cannot be overridden here.
   * @default - none
   */
  readonly appSettings?: Record<string, string>;
  /**
   * Change to rotate the keys the hubs' URLs carry (the `webpubsub_extension` system key and the `webpubsub_upstream`
   * app key).
   * @default '1'
   */
  readonly extensionKeyRotation?: string;
  /**
   * Allow `webPubSubTrigger` functions on Flex Consumption. Flex does not serve the trigger's webhook today (its HTTP
   * instances run no trigger listeners; azure-functions-host#11493), so code with triggers on Flex fails at synth
   * unless this is set, for whoever has verified that a newer host serves them. Writes the `webpubsub_extension` key.
   * @default false
   */
  readonly webPubSubTriggersOnFlex?: boolean;
  /**
   * Premium and Dedicated: assign "Storage Blob Data Contributor" on the storage account to the principal running
   * Terraform, which uploads the run-from-package blob with Entra ID. Turn off when the deployer already holds a
   * data-plane role. (Flex deploys through its SCM site and needs no storage role for the deployer.)
   * @default true
   */
  readonly grantDeployerPackageUpload?: boolean;
  /**
   * Premium and Dedicated: object id of the principal that applies (and so uploads the package), for
   * `grantDeployerPackageUpload`. Set it when plans and applies run as different identities (a read-only plan
   * identity in CI), since the default is whoever runs the plan.
   * @default - the principal running Terraform (`data.azurerm_client_config.object_id`)
   */
  readonly deployerPrincipalId?: string;
  /**
   * Reachable from the public internet (Web PubSub calls the app's webhook over it). `false` closes the app, its SCM
   * site included: Web PubSub then reaches the webhook only through an approved shared private link
   * (`WebPubSubSharedPrivateLink` + `SharedPrivateLinkApproval`, checked at synth), the apply must run where the app's
   * private endpoint is reachable (docs/private-networking.md), and code with HTTP functions browsers call needs
   * `browserEntryHostname`.
   * @default true
   */
  readonly publicNetworkAccessEnabled?: boolean;
  /**
   * Regional virtual network integration: the app's outbound traffic to private addresses goes through this subnet, so
   * it reaches services behind private endpoints (a Web PubSub service's REST API, with `WebPubSubService`
   * `privateEndpoint`) by their usual host names through private DNS zones linked to the subnet's network. The subnet
   * is dedicated to the integration: delegated to `Microsoft.App/environments` on Flex Consumption,
   * `Microsoft.Web/serverFarms` on Elastic Premium and Dedicated; a /28 or larger; in the app's region.
   * Inbound traffic is unchanged (see `publicNetworkAccessEnabled`).
   * @see https://learn.microsoft.com/azure/azure-functions/flex-consumption-how-to#enable-virtual-network-integration
   * @default - no integration: the app calls every service over its public endpoint
   */
  readonly virtualNetworkSubnet?: ISubnet;
  /**
   * With `publicNetworkAccessEnabled: false`: the host name browsers use to reach the app's HTTP functions (negotiate,
   * pages), i.e. a gateway you run in front of the app's private endpoint (Azure Application Gateway, or Azure Front
   * Door Premium with a Private Link origin). The library creates no gateway; this says one exists, so that closing
   * the app does not silently cut browsers off (without it, code with such functions fails at synth).
   * @default - none: a closed app's code may hold only Web PubSub handlers
   */
  readonly browserEntryHostname?: string;
  /**
   * Whether the app answers HTTPS only; `false` also allows plain HTTP (an opt-out of the secure default).
   * @default true
   */
  readonly httpsOnly?: boolean;
  /**
   * Minimum inbound TLS version of the app and its SCM site.
   * @default '1.2'
   */
  readonly minimumTlsVersion?: '1.2' | '1.3';
  /**
   * Whether basic-auth (publishing profile) access to the SCM site (and FTP on Premium/Dedicated) is on; `true` is an
   * opt-out of the secure default.
   * @default false
   */
  readonly basicAuthPublishingEnabled?: boolean;
  /**
   * Time allowed for publishing the code on Flex, in seconds (1-3600).
   * @default 900
   */
  readonly publishTimeoutSeconds?: number;
  /**
   * Tags for every resource created.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}
