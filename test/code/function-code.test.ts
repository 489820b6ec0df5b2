import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { strFromU8, unzipSync } from 'fflate';
import { FunctionCode } from '../../lib/code/function-code';
import { listWebPubSubTriggers } from '../../lib/code/private/function-registration-recorder';
import { printSynthMessagesInTests } from '../../lib/core/synth-messages';
import { EDITION_PACKAGE } from '../edition';
import {
  CHAT_APP,
  CHAT_ENTRIES,
  CHAT_EXTRA,
  REGISTERING_ENTRY,
  REPO_ROOT,
  captureOutputPerTest,
  cleanupTempDirs,
  copyChatApp,
  listFiles,
  makeProject,
  synthWith,
} from './helpers';

afterAll(cleanupTempDirs);

describe('FunctionCode with the chat-app fixture', () => {
  // GIVEN the fixture app, WHEN synthesized (once for this block: bundling + recording is the slow part)
  const { app, code } = synthWith({ projectDir: CHAT_APP, entryPoints: CHAT_ENTRIES, extraFiles: CHAT_EXTRA });
  const assetFile = path.join(app.outdir, 'stacks', 'stack', code.assetPath);
  const files = unzipSync(new Uint8Array(fs.readFileSync(assetFile)));
  const bundle = strFromU8(files['dist/index.js']);

  test('the zip is written to the outdir at the asset path, named after the content hash', () => {
    expect(code.assetPath).toBe(code.asset.path);
    expect(code.assetPath).toMatch(new RegExp(`^assets/[^/]+/${code.contentHash}/${code.packageFileName}$`));
    expect(code.packageFileName).toBe(`functions-${code.contentHash.slice(0, 16)}.zip`);
    expect(fs.statSync(assetFile).size).toBe(code.sizeBytes);
    expect(fs.readFileSync(assetFile).equals(fs.readFileSync(code.stagedZipPath))).toBe(true);
    expect(code.stagedZipPath.startsWith(app.outdir)).toBe(false);
    expect(code.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the zip holds host.json, package.json, the bundle and the extra file, nothing else', () => {
    expect(Object.keys(files).sort()).toEqual(['dist/index.js', 'host.json', 'index.html', 'package.json']);
    expect(code.fileNames).toEqual(['dist/index.js', 'host.json', 'index.html', 'package.json']);
    expect(JSON.parse(strFromU8(files['host.json']))).toEqual({
      version: '2.0',
      extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.36.0, 5.0.0)' },
    });
    const pkg = JSON.parse(strFromU8(files['package.json']));
    expect(pkg).toEqual({ name: 'chat-app-fixture', version: '1.0.0', private: true, main: 'dist/index.js' });
    expect(pkg.type).toBeUndefined();
    expect(strFromU8(files['index.html'])).toBe(fs.readFileSync(path.join(CHAT_APP, 'public/index.html'), 'utf8'));
  });

  test('@azure/functions is bundled, @azure/functions-core stays a runtime require', () => {
    expect(bundle).toContain('node_modules/@azure/functions/dist/azure-functions.js');
    expect(bundle).toMatch(/require\("@azure\/functions-core"\)/);
    expect(bundle).not.toMatch(/require\("@azure\/functions"\)/);
    expect(bundle).toContain('[chat] '); // the shared module is bundled too
  });

  test('the bundle embeds no absolute paths', () => {
    expect(bundle).not.toContain(REPO_ROOT);
    expect(bundle).not.toContain(CHAT_APP);
  });

  test('registrations carry every function with its bindings and entry point', () => {
    expect(code.registrations.map((r) => [r.name, r.entryPoint])).toEqual([
      ['negotiate', 'src/functions/negotiate.ts'],
      ['index', 'src/functions/negotiate.ts'],
      ['connect', 'src/functions/chat.ts'],
      ['message', 'src/functions/chat.ts'],
    ]);
    const [negotiate, , connect, message] = code.registrations;
    const httpTrigger = Object.values(negotiate.bindings).find((b) => b.type === 'httpTrigger');
    expect(httpTrigger).toMatchObject({ direction: 'in', methods: ['GET', 'POST'], authLevel: 'anonymous', route: 'negotiate' });
    expect(negotiate.bindings.connection).toEqual({
      name: 'connection',
      type: 'webPubSubConnection',
      direction: 'in',
      hub: 'chat',
      userId: '{query.userId}',
      connection: 'WebPubSubConnection',
      properties: { supportsDeferredBinding: 'false' },
    });
    expect(negotiate.bindings.$return).toMatchObject({ type: 'http', direction: 'out' });
    expect(connect.bindings.request).toMatchObject({
      type: 'webPubSubTrigger',
      direction: 'in',
      hub: 'chat',
      eventType: 'system',
      eventName: 'connect',
      connection: 'WebPubSubConnection',
    });
    expect(message.bindings.request).toMatchObject({
      type: 'webPubSubTrigger',
      direction: 'in',
      hub: 'chat',
      eventType: 'user',
      eventName: 'message',
      connections: ['WebPubSubConnection'],
    });
    expect(message.bindings.actions).toEqual({
      name: 'actions',
      type: 'webPubSub',
      direction: 'out',
      hub: 'chat',
      connection: 'WebPubSubConnection',
    });
  });

  test('listWebPubSubTriggers flattens the trigger bindings for event routing', () => {
    expect(listWebPubSubTriggers(code.registrations)).toEqual([
      { functionName: 'connect', bindingName: 'request', hub: 'chat', eventType: 'system', eventName: 'connect', connections: ['WebPubSubConnection'] },
      { functionName: 'message', bindingName: 'request', hub: 'chat', eventType: 'user', eventName: 'message', connections: ['WebPubSubConnection'] },
    ]);
  });

  test('declaredRouting derives the hub routing from the triggers', () => {
    expect(code.declaredRouting('chat')).toEqual({ systemEvents: ['connect'], userEventPattern: 'message' });
    expect(code.declaredRouting('other')).toBeUndefined();
  });

  test('the stack JSON is provider-free (the construct creates no resources)', () => {
    const stackJson = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'stack', 'cdk.tf.json'), 'utf8'));
    expect(stackJson.resource).toBeUndefined();
    expect(stackJson.provider).toBeUndefined();
  });
});

