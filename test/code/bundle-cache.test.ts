/**
 * The bundle cache: an unchanged app is not bundled again (esbuild does not run), and every change that would change
 * what esbuild reads or how it resolves an import bundles again, giving what a build without cache gives. Reuse is
 * observed through the count of esbuild runs in this process, not a mock.
 */
import * as fs from 'fs';
import * as path from 'path';
import { esbuildRunCount } from '../../lib/code/private/function-bundler';
import { buildFunctionPackage, type BuildFunctionPackageOptions, type BuiltFunctionPackage } from '../../lib/code/private/package-builder';
import { cleanupTempDirs, makeProject } from './project-helpers';

afterAll(cleanupTempDirs);

const DAY_MS = 24 * 3600 * 1000;

/**
 * Sets every file and directory under `dir` (links not followed) a day into the past. A build stores its bundle only
 * when nothing it read changed in the last seconds before esbuild ran (it could have changed while esbuild read it);
 * files a test just wrote are that new.
 */
function settle(dir: string, offsetMs = -DAY_MS): void {
  const past = new Date(Date.now() + offsetMs);
  const walk = (p: string): void => {
    const stat = fs.lstatSync(p);
    if (stat.isSymbolicLink()) return;
    if (stat.isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name));
    fs.utimesSync(p, past, past);
  };
  walk(dir);
}

const HANDLER = (name: string): string => `import { app } from '@azure/functions';\nimport { name } from '${name}';\napp.http(name, { handler: () => ({ body: name }) });\n`;

interface Built {
  readonly pkg: BuiltFunctionPackage;
  /** esbuild ran for this build. */
  readonly bundled: boolean;
  readonly names: string[];
}

/** Builds with the cache (and, to compare, without it); the two must give the same package. */
function build(dir: string, options: Partial<BuildFunctionPackageOptions> = {}): Built {
  const all: BuildFunctionPackageOptions = { ...baseOptions(dir), ...options };
  const staging = { stagingDirectory: path.join(path.dirname(dir), 'staging') };
  const before = esbuildRunCount();
  const pkg = buildFunctionPackage(all, staging);
  const bundled = esbuildRunCount() > before;
  expect(pkg.reusedBundle).toBe(!bundled);
  const uncached = buildFunctionPackage(all, { ...staging, cache: false });
  expect(pkg.contentHash).toBe(uncached.contentHash);
  return { pkg, bundled, names: pkg.registrations.map((r) => r.name).sort() };
}

/** Builds until the bundle is stored, then checks an unchanged build does not run esbuild. */
function warm(dir: string, options: Partial<BuildFunctionPackageOptions> = {}): Built {
  settle(path.dirname(dir));
  build(dir, options);
  const again = build(dir, options);
  expect(again.bundled).toBe(false);
  return again;
}

describe('an unchanged app is not bundled again', () => {
  test('the second build reuses the bundle: esbuild does not run, same package; the cache off always bundles', () => {
    const dir = makeProject({ 'src/index.ts': HANDLER('./name'), 'src/name.ts': `export const name = 'alpha';\n` });
    settle(path.dirname(dir));
    const first = build(dir);
    const second = build(dir);
    expect([first.bundled, second.bundled]).toEqual([true, false]);
    expect(second.pkg.contentHash).toBe(first.pkg.contentHash);
    expect(second.names).toEqual(['alpha']);

    const before = esbuildRunCount();
    buildFunctionPackage(baseOptions(dir), { stagingDirectory: path.join(path.dirname(dir), 'staging'), cache: false });
    expect(esbuildRunCount()).toBe(before + 1);
  });

  test('a file esbuild never looks at (a README next to the sources, a new directory elsewhere) does not bundle again', () => {
    const dir = makeProject({ 'src/index.ts': HANDLER('./name'), 'src/name.ts': `export const name = 'alpha';\n` });
    warm(dir);
    fs.writeFileSync(path.join(dir, 'README.md'), '# notes\n');
    fs.mkdirSync(path.join(dir, 'docs'));
    expect(build(dir).bundled).toBe(false);
  });

  test('an option or the entry points change the key', () => {
    const dir = makeProject({ 'src/index.ts': HANDLER('./name'), 'src/name.ts': `export const name = 'alpha';\n` });
    warm(dir);
    expect(build(dir, { minify: true }).bundled).toBe(true);
    expect(build(dir, { define: { 'process.env.X': '"1"' } }).bundled).toBe(true);
    expect(build(dir).bundled).toBe(false); // the first entry is still there
  });

  test('a build during which (or just before which) an input changed is used but not stored', () => {
    const dir = makeProject({ 'src/index.ts': HANDLER('./name'), 'src/name.ts': `export const name = 'alpha';\n` });
    // written just now: esbuild could have read a half-written file; nothing is stored until the files are older.
    // Dated a minute ahead, so "just now" holds however slow this machine is (a real write has its time, not later).
    settle(path.dirname(dir), 60_000);
    expect([build(dir).bundled, build(dir).bundled]).toEqual([true, true]);
    settle(path.dirname(dir));
    expect([build(dir).bundled, build(dir).bundled]).toEqual([true, false]);
  });
});

