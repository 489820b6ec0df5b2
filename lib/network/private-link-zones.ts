/**
 * Private endpoint sub-resources (group IDs) and the private DNS zone Microsoft recommends for each, for the resources
 * of this topology (public Azure cloud). Source: Learn "Azure Private Endpoint private DNS zone values"
 * (https://learn.microsoft.com/azure/private-link/private-endpoint-dns): Azure Web PubSub
 * (`Microsoft.SignalRService/WebPubSub`) `webpubsub` → `privatelink.webpubsub.azure.com`; Storage account
 * (`Microsoft.Storage/storageAccounts`) `blob`/`queue`/`table` → `privatelink.<sub-resource>.core.windows.net`.
 * Learn "Use private endpoints for Azure Web PubSub": "We recommend that you use `privatelink.webpubsub.azure.com` for
 * the DNS zone name".
 */
export const PRIVATE_LINK_DNS_ZONES = {
  webpubsub: 'privatelink.webpubsub.azure.com',
  blob: 'privatelink.blob.core.windows.net',
  queue: 'privatelink.queue.core.windows.net',
  table: 'privatelink.table.core.windows.net',
} as const;

/** A sub-resource of {@link PRIVATE_LINK_DNS_ZONES}. */
export type PrivateLinkSubresource = keyof typeof PRIVATE_LINK_DNS_ZONES;