describe('reproducibility', () => {
  test('two separate builds and synths give the same zip bytes and hash', () => {
    // cache: false, so both really bundle and zip (the cache is tested below).
    const first = synthWith({ projectDir: CHAT_APP, entryPoints: CHAT_ENTRIES, extraFiles: CHAT_EXTRA, cache: false });
    const second = synthWith({ projectDir: CHAT_APP, entryPoints: CHAT_ENTRIES, extraFiles: CHAT_EXTRA, cache: false });
    expect(first.code.reusedCachedBuild || second.code.reusedCachedBuild).toBe(false);
    const a = fs.readFileSync(path.join(first.app.outdir, 'stacks', 'stack', first.code.assetPath));
    const b = fs.readFileSync(path.join(second.app.outdir, 'stacks', 'stack', second.code.assetPath));
    expect(first.app.outdir).not.toBe(second.app.outdir);
    expect(a.equals(b)).toBe(true);
    expect(second.code.contentHash).toBe(first.code.contentHash);
    expect(second.code.assetPath).toBe(first.code.assetPath);
  });

  test('a one-character change in the source gives a new hash; restoring it gives the old one back', () => {
    const dir = copyChatApp();
    const props = { projectDir: dir, entryPoints: CHAT_ENTRIES, extraFiles: CHAT_EXTRA };
    const before = synthWith(props).code.contentHash;
    const file = path.join(dir, 'src/shared/format.ts');
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, original.replace('[chat]', '[chaT]'));
    const changed = synthWith(props).code.contentHash;
    fs.writeFileSync(file, original);
    const restored = synthWith(props).code.contentHash;
    expect(changed).not.toBe(before);
    expect(restored).toBe(before);
  });

  test('renaming an extra file changes the hash (names are hashed, not only contents)', () => {
    const a = synthWith({ projectDir: CHAT_APP, entryPoints: CHAT_ENTRIES, extraFiles: { 'index.html': 'public/index.html' } });
    const b = synthWith({ projectDir: CHAT_APP, entryPoints: CHAT_ENTRIES, extraFiles: { 'home.html': 'public/index.html' } });
    expect(b.code.contentHash).not.toBe(a.code.contentHash);
  });
});

