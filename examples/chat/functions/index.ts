/**
 * Entry of the example chat function app (Azure Functions Node.js v4 programming model): the single file
 * `main.ts` packages with `FunctionCode`. Importing it registers every function:
 *
 * | function              | trigger                                   | bindings                               |
 * |-----------------------|-------------------------------------------|----------------------------------------|
 * | `negotiate`           | HTTP GET `negotiate`                      | webPubSubConnection (`{query.userid}`) |
 * | `negotiate-principal` | HTTP GET `negotiate/principal`            | webPubSubConnection (principal header) |
 * | `negotiate-roles`     | HTTP GET `negotiate/roles`                | server SDK + managed identity          |
 * | `webpubsub-chat`      | HTTP POST/OPTIONS `webpubsub/chat/{event}` (function key) | webPubSubContext input, webPubSub output: the hub's connect, connected, message (ack) and disconnected handlers (`chat-hub.ts`) |
 * | `webpubsub-context`   | HTTP POST/OPTIONS `webpubsub-context/{event}` (function key) | webPubSubContext input (the raw binding; no hub routes here) |
 * | `index`               | HTTP GET `index/{file?}`                  | serves index.html, chat-page.js        |
 *
 * Handlers live in `./handlers/` (no registration there, so tests import them without a Functions host). The
 * Premium variant (`../functions-triggers/`) registers the same handlers as `webPubSubTrigger` functions.
 */
import './negotiate';
import './negotiate-roles';
import './chat-hub';
import './webpubsub-context';
import './index-page';
