/**
 * The published cdktn edition (build/build-edition.ts): built from lib/ into a package directory, its compiled code,
 * declarations and shipped sources name only cdktn packages, its source maps stay inside the package, it loads and
 * synthesizes in plain Node with cdktf unresolvable (apply-time steps call its own bin), its CLI speaks of `cdktn`,
 * and in a cdktf app it fails with the mixed-edition error. Edition-independent: runs once, in the cdktf Jest project.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildEdition, type EditionBuild } from '../../build/build-edition';
import editions from '../../build/editions.json';
import { moduleSpecifierLiterals } from '../../build/module-specifiers';

const repoRoot = path.resolve(__dirname, '..', '..');
const fixtureApp = path.join(repoRoot, 'test', 'code', 'fixtures', 'chat-app');
let workDir: string;
let build: EditionBuild;

beforeAll(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'wps-edition-'));
  // Type checking against cdktn is `npm run typecheck`'s job (tsconfig.cdktn.json); here only emit and rewrite.
  build = buildEdition('cdktn', path.join(workDir, 'cdktn-azure-webpubsub'), { typeCheck: false });
}, 120000);
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Runs node in `cwd` (default: the work dir); packages resolve from the repo's node_modules, as a user's install provides them. */
function runNode(args: string[], cwd = workDir): { status: number | null; stdout: string; stderr: string } {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_PATH: path.join(repoRoot, 'node_modules') };
  return spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8', timeout: 60000 });
}

function runScript(script: string): { status: number | null; stdout: string; stderr: string } {
  const file = path.join(workDir, `probe-${Math.random().toString(36).slice(2)}.js`);
  writeFileSync(file, script);
  return runNode([file]);
}