describe('build cache', () => {
  const build = (dir: string, staging: string, extra: Partial<Parameters<typeof synthWith>[0]> = {}) =>
    synthWith({ projectDir: dir, entryPoints: CHAT_ENTRIES, extraFiles: CHAT_EXTRA, stagingDirectory: staging, ...extra }).code;

  test('an unchanged app reuses the recorded functions and the zip: same hash, registrations and zip', () => {
    const dir = copyChatApp();
    const staging = path.join(path.dirname(dir), 'staging');
    const first = build(dir, staging);
    const second = build(dir, staging);
    expect([first.reusedCachedBuild, second.reusedCachedBuild]).toEqual([false, true]);
    expect(second.contentHash).toBe(first.contentHash);
    expect(second.registrations).toEqual(first.registrations);
    expect(second.fileNames).toEqual(first.fileNames);
    expect(second.sizeBytes).toBe(first.sizeBytes);
  });

  test('a changed source or option forces a rebuild, restoring it reuses; a damaged staged zip is rebuilt', () => {
    const dir = copyChatApp();
    const staging = path.join(path.dirname(dir), 'staging');
    const first = build(dir, staging);

    const shared = path.join(dir, 'src/shared/format.ts');
    const original = fs.readFileSync(shared, 'utf8');
    fs.writeFileSync(shared, original.replace('[chat]', '[chaT]'));
    const changed = build(dir, staging);
    expect(changed.reusedCachedBuild).toBe(false);
    expect(changed.contentHash).not.toBe(first.contentHash);
    fs.writeFileSync(shared, original);
    const restored = build(dir, staging);
    expect([restored.reusedCachedBuild, restored.contentHash]).toEqual([true, first.contentHash]);

    expect(build(dir, staging, { minify: true }).reusedCachedBuild).toBe(false);

    fs.writeFileSync(restored.stagedZipPath, 'damaged');
    const repaired = build(dir, staging);
    expect(repaired.reusedCachedBuild).toBe(false);
    expect(repaired.contentHash).toBe(first.contentHash);
    expect(fs.readFileSync(restored.stagedZipPath).subarray(0, 2).toString()).toBe('PK');
  });

  test('cache: false always records and zips', () => {
    const dir = copyChatApp();
    const staging = path.join(path.dirname(dir), 'staging');
    build(dir, staging);
    expect(build(dir, staging, { cache: false }).reusedCachedBuild).toBe(false);
  });

  // Changes esbuild does not report as inputs, and environment the recorder sees: each synth must give what a
  // build without cache gives.
  const names = (code: FunctionCode): string[] => code.registrations.map((r) => r.name);
  function expectFresh(dir: string, staging: string, props: Partial<Parameters<typeof synthWith>[0]> = {}): FunctionCode {
    const cached = synthWith({ projectDir: dir, entryPoints: ['src/index.ts'], stagingDirectory: staging, ...props }).code;
    const uncached = synthWith({ projectDir: dir, entryPoints: ['src/index.ts'], stagingDirectory: staging, ...props, cache: false }).code;
    expect(cached.contentHash).toBe(uncached.contentHash);
    expect(cached.registrations).toEqual(uncached.registrations);
    return cached;
  }

  test('a tsconfig.json `paths` change is picked up', () => {
    const tsconfig = (target: string): string => JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@impl/*': [`${target}/*`] } } });
    const dir = makeProject({
      'tsconfig.json': tsconfig('src/alpha'),
      'src/alpha/name.ts': `export const name = 'alpha';\n`,
      'src/beta/name.ts': `export const name = 'beta';\n`,
      'src/index.ts': `import { app } from '@azure/functions';\nimport { name } from '@impl/name';\napp.http(name, { handler: () => ({ body: name }) });\n`,
    });
    const staging = path.join(path.dirname(dir), 'staging');
    expect(names(expectFresh(dir, staging))).toEqual(['alpha']);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), tsconfig('src/beta'));
    expect(names(expectFresh(dir, staging))).toEqual(['beta']);
  });

  test('a package.json `main` or `exports` change in node_modules is picked up', () => {
    const manifest = (fields: Record<string, unknown>): string => JSON.stringify({ name: 'flavour', version: '1.0.0', ...fields });
    const dir = makeProject({
      'node_modules/flavour/package.json': manifest({ main: 'vanilla.js' }),
      'node_modules/flavour/vanilla.js': `exports.name = 'vanilla';\n`,
      'node_modules/flavour/mint.js': `exports.name = 'mint';\n`,
      'node_modules/flavour/cherry.js': `exports.name = 'cherry';\n`,
      'src/index.ts': `import { app } from '@azure/functions';\nimport { name } from 'flavour';\napp.http(name, { handler: () => ({ body: name }) });\n`,
    });
    const staging = path.join(path.dirname(dir), 'staging');
    const pkg = path.join(dir, 'node_modules/flavour/package.json');
    expect(names(expectFresh(dir, staging))).toEqual(['vanilla']);
    fs.writeFileSync(pkg, manifest({ main: 'mint.js' }));
    expect(names(expectFresh(dir, staging))).toEqual(['mint']);
    fs.writeFileSync(pkg, manifest({ main: 'mint.js', exports: { '.': { node: './cherry.js' } } }));
    expect(names(expectFresh(dir, staging))).toEqual(['cherry']);
  });

  test('registrations that depend on the environment follow registrationEnvironment, not the synth process', () => {
    const dir = makeProject({
      'src/index.ts': `import { app } from '@azure/functions';\napp.http(process.env.FLAVOUR ?? 'plain', { handler: () => ({ body: 'ok' }) });\n`,
    });
    const staging = path.join(path.dirname(dir), 'staging');
    const saved = process.env.FLAVOUR;
    try {
      process.env.FLAVOUR = 'vanilla';
      expect(names(expectFresh(dir, staging))).toEqual(['plain']);
      process.env.FLAVOUR = 'mint';
      expect(names(expectFresh(dir, staging))).toEqual(['plain']);
    } finally {
      if (saved === undefined) delete process.env.FLAVOUR;
      else process.env.FLAVOUR = saved;
    }
    expect(names(expectFresh(dir, staging, { registrationEnvironment: { FLAVOUR: 'vanilla' } }))).toEqual(['vanilla']);
    expect(names(expectFresh(dir, staging, { registrationEnvironment: { FLAVOUR: 'mint' } }))).toEqual(['mint']);
  });
});

describe('paths with spaces', () => {
  test('a project dir and a temp dir with a space work end to end', () => {
    const dir = copyChatApp('my chat app');
    const stagingRoot = path.join(path.dirname(dir), 'tmp with space');
    fs.mkdirSync(stagingRoot, { mode: 0o700 }); // private, as a staging directory must be (whatever the umask)
    const { app, code } = synthWith({ projectDir: dir, entryPoints: CHAT_ENTRIES, extraFiles: CHAT_EXTRA, stagingDirectory: stagingRoot });
    expect(code.stagedZipPath).toBe(path.join(stagingRoot, code.contentHash, code.packageFileName));
    const zip = unzipSync(new Uint8Array(fs.readFileSync(path.join(app.outdir, 'stacks', 'stack', code.assetPath))));
    expect(Object.keys(zip)).toContain('dist/index.js');
    expect(code.registrations).toHaveLength(4);
    expect(strFromU8(zip['dist/index.js'])).not.toContain(dir);
  });
});

describe("code written like Microsoft's Node v4 samples (package.json main: src/functions/*.js)", () => {
  // The layout of Azure/azure-webpubsub samples/functions/js/*_v4: CommonJS files under src/functions, each
  // registering its functions, and package.json main naming them with a glob (files written here, not copied).
  const negotiate = `const { app, input } = require('@azure/functions');
const connection = input.generic({ type: 'webPubSubConnection', name: 'connection', userId: '{query.userId}', hub: 'samplechat' });
app.http('negotiate', { methods: ['GET'], authLevel: 'anonymous', extraInputs: [connection], handler: async (req, ctx) => ({ jsonBody: ctx.extraInputs.get(connection) }) });
`;
  const message = `const { app, output, trigger } = require('@azure/functions');
const { decorate } = require('../shared/decorate');
const actions = output.generic({ type: 'webPubSub', name: 'actions', hub: 'samplechat' });
app.generic('message', {
  trigger: trigger.generic({ type: 'webPubSubTrigger', name: 'request', hub: 'samplechat', eventName: 'message', eventType: 'user' }),
  extraOutputs: [actions],
  handler: async (request, context) => { context.extraOutputs.set(actions, [{ actionName: 'sendToAll', data: decorate(request.data), dataType: request.dataType }]); },
});
`;
  const connected = `const { app, trigger } = require('@azure/functions');
app.generic('connected', {
  trigger: trigger.generic({ type: 'webPubSubTrigger', name: 'request', hub: 'samplechat', eventName: 'connected', eventType: 'system' }),
  handler: async () => {},
});
`;
  const files = (main: unknown, extra: Record<string, string> = {}): Record<string, string> => ({
    'package.json': JSON.stringify({ name: 'samplechat-v4', version: '1.0.0', dependencies: { '@azure/functions': '^4.0.0' }, ...(main === null ? {} : { main }) }), // null: no main
    'src/functions/negotiate.js': negotiate,
    'src/functions/message.js': message,
    'src/functions/connected.js': connected,
    'src/shared/decorate.js': `exports.decorate = (data) => '[samplechat] ' + data;\n`,
    ...extra,
  });
  const sampleProject = (main: unknown = 'src/functions/*.js', extra: Record<string, string> = {}): string => makeProject(files(main, extra));
  const zipOf = (r: ReturnType<typeof synthWith>): Record<string, Uint8Array> =>
    unzipSync(new Uint8Array(fs.readFileSync(path.join(r.app.outdir, 'stacks', 'stack', r.code.assetPath))));
  const SORTED = [
    ['connected', 'src/functions/connected.js'],
    ['message', 'src/functions/message.js'],
    ['negotiate', 'src/functions/negotiate.js'],
  ];

  test('without entryPoints, package.json main is the entry: every file the glob matches, sorted, bundled and recorded', () => {
    const dir = sampleProject();
    const synth = synthWith({ projectDir: dir });
    expect(synth.code.registrations.map((r) => [r.name, r.entryPoint])).toEqual(SORTED);
    expect(synth.code.declaredRouting('samplechat')).toEqual({ systemEvents: ['connected'], userEventPattern: 'message' });
    const zip = zipOf(synth);
    expect(Object.keys(zip).sort()).toEqual(['dist/index.js', 'host.json', 'package.json']);
    // the deployed main is the bundle, not the glob
    expect(JSON.parse(strFromU8(zip['package.json']))).toEqual({ name: 'samplechat-v4', version: '1.0.0', private: true, main: 'dist/index.js' });
    const bundle = strFromU8(zip['dist/index.js']);
    expect(bundle).toContain('[samplechat] ');
    expect(bundle).not.toContain(dir);
    const stackJson = JSON.parse(fs.readFileSync(path.join(synth.app.outdir, 'stacks', 'stack', 'cdk.tf.json'), 'utf8'));
    expect(JSON.stringify(stackJson)).not.toContain(dir);
  });

  test('the same glob in entryPoints gives the same package; so does a project whose files were written in another order', () => {
    const fromMain = synthWith({ projectDir: sampleProject() }).code;
    const fromProp = synthWith({ projectDir: sampleProject(null), entryPoints: ['src/functions/*.js'] }).code;
    expect(fromProp.registrations.map((r) => [r.name, r.entryPoint])).toEqual(SORTED);
    // directory listing order follows creation order on some file systems: the matches must not
    const reversed = makeProject(Object.fromEntries(Object.entries(files('src/functions/*.js')).reverse()));
    const fromReversed = synthWith({ projectDir: reversed }).code;
    expect(fromReversed.registrations.map((r) => [r.name, r.entryPoint])).toEqual(SORTED);
    expect(new Set([fromMain.contentHash, fromReversed.contentHash]).size).toBe(1);
    // package.json differs (no main), so only the bundle is compared for the prop
    expect(fromProp.fileNames).toEqual(fromMain.fileNames);
  });

  test('main naming one file, and globs with braces and globstars', () => {
    const single = sampleProject('src/functions/negotiate.js');
    expect(synthWith({ projectDir: single }).code.registrations.map((r) => r.name)).toEqual(['negotiate']);
    const braces = sampleProject('src/functions/{negotiate,message}.js');
    expect(synthWith({ projectDir: braces }).code.registrations.map((r) => r.name)).toEqual(['message', 'negotiate']);
    const deep = sampleProject('src/**/*.js'); // src/shared/decorate.js registers nothing: fine for a glob match
    expect(synthWith({ projectDir: deep }).code.registrations.map((r) => r.entryPoint)).toEqual(SORTED.map(([, file]) => file));
  });

  test('matches are loaded in the byte order of their paths, not the order a directory walk finds them', () => {
    // A walk lists chat/ (a directory named "chat") before chat-admin.js ("chat" < "chat-admin.js"), byte order of the
    // paths puts "chat-admin.js" first ("-" < "/"); Windows lists names case-insensitively. One order everywhere.
    const fn = (name: string): string => `const { app } = require('@azure/functions');\napp.http('${name}', { handler: async () => ({ body: '${name}' }) });\n`;
    const dir = makeProject({
      'package.json': JSON.stringify({ name: 'order', main: 'src/functions/**/*.js' }),
      'src/functions/chat/message.js': fn('chatMessage'),
      'src/functions/chat-admin.js': fn('chatAdmin'),
      'src/functions/Zebra.js': fn('zebra'),
      'src/functions/alpha.js': fn('alpha'),
    });
    expect(synthWith({ projectDir: dir }).code.registrations.map((r) => r.entryPoint)).toEqual([
      'src/functions/Zebra.js',
      'src/functions/alpha.js',
      'src/functions/chat-admin.js',
      'src/functions/chat/message.js',
    ]);
  });

  test('a setup file listed before the glob is loaded first and once', () => {
    const dir = sampleProject(null, { 'src/functions/00-setup.js': `const { app } = require('@azure/functions');\napp.setup({ enableHttpStream: false });\n` });
    const { code } = synthWith({ projectDir: dir, entryPoints: ['src/functions/negotiate.js', 'src/functions/*.js'] });
    expect(code.registrations.map((r) => r.entryPoint)).toEqual(['src/functions/negotiate.js', 'src/functions/connected.js', 'src/functions/message.js']);
  });

  test('dot-files are not matched by *, as in the worker', () => {
    const dir = sampleProject(null, { 'src/functions/.draft.js': `throw new Error('a draft was loaded');\n` });
    expect(synthWith({ projectDir: dir, entryPoints: ['src/functions/*.js'] }).code.registrations).toHaveLength(3);
  });

  test('a glob that matches nothing names the prop, the value and the rule', () => {
    expect(() => synthWith({ projectDir: sampleProject('src/functions/*.mjs') })).toThrow(
      /FunctionCode stack\/Code: `package\.json main` "src\/functions\/\*\.mjs" matches no file in projectDir .*\(a glob matches files, not directories, relative to projectDir/,
    );
    expect(() => synthWith({ projectDir: sampleProject(), entryPoints: ['src/functions/*.js', 'src/handlers/*.js'] })).toThrow(
      /`entryPoints\[1\]` "src\/handlers\/\*\.js" matches no file/,
    );
    expect(() => synthWith({ projectDir: sampleProject('src/functions/missing.js') })).toThrow(/`package\.json main` "src\/functions\/missing\.js" does not exist/);
  });

  test('a glob whose files register no function is an error naming it', () => {
    expect(() => synthWith({ projectDir: sampleProject('src/shared/*.js') })).toThrow(
      /`package\.json main` "src\/shared\/\*\.js" matches src\/shared\/decorate\.js, and none of them registers a function/,
    );
  });

  test('globs and main stay in the project: absolute paths and ".." are refused', () => {
    const dir = sampleProject();
    expect(() => synthWith({ projectDir: dir, entryPoints: [`${dir}/src/functions/*.js`] })).toThrow(/`entryPoints\[0\]` ".*" leaves the project: a glob must be relative/);
    expect(() => synthWith({ projectDir: path.join(dir, 'src'), entryPoints: ['../src/functions/*.js'] })).toThrow(/`entryPoints\[0\]` "\.\.\/src\/functions\/\*\.js" leaves the project/);
    expect(() => synthWith({ projectDir: sampleProject('../elsewhere/index.js') })).toThrow(/`package\.json main` "\.\.\/elsewhere\/index\.js" leaves the project: package\.json main must be relative/);
    expect(() => synthWith({ projectDir: sampleProject(path.join(dir, 'src/functions/negotiate.js')) })).toThrow(/`package\.json main` ".*negotiate\.js" leaves the project/);
  });

  test('without entryPoints, a project with no package.json main is an error naming both', () => {
    expect(() => synthWith({ projectDir: sampleProject(null) })).toThrow(/`entryPoints` is not set and .*package\.json has no `main`: set `entryPoints`, or `main`/);
    expect(() => synthWith({ projectDir: sampleProject(42) })).toThrow(/has no `main` string \(got 42\)/);
    const bare = makeProject({ 'src/index.js': '' });
    expect(() => synthWith({ projectDir: bare })).toThrow(/`entryPoints` is not set and .*package\.json does not exist/);
  });
});

describe('options', () => {
  test('hostJson overrides are deep-merged over the default and written to the zip', () => {
    const { app, code } = synthWith({
      projectDir: CHAT_APP,
      entryPoints: ['src/functions/chat.ts'],
      hostJson: { extensionBundle: { version: '[4.40.0, 5.0.0)' }, logging: { logLevel: { default: 'Warning' } } },
    });
    const expected = {
      version: '2.0',
      extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.40.0, 5.0.0)' },
      logging: { logLevel: { default: 'Warning' } },
    };
    expect(code.hostJson).toEqual(expected);
    const zip = unzipSync(new Uint8Array(fs.readFileSync(path.join(app.outdir, 'stacks', 'stack', code.assetPath))));
    expect(JSON.parse(strFromU8(zip['host.json']))).toEqual(expected);
  });

  test('sourceMap ships a linked map with relative sources; minify shrinks the bundle; define replaces', () => {
    const dir = makeProject({
      'src/index.ts': `import { app } from '@azure/functions';\ndeclare const STAGE: string;\napp.http('stage' + STAGE, { handler: () => ({ body: STAGE }) });\n`,
    });
    const plain = synthWith({ projectDir: dir, entryPoints: ['src/index.ts'], define: { STAGE: '"Dev"' } });
    const mapped = synthWith({ projectDir: dir, entryPoints: ['src/index.ts'], define: { STAGE: '"Dev"' }, sourceMap: true, minify: true });
    const read = (r: typeof plain): Record<string, Uint8Array> =>
      unzipSync(new Uint8Array(fs.readFileSync(path.join(r.app.outdir, 'stacks', 'stack', r.code.assetPath))));
    const plainZip = read(plain);
    const mappedZip = read(mapped);
    expect(plain.code.registrations.map((r) => r.name)).toEqual(['stageDev']);
    expect(plainZip['dist/index.js.map']).toBeUndefined();
    const map = JSON.parse(strFromU8(mappedZip['dist/index.js.map']));
    expect(map.sources).toContain('../src/index.ts');
    expect(map.sources.every((s: string) => !path.isAbsolute(s))).toBe(true);
    expect(strFromU8(mappedZip['dist/index.js'])).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
    expect(mappedZip['dist/index.js'].length).toBeLessThan(plainZip['dist/index.js'].length * 0.7);
  });

  test('externals are not bundled and are shipped with their transitive dependencies', () => {
    const dir = makeProject({
      'node_modules/fake-ext/package.json': JSON.stringify({
        name: 'fake-ext',
        version: '1.0.0',
        main: 'lib/main.js',
        dependencies: { 'fake-dep': '^1.0.0' },
      }),
      'node_modules/fake-ext/lib/main.js': `module.exports = { greeting: require('fake-dep').word + ' from fake-ext' };\n`,
      'node_modules/fake-dep/package.json': JSON.stringify({
        name: 'fake-dep',
        version: '1.0.0',
        optionalDependencies: { 'fake-missing-optional': '1.0.0' },
      }),
      'node_modules/fake-dep/index.js': `module.exports = { word: 'hello' };\n`,
      'node_modules/unrelated/package.json': JSON.stringify({ name: 'unrelated', version: '1.0.0' }),
      'src/index.ts': `import { app } from '@azure/functions';\nimport { greeting } from 'fake-ext';\napp.http(greeting.startsWith('hello') ? 'greet' : 'broken', { handler: () => ({ body: greeting }) });\n`,
    });
    const { app, code } = synthWith({ projectDir: dir, entryPoints: ['src/index.ts'], externals: ['fake-ext'] });
    const zip = unzipSync(new Uint8Array(fs.readFileSync(path.join(app.outdir, 'stacks', 'stack', code.assetPath))));
    expect(Object.keys(zip).sort()).toEqual([
      'dist/index.js',
      'host.json',
      'node_modules/fake-dep/index.js',
      'node_modules/fake-dep/package.json',
      'node_modules/fake-ext/lib/main.js',
      'node_modules/fake-ext/package.json',
      'package.json',
    ]);
    const bundle = strFromU8(zip['dist/index.js']);
    expect(bundle).toMatch(/require\("fake-ext"\)/);
    expect(bundle).not.toContain('from fake-ext');
    // the recorder resolved the external from the project's node_modules at import
    expect(code.registrations.map((r) => r.name)).toEqual(['greet']);
  });

  test('registrationEnvironment is what the app sees at synth; the synth process environment is not', () => {
    const dir = makeProject({
      'src/index.ts': `import { app } from '@azure/functions';
if (process.env.GITHUB_TOKEN !== undefined || process.env.ARM_CLIENT_SECRET !== undefined) throw new Error('saw a deployer secret');
app.http(process.env.FN_NAME ?? 'unset', { handler: () => ({ body: 'ok' }) });
`,
    });
    const saved = { ...process.env };
    Object.assign(process.env, { FN_NAME: 'fromProcess', GITHUB_TOKEN: 'ghs_secret', ARM_CLIENT_SECRET: 'arm-secret' });
    try {
      expect(synthWith({ projectDir: dir, entryPoints: ['src/index.ts'] }).code.registrations.map((r) => r.name)).toEqual(['unset']);
      const withProp = synthWith({ projectDir: dir, entryPoints: ['src/index.ts'], registrationEnvironment: { FN_NAME: 'fromProp' } });
      expect(withProp.code.registrations.map((r) => r.name)).toEqual(['fromProp']);
    } finally {
      for (const name of ['FN_NAME', 'GITHUB_TOKEN', 'ARM_CLIENT_SECRET']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
    expect(() => synthWith({ projectDir: dir, entryPoints: ['src/index.ts'], registrationEnvironment: { 'A=B': 'x' } })).toThrow(
      /`registrationEnvironment`: "A=B" is not a valid environment variable name/,
    );
  });

  test('local secrets reached through extraFiles are left out of the zip with a warning naming them', () => {
    const dir = makeProject({
      'src/index.ts': REGISTERING_ENTRY,
      'public/index.html': '<h1>chat</h1>',
      'config/app.json': '{}',
      'config/.env': 'ARM_ACCESS_KEY=secret\n',
      'config/local.settings.json': '{"Values":{"AzureWebJobsStorage":"AccountKey=secret"}}',
    });
    fs.symlinkSync('../config', path.join(dir, 'public', 'config'));
    const { app, code } = synthWith({ projectDir: dir, entryPoints: ['src/index.ts'], extraFiles: { www: 'public' } });
    const zip = unzipSync(new Uint8Array(fs.readFileSync(path.join(app.outdir, 'stacks', 'stack', code.assetPath))));
    expect(Object.keys(zip).filter((n) => n.startsWith('www/')).sort()).toEqual(['www/config/app.json', 'www/index.html']);
    expect(code.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data)).toEqual([
      'left out of the code package: public/config/.env (dotenv file), public/config/local.settings.json (local app settings). ' +
        'Files named like these hold keys, tokens or connection strings; set includeSecretFiles: true to pack them',
    ]);
    const opted = synthWith({ projectDir: dir, entryPoints: ['src/index.ts'], extraFiles: { www: 'public' }, includeSecretFiles: true });
    expect(opted.code.fileNames).toEqual(expect.arrayContaining(['www/config/.env', 'www/config/local.settings.json']));
  });

  (process.platform === 'win32' ? test.skip : test)('a .git folder, a private key and a FIFO in an extraFiles folder are left out with warnings naming them', () => {
    const dir = makeProject({
      'src/index.ts': REGISTERING_ENTRY,
      'public/index.html': '<h1>chat</h1>',
      'public/.git/config': '[remote "origin"]\n\turl = https://x-access-token:ghs_secret@github.com/o/r.git\n',
      'public/certs/site.key': '-----BEGIN PRIVATE KEY-----\n',
    });
    execFileSync('mkfifo', [path.join(dir, 'public', 'events')]);
    const { app, code } = synthWith({ projectDir: dir, entryPoints: ['src/index.ts'], extraFiles: { www: 'public' } });
    const zip = unzipSync(new Uint8Array(fs.readFileSync(path.join(app.outdir, 'stacks', 'stack', code.assetPath))));
    expect(Object.keys(zip).filter((n) => n.startsWith('www/'))).toEqual(['www/index.html']);
    expect(code.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data)).toEqual([
      'left out of the code package: public/.git (version-control metadata), public/certs/site.key (private key or certificate). ' +
        'Files named like these hold keys, tokens or connection strings; set includeSecretFiles: true to pack them',
      'left out of the code package: public/events (a FIFO (named pipe)). Only regular files are packed',
    ]);
  });

  (process.platform === 'win32' ? test.skip : test)('a FIFO named in extraFiles fails the synth at once, naming it (it used to hang)', () => {
    const dir = makeProject({ 'src/index.ts': REGISTERING_ENTRY });
    const fifo = path.join(dir, 'feed');
    execFileSync('mkfifo', [fifo]);
    // a writer that lets a blocking read finish (empty) after 2 s, so the old behaviour fails this test instead of hanging it
    const writer = spawn('sh', ['-c', 'exec 3>"$0"; sleep 2', fifo], { stdio: 'ignore' });
    try {
      expect(() => synthWith({ projectDir: dir, entryPoints: ['src/index.ts'], extraFiles: { feed: 'feed' } })).toThrow(
        /FunctionCode stack\/Code: `extraFiles\["feed"\]`: "feed" is a FIFO \(named pipe\), not a regular file or directory/,
      );
      expect(() => synthWith({ projectDir: dir, entryPoints: ['src/index.ts'], extraFiles: { zero: '/dev/zero' } })).toThrow(/"\/dev\/zero" is a character device/);
    } finally {
      writer.kill('SIGKILL');
    }
  });

  test('nodeVersion 22 is accepted, anything else is rejected naming the prop', () => {
    const dir = makeProject({ 'src/index.ts': REGISTERING_ENTRY });
    expect(synthWith({ projectDir: dir, entryPoints: ['src/index.ts'], nodeVersion: '22' }).code.registrations).toHaveLength(1);
    expect(() => synthWith({ projectDir: dir, entryPoints: ['src/index.ts'], nodeVersion: '18' as never })).toThrow(
      /`nodeVersion` must be "20" or "22", got "18"/,
    );
  });
});

