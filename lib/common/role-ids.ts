/**
 * GUIDs of the Azure built-in roles that both the constructs (lib/iam/built-in-role.ts, which assigns them) and the CLI
 * (lib/cli/verify/checks/role-assignment.ts, which checks them) name. No cdktf import, so the CLI loads it without the
 * infrastructure libraries. GUIDs from https://learn.microsoft.com/azure/role-based-access-control/built-in-roles (names can change,
 * GUIDs are stable across clouds; docs/azure-sources.md §1).
 */

/** "Web PubSub Service Owner": data plane `Microsoft.SignalRService/WebPubSub/*` (built-in roles, Web and Mobile). */
export const WEB_PUBSUB_SERVICE_OWNER_ROLE_ID = '12cf5a90-567b-43ae-8102-96cf46c7d9b4';