function baseOptions(dir: string): BuildFunctionPackageOptions {
  return {
    projectDir: dir,
    entryPoints: ['src/index.ts'],
    nodeVersion: '22',
    extraFiles: {},
    externals: [],
    minify: false,
    sourceMap: false,
    hostJson: {},
    define: {},
    registrationEnvironment: {},
    followSymlinksOutsideProject: false,
    includeSecretFiles: false,
  };
}

describe('any change to what esbuild read or consulted bundles again', () => {
  test('an edited source file', () => {
    const dir = makeProject({ 'src/index.ts': HANDLER('./name'), 'src/name.ts': `export const name = 'alpha';\n` });
    warm(dir);
    fs.writeFileSync(path.join(dir, 'src/name.ts'), `export const name = 'beta';\n`);
    const edited = build(dir);
    expect([edited.bundled, edited.names]).toEqual([true, ['beta']]);
  });

  test('a tsconfig.json `paths` alias retargeted', () => {
    const tsconfig = (target: string): string => JSON.stringify({ compilerOptions: { paths: { '@impl/*': [`./src/${target}/*`] } } });
    const dir = makeProject({
      'tsconfig.json': tsconfig('alpha'),
      'src/alpha/name.ts': `export const name = 'alpha';\n`,
      'src/beta/name.ts': `export const name = 'beta';\n`,
      'src/index.ts': HANDLER('@impl/name'),
    });
    expect(warm(dir).names).toEqual(['alpha']);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), tsconfig('beta'));
    expect(build(dir)).toMatchObject({ bundled: true, names: ['beta'] });
  });

  test('a tsconfig.json appearing between a file and the one that applied (a closer one takes over)', () => {
    const dir = makeProject({
      'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@impl/*': ['./src/alpha/*'] } } }),
      'src/alpha/name.ts': `export const name = 'alpha';\n`,
      'src/beta/name.ts': `export const name = 'beta';\n`,
      'src/index.ts': HANDLER('@impl/name'),
    });
    expect(warm(dir).names).toEqual(['alpha']);
    fs.writeFileSync(path.join(dir, 'src/tsconfig.json'), JSON.stringify({ compilerOptions: { paths: { '@impl/*': ['./beta/*'] } } }));
    expect(build(dir)).toMatchObject({ bundled: true, names: ['beta'] });
  });

  test('a base config that a tsconfig `extends` (with comments and trailing commas) changes its `paths`', () => {
    const base = (target: string): string => `{\n  // shared settings\n  "compilerOptions": { "paths": { "@impl/*": ["./src/${target}/*"], }, },\n}\n`;
    const dir = makeProject({
      'tsconfig.base.json': base('alpha'),
      'tsconfig.json': JSON.stringify({ extends: './tsconfig.base' }),
      'src/alpha/name.ts': `export const name = 'alpha';\n`,
      'src/beta/name.ts': `export const name = 'beta';\n`,
      'src/index.ts': HANDLER('@impl/name'),
    });
    expect(warm(dir).names).toEqual(['alpha']);
    fs.writeFileSync(path.join(dir, 'tsconfig.base.json'), base('beta'));
    expect(build(dir)).toMatchObject({ bundled: true, names: ['beta'] });
  });

  test('a file created at an earlier `paths` target that only a base config (`extends`) declares', () => {
    const dir = makeProject({
      // outside src/: the generated main's `./src/index.ts` already lists src/, which would hide a missed target
      'tsconfig.base.json': JSON.stringify({ compilerOptions: { paths: { '@impl/*': ['./generated/*', './src/alpha/*'] } } }),
      'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json' }),
      'src/alpha/name.ts': `export const name = 'alpha';\n`,
      'src/index.ts': HANDLER('@impl/name'),
    });
    expect(warm(dir).names).toEqual(['alpha']);
    fs.mkdirSync(path.join(dir, 'generated'));
    fs.writeFileSync(path.join(dir, 'generated/name.ts'), `export const name = 'generated';\n`);
    expect(build(dir)).toMatchObject({ bundled: true, names: ['generated'] });
  });

  test("a dependency's package.json `exports` or `main` changed in node_modules", () => {
    const manifest = (fields: Record<string, unknown>): string => JSON.stringify({ name: 'flavour', version: '1.0.0', ...fields });
    const dir = makeProject({
      'node_modules/flavour/package.json': manifest({ main: 'vanilla.js' }),
      'node_modules/flavour/vanilla.js': `exports.name = 'vanilla';\n`,
      'node_modules/flavour/cherry.js': `exports.name = 'cherry';\n`,
      'src/index.ts': HANDLER('flavour'),
    });
    expect(warm(dir).names).toEqual(['vanilla']);
    fs.writeFileSync(path.join(dir, 'node_modules/flavour/package.json'), manifest({ main: 'vanilla.js', exports: { '.': { node: './cherry.js' } } }));
    expect(build(dir)).toMatchObject({ bundled: true, names: ['cherry'] });
  });
});

