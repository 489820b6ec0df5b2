import * as path from 'path';
import {
  deriveEventRouting,
  getTriggerBinding,
  listWebPubSubTriggers,
  RECORDER_INHERITED_VARIABLES,
  recordRegistrations,
  recorderEnvironment,
  validateRegistrations,
  type RegisteredFunction,
} from '../../lib/code/private/function-registration-recorder';

// Hand-written "bundles" that talk to @azure/functions-core directly: fast (no esbuild), and they pin the
// stand-in's contract independently of @azure/functions.
const record = (code: string, entryPoints = ['src/a.ts', 'src/b.ts']): RegisteredFunction[] =>
  recordRegistrations({ bundleCode: code, bundleFilename: path.join(__dirname, 'virtual', 'dist', 'index.js'), entryPoints });

const hook = (i: number): string => `globalThis.__cdktfAzureWebPubSubEntry(${i});\n`;

describe('recordRegistrations', () => {
  test('records metadata per entry, implements the core API members @azure/functions uses', () => {
    const regs = record(`
      const core = require('@azure/functions-core');
      ${hook(0)}
      core.setProgrammingModel({ name: '@azure/functions', version: '4.16.5' });
      if (core.getProgrammingModel().name !== '@azure/functions') throw new Error('getProgrammingModel');
      core.log('information', 'system', 'hello');
      core.registerHook('appStart', () => {}).dispose();
      core.registerFunction({ name: 'f1', bindings: { t: { type: 'webPubSubTrigger', direction: 'in', hub: 'h', eventType: 'user', eventName: '*' } } }, () => {});
      ${hook(1)}
      console.log('noise on stdout does not disturb the report');
      const d = core.registerFunction({ name: 'f2', bindings: { t: { type: 'timerTrigger', direction: 'in', schedule: '0 * * * * *' } }, retryOptions: { maxRetryCount: 2 } }, () => {});
      core.Disposable.from(d).dispose();
      setInterval(() => {}, 1000); // must not keep the recorder alive
    `);
    expect(regs).toEqual([
      { name: 'f1', entryPoint: 'src/a.ts', bindings: { t: { type: 'webPubSubTrigger', direction: 'in', hub: 'h', eventType: 'user', eventName: '*' } } },
      { name: 'f2', entryPoint: 'src/b.ts', bindings: { t: { type: 'timerTrigger', direction: 'in', schedule: '0 * * * * *' } }, retryOptions: { maxRetryCount: 2 } },
    ]);
  });

  test('registrations made after import (asynchronously) are not recorded', () => {
    const regs = record(`
      const core = require('@azure/functions-core');
      ${hook(0)}
      core.registerFunction({ name: 'sync', bindings: { t: { type: 'httpTrigger', direction: 'in' } } });
      setTimeout(() => core.registerFunction({ name: 'late', bindings: {} }), 0);
    `);
    expect(regs.map((r) => r.name)).toEqual(['sync']);
  });

  test('an import error names the entry that was loading', () => {
    expect(() => record(`${hook(0)}\n${hook(1)}\nnull.boom;`)).toThrow(/entry point "src\/b\.ts" threw while being imported: Cannot read properties of null/);
  });

  test('the child does not inherit NODE_OPTIONS', () => {
    const saved = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = '--require /does/not/exist.js';
    try {
      expect(record(`${hook(0)}\nrequire('@azure/functions-core').registerFunction({ name: 'x', bindings: {} });`)).toHaveLength(1);
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = saved;
    }
  });
});