describe('errors at construction', () => {
  function constructIn(files: Record<string, string>, entryPoints: string[]): () => void {
    const dir = makeProject(files);
    return () => {
      const app = Testing.app();
      const stack = new TerraformStack(app, 'stack');
      try {
        new FunctionCode(stack, 'Code', { projectDir: dir, entryPoints });
      } finally {
        // nothing half-written: the failed construction wrote nothing to the outdir, and a synth of the
        // remaining tree writes no asset
        expect(listFiles(app.outdir)).toEqual([]);
        app.synth();
        expect(listFiles(app.outdir).filter((f) => f.includes('assets'))).toEqual([]);
      }
    };
  }

  test('a missing entry names the prop and the path', () => {
    expect(constructIn({ 'src/ok.ts': REGISTERING_ENTRY }, ['src/ok.ts', 'src/missing.ts'])).toThrow(
      /FunctionCode stack\/Code: `entryPoints\[1\]` "src\/missing\.ts" does not exist \(resolved to .*src\/missing\.ts/,
    );
  });

  test('no entry points', () => {
    expect(constructIn({}, [])).toThrow(/`entryPoints` must list at least one entry file/);
  });

  test('a TypeScript syntax error names file:line:column and esbuild message', () => {
    const bad = `import { app } from '@azure/functions';\n\nconst x: number = ;\napp.http('x', { handler: () => ({ body: String(x) }) });\n`;
    expect(constructIn({ 'src/bad.ts': bad }, ['src/bad.ts'])).toThrow(/src\/bad\.ts:3:19: Unexpected ";"/);
  });

  test('an unresolved import names file:line:column and the module', () => {
    const bad = `import { app } from '@azure/functions';\nimport { helper } from './does-not-exist';\napp.http('x', { handler: () => ({ body: helper() }) });\n`;
    expect(constructIn({ 'src/bad.ts': bad }, ['src/bad.ts'])).toThrow(/src\/bad\.ts:2:\d+: Could not resolve "\.\/does-not-exist"/);
  });

  test('an entry that registers no function is named', () => {
    expect(
      constructIn({ 'src/ok.ts': REGISTERING_ENTRY, 'src/helpers.ts': 'export const answer = 42;\n' }, ['src/ok.ts', 'src/helpers.ts']),
    ).toThrow(/entry point "src\/helpers\.ts" registers no function/);
  });

  test('an entry that throws at import is named with the error', () => {
    const throwing = `import { app } from '@azure/functions';\napp.http('x', { handler: () => ({}) });\nif (!process.env.NOT_SET_ANYWHERE) throw new Error('missing setting NOT_SET_ANYWHERE');\n`;
    expect(constructIn({ 'src/ok.ts': REGISTERING_ENTRY, 'src/throws.ts': throwing }, ['src/ok.ts', 'src/throws.ts'])).toThrow(
      /entry point "src\/throws\.ts" threw while being imported: missing setting NOT_SET_ANYWHERE/,
    );
  });

  test('the same function name registered by two entries is rejected', () => {
    expect(constructIn({ 'src/a.ts': REGISTERING_ENTRY, 'src/b.ts': REGISTERING_ENTRY.replace('ok', 'OK') }, ['src/a.ts', 'src/b.ts'])).toThrow(
      /function "OK" is registered twice \(entry points "src\/a\.ts" and "src\/b\.ts"\)/,
    );
  });

  test('an extra file that does not exist or would overwrite a generated file', () => {
    const dir = makeProject({ 'src/ok.ts': REGISTERING_ENTRY, 'x.json': '{}' });
    const build = (extraFiles: Record<string, string>) => () =>
      new FunctionCode(new TerraformStack(Testing.app(), 's'), 'Code', { projectDir: dir, entryPoints: ['src/ok.ts'], extraFiles });
    expect(build({ 'index.html': 'public/nope.html' })).toThrow(/`extraFiles\["index\.html"\]`: source "public\/nope\.html" does not exist/);
    expect(build({ 'host.json': 'x.json' })).toThrow(/`extraFiles\["host\.json"\]` would overwrite a generated file/);
    expect(build({ '../escape.json': 'x.json' })).toThrow(/invalid zip entry path "\.\.\/escape\.json"/);
  });

  test('an external package that is not installed', () => {
    expect(() =>
      synthWith({ projectDir: makeProject({ 'src/ok.ts': REGISTERING_ENTRY }), entryPoints: ['src/ok.ts'], externals: ['not-installed-pkg'] }),
    ).toThrow(/`externals`: package "not-installed-pkg" \(listed in externals\) was not found/);
  });
});

describe('progress report', () => {
  const output = captureOutputPerTest();

  const progressLines = (spy: jest.SpyInstance): string[] =>
    spy.mock.calls.map((c) => String(c[0])).filter((l) => l.startsWith(`[${EDITION_PACKAGE}]`));

  test('silent under Jest', () => {
    synthWith({ projectDir: CHAT_APP, entryPoints: ['src/functions/chat.ts'] });
    expect(progressLines(output.stdout)).toEqual([]);
  });

  test('one line per package on stdout (the cdktf CLI shows stderr as [ERROR]), none with quiet: true', () => {
    printSynthMessagesInTests(true);
    synthWith({ projectDir: CHAT_APP, entryPoints: ['src/functions/chat.ts'] });
    expect(progressLines(output.stdout)).toEqual([expect.stringMatching(new RegExp(`^\\[${EDITION_PACKAGE}\\] packaged stack/Code: 3 files, \\d+\\.\\d kB in \\d+ ms( \\(.*\\))?\\n$`))]);
    expect(output.stderr).not.toHaveBeenCalled();
    output.stdout.mockClear();
    synthWith({ projectDir: CHAT_APP, entryPoints: ['src/functions/chat.ts'], quiet: true });
    expect(progressLines(output.stdout)).toEqual([]);
  });
});
