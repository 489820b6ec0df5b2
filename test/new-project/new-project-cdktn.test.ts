/**
 * A new CDK Terrain user's project, the sibling of new-project.test.ts for the cdktn edition: build and `npm pack`
 * `cdktn-azure-webpubsub` (build/build-edition.ts), create a project outside the repository, run the README's cdktn
 * install lines there (the override, then the installs, with the tarball in place of the registry's copy), write the
 * quick start's files with the package names the README's cdktn section shows, type check, synthesize, and run the
 * installed CLI, also the way Terraform starts it at apply. The README's blocks are the source, so README, package
 * and this test cannot drift apart.
 *
 * `cdktn-cli` needs Node.js 22.19+: on an older Node (CI runs 20) the synth step runs the app the way cdktn-cli does
 * (the `app` command of cdktf.json, with the three variables cdktn-cli 0.24 sets) and says so in the test name;
 * `CDKTN_CLI_NODE=/path/to/node22 npx jest --selectProjects cdktf test/new-project/new-project-cdktn` runs the real
 * CLI with that Node.js.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildEdition } from '../../build/build-edition';
import editions from '../../build/editions.json';
import { rewriteModuleSpecifiers } from '../../build/module-specifiers';
import { commandLines, readReadmeBlocks, readmeBlock } from './readme-blocks';
import { CDKTF_INIT_TSCONFIG, childEnv, EXPECTED_RESOURCE_TYPES, mustRun, README_STACK as STACK, readSynthesized, run, writeFile } from './scratch-project';

const PACKAGE_NAME = 'cdktn-azure-webpubsub';
/** The Node.js that runs cdktn-cli: this one, or CDKTN_CLI_NODE=/path/to/node (22.19+) to run the real CLI anyway. */
const CLI_NODE = process.env.CDKTN_CLI_NODE || process.execPath;
const CLI_NODE_VERSION = spawnSync(CLI_NODE, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
const CDKTN_CLI_RUNS = (([major, minor]) => major > 22 || (major === 22 && minor >= 19))(CLI_NODE_VERSION.split('.').map(Number));

/** A quick-start file as a cdktn user has it: cdktf packages → cdktn packages, this library → its cdktn edition. */
function forCdktn(file: string, source: string): string {
  return rewriteModuleSpecifiers(file, source, { ...editions.cdktn.modules, 'cdktf-azure-webpubsub': PACKAGE_NAME }).text;
}

describe('a new CDK Terrain project, set up as the README says, with the packed cdktn edition', () => {
  const blocks = readReadmeBlocks();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktn-wps-new-project-'));
  const project = path.join(work, 'project');
  const mainTs = forCdktn('main.ts', readmeBlock(blocks, 'main.ts'));
  const functionsTs = forCdktn('functions/index.ts', readmeBlock(blocks, 'functions/index.ts'));

  beforeAll(() => {
    // GIVEN the cdktn package as it is published (type checking against cdktn is `npm run typecheck`'s job)
    const build = buildEdition('cdktn', path.join(work, 'package'), { typeCheck: false });
    const packed = mustRun('npm', ['pack', '--json', '--pack-destination', work], build.packageDir);
    const [manifest] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string }[];
    const tarball = path.join(work, manifest.filename);

    // AND a new project with the quick start's files, in their cdktn version
    fs.mkdirSync(project);
    writeFile(project, 'package.json', `${JSON.stringify({ name: 'new-cdktn-project', version: '1.0.0', private: true }, null, 2)}\n`);
    writeFile(project, 'cdktf.json', readmeBlock(blocks, 'cdktf.json'));
    writeFile(project, 'tsconfig.json', `${JSON.stringify(CDKTF_INIT_TSCONFIG, null, 2)}\n`);
    writeFile(project, 'main.ts', mainTs);
    writeFile(project, 'functions/index.ts', functionsTs);

    // WHEN the README's cdktn lines run there, with the tarball in place of the registry's copy of the library
    for (const words of commandLines(readmeBlock(blocks, 'cdktn-install'))) {
      expect(words[0]).toBe('npm');
      if (words[1] === 'install') {
        const args = words.slice(1).map((word) => (word === PACKAGE_NAME ? tarball : word));
        mustRun('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], project);
      } else {
        expect(words.slice(1, 3)).toEqual(['pkg', 'set']);
        mustRun('npm', words.slice(1), project);
      }
    }
  }, 600_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test("the imports the README's cdktn section shows are the quick start's with the cdktn names", () => {
    const shown = readmeBlock(blocks, 'cdktn-imports').split('\n');
    const imports = shown.filter((line) => line.startsWith('import '));
    expect(imports.length).toBe(4);
    for (const line of imports) expect(mainTs.split('\n')).toContain(line);
    expect(mainTs).not.toMatch(/from '(cdktf|@cdktf\/|cdktf-azure-webpubsub)/);
    expect(shown.join('\n')).toContain(`'${PACKAGE_NAME}/runtime'`);
    expect(functionsTs).toContain(`from '${PACKAGE_NAME}/runtime'`);
  });

  test('installs with the cdktn peers and without any cdktf package', () => {
    const modules = path.join(project, 'node_modules');
    for (const pkg of [PACKAGE_NAME, 'cdktn', '@cdktn/provider-azurerm', '@cdktn/provider-random', 'constructs']) expect(fs.existsSync(path.join(modules, pkg))).toBe(true);
    expect(fs.existsSync(path.join(modules, 'cdktf'))).toBe(false);
    expect(fs.existsSync(path.join(modules, '@cdktf'))).toBe(false);
    const overrides = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8')).overrides;
    expect(overrides).toEqual({ '@cdktn/provider-azurerm': { cdktn: '^0.24.0' } });
  });

  test("type checks with the tsconfig cdktf init writes and with the README's", () => {
    const tsc = path.join(project, 'node_modules', '.bin', 'tsc');
    writeFile(project, 'tsconfig.readme.json', readmeBlock(blocks, 'tsconfig.json'));
    mustRun(tsc, ['-p', 'tsconfig.json', '--noEmit'], project);
    mustRun(tsc, ['-p', 'tsconfig.readme.json', '--noEmit'], project);
  }, 120_000);

  const synthName = CDKTN_CLI_RUNS
    ? "the README's cdktn synth command writes the topology for cdktn"
    : `the app, run as cdktn-cli runs it (cdktn-cli needs Node.js 22.19+, this is ${CLI_NODE_VERSION}; see CDKTN_CLI_NODE), writes the topology for cdktn`;
  test(synthName, () => {
    // WHEN
    const outdir = path.join(project, 'cdktf.out');
    let output: string;
    if (CDKTN_CLI_RUNS) {
      const [synth] = commandLines(readmeBlock(blocks, 'cdktn-synth'));
      const PATH = `${path.dirname(CLI_NODE)}${path.delimiter}${process.env.PATH ?? ''}`;
      output = mustRun(synth[0], synth.slice(1), project, childEnv({ PATH })).stdout;
    } else {
      const app = (JSON.parse(readmeBlock(blocks, 'cdktf.json')) as { app: string }).app.split(/\s+/);
      const env = childEnv({ CDKTF_OUTDIR: outdir, CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true', CDKTF_CONTEXT_JSON: '{"cdktfRelativeModules":[]}' });
      output = mustRun(app[0], app.slice(1), project, env).stdout;
    }

    // THEN the README's topology, on cdktn's provider versions, whose apply-time steps start this package's bin
    expect(output).toMatch(new RegExp(`^\\[${PACKAGE_NAME}\\] packaged ${STACK}/Code: `, 'm'));
    const { json } = readSynthesized(project);
    expect(Object.keys(json.resource)).toEqual(expect.arrayContaining(EXPECTED_RESOURCE_TYPES));
    const pins = Object.fromEntries(Object.entries(json.terraform.required_providers).map(([name, p]) => [name, (p as { version: string }).version]));
    expect(pins).toEqual({ azapi: '~> 2.3', azurerm: '4.73.0', random: '3.9.1' });
    const commands = Object.values(json.resource.terraform_data).map((r: any) => String(r.provisioner[0]['local-exec'].command));
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) expect(command).toMatch(new RegExp(`^npx --no ${PACKAGE_NAME} [a-z-]+$`));
    expect(JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).version).toMatch(/^0\.24\./); // cdktn's manifest
    expect(fs.existsSync(path.join(outdir, 'stacks', STACK, 'webpubsub-manifest.json'))).toBe(true);
  }, 300_000);

  test('the CLI Terraform starts at apply resolves from the stack directory, and speaks cdktn', () => {
    const stackDir = path.join(project, 'cdktf.out', 'stacks', STACK);
    const [command] = Object.values(readSynthesized(project).json.resource.terraform_data).map((r: any) => String(r.provisioner[0]['local-exec'].command).split(' '));
    // the synthesized command with `help` as its subcommand (an option such as --version would go to npx itself)
    const started = run(command[0], [...command.slice(1, -1), 'help'], stackDir);
    expect(started.stderr).toBe('');
    expect(started.stdout).toMatch(new RegExp(`^Usage: ${PACKAGE_NAME} \\[options\\] \\[command\\]`));
    expect(started.stdout).toMatch(/^\s+publish\b/m); // the apply-time subcommands are there

    const help = run('npx', [PACKAGE_NAME, 'verify', '--help'], project);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^Usage: ${PACKAGE_NAME} verify`));

    // synthesized but not deployed: no outputs file, and the hint names cdktn's deploy
    const settings = run('npx', [PACKAGE_NAME, 'local-settings'], project);
    expect(settings.status).toBe(1);
    expect(settings.stderr).toMatch(/`npx cdktn-cli@0\.24 deploy chat --outputs-file outputs\.json`/);
    expect(settings.stderr).not.toMatch(/cdktf (synth|deploy)/);
  }, 120_000);
});
