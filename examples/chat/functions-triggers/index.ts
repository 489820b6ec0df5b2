/**
 * Entry of the Premium variant of the chat (`premium.ts`): the same handlers as `functions/index.ts`, registered as
 * `webPubSubTrigger` functions, which the Web PubSub extension webhook serves on Premium and Dedicated plans (not on
 * Flex Consumption: azure-functions-host#11493). The HTTP functions are the same as the Flex app's.
 *
 * | function     | trigger                                   | bindings                             |
 * |--------------|-------------------------------------------|--------------------------------------|
 * | `connect`      | webPubSubTrigger system `connect`       | returns ConnectEventResponse / error |
 * | `connected`    | webPubSubTrigger system `connected`     | webPubSub output                     |
 * | `message`      | webPubSubTrigger user `message`         | webPubSub output, returns ack        |
 * | `disconnected` | webPubSubTrigger system `disconnected`  | webPubSub output                     |
 */
import '../functions/negotiate';
import '../functions/negotiate-roles';
import './connect';
import './connected';
import './message';
import './disconnected';
import '../functions/webpubsub-context';
import '../functions/index-page';