describe('a new file that would now win resolution bundles again (lookups that found nothing are recorded too)', () => {
  test('`foo.ts` added next to the imported `foo/index.ts`', () => {
    const dir = makeProject({ 'src/index.ts': HANDLER('./name'), 'src/name/index.ts': `export const name = 'folder';\n` });
    expect(warm(dir).names).toEqual(['folder']);
    fs.writeFileSync(path.join(dir, 'src/name.ts'), `export const name = 'file';\n`);
    expect(build(dir)).toMatchObject({ bundled: true, names: ['file'] });
  });

  test('`name.js` added where `./name.js` had resolved to `name.ts`', () => {
    const dir = makeProject({ 'src/index.ts': HANDLER('./name.js'), 'src/name.ts': `export const name = 'typescript';\n` });
    expect(warm(dir).names).toEqual(['typescript']);
    fs.writeFileSync(path.join(dir, 'src/name.js'), `exports.name = 'javascript';\n`);
    expect(build(dir)).toMatchObject({ bundled: true, names: ['javascript'] });
  });

  test('a package installed in a node_modules closer to the importer', () => {
    const dir = makeProject({
      'node_modules/flavour/package.json': JSON.stringify({ name: 'flavour', main: 'index.js' }),
      'node_modules/flavour/index.js': `exports.name = 'hoisted';\n`,
      'src/index.ts': HANDLER('flavour'),
    });
    expect(warm(dir).names).toEqual(['hoisted']);
    fs.mkdirSync(path.join(dir, 'src/node_modules/flavour'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'src/node_modules/flavour/package.json'), JSON.stringify({ name: 'flavour', main: 'index.js' }));
    fs.writeFileSync(path.join(dir, 'src/node_modules/flavour/index.js'), `exports.name = 'nested';\n`);
    expect(build(dir)).toMatchObject({ bundled: true, names: ['nested'] });
  });

  test('a file created at an earlier `paths` target, in a directory that did not exist', () => {
    const dir = makeProject({
      // outside src/: the generated main's `./src/index.ts` already lists src/, which would hide a missed target
      'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@impl/*': ['./generated/*', './src/alpha/*'] } } }),
      'src/alpha/name.ts': `export const name = 'alpha';\n`,
      'src/index.ts': HANDLER('@impl/name'),
    });
    expect(warm(dir).names).toEqual(['alpha']);
    fs.mkdirSync(path.join(dir, 'generated'));
    fs.writeFileSync(path.join(dir, 'generated/name.ts'), `export const name = 'generated';\n`);
    expect(build(dir)).toMatchObject({ bundled: true, names: ['generated'] });
  });

  test("a new file matching a template-literal require (esbuild bundles every match of `./flavours/**/*.js`)", () => {
    const dir = makeProject({
      'src/index.ts':
        `import { app } from '@azure/functions';\nconst pick = (f: string): { name: string } => require(\`./flavours/\${f}.js\`);\n` +
        `app.http('count', { handler: () => ({ body: 'n' }) });\nexport { pick };\n`,
      'src/flavours/vanilla.js': `exports.name = 'vanilla';\n`,
    });
    const before = warm(dir);
    fs.mkdirSync(path.join(dir, 'src/flavours/seasonal'));
    fs.writeFileSync(path.join(dir, 'src/flavours/seasonal/mint.js'), `exports.name = 'mint';\n`);
    const after = build(dir);
    expect(after.bundled).toBe(true);
    expect(after.pkg.contentHash).not.toBe(before.pkg.contentHash);
  });

  test('a new file in the directory of a glob entry point (globs are expanded again on every synth)', () => {
    const fn = (name: string): string => `import { app } from '@azure/functions';\napp.http('${name}', { handler: () => ({ body: '${name}' }) });\n`;
    const dir = makeProject({ 'src/functions/a.ts': fn('a') });
    expect(warm(dir, { entryPoints: ['src/functions/*.ts'] }).names).toEqual(['a']);
    fs.writeFileSync(path.join(dir, 'src/functions/b.ts'), fn('b'));
    expect(build(dir, { entryPoints: ['src/functions/*.ts'] })).toMatchObject({ bundled: true, names: ['a', 'b'] });
  });
});

