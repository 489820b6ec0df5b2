/**
 * Reading what the CLI commands work from: the Web PubSub manifest that `cdktf synth` writes next to the stack, and
 * the outputs file that `cdktf deploy --outputs-file` writes. JSON files only — the CLI never loads the constructs or
 * cdktf, so it starts fast and works on a machine that only has the deployed outputs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** An error whose message is meant for the user as is (no stack trace): it says what is wrong and what to do. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** How the Web PubSub service reaches the code for one hub event handler. */
export type EventHandlerKind = 'functionsExtension' | 'httpFunction' | 'url';

/** One event handler of a hub, as the code declares it. */
export interface ManifestEventHandler {
  readonly kind: EventHandlerKind;
  /** Construct path of the Function App that serves the handler; `null` for a plain URL. */
  readonly functionApp: string | null;
  /** Path on the Function App host (`/runtime/webhooks/webpubsub` or `/api/...`); `null` for a plain URL. */
  readonly urlPath: string | null;
  readonly systemEvents: readonly string[];
  readonly userEventPattern: string | null;
}

export interface ManifestHub {
  readonly name: string;
  readonly eventHandlers: readonly ManifestEventHandler[];
}

export interface ManifestService {
  /** Construct path of the Web PubSub service. */
  readonly path: string;
  readonly localAuthEnabled: boolean;
  readonly hubs: readonly ManifestHub[];
}

export interface ManifestFunctionApp {
  readonly path: string;
  /** Binding `connection` prefixes the code uses (default `WebPubSubConnectionString`). */
  readonly connectionPrefixes: readonly string[];
  /** The hub the code's bindings default to (`WebPubSubHub` app setting), if any. */
  readonly defaultHubName: string | null;
}

/** `cdktf.out/stacks/<stack>/webpubsub-manifest.json`, written by synth. */
export interface WebPubSubManifest {
  readonly version: 1;
  readonly stack: string;
  readonly services: readonly ManifestService[];
  readonly functionApps: readonly ManifestFunctionApp[];
}

/** The Terraform outputs of the example stack, as `cdktf deploy --outputs-file` writes them (one stack's object). */
export interface StackOutputs {
  readonly resource_group_name?: string;
  readonly subscription_id?: string;
  readonly web_pubsub_name?: string;
  readonly web_pubsub_hostname?: string;
  readonly function_app_name?: string;
  readonly function_app_hostname?: string;
  readonly function_app_principal_id?: string;
  readonly negotiate_url?: string;
  readonly chat_page_url?: string;
}

/** Where synth writes the manifest of `stack`, relative to `cwd`. */
export function defaultManifestPath(stack: string, cwd: string = process.cwd()): string {
  return path.resolve(cwd, 'cdktf.out', 'stacks', stack, 'webpubsub-manifest.json');
}