describe('the cdktn edition package', () => {
  test('compiled JS, declarations and shipped sources import cdktn packages and no cdktf one', () => {
    const specifiers = new Set<string>();
    for (const rel of build.files) {
      const file = path.join(build.packageDir, rel);
      for (const l of moduleSpecifierLiterals(file, readFileSync(file, 'utf8'))) specifiers.add(l.text);
    }
    const external = [...specifiers].filter((s) => !s.startsWith('.'));
    expect(external.filter((s) => /^(@cdktf\/|cdktf(\/|$))/.test(s))).toEqual([]);
    expect(external).toEqual(
      expect.arrayContaining(['cdktn', 'constructs', '@cdktn/provider-azurerm/lib/web-pubsub', '@cdktn/provider-random/lib/password', '@cdktn/provider-random/lib/string-resource']),
    );
    expect(build.rewritten).toBeGreaterThan(50);
    expect(build.files).toEqual(expect.arrayContaining(['dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/runtime/index.js', 'dist/lib/cli/main.js', 'lib/index.ts']));
  });

  test('package.json: its own name, the cdktn peers, the root’s dependencies and entry points, an executable bin; LICENSE; README with the edition note', () => {
    const pkg = JSON.parse(readFileSync(path.join(build.packageDir, 'package.json'), 'utf8'));
    const root = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('cdktn-azure-webpubsub');
    expect(pkg.peerDependencies).toEqual(editions.cdktn.peerDependencies);
    expect(Object.keys(pkg.peerDependencies).filter((p) => p.includes('cdktf'))).toEqual([]);
    for (const field of ['version', 'license', 'main', 'types', 'exports', 'typesVersions', 'files', 'engines', 'dependencies']) expect(pkg[field]).toEqual(root[field]);
    expect(pkg.bin).toEqual({ 'cdktn-azure-webpubsub': 'bin/cdktn-azure-webpubsub.js' });
    accessSync(path.join(build.packageDir, pkg.bin['cdktn-azure-webpubsub']), constants.X_OK);
    expect(readFileSync(path.join(build.packageDir, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    const readme = readFileSync(path.join(build.packageDir, 'README.md'), 'utf8');
    expect(readme).toMatch(/^> \*\*CDK Terrain edition\.\*\* `cdktn-azure-webpubsub`/);
    // the README's links to docs/ resolve inside the package, as in the cdktf one
    const docLinks = [...readme.matchAll(/\]\((docs\/[^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]);
    expect(docLinks.length).toBeGreaterThan(3);
    expect(docLinks.filter((link) => !existsSync(path.join(build.packageDir, link)))).toEqual([]);
  });

  test('every source map points at a shipped source inside the package, whose lines are the compiled ones', () => {
    const maps = build.files.filter((f) => f.endsWith('.js')).map((f) => `${f}.map`);
    expect(maps.length).toBeGreaterThan(50);
    const unresolved: string[] = [];
    for (const map of maps) {
      const file = path.join(build.packageDir, map);
      const { sources } = JSON.parse(readFileSync(file, 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const target = path.resolve(path.dirname(file), source);
        if (!target.startsWith(path.join(build.packageDir, 'lib') + path.sep) || !existsSync(target)) unresolved.push(`${map} -> ${source}`);
      }
    }
    expect(unresolved).toEqual([]);
    // The shipped source is the repository's with the same specifier rewrite, byte for byte otherwise.
    const shipped = readFileSync(path.join(build.packageDir, 'lib', 'core', 'apply-time-command.ts'), 'utf8');
    const original = readFileSync(path.join(repoRoot, 'lib', 'core', 'apply-time-command.ts'), 'utf8');
    expect(shipped.length).toBe(original.length);
    expect(shipped).toBe(original.replace(/from 'cdktf'/g, "from 'cdktn'"));
  });

  /** The same small app for either core: the cdktn package, or (cdktf) the repository's sources run with tsx. Once each. */
  const synthesized = new Map<'cdktf' | 'cdktn', { run: ReturnType<typeof runNode>; json: any }>();
  function synthApp(core: 'cdktf' | 'cdktn'): { run: ReturnType<typeof runNode>; json: any } {
    if (!synthesized.has(core)) synthesized.set(core, synthOnce(core));
    return synthesized.get(core)!;
  }
  function synthOnce(core: 'cdktf' | 'cdktn'): { run: ReturnType<typeof runNode>; json: any } {
    const outdir = path.join(workDir, `out-${core}`);
    const library = core === 'cdktn' ? build.packageDir : path.join(repoRoot, 'lib', 'index.ts');
    const file = path.join(workDir, `app-${core}.js`);
    writeFileSync(
      file,
      `
const Module = require('module');
const original = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (/^(${core === 'cdktn' ? 'cdktf' : 'cdktn'}(\\/|$)|@${core === 'cdktn' ? 'cdktf' : 'cdktn'}\\/)/.test(request)) throw new Error('refused: ' + request);
  return original.call(this, request, ...rest);
};
const { App, TerraformStack } = require('${core}');
const { AzurermProvider } = require('@${core}/provider-azurerm/lib/provider');
const { RandomProvider } = require('@${core}/provider-random/lib/provider');
const { AzapiProvider, FunctionCode, ServerlessWebPubSub } = require(${JSON.stringify(library)});
const app = new App({ outdir: ${JSON.stringify(outdir)} });
const stack = new TerraformStack(app, 'chat');
new AzurermProvider(stack, 'azurerm', { features: [{}], storageUseAzuread: true });
new RandomProvider(stack, 'random');
new AzapiProvider(stack, 'azapi');
const code = new FunctionCode(stack, 'Code', {
  projectDir: ${JSON.stringify(fixtureApp)},
  entryPoints: ['src/functions/negotiate.ts', 'src/functions/chat.ts'],
  stagingDirectory: ${JSON.stringify(path.join(workDir, `staging-${core}`))},
});
// The fixture's handlers are webPubSubTrigger functions, which Flex does not serve: the explicit opt-in keeps the Flex
// topology (azapi site, publish and activation steps) under test on both editions.
new ServerlessWebPubSub(stack, 'Chat', { resourceGroupProps: { location: 'westeurope' }, hubs: [{ name: 'chat' }], connectionSettingPrefix: 'WebPubSubConnection', functionAppProps: { code, webPubSubTriggersOnFlex: true } });
app.synth();
`,
    );
    const run = core === 'cdktn' ? runNode([file]) : runNode([path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), file]);
    const cdkTfJson = path.join(outdir, 'stacks', 'chat', 'cdk.tf.json');
    return { run, json: existsSync(cdkTfJson) ? JSON.parse(readFileSync(cdkTfJson, 'utf8')) : undefined };
  }

  test('loads and synthesizes a topology with packaged code on cdktn, with cdktf and @cdktf/* unresolvable', () => {
    const { run, json } = synthApp('cdktn');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // the progress line names this edition's package
    expect(run.stdout).toMatch(/^\[cdktn-azure-webpubsub\] packaged chat\/Code: /m);
    expect(Object.keys(json.resource)).toEqual(
      expect.arrayContaining(['azapi_resource', 'azapi_resource_action', 'azurerm_web_pubsub', 'azurerm_web_pubsub_hub', 'random_password', 'random_string', 'terraform_data']),
    );
    // the apply-time steps start this edition's bin
    const commands = Object.values(json.resource.terraform_data as Record<string, { provisioner: Array<{ 'local-exec': { command: string } }> }>).map(
      (r) => r.provisioner[0]['local-exec'].command,
    );
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) expect(command).toMatch(/^npx --no cdktn-azure-webpubsub [a-z-]+$/);
    expect(json.terraform.required_providers.azurerm.version).toMatch(/^4\.\d+\.\d+$/); // the @cdktn binding's azurerm (4.73.0 in 16.1.0)
    expect(existsSync(path.join(workDir, 'out-cdktn', 'stacks', 'chat', 'webpubsub-manifest.json'))).toBe(true);
  });

  test('synthesizes the same Terraform as the cdktf edition, apart from the provider pins, the core version and the CLI name', () => {
    const cdktn = synthApp('cdktn').json;
    const { run, json: cdktf } = synthApp('cdktf');
    expect(run.status).toBe(0);
    const pins = (j: any): Record<string, string> => Object.fromEntries(Object.entries(j.terraform.required_providers).map(([name, p]: [string, any]) => [name, p.version]));
    expect(pins(cdktf)).toEqual({ azapi: '~> 2.3', azurerm: '4.55.0', random: '3.7.2' });
    expect(pins(cdktn)).toEqual({ azapi: '~> 2.3', azurerm: '4.73.0', random: '3.9.1' });
    const comparable = (j: any): string =>
      JSON.stringify({ ...j, terraform: { ...j.terraform, required_providers: undefined }, '//': { ...j['//'], metadata: { ...j['//'].metadata, version: undefined } } }).replace(
        /npx --no cdkt[fn]-azure-webpubsub /g,
        'npx --no <bin> ',
      );
    expect(comparable(cdktn)).toBe(comparable(cdktf));
    expect(Object.values(cdktf.resource).reduce((n: number, r: any) => n + Object.keys(r).length, 0)).toBeGreaterThan(15);
  });

  test('its CLI is named for the edition and tells the user to run cdktn', () => {
    const bin = path.join(build.packageDir, 'bin', 'cdktn-azure-webpubsub.js');
    const help = runNode([bin, 'verify', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: cdktn-azure-webpubsub verify/);
    expect(help.stdout).toMatch(/`npx cdktn-cli@0\.24\s+deploy\s+--outputs-file`/); // the help wraps lines

    const project = path.join(workDir, 'empty-project');
    mkdirSync(project);
    const settings = runNode([bin, 'local-settings'], project);
    expect(settings.status).toBe(1);
    expect(settings.stderr).toMatch(/synthesize your app first \(`npx cdktn-cli@0\.24 synth`/);
    expect(settings.stderr).not.toMatch(/cdktf (synth|deploy)/);
  });

  test('in a cdktf app its constructs fail with MixedCdkEditionError naming cdktf-azure-webpubsub', () => {
    const run = runScript(`
const cdktf = require('cdktf');
const { ServerlessWebPubSub } = require(${JSON.stringify(build.packageDir)});
const stack = new cdktf.TerraformStack(new cdktf.App({ outdir: ${JSON.stringify(path.join(workDir, 'mixed'))} }), 'chat');
try {
  new ServerlessWebPubSub(stack, 'Chat', { resourceGroupProps: { location: 'westeurope' }, hubs: [{ name: 'chat', systemEvents: ['connect'] }] });
  process.stdout.write('no error');
} catch (e) { process.stdout.write(e.name + ': ' + e.message); }
`);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^MixedCdkEditionError: chat\/Chat: ServerlessWebPubSub is from cdktn-azure-webpubsub \(built for cdktn\), but its scope "chat" belongs to a cdktf 0\.21\.\d+ app\./);
    expect(run.stdout).toContain('import the constructs from cdktf-azure-webpubsub');
  });
});
