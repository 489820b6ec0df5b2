import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative, resolve } from 'path';
import { buildSync } from 'esbuild';

const repoRoot = resolve(__dirname, '..', '..');
const runtimeDir = join(repoRoot, 'lib', 'runtime');

const EXPECTED_BUILDERS = [
  'sendToAll',
  'sendToGroup',
  'sendToUser',
  'sendToConnection',
  'addUserToGroup',
  'removeUserFromGroup',
  'removeUserFromAllGroups',
  'addConnectionToGroup',
  'removeConnectionFromGroup',
  'closeAllConnections',
  'closeClientConnection',
  'closeGroupConnections',
  'grantPermission',
  'revokePermission',
  'connectEventResponse',
  'userEventResponse',
  'eventErrorResponse',
  'ConnectionStateUpdate',
  'WebPubSubArgumentError',
  // registerWebPubSubHandlers: a hub's handlers as one key-protected HTTP function (every plan, Flex included).
  'registerWebPubSubHandlers',
  'createWebPubSubDispatcher',
  'withConnectionStates',
];

describe('runtime entry loads without cdktf or cdktn', () => {
  let workDir: string;
  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'wps-runtime-'));
  });
  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  test('GIVEN cdktf/cdktn/constructs/@cdktf/*/@cdktn/* refused by the resolver WHEN the bundled entry is required THEN it loads and lists the builders', () => {
    // GIVEN the runtime entry bundled to CommonJS. @azure/functions is external as in a Function App; cdktf, constructs
    // and @cdktf/* (and their cdktn counterparts) are external too, so that any use of them stays a require() the
    // child's resolver hook refuses.
    const bundle = join(workDir, 'runtime.js');
    const result = buildSync({
      entryPoints: [join(runtimeDir, 'index.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['@azure/functions', 'cdktf', 'cdktn', 'constructs', '@cdktf/*', '@cdktn/*'],
      outfile: bundle,
      write: true,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const probe = join(workDir, 'probe.js');
    writeFileSync(
      probe,
      `
const Module = require('module');
const original = Module._resolveFilename;
const refused = [];
Module._resolveFilename = function (request, ...rest) {
  if (new RegExp('^(cdktf|cdktn|constructs)(/|$)|^@cdkt[fn]/').test(request)) {
    refused.push(request);
    throw new Error('refused in runtime test: ' + request);
  }
  return original.call(this, request, ...rest);
};
// The hook really refuses: prove it before loading the entry.
let hookWorks = false;
for (const probe of ['cdktf', 'cdktn', '@cdktn/provider-azurerm/lib/web-pubsub']) {
  try { require(probe); } catch (e) { hookWorks = /refused/.test(String(e)); }
  if (!hookWorks) break;
}
const runtime = require(${JSON.stringify(bundle)});
const action = runtime.sendToGroup({ group: 'g', data: 'hi', dataType: 'text' });
const functions = Object.keys(runtime).filter((k) => typeof runtime[k] === 'function').sort();
process.stdout.write(JSON.stringify({ hookWorks, refusedDuringLoad: refused.slice(3), exports: Object.keys(runtime).sort(), functions, action }));
`,
    );

    // WHEN
    const child = spawnSync(process.execPath, [probe], { cwd: workDir, encoding: 'utf8', timeout: 30000 });

    // THEN
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const report = JSON.parse(child.stdout) as { hookWorks: boolean; refusedDuringLoad: string[]; exports: string[]; functions: string[]; action: unknown };
    expect(report.hookWorks).toBe(true);
    expect(report.refusedDuringLoad).toEqual([]);
    expect(report.exports).toEqual(expect.arrayContaining(EXPECTED_BUILDERS));
    for (const name of ['registerWebPubSubHandlers', 'createWebPubSubDispatcher', 'withConnectionStates']) expect(report.functions).toContain(name);
    expect(report.action).toEqual({ actionName: 'sendToGroup', group: 'g', data: 'hi', dataType: 'text' });
  });

  test('the bundle contains no require of any package (the entry has no runtime dependencies)', () => {
    const result = buildSync({
      entryPoints: [join(runtimeDir, 'index.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile!.inputs);
    expect(inputs.every((p) => p.startsWith('lib/runtime/') || p.startsWith(relative(process.cwd(), runtimeDir)))).toBe(true);
    const code = result.outputFiles![0].text;
    expect(code).not.toMatch(/require\(["'][^"']+["']\)/);
  });
});

describe('static import rules for lib/runtime', () => {
  const files = readdirSync(runtimeDir).filter((f) => f.endsWith('.ts'));
  const importPattern = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;

  test('the runtime directory has its files', () => {
    expect(files).toEqual(expect.arrayContaining(['index.ts', 'output-actions.ts', 'event-responses.ts', 'connection-context.ts', 'web-pubsub-handlers.ts']));
  });

  test.each(files)('%s imports neither cdktf/cdktn/constructs/@cdktf/@cdktn nor anything outside lib/runtime', (file) => {
    const source = readFileSync(join(runtimeDir, file), 'utf8');
    const specifiers = [...source.matchAll(importPattern)].map((m) => m[1] ?? m[2] ?? m[3]);
    for (const specifier of specifiers) {
      expect(specifier).not.toMatch(/^(cdktf|cdktn|constructs)(\/|$)|^@cdkt[fn]\//);
      if (specifier.startsWith('.')) {
        const target = resolve(runtimeDir, specifier);
        expect(relative(runtimeDir, target).startsWith('..')).toBe(false);
      } else {
        // Only type-only use of @azure/functions would be allowed; today the runtime needs no package at all.
        expect(specifier).toBe('@azure/functions');
        expect(source).toMatch(new RegExp(`import\\s+type\\s[^;]*from\\s+['"]${specifier}['"]`));
      }
    }
  });
});
