/**
 * Check "<handler> webhook answers": the app answers the abuse-protection preflight the service itself sends
 * (CloudEvents webhook validation) to the URL it validates, the template with `{event}` = `validate`. It runs only
 * after the URL check passed: a preflight to the wrong URL would say nothing about the app.
 */
import { VALIDATE_EVENT_NAME } from '../../../common/webhook-targets';
import { preflightWebhook } from '../../apply/webhook-probe';
import { coreCommand } from '../../cli-edition';
import type { HandlerUnderCheck, LiveServiceContext } from '../context';
import { type CheckedHandlerUrl, fillTemplate } from './handler-url';

export async function checkWebhookAnswers(ctx: LiveServiceContext, handler: HandlerUnderCheck, checked: CheckedHandlerUrl): Promise<void> {
  const { report } = ctx;
  const { url, extension, keyName } = checked;
  const reachCheck = `${handler.name} webhook answers`;
  const origin = ctx.live.hostName ?? '';
  const probeUrl = new URL(fillTemplate(handler.live.urlTemplate, handler.hubName, VALIDATE_EVENT_NAME));
  ctx.progress(`… preflight OPTIONS ${probeUrl.toString()}`);
  const result = await preflightWebhook(ctx.fetch, probeUrl.toString(), origin, ctx.timeoutMs);
  switch (result.kind) {
    case 'unreachable':
      report(reachCheck, 'fail', `could not reach ${url.host} (${result.error}): is the Function App running? (\`az functionapp show\`)`);
      break;
    case 'unauthorized':
      report(
        reachCheck,
        'fail',
        `the ${extension ? 'webhook' : 'function'} answered ${result.status}: wrong or missing key — the \`code\` in the handler URL is not ${keyName} of the app; run \`${coreCommand('deploy')}\` to rewrite both (compare with \`az functionapp keys list\`)`,
      );
      break;
    case 'notFound':
      report(
        reachCheck,
        'fail',
        extension
          ? 'the webhook answered 404: the app has no function with a Web PubSub trigger loaded — check the code package was deployed and the host started (`az functionapp function list`, Application Insights)'
          : `the function answered 404 at ${probeUrl.pathname}: route not found — is an HTTP function registered with that route and authLevel function (registerWebPubSubHandlers from cdktf-azure-webpubsub/runtime), and was the code package deployed? (\`az functionapp function list\`)`,
      );
      break;
    case 'failed':
      report(
        reachCheck,
        'fail',
        extension && result.status === 400
          ? `the webhook answered 400 to the abuse-protection preflight: no Web PubSub trigger listener accepts it — none loaded (on Flex Consumption the trigger webhook is not served, Azure/azure-functions-host#11493: use HTTP-function handlers, README "Which handler style on which plan"), or ${origin} is not a service host the extension allows (its <prefix>__serviceUri)`
          : `the ${extension ? 'webhook' : 'function'} answered ${result.status} to the abuse-protection preflight: check the app's logs (Application Insights)`,
      );
      break;
    case 'wrongOrigin':
      report(reachCheck, 'fail', `the app allows events from ${result.allowed}, not from ${origin}: the app's <prefix>__serviceUri setting must be https://${origin}`);
      break;
    case 'ok':
      report(reachCheck, 'pass', `${result.status}${result.allowed ? `, allowed origin ${result.allowed}` : ''}`);
  }
}
