/**
 * Source of the child-process script that loads a bundled function app with a recording stand-in for
 * `@azure/functions-core`.
 *
 * In Azure, the Node.js language worker intercepts `require('@azure/functions-core')` (a `Module._load` hook)
 * and hands the app its core API; `@azure/functions` v4 then calls, at import time:
 * - `setProgrammingModel(model)` on the first registration (the model object has `name`/`version`),
 * - `registerFunction(metadata, callback)` for every `app.http(...)`, `app.webPubSub(...)`, `app.generic(...)`…,
 * - `registerHook(name, callback)` for `app.hook.*`, returning a `Disposable`,
 * - `log(level, category, message)` for system logs (its presence also signals host >= 4.28 to `app.setup`),
 * and `getProgrammingModel()` exists on the real API. This stand-in implements exactly those members and records
 * the registrations instead of serving them.
 *
 * Protocol: argv[1] = virtual absolute filename of the bundle (used for module resolution of externals and stack
 * traces); stdin = bundle source; fd 3 = one JSON document {@link RecorderOutput}. The generated main calls
 * `globalThis[ENTRY_HOOK_GLOBAL](i)` before requiring entry `i`, so registrations and import errors can be
 * attributed to an entry point. The script exits right after the synchronous import, so timers or servers
 * started by user code at import time cannot keep it alive; registrations made asynchronously are not seen
 * (the real worker would not see them either once indexing has finished).
 *
 * Kept as a string (not a .js file) so it ships inside the compiled TypeScript output.
 */

import { HANDLERS_DECLARATION_HOOK } from '../../runtime/web-pubsub-handlers';

/** Name of the global the generated main calls before loading each entry point. */
export const ENTRY_HOOK_GLOBAL = '__cdktfAzureWebPubSubEntry';

/** What the child writes to fd 3. */
export interface RecorderOutput {
  readonly programmingModel: { readonly name?: string; readonly version?: string } | null;
  readonly registrations: ReadonlyArray<{ readonly entryIndex: number | null; readonly metadata: unknown }>;
  readonly hooks: ReadonlyArray<string>;
  /** What `registerWebPubSubHandlers` (runtime entry) declared, through the hook this script defines. */
  readonly webPubSubHandlers?: ReadonlyArray<{ readonly entryIndex: number | null; readonly declaration: unknown }>;
  readonly error: { readonly entryIndex: number | null; readonly message: string; readonly stack?: string } | null;
}

export const FUNCTIONS_CORE_STAND_IN_SCRIPT = String.raw`'use strict';
const Module = require('module');
const fs = require('fs');
const path = require('path');

const filename = process.argv[1];
const out = { programmingModel: null, registrations: [], hooks: [], webPubSubHandlers: [], error: null };
let currentEntry = null;
let programmingModel = undefined;

globalThis[${JSON.stringify(ENTRY_HOOK_GLOBAL)}] = (index) => { currentEntry = index; };
// registerWebPubSubHandlers reports the hub, route and events it registers here (the hook does not exist in Azure).
globalThis[Symbol.for(${JSON.stringify(HANDLERS_DECLARATION_HOOK)})] = (declaration) => {
  out.webPubSubHandlers.push({ entryIndex: currentEntry, declaration: toJson(declaration) });
};

class Disposable {
  constructor(callOnDispose) { this._callOnDispose = callOnDispose; }
  static from(...items) { return new Disposable(() => { for (const d of items) d.dispose(); }); }
  dispose() { const cb = this._callOnDispose; this._callOnDispose = undefined; if (cb) cb(); }
}

function toJson(value) {
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v)));
}

const core = {
  version: '3.10.1',
  Disposable,
  setProgrammingModel(model) {
    programmingModel = model;
    out.programmingModel = { name: model && model.name, version: model && model.version };
  },
  getProgrammingModel() { return programmingModel; },
  registerFunction(metadata, _callback) {
    out.registrations.push({ entryIndex: currentEntry, metadata: toJson(metadata) });
    return new Disposable(() => {});
  },
  registerHook(hookName, _callback) {
    out.hooks.push(String(hookName));
    return new Disposable(() => {});
  },
  log(_level, _category, ..._args) {},
};

const originalLoad = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === '@azure/functions-core') return core;
  return originalLoad.apply(this, arguments);
};

function finish(code) {
  fs.writeSync(3, JSON.stringify(out));
  process.exit(code);
}

try {
  const source = fs.readFileSync(0, 'utf8');
  const mod = new Module(filename, null);
  mod.filename = filename;
  mod.paths = Module._nodeModulePaths(path.dirname(filename));
  mod._compile(source, filename);
} catch (err) {
  const e = err instanceof Error ? err : new Error(String(err));
  out.error = { entryIndex: currentEntry, message: e.message, stack: e.stack };
  finish(0);
}
finish(0);
`;
