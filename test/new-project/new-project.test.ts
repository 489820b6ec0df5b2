/**
 * A new user's project, end to end and offline except for the npm registry: `npm pack` this repository, create a
 * project in a private temporary directory outside the repository, install the tarball and the peers with the
 * README's install lines for a packed checkout ("Before the package is on npm"; the same as its registry lines), write the README's cdktf.json, stack and handler, type check, synthesize with the README's
 * command and run the CLI from the installed package. Everything the user copies comes from the README's code blocks
 * marked `<!-- new-project-test: ... -->` (see ./readme-blocks.ts), so README and package cannot drift apart.
 *
 * With a warm npm cache this takes about a minute; the first run also downloads cdktf-cli for `npx cdktf-cli@0.21`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commandLines, readReadmeBlocks, readmeBlock } from './readme-blocks';
import {
  CDKTF_INIT_TSCONFIG,
  EXPECTED_RESOURCE_TYPES,
  listFiles,
  mustRun,
  mustRunAsync,
  README_STACK as STACK,
  readSynthesized,
  REPO_ROOT,
  run,
  writeFile,
} from './scratch-project';

const PACKAGE_NAME = 'cdktf-azure-webpubsub';

/**
 * What the CLI must do in a fresh project. Kept loose and in one place: the CLI is being reworked, and these only
 * guard that the installed bin starts (compiled JavaScript, no dev tooling) and fails helpfully, not how it words things.
 */
const CLI_EXPECTATIONS = {
  /** `verify --help` prints usage and succeeds. */
  verifyHelp: { status: 0, stdout: /Usage: cdktf-azure-webpubsub verify/ },
  /**
   * `local-settings` without a deployment may fail (there are no outputs yet), but with a message that says what
   * is missing; never a crash.
   */
  localSettingsWithoutDeployment: { message: /outputs|manifest|deploy/i },
  /** Signs of a crash instead of a handled error. */
  crash: /^\s+at .+\(.+:\d+:\d+\)$|TypeError|ReferenceError|SyntaxError|Cannot find module|ERR_[A-Z_]+/m,
};

/** The module settings users combine; each must resolve both entries (node10 is cdktf init's default on TypeScript 5). */
const RESOLUTION_MATRIX = [
  { module: 'commonjs', moduleResolution: 'node10' },
  { module: 'node16', moduleResolution: 'node16' },
  { module: 'nodenext', moduleResolution: 'nodenext' },
  { module: 'esnext', moduleResolution: 'bundler' },
];

