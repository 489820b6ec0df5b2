import type { WebPubSubSku } from '../validation/web-pubsub-sku';
import type { IWebPubSubService } from './web-pubsub-service';

// The SKU of each service the library creates, for the features that need a tier (shared private links: Standard or
// Premium). Imported or user-implemented services have no entry: their SKU is not known at synth. Kept off
// IWebPubSubService so that implementing it never means implementing this.
const SKUS = new WeakMap<IWebPubSubService, WebPubSubSku>();

/** Records the SKU of a service the library creates (a literal, not a token). */
export function registerServiceSku(service: IWebPubSubService, sku: WebPubSubSku): void {
  SKUS.set(service, sku);
}

/** The SKU of `service` when the library created it with a literal one; undefined otherwise. */
export function serviceSkuOf(service: IWebPubSubService): WebPubSubSku | undefined {
  return SKUS.get(service);
}
