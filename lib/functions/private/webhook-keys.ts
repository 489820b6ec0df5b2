import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { declaredHttpHandlers, httpHandlerHubs, webPubSubTriggerFunctionNames, webPubSubTriggerHubs } from '../../code/private/declared-event-handlers';
import { EXTENSION_WEBHOOK_TARGET, VALIDATE_EVENT_NAME, WEBPUBSUB_UPSTREAM_KEY_NAME, WebhookTarget } from '../../common/webhook-targets';
import type { ExtensionWebhookKey, WebhookKey } from '../../webpubsub/event-handler';
import type { FunctionAppHosting } from '../function-app-hosting';
import { FunctionHostKey } from '../function-host-key';
import { WebPubSubExtensionKey } from '../web-pubsub-extension-key';
import type { IFunctionAppCode } from '../web-pubsub-function-app-props';
import { WebhookActivation } from './webhook-activation';

/** Inputs of {@link createWebhookKeys}. */
export interface WebhookKeysProps {
  readonly functionAppId: string;
  readonly hosting: FunctionAppHosting['kind'];
  /** Whether `webPubSubTrigger` functions were allowed on Flex (the app then gets the extension key there too). */
  readonly webPubSubTriggersOnFlex: boolean;
  /** The packaged code, if any: which keys the app needs and which URLs the activation probes. */
  readonly code?: IFunctionAppCode;
  /** Changes the keys (`extensionKeyRotation`). */
  readonly rotation?: string;
  /** The host storage account: keys live there. */
  readonly hostStorageAccountName: string;
  /** Host names of the Web PubSub services that call the app. */
  readonly origins: string[];
  /** The `serviceUri` settings the app was given, index-aligned with `origins`. */
  readonly serviceUris?: string[];
  /** The app, its host roles and its code deployment: the key writes need a running host that can persist keys. */
  readonly waitFor: ITerraformDependable[];
  /**
   * What the activation (and so the hubs) waits for besides the key writes: the app identity's roles on the Web
   * PubSub services, which the app needs once events flow, not to start.
   * @default - nothing more
   */
  readonly activationWaitsFor?: ITerraformDependable[];
}

/** The keys written into one app, and the step after which every instance serves them. */
export interface WebhookKeys {
  /** The `webpubsub_extension` system key (Premium/Dedicated; Flex only with `webPubSubTriggersOnFlex`). */
  readonly extensionKey?: WebPubSubExtensionKey;
  /** The `webpubsub_upstream` app key for the HTTP handler functions. */
  readonly upstreamKey?: FunctionHostKey;
  readonly activation: WebhookActivation;
  /** The system key as hubs use it: its value, served after the activation. */
  readonly extensionWebhookKey?: ExtensionWebhookKey;
  /** The app key as hubs use it: its value, served after the activation. */
  readonly upstreamWebhookKey?: WebhookKey;
}

/**
 * The key chain of an app, in `scope`: the key writes (after the app, its roles and its code), then one activation
 * that restarts the app and probes every URL a hub will call. Hubs wait for the activation, so their first save (when
 * the service validates the URL) finds the keys served. The ids are the app's, as before this was a separate step.
 */
export function createWebhookKeys(scope: Construct, props: WebhookKeysProps): WebhookKeys {
  const flex = props.hosting === 'FlexConsumption';
  // Keys live in the host storage: another account gets new keys, written, served and put into the hubs anew.
  const keyProps = {
    functionAppId: props.functionAppId,
    rotation: props.rotation,
    keepers: { host_storage: props.hostStorageAccountName },
    waitFor: props.waitFor,
  };
  const registrations = props.code?.registrations;
  const httpHubs = registrations ? httpHandlerHubs(registrations) : [];
  // Flex does not serve the extension webhook (azure-functions-host#11493) unless the user says it does.
  const extensionKey = !flex || props.webPubSubTriggersOnFlex ? new WebPubSubExtensionKey(scope, 'WebPubSubExtensionKey', keyProps) : undefined;
  // Without code the HTTP handlers may come with code deployed later, so the app key is there for them.
  const upstreamKey =
    flex || httpHubs.length > 0 || !props.code
      ? new FunctionHostKey(scope, 'WebPubSubUpstreamKey', { ...keyProps, keyType: 'functionKeys', keyName: WEBPUBSUB_UPSTREAM_KEY_NAME })
      : undefined;
  const keys = [extensionKey, upstreamKey].filter((k): k is FunctionHostKey => k !== undefined);
  const targets = registrations ? webhookTargets(registrations, props.code?.hostJson, extensionKey !== undefined) : [];
  const activation = new WebhookActivation(scope, 'WebhookActivation', {
    functionAppId: props.functionAppId,
    keyValues: keys.map((k) => k.value),
    hostStorageAccount: props.hostStorageAccountName,
    origins: props.origins,
    serviceUris: props.serviceUris,
    webhooks: targets,
    hosting: props.hosting,
    // Without packaged Web PubSub handlers nothing can answer the validation yet: restart only.
    probe: targets.length > 0,
    dependsOn: [...keys.map((k) => k.write), ...(props.activationWaitsFor ?? [])],
  });
  return {
    extensionKey,
    upstreamKey,
    activation,
    extensionWebhookKey: extensionKey && { value: extensionKey.value, servedAfter: activation },
    upstreamWebhookKey: upstreamKey && { value: upstreamKey.value, servedAfter: activation },
  };
}

/** What the activation probes: each HTTP handler function at its `validate` URL, and the extension webhook when triggers exist. */
function webhookTargets(registrations: NonNullable<IFunctionAppCode['registrations']>, hostJson: Record<string, unknown> | undefined, extensionKey: boolean): WebhookTarget[] {
  const targets: WebhookTarget[] = [];
  for (const hub of httpHandlerHubs(registrations)) {
    const declared = declaredHttpHandlers(registrations, hostJson, hub)!;
    targets.push({
      kind: 'httpFunction',
      path: `/${declared.path.replace(/\{hub\}/g, hub).replace('{event}', VALIDATE_EVENT_NAME)}`,
      keyType: 'functionKeys',
      keyName: WEBPUBSUB_UPSTREAM_KEY_NAME,
      hubs: [hub],
    });
  }
  if (extensionKey && webPubSubTriggerFunctionNames(registrations).length > 0) {
    const hubs = [...new Set(webPubSubTriggerHubs(registrations))].filter((h) => h !== '');
    targets.push({ ...EXTENSION_WEBHOOK_TARGET, ...(hubs.length > 0 ? { hubs } : {}) });
  }
  return targets;
}
