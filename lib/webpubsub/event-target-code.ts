import type { DeclaredHttpEventHandlers, EventRouting, IWebPubSubEventTarget } from './event-handler';

/**
 * What an app's packaged code declares about its hubs, as event handlers read it at synth. Each answer is undefined
 * when the code does not say (e.g. code without recorded registrations).
 */
export interface DeclaredTargetCode {
  /** Routing the code's Web PubSub triggers declare for a hub. */
  declaredRouting(hub: string): EventRouting | undefined;
  /** The hub's handlers the code serves as an HTTP function (`registerWebPubSubHandlers`). */
  declaredHttpHandlers(hub: string): DeclaredHttpEventHandlers | undefined;
  /** The hubs the code's Web PubSub triggers name, as written (empty for a trigger that names none). */
  declaredTriggerHubs(): string[] | undefined;
  /** HTTP functions with the `webPubSubContext` input that `registerWebPubSubHandlers` did not register. */
  undeclaredContextFunctions(): string[] | undefined;
}

// Per event target, for the apps whose code this stack packages. Imported and user-implemented targets have no entry:
// their code is unknown at synth, which is what every answer being undefined already means. Kept off
// IWebPubSubEventTarget so that implementing it never means implementing this.
const TARGET_CODE = new WeakMap<IWebPubSubEventTarget, DeclaredTargetCode>();

/** Records what `app`'s packaged code declares (called by the construct that packages it, before any hub binds). */
export function registerDeclaredTargetCode(app: IWebPubSubEventTarget, code: DeclaredTargetCode): void {
  TARGET_CODE.set(app, code);
}

/** What `app`'s code declares, or undefined when this stack does not package it. */
export function declaredTargetCode(app: IWebPubSubEventTarget | undefined): DeclaredTargetCode | undefined {
  return app === undefined ? undefined : TARGET_CODE.get(app);
}