describe('the environment the app sees while recorded', () => {
  // Variables shaped like what GitHub Actions and azure/login put into a deploy job's environment.
  const SECRETS = {
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'eyJ0eXAi.secret',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.actions.githubusercontent.com/x',
    ACTIONS_RUNTIME_TOKEN: 'runtime-secret',
    GITHUB_TOKEN: 'ghs_secret',
    ARM_CLIENT_SECRET: 'arm-secret',
    ARM_ACCESS_KEY: 'storage-key',
    AZURE_CLIENT_SECRET: 'azure-secret',
    NODE_PATH: '/somewhere',
  };
  const reportEnv = `
    const core = require('@azure/functions-core');
    ${hook(0)}
    core.registerFunction({ name: 'env', bindings: { t: { type: 'httpTrigger', direction: 'in', seen: process.env } } });
  `;
  const seenBy = (environment?: Record<string, string>): Record<string, string> => {
    const saved = { ...process.env };
    Object.assign(process.env, SECRETS);
    try {
      const [fn] = recordRegistrations({
        bundleCode: reportEnv,
        bundleFilename: path.join(__dirname, 'virtual', 'dist', 'index.js'),
        entryPoints: ['src/a.ts'],
        environment,
      });
      return fn.bindings.t.seen as Record<string, string>;
    } finally {
      for (const name of Object.keys(SECRETS)) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  };

  test('secrets-shaped variables of the synth process do not reach user code; only the allowlist does', () => {
    const seen = seenBy();
    for (const name of Object.keys(SECRETS)) expect(seen).not.toHaveProperty(name);
    expect(Object.values(seen)).not.toContain('ghs_secret');
    expect(Object.keys(seen).every((name) => RECORDER_INHERITED_VARIABLES.includes(name))).toBe(true);
    if (process.env.PATH !== undefined) expect(seen.PATH).toBe(process.env.PATH);
  });

  test('explicit variables are passed (and override inherited ones)', () => {
    const seen = seenBy({ HUB_NAME: 'chat', PATH: '/only/this' });
    expect(seen.HUB_NAME).toBe('chat');
    expect(seen.PATH).toBe('/only/this');
    expect(seen).not.toHaveProperty('GITHUB_TOKEN');
  });

  test('recorderEnvironment matches names case-insensitively on Windows only', () => {
    const from = { Path: 'C:\\bin', SYSTEMROOT: 'C:\\Windows', GITHUB_TOKEN: 'x', path2: 'no' };
    expect(recorderEnvironment({}, from, 'win32')).toEqual({ Path: 'C:\\bin', SYSTEMROOT: 'C:\\Windows' });
    expect(recorderEnvironment({ PATH: 'D:\\bin' }, from, 'win32')).toEqual({ PATH: 'D:\\bin', SYSTEMROOT: 'C:\\Windows' });
    expect(recorderEnvironment({}, from, 'linux')).toEqual({});
  });
});

describe('validateRegistrations and helpers', () => {
  const fn = (name: string, entryPoint: string, type = 'httpTrigger'): RegisteredFunction => ({
    name,
    entryPoint,
    bindings: { t: { type, direction: 'in' } },
  });

  test('valid registrations pass', () => {
    expect(() => validateRegistrations([fn('a', 'e1'), fn('b-2_x', 'e2')], ['e1', 'e2'])).not.toThrow();
  });

  test.each([
    [[fn('a', 'e1')], ['e1', 'e2'], /entry point "e2" registers no function/],
    [[fn('1a', 'e1')], ['e1'], /registers a function named "1a": names must match/],
    [[fn('a', 'e1'), fn('A', 'e1')], ['e1'], /function "A" is registered twice/],
    [[fn('a', 'e1', 'http')], ['e1'], /function "a" \(entry point "e1"\) has no trigger binding/],
  ] as const)('rejects %#', (regs, entries, message) => {
    expect(() => validateRegistrations(regs as unknown as RegisteredFunction[], entries as unknown as string[])).toThrow(message);
  });

  test('getTriggerBinding and listWebPubSubTriggers (deprecated single connection → list)', () => {
    const wps: RegisteredFunction = {
      name: 'connected',
      entryPoint: 'e',
      bindings: {
        out: { type: 'webPubSub', direction: 'out', hub: 'h' },
        req: { type: 'webPubSubTrigger', direction: 'in', hub: 'h', eventType: 'system', eventName: 'connected', connection: 'Conn', clientProtocols: 'mqtt' },
      },
    };
    expect(getTriggerBinding(wps)?.eventName).toBe('connected');
    expect(listWebPubSubTriggers([fn('x', 'e'), wps])).toEqual([
      { functionName: 'connected', bindingName: 'req', hub: 'h', eventType: 'system', eventName: 'connected', clientProtocols: 'mqtt', connections: ['Conn'] },
    ]);
  });
});

describe('event routing derived from webPubSubTrigger bindings', () => {
  const wps = (name: string, hub: string | undefined, eventType: string, eventName: string): RegisteredFunction => ({
    name,
    entryPoint: 'e',
    bindings: { req: { type: 'webPubSubTrigger', direction: 'in', ...(hub !== undefined ? { hub } : {}), eventType, eventName } },
  });

  test('system events in canonical order, user events sorted and de-duplicated, per hub (case-insensitive)', () => {
    const regs = [
      wps('disc', 'chat', 'system', 'disconnected'),
      wps('conn', 'Chat', 'system', 'connect'),
      wps('typing', 'chat', 'user', 'typing'),
      wps('msg', 'chat', 'user', 'message'),
      wps('msg2', 'chat', 'user', 'message'),
      wps('other', 'lobby', 'user', 'join'),
    ];
    expect(deriveEventRouting(regs, 'chat')).toEqual({ systemEvents: ['connect', 'disconnected'], userEventPattern: 'message,typing' });
    expect(deriveEventRouting(regs, 'lobby')).toEqual({ userEventPattern: 'join' });
    expect(deriveEventRouting(regs, 'none')).toBeUndefined();
  });

  test('undefined when a hub is only known at runtime', () => {
    expect(deriveEventRouting([wps('a', 'chat', 'user', 'm'), wps('b', '%HUB%', 'system', 'connect')], 'chat')).toBeUndefined();
    expect(deriveEventRouting([wps('a', 'chat', 'user', 'm'), wps('b', undefined, 'system', 'connect')], 'chat')).toBeUndefined();
  });

  test('validation rejects triggers that can never fire', () => {
    expect(() => validateRegistrations([wps('a', 'chat', 'system', 'message')], ['e'])).toThrow(
      /function "a" \(entry point "e"\): webPubSubTrigger system `eventName` must be one of connect, connected, disconnected, got "message"/,
    );
    expect(() => validateRegistrations([wps('a', 'chat', 'sys', 'connect')], ['e'])).toThrow(/`eventType` must be "system" or "user", got "sys"/);
    expect(() => validateRegistrations([wps('a', undefined, 'user', 'm')], ['e'])).not.toThrow();
  });
});
