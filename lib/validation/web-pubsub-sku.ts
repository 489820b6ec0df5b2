import { IConstruct } from 'constructs';
import { InvalidPropError, isUnresolved } from './invalid-prop-error';

/** Web PubSub pricing tiers. */
export type WebPubSubSku = 'Free_F1' | 'Standard_S1' | 'Premium_P1' | 'Premium_P2';

const STANDARD_UNITS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

/**
 * Unit counts each SKU accepts. Free has one unit; Standard and Premium_P1 scale 1-10 then in tens to 100;
 * Premium_P2 scales in hundreds from 100 to 1000.
 * Sources: ARM `ResourceSku.capacity` ("If present, following values are allowed: Free_F1: 1; Standard_S1:
 * 1,2,3,4,5,6,7,8,9,10,20,30,40,50,60,70,80,90,100; Premium_P1: [same]; Premium_P2: 100,200,...,1000"),
 * https://learn.microsoft.com/javascript/api/@azure/arm-webpubsub/resourcesku ;
 * https://learn.microsoft.com/azure/azure-web-pubsub/howto-scale-manual-scale . azurerm 4.55 accepts the union of
 * all lists for every SKU (`IntInSlice`), so e.g. Standard_S1 with 200 units would only fail at apply.
 */
export const WEB_PUBSUB_CAPACITY_BY_SKU: Readonly<Record<WebPubSubSku, readonly number[]>> = {
  Free_F1: [1],
  Standard_S1: STANDARD_UNITS,
  Premium_P1: STANDARD_UNITS,
  Premium_P2: [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000],
};

/** Fails on an unknown SKU or a capacity the SKU does not accept. */
export function validateWebPubSubSku(scope: IConstruct, sku: string, capacity: number): void {
  if (isUnresolved(sku)) return;
  const allowed = Object.prototype.hasOwnProperty.call(WEB_PUBSUB_CAPACITY_BY_SKU, sku) ? WEB_PUBSUB_CAPACITY_BY_SKU[sku as WebPubSubSku] : undefined;
  if (!allowed) {
    throw new InvalidPropError(scope, 'sku', sku, `must be one of ${Object.keys(WEB_PUBSUB_CAPACITY_BY_SKU).join(', ')}`);
  }
  if (isUnresolved(capacity)) return;
  if (!allowed.includes(capacity)) {
    throw new InvalidPropError(scope, 'capacity', capacity, `must be one of ${allowed.join(', ')} for sku ${sku}`);
  }
}
