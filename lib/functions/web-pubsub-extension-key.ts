import { Construct } from 'constructs';
import { FunctionHostKey, FunctionHostKeyProps } from './function-host-key';
import { WEBPUBSUB_EXTENSION_KEY_NAME } from '../common/webhook-targets';

/** Props of {@link WebPubSubExtensionKey}. */
export type WebPubSubExtensionKeyProps = Omit<FunctionHostKeyProps, 'keyType' | 'keyName'>;

/**
 * The `webpubsub_extension` system key of a function app: the key the Web PubSub extension webhook
 * (`/runtime/webhooks/webpubsub?code=`) checks for `webPubSubTrigger` functions
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-web-pubsub-trigger#usage), written by value so
 * the hub's URL is right on the first deploy (see {@link FunctionHostKey}).
 */
export class WebPubSubExtensionKey extends FunctionHostKey {
  /** System key name the Web PubSub extension webhook validates (`?code=`). */
  public static readonly KEY_NAME = WEBPUBSUB_EXTENSION_KEY_NAME;

  public constructor(scope: Construct, id: string, props: WebPubSubExtensionKeyProps) {
    super(scope, id, { ...props, keyType: 'systemKeys', keyName: WEBPUBSUB_EXTENSION_KEY_NAME });
  }
}
