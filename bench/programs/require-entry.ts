/**
 * Child program (run precompiled) for the cold-start benchmark (P3): `node require-entry.js <entry.js>`.
 *
 * Installs a stand-in for `@azure/functions-core` the way the Node.js worker does (a `Module._load` hook; same
 * members as the registration recorder's stand-in in lib/code/private/functions-core-stand-in.ts), then measures, with
 * `process.hrtime`, the synchronous `require` of the entry, i.e. what the worker pays to index the app on a cold
 * start. Prints one JSON line: `{ "requireMs", "registrations", "maxRssKb" }`.
 */
import Module = require('module');
import * as path from 'path';

class Disposable {
  public constructor(private callOnDispose?: () => void) {}
  public static from(...items: Disposable[]): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  public dispose(): void {
    const cb = this.callOnDispose;
    this.callOnDispose = undefined;
    cb?.();
  }
}

let registrations = 0;
let programmingModel: unknown;
const core = {
  version: '3.10.1',
  Disposable,
  setProgrammingModel(model: unknown): void {
    programmingModel = model;
  },
  getProgrammingModel(): unknown {
    return programmingModel;
  },
  registerFunction(): Disposable {
    registrations++;
    return new Disposable();
  },
  registerHook(): Disposable {
    return new Disposable();
  },
  log(): void {},
};

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const originalLoad = loader._load;
loader._load = function (this: unknown, request: string, parent: unknown, isMain: boolean): unknown {
  if (request === '@azure/functions-core') return core;
  return originalLoad.call(this, request, parent, isMain);
};

const entry = path.resolve(process.argv[2]);
const started = process.hrtime.bigint();
require(entry);
const requireMs = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(JSON.stringify({ requireMs, registrations, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
process.exit(0);