describe('cache entries are checked before use', () => {
  const entryOf = (dir: string): string => {
    const cacheDir = path.join(path.dirname(dir), 'staging', 'cache');
    const entries = fs.readdirSync(cacheDir).filter((n) => n.startsWith('bundle-'));
    expect(entries).toHaveLength(1);
    return path.join(cacheDir, entries[0]);
  };

  test('a bundle whose code does not match its recorded sha256, or an entry under another key, is not used', () => {
    const dir = makeProject({ 'src/index.ts': HANDLER('./name'), 'src/name.ts': `export const name = 'alpha';\n` });
    warm(dir);
    const file = entryOf(dir);
    const entry = JSON.parse(fs.readFileSync(file, 'utf8')) as { code: string; key: string };
    expect(entry.code).toContain('alpha');
    fs.writeFileSync(file, JSON.stringify({ ...entry, code: entry.code.replaceAll('alpha', 'mallory') }));
    expect(build(dir)).toMatchObject({ bundled: true, names: ['alpha'] });

    fs.writeFileSync(file, JSON.stringify({ ...entry, key: '0'.repeat(64) }));
    expect(build(dir).bundled).toBe(true);
    fs.writeFileSync(file, 'not json');
    expect(build(dir).bundled).toBe(true);
    expect(build(dir).bundled).toBe(false); // rewritten by the last build
  });

  test('an entry whose recorded inputs are damaged is not used', () => {
    const dir = makeProject({ 'src/index.ts': HANDLER('./name'), 'src/name.ts': `export const name = 'alpha';\n` });
    warm(dir);
    const file = entryOf(dir);
    const entry = JSON.parse(fs.readFileSync(file, 'utf8')) as { inputs: unknown[] };
    fs.writeFileSync(file, JSON.stringify({ ...entry, inputs: [] }));
    expect(build(dir).bundled).toBe(true);
    fs.writeFileSync(file, JSON.stringify({ ...entry, inputs: [['content', 'relative/path', 'absent']] }));
    expect(build(dir).bundled).toBe(true);
  });
});
