import type { IWebPubSubService } from './web-pubsub-service';

// How to give a service its system-assigned identity, for the services the library creates. Imported or
// user-implemented services have no entry: their identity is theirs to manage, and a hub that needs one can only check
// `managedIdentityEnabled`. Kept off IWebPubSubService so that implementing it never means implementing this.
const IDENTITY_ENABLERS = new WeakMap<IWebPubSubService, () => void>();

/** Records how the library turns on `service`'s identity (called by the construct that creates it). */
export function registerManagedIdentityEnabler(service: IWebPubSubService, enable: () => void): void {
  IDENTITY_ENABLERS.set(service, enable);
}

/** Turns on `service`'s system-assigned identity when the library manages it; false when it cannot. */
export function enableManagedIdentity(service: IWebPubSubService): boolean {
  const enable = IDENTITY_ENABLERS.get(service);
  if (!enable) return false;
  enable();
  return true;
}
