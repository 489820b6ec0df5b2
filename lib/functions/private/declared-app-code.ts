import { declaredHttpHandlers, undeclaredContextFunctionNames, webPubSubTriggerHubs } from '../../code/private/declared-event-handlers';
import type { DeclaredTargetCode } from '../../webpubsub/event-target-code';
import type { IFunctionAppCode } from '../web-pubsub-function-app-props';

/**
 * What a packaged app's code declares, in the terms event handlers read (webpubsub/event-target-code). The answers
 * that need the recorded registrations are undefined without them: code given as a bare package is not read.
 */
export function declaredAppCode(code: IFunctionAppCode): DeclaredTargetCode {
  return {
    declaredRouting: (hub) => code.declaredRouting?.(hub),
    declaredHttpHandlers: (hub) => {
      if (!code.registrations) return undefined;
      const declared = declaredHttpHandlers(code.registrations, code.hostJson, hub);
      return declared && { path: declared.path, functionName: declared.functionName, systemEvents: declared.systemEvents, userEventPattern: declared.userEventPattern };
    },
    declaredTriggerHubs: () => (code.registrations ? webPubSubTriggerHubs(code.registrations) : undefined),
    undeclaredContextFunctions: () => (code.registrations ? undeclaredContextFunctionNames(code.registrations) : undefined),
  };
}
