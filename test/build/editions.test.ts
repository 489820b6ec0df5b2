/**
 * The edition a Jest project runs on is the one its module mapping says (so `npm test` really tests both); the
 * places that spell the cdktf→cdktn map agree: build/editions.json (the build and Jest read it), tsconfig.cdktn.json
 * (paths: type check and tsx), package.json (the cdktn packages are installed, exact versions); the names in
 * lib/common/editions.ts are the root package's; and the suites the cdktn project skips really load no core.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import editions from '../../build/editions.json';
import { EDITIONS } from '../../lib/common/editions';

declare const CDK_EDITION: 'cdktf' | 'cdktn';
const repoRoot = path.resolve(__dirname, '..', '..');
const JSII_RTTI = Symbol.for('jsii.rtti');
const fqnOf = (type: unknown): string => (type as Record<symbol, { fqn: string }>)[JSII_RTTI].fqn;

describe(`this Jest project runs on ${CDK_EDITION}`, () => {
  test('cdktf and the @cdktf providers the sources import are the edition’s packages', () => {
    expect(fqnOf(require('cdktf').TerraformStack)).toBe(`${CDK_EDITION}.TerraformStack`);
    expect(fqnOf(require('@cdktf/provider-azurerm/lib/web-pubsub').WebPubsub)).toBe(`@${CDK_EDITION}/provider-azurerm.webPubsub.WebPubsub`);
    expect(fqnOf(require('@cdktf/provider-random/lib/password').Password)).toBe(`@${CDK_EDITION}/provider-random.password.Password`);
  });
});

describe('the cdktn map is spelled the same everywhere', () => {
  const modules: Record<string, string> = editions.cdktn.modules;

  test('tsconfig.cdktn.json maps each package and its subpaths to node_modules/<cdktn package>', () => {
    const file = path.join(repoRoot, 'tsconfig.cdktn.json');
    const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
    expect(error).toBeUndefined();
    const paths = config.compilerOptions.paths as Record<string, string[]>;
    for (const [from, to] of Object.entries(modules)) {
      expect(paths[from]).toEqual([`./node_modules/${to}`]);
      expect(paths[`${from}/*`]).toEqual([`./node_modules/${to}/*`]);
    }
    const mappedSources = Object.keys(paths).filter((p) => /^(@cdktf\/|cdktf(\/|$))/.test(p)).map((p) => p.replace(/\/\*$/, ''));
    expect([...new Set(mappedSources)].sort()).toEqual(Object.keys(modules).sort());
  });

  test('every mapped package is a devDependency at an exact version inside the edition’s peer range', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const peers: Record<string, string> = editions.cdktn.peerDependencies;
    for (const [from, to] of Object.entries(modules)) {
      expect(pkg.devDependencies[from]).toMatch(/^\d+\.\d+\.\d+$/);
      expect(pkg.devDependencies[to]).toMatch(/^\d+\.\d+\.\d+$/);
      expect(peers[to]).toBe(`^${pkg.devDependencies[to]}`);
    }
  });

  test('every @cdktf package that lib/ imports is mapped (else the cdktn build would keep it)', () => {
    const imported = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of ts.sys.readDirectory(dir, ['.ts'])) {
        for (const m of ts.sys.readFile(entry)!.matchAll(/from '((?:@cdktf\/[^/']+)|cdktf)(?:\/[^']*)?'/g)) imported.add(m[1]);
      }
    };
    walk(path.join(repoRoot, 'lib'));
    expect(imported.size).toBeGreaterThan(0);
    for (const pkg of imported) expect(Object.keys(modules)).toContain(pkg);
  });
});

describe('names', () => {
  test('the cdktf edition in lib/common/editions.ts is the root package: its name and its bin', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    expect(EDITIONS.cdktf.packageName).toBe(pkg.name);
    expect(Object.keys(pkg.bin)).toEqual([EDITIONS.cdktf.packageName]);
    expect(EDITIONS.cdktn.packageName).toBe(EDITIONS.cdktf.packageName.replace(/^cdktf-/, 'cdktn-'));
  });
});

describe('the suites the cdktn Jest project skips load no core', () => {
  // What each suite loads in the Jest process: its static imports, followed through relative paths.
  const CORE = /^(cdktf|cdktn|constructs)(\/|$)|^@cdkt[fn]\//;
  const resolveRelative = (from: string, specifier: string): string | undefined => {
    const base = path.resolve(path.dirname(from), specifier);
    return [`${base}.ts`, path.join(base, 'index.ts'), base].find((file) => existsSync(file) && statSync(file).isFile());
  };
  const loads = (suite: string): { cores: string[]; files: string[] } => {
    const files = new Set<string>();
    const cores = new Set<string>();
    const pending = [suite];
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (files.has(file)) continue;
      files.add(file);
      if (!file.endsWith('.ts')) continue;
      for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
        if (fileName.startsWith('.')) {
          const resolved = resolveRelative(file, fileName);
          if (resolved) pending.push(resolved);
        } else if (CORE.test(fileName)) cores.add(fileName);
      }
    }
    return { cores: [...cores], files: [...files].map((f) => path.relative(repoRoot, f)) };
  };

  const jestConfig = require('../../jest.config.js') as { projects: Array<{ displayName: string; roots: string[]; testPathIgnorePatterns?: string[] }> };
  const cdktnProject = jestConfig.projects.find((p) => p.displayName === 'cdktn')!;
  const ignore = (cdktnProject.testPathIgnorePatterns ?? []).map((p) => new RegExp(p.replace('<rootDir>', repoRoot)));
  const suites = ts.sys.readDirectory(path.join(repoRoot, 'test'), ['.ts']).filter((f) => f.endsWith('.test.ts') && !f.includes('/node_modules/'));
  const skipped = suites.filter((suite) => ignore.some((pattern) => pattern.test(suite)));
  // Edition-specific on purpose: the new-project tests pack one package each, edition-package builds cdktn's.
  const editionSpecific = ['test/new-project/new-project.test.ts', 'test/new-project/new-project-cdktn.test.ts', 'test/build/edition-package.test.ts'];

  test('the cdktn project skips some suites, and runs the rest', () => {
    expect(skipped.length).toBeGreaterThan(5);
    expect(skipped.length).toBeLessThan(suites.length / 2);
    expect(skipped.map((f) => path.relative(repoRoot, f))).toEqual(expect.arrayContaining(editionSpecific));
  });

  test('no skipped suite imports a core or test/edition.ts (what synthesizes in a child on the project’s edition)', () => {
    const offenders = skipped
      .filter((suite) => !editionSpecific.includes(path.relative(repoRoot, suite)))
      .map((suite) => ({ suite: path.relative(repoRoot, suite), ...loads(suite) }))
      .filter(({ cores, files }) => cores.length > 0 || files.includes('test/edition.ts'))
      .map(({ suite, cores }) => `${suite} loads ${cores.join(', ') || 'test/edition.ts'}: remove it from the cdktn skip list in jest.config.js`);
    expect(offenders).toEqual([]);
  });
});