function readJson(file: string, whatItIs: string, howToGetIt: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliError(`${whatItIs} not found at ${file}: ${howToGetIt}`);
    }
    throw err;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError(`${whatItIs} at ${file} is not valid JSON (${(err as Error).message}): ${howToGetIt}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads and checks the manifest. Only the fields the CLI uses are checked; a wrong shape names the field.
 */
export function readManifest(file: string): WebPubSubManifest {
  const howTo = 'run `npm run synth` (or `cdktf synth`) first, or pass --manifest <path>';
  const raw = readJson(file, 'Web PubSub manifest', howTo);
  const bad = (field: string, expected: string): CliError =>
    new CliError(`Web PubSub manifest ${file}: \`${field}\` must be ${expected}; re-run synth with this library's version`);
  if (!isObject(raw)) throw bad('(root)', 'an object');
  if (raw.version !== 1) throw bad('version', `1 (found ${JSON.stringify(raw.version)})`);
  if (typeof raw.stack !== 'string') throw bad('stack', 'a string');
  if (!Array.isArray(raw.services)) throw bad('services', 'an array');
  if (!Array.isArray(raw.functionApps)) throw bad('functionApps', 'an array');
  raw.services.forEach((service: unknown, i) => {
    if (!isObject(service) || typeof service.path !== 'string') throw bad(`services[${i}].path`, 'a string');
    if (typeof service.localAuthEnabled !== 'boolean') throw bad(`services[${i}].localAuthEnabled`, 'a boolean');
    if (!Array.isArray(service.hubs)) throw bad(`services[${i}].hubs`, 'an array');
    service.hubs.forEach((hub: unknown, j) => {
      if (!isObject(hub) || typeof hub.name !== 'string') throw bad(`services[${i}].hubs[${j}].name`, 'a string');
      if (!Array.isArray(hub.eventHandlers)) throw bad(`services[${i}].hubs[${j}].eventHandlers`, 'an array');
      hub.eventHandlers.forEach((handler: unknown, k) => {
        const at = `services[${i}].hubs[${j}].eventHandlers[${k}]`;
        if (!isObject(handler)) throw bad(at, 'an object');
        if (!['functionsExtension', 'httpFunction', 'url'].includes(handler.kind as string)) {
          throw bad(`${at}.kind`, 'one of functionsExtension, httpFunction, url');
        }
        if (!Array.isArray(handler.systemEvents)) throw bad(`${at}.systemEvents`, 'an array');
      });
    });
  });
  raw.functionApps.forEach((app: unknown, i) => {
    if (!isObject(app) || typeof app.path !== 'string') throw bad(`functionApps[${i}].path`, 'a string');
    if (!Array.isArray(app.connectionPrefixes)) throw bad(`functionApps[${i}].connectionPrefixes`, 'an array');
  });
  return raw as unknown as WebPubSubManifest;
}

/**
 * Reads one stack's outputs from a `cdktf deploy --outputs-file` file.
 */
export function readStackOutputs(file: string, stack: string): StackOutputs {
  const howTo = 'deploy with `cdktf deploy --outputs-file outputs.json` (or pass the values as options)';
  const raw = readJson(file, 'cdktf outputs file', howTo);
  if (!isObject(raw)) throw new CliError(`cdktf outputs file ${file} must hold an object keyed by stack name`);
  const outputs = raw[stack];
  if (!isObject(outputs)) {
    const stacks = Object.keys(raw);
    throw new CliError(
      `cdktf outputs file ${file} has no stack "${stack}" (stacks in it: ${stacks.length ? stacks.join(', ') : 'none'}): pass --stack <name>`,
    );
  }
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(outputs)) {
    if (typeof value === 'string') result[key] = value;
  }
  return result as StackOutputs;
}

/**
 * Reads the outputs when the file exists; `undefined` when it was not asked for explicitly and is absent (the user
 * may pass every value as an option instead).
 */
export function readStackOutputsIfPresent(file: string, stack: string, explicit: boolean): StackOutputs | undefined {
  if (!explicit && !fs.existsSync(file)) return undefined;
  return readStackOutputs(file, stack);
}

/** The one item of `items` the user meant: the only one, or the one whose construct path is `wanted`. */
export function pickByPath<T extends { readonly path: string }>(
  items: readonly T[],
  wanted: string | undefined,
  what: string,
  option: string,
): T {
  if (wanted !== undefined) {
    const found = items.find((item) => item.path === wanted);
    if (!found) {
      throw new CliError(`no ${what} with construct path "${wanted}" in the manifest (found: ${items.map((i) => i.path).join(', ') || 'none'})`);
    }
    return found;
  }
  if (items.length === 1) return items[0];
  if (items.length === 0) throw new CliError(`the manifest lists no ${what}: does the stack use this library's constructs?`);
  throw new CliError(
    `the manifest lists ${items.length} ${what}s (${items.map((i) => i.path).join(', ')}): pass ${option} <construct path> to pick one`,
  );
}
