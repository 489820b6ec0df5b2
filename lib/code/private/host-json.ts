/**
 * `host.json` for the packaged Function App.
 *
 * @see https://learn.microsoft.com/azure/azure-functions/functions-host-json
 */

/** Extension bundle id providing the Web PubSub (and other) binding extensions. */
export const EXTENSION_BUNDLE_ID = 'Microsoft.Azure.Functions.ExtensionBundle';

/**
 * Extension bundle version range. 4.36.0 ships Microsoft.Azure.WebJobs.Extensions.WebPubSub >= 1.10.1,
 * the first version that accepts identity-based connections (`<prefix>__serviceUri`).
 */
export const EXTENSION_BUNDLE_VERSION = '[4.36.0, 5.0.0)';

/** The `host.json` written when the user supplies no overrides. */
export function defaultHostJson(): Record<string, unknown> {
  return {
    version: '2.0',
    extensionBundle: {
      id: EXTENSION_BUNDLE_ID,
      version: EXTENSION_BUNDLE_VERSION,
    },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * Deep-merges `override` over `base` without mutating either: plain objects merge key by key,
 * everything else (arrays, scalars, `null`) replaces; `undefined` values in `override` are ignored.
 */
export function deepMerge(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : cloneJson(value);
  }
  return out;
}

function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (isPlainObject(value)) return deepMerge({}, value);
  return value;
}

/**
 * Builds the final `host.json`: the default (schema version 2.0 + extension bundle) with `overrides` deep-merged over it.
 * Throws if the result would not be a v2 host.json.
 */
export function buildHostJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const merged = deepMerge(defaultHostJson(), overrides);
  if (merged.version !== '2.0') {
    throw new Error(`\`hostJson.version\` must be "2.0" (Azure Functions v4 host), got ${JSON.stringify(merged.version)}`);
  }
  return merged;
}

/** Serializes host.json deterministically (key order as built, 2-space indent, trailing newline). */
export function serializeHostJson(hostJson: Record<string, unknown>): string {
  return JSON.stringify(hostJson, null, 2) + '\n';
}

/**
 * The route prefix of HTTP functions in `hostJson` (`extensions.http.routePrefix`, default `api`;
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-http-webhook#hostjson-settings).
 */
export function functionsRoutePrefix(hostJson: Record<string, unknown> | undefined): string {
  const http = ((hostJson?.extensions as Record<string, unknown> | undefined)?.http ?? {}) as { routePrefix?: unknown };
  return typeof http.routePrefix === 'string' ? http.routePrefix.replace(/^\/+|\/+$/g, '') : 'api';
}