describe('a new project, set up as the README says, with the packed library', () => {
  const blocks = readReadmeBlocks();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-wps-new-project-'));
  const project = path.join(work, 'project');
  const installed = path.join(project, 'node_modules', PACKAGE_NAME);
  let packedFiles: string[] = [];
  let tarballName = '';

  beforeAll(() => {
    // GIVEN the package as npm publishes it (prepack builds dist/)
    const packed = mustRun('npm', ['pack', '--json', '--pack-destination', work], REPO_ROOT);
    const [manifest] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    packedFiles = manifest.files.map((f) => f.path).sort();
    const tarball = path.join(work, manifest.filename);
    tarballName = manifest.filename;

    // AND a new project outside the repository with the README's files
    fs.mkdirSync(project);
    writeFile(project, 'package.json', `${JSON.stringify({ name: 'new-project', version: '1.0.0', private: true }, null, 2)}\n`);
    writeFile(project, 'cdktf.json', readmeBlock(blocks, 'cdktf.json'));
    writeFile(project, 'tsconfig.json', `${JSON.stringify(CDKTF_INIT_TSCONFIG, null, 2)}\n`);
    writeFile(project, 'main.ts', readmeBlock(blocks, 'main.ts'));
    writeFile(project, 'functions/index.ts', readmeBlock(blocks, 'functions/index.ts'));

    // WHEN the README's install lines for a packed checkout run there ("Before the package is on npm"), with the path
    // of the tarball this test packed in place of the README's (the registry's lines are the same, see below)
    for (const words of commandLines(readmeBlock(blocks, 'install-tarball'))) {
      expect(words.slice(0, 2)).toEqual(['npm', 'install']);
      const args = words.slice(1).map((word) => (word.endsWith('.tgz') ? tarball : word));
      mustRun('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], project);
    }
  }, 600_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('the package holds only what ships: compiled lib, its sources, the bin, README, LICENSE, docs', () => {
    const allowed = /^(LICENSE|README\.md|package\.json|bin\/[^/]+\.js|dist\/lib\/.+\.(js|d\.ts|js\.map|d\.ts\.map)|lib\/.+\.ts|docs\/[^/]+\.md)$/;
    expect(packedFiles.filter((file) => !allowed.test(file))).toEqual([]);
    expect(packedFiles.filter((file) => /(^|\/)(test|tests|__tests__|bench|examples|fixtures|stand-ins)\/|\.test\./.test(file))).toEqual([]);
    expect(packedFiles).toEqual(expect.arrayContaining(['LICENSE', 'dist/lib/index.js', 'dist/lib/runtime/index.d.ts', 'dist/lib/cli/main.js']));
    expect(fs.readFileSync(path.join(installed, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')).license).toBe('MIT');
  });

  test("the installed README's links to docs/ resolve inside the package", () => {
    const readme = fs.readFileSync(path.join(installed, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\((docs\/[^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(3);
    expect(links.filter((link) => !fs.existsSync(path.join(installed, link)))).toEqual([]);
  });

  test('every source map of the installed package points at files inside the package', () => {
    const maps = listFiles(installed).filter((file) => file.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const unresolved: string[] = [];
    for (const map of maps) {
      const { sources, sourceRoot } = JSON.parse(fs.readFileSync(path.join(installed, map), 'utf8')) as { sources: string[]; sourceRoot?: string };
      for (const source of sources) {
        const target = path.resolve(path.dirname(path.join(installed, map)), sourceRoot ?? '', source);
        if (!target.startsWith(installed + path.sep) || !fs.existsSync(target)) unresolved.push(`${map} -> ${source}`);
      }
    }
    expect(unresolved).toEqual([]);
  });

  test("type checks with the tsconfig cdktf init writes, with the README's tsconfig, and under every common moduleResolution", async () => {
    const projectTsc = path.join(project, 'node_modules', '.bin', 'tsc');
    const repoTsc = require.resolve('typescript/bin/tsc', { paths: [REPO_ROOT] });
    writeFile(project, 'tsconfig.readme.json', readmeBlock(blocks, 'tsconfig.json'));
    for (const settings of RESOLUTION_MATRIX) {
      const compilerOptions = { ...settings, target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] };
      writeFile(project, `tsconfig.${settings.moduleResolution}.json`, JSON.stringify({ compilerOptions, files: ['main.ts', 'functions/index.ts'] }));
    }
    await Promise.all([
      // cdktf init's tsconfig and the README's minimal one, with the TypeScript the README installs
      mustRunAsync(projectTsc, ['-p', 'tsconfig.json', '--noEmit'], project),
      mustRunAsync(projectTsc, ['-p', 'tsconfig.readme.json', '--noEmit'], project),
      // each resolution mode, with the TypeScript this repository builds with (the newest majors dropped node10)
      ...RESOLUTION_MATRIX.map((s) => mustRunAsync(process.execPath, [repoTsc, '-p', `tsconfig.${s.moduleResolution}.json`], project)),
    ]);
  }, 300_000);

  test("the README's synth command writes the topology", () => {
    // WHEN
    const [synth] = commandLines(readmeBlock(blocks, 'synth'));
    const output = mustRun(synth[0], synth.slice(1), project);

    // THEN
    // with CHECKPOINT_DISABLE=1, as the README says next to the command (childEnv sets it), nothing tries HashiCorp's
    // checkpoint service: no `[ERROR] ... checkpoint-api.hashicorp.com` line on a machine without internet access
    expect(`${output.stdout}\n${output.stderr}`).not.toMatch(/checkpoint/i);
    const { json } = readSynthesized(project);
    expect(Object.keys(json.resource)).toEqual(expect.arrayContaining(EXPECTED_RESOURCE_TYPES));
    expect(Object.values(json.resource.azapi_resource).some((r: any) => String(r.type).startsWith('Microsoft.Web/sites@'))).toBe(true);
    expect(Object.values(json.resource.azurerm_web_pubsub_hub).map((hub) => hub.name)).toEqual(['chat']);
    // The README's handlers are served on the default plan (Flex): the hub calls the HTTP function the packed runtime
    // entry's registerWebPubSubHandlers registered, with the app key, routed as the code declares.
    const [handler] = (Object.values(json.resource.azurerm_web_pubsub_hub)[0] as any).event_handler;
    expect(handler.url_template).toMatch(/^https:\/\/\$\{azapi_resource\.[^}]+\.output\.properties\.defaultHostName\}\/api\/webpubsub\/chat\/\{event\}\?code=\$\{random_password\.[^}]*WebPubSubUpstreamKey[^}]*\.result\}$/);
    expect(handler.user_event_pattern).toBe('message');
    expect(Object.values(json.resource.azapi_resource_action).map((a: any) => a.action)).toContain('host/default/functionKeys/webpubsub_upstream');
    expect(Object.keys(json.terraform.required_providers).sort()).toEqual(expect.arrayContaining(['azapi', 'azurerm', 'random']));
    expect(fs.existsSync(path.join(project, 'cdktf.out', 'stacks', STACK, 'webpubsub-manifest.json'))).toBe(true);
  }, 300_000);

  test('the same stack and handler as an ES-module project: type checks under nodenext and synthesizes the same resources', () => {
    // GIVEN the README's files in a "type": "module" package next to the CommonJS one (same node_modules)
    const esm = path.join(project, 'esm');
    writeFile(esm, 'package.json', `${JSON.stringify({ type: 'module' })}\n`);
    for (const file of ['cdktf.json', 'main.ts', 'functions/index.ts'] as const) writeFile(esm, file, readmeBlock(blocks, file));
    const readmeTsconfig = JSON.parse(readmeBlock(blocks, 'tsconfig.json')) as { compilerOptions: Record<string, unknown> };
    const compilerOptions = { ...readmeTsconfig.compilerOptions, module: 'nodenext', moduleResolution: 'nodenext', noEmit: true };
    writeFile(esm, 'tsconfig.json', JSON.stringify({ ...readmeTsconfig, compilerOptions }));

    // WHEN
    mustRun(path.join(project, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], esm);
    const app = (JSON.parse(readmeBlock(blocks, 'cdktf.json')) as { app: string }).app.split(/\s+/);
    mustRun(app[0], app.slice(1), esm);

    // THEN the same resources (the package bytes differ: esbuild bundles an ES module, and the project's package.json
    // differs; cdktf's default local backend path is the project's own)
    const addresses = (dir: string) => Object.entries(readSynthesized(dir).json.resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)).sort();
    expect(addresses(esm)).toEqual(addresses(project));
  }, 300_000);

  test("before the package is on npm: the README packs a checkout with npm pack, names the tarball npm writes, and installs it with the registry's lines", () => {
    expect(commandLines(readmeBlock(blocks, 'pack'))).toEqual([
      ['npm', 'ci'],
      ['npm', 'pack'],
    ]);
    const tarballLines = commandLines(readmeBlock(blocks, 'install-tarball'));
    const tarballWords = tarballLines.flat().filter((word) => word.endsWith('.tgz'));
    expect(tarballWords.map((word) => path.posix.basename(word))).toEqual([tarballName]);
    // the quick start's lines, with the package name where the tarball is: the same peers and dev tools either way
    const asRegistry = tarballLines.map((words) => words.map((word) => (word.endsWith('.tgz') ? PACKAGE_NAME : word)));
    expect(asRegistry).toEqual(commandLines(readmeBlock(blocks, 'install')));
  });

  test("the README's install lines ask for the peers with exactly the ranges package.json accepts", () => {
    const peers = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> }).peerDependencies;
    const requested = new Map(
      commandLines(readmeBlock(blocks, 'install'))
        .flat()
        .map((word) => /^(@?[^@]+)@(.+)$/.exec(word))
        .filter((match): match is RegExpExecArray => match !== null)
        .map((match) => [match[1], match[2]]),
    );
    for (const [name, range] of Object.entries(peers)) expect(`${name}@${requested.get(name)}`).toBe(`${name}@${range}`);
  });

  test('the installed bin runs the compiled CLI, not the shipped .ts sources, although the project has tsx', () => {
    // GIVEN a preload that records every module the process loaded
    const loadedFile = path.join(work, 'loaded-modules.json');
    const preload = path.join(work, 'record-loaded-modules.cjs');
    fs.writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(loadedFile)}, JSON.stringify(Object.keys(require.cache))));\n`);
    expect(fs.existsSync(path.join(project, 'node_modules', 'tsx'))).toBe(true);

    // WHEN
    mustRun(process.execPath, ['--require', preload, path.join(installed, 'bin', `${PACKAGE_NAME}.js`), '--help'], project);

    // THEN
    const loaded = (JSON.parse(fs.readFileSync(loadedFile, 'utf8')) as string[]).map((file) => file.split(path.sep).join('/'));
    expect(loaded).toContain(`${installed.split(path.sep).join('/')}/dist/lib/cli/main.js`);
    expect(loaded.filter((file) => file.includes('/node_modules/tsx/') || file.endsWith('.ts'))).toEqual([]);
  });

  test('the installed CLI runs from the package: verify --help, and local-settings before any deployment', () => {
    const bin = path.join(project, 'node_modules', '.bin', PACKAGE_NAME);
    expect(fs.existsSync(bin)).toBe(true);

    const help = run('npx', [PACKAGE_NAME, 'verify', '--help'], project);
    expect(help.status).toBe(CLI_EXPECTATIONS.verifyHelp.status);
    expect(help.stdout).toMatch(CLI_EXPECTATIONS.verifyHelp.stdout);

    const localSettings = run('npx', [PACKAGE_NAME, 'local-settings'], project);
    const output = `${localSettings.stdout}\n${localSettings.stderr}`;
    expect(output).not.toMatch(CLI_EXPECTATIONS.crash);
    if (localSettings.status !== 0) expect(localSettings.stderr).toMatch(CLI_EXPECTATIONS.localSettingsWithoutDeployment.message);
  }, 120_000);

  test("the README's synth command with --hcl writes the azapi attributes", () => {
    const [synth] = commandLines(readmeBlock(blocks, 'synth'));
    mustRun(synth[0], [...synth.slice(1), '--hcl'], project);
    const hcl = fs.readFileSync(path.join(project, 'cdktf.out', 'stacks', STACK, 'cdk.tf'), 'utf8');
    const blocksOf = (type: string) => hcl.split(/^resource "/m).filter((block) => block.startsWith(`${type}"`));
    const actions = blocksOf('azapi_resource_action');
    expect(actions.length).toBeGreaterThan(0);
    for (const block of actions) {
      for (const attribute of ['type', 'resource_id', 'action', 'method', 'body']) expect(block).toMatch(new RegExp(`^\\s*${attribute}\\s*=`, 'm'));
    }
    const resources = blocksOf('azapi_resource');
    expect(resources.length).toBeGreaterThan(0);
    for (const block of resources) {
      for (const attribute of ['type', 'name', 'parent_id', 'body']) expect(block).toMatch(new RegExp(`^\\s*${attribute}\\s*=`, 'm'));
    }
    // A literal string stays a string in the ARM body (the Node.js version "22", not the number 22).
    expect(hcl).toMatch(/version\s*=\s*"22"/);
  }, 300_000);
});
