import * as fs from 'fs';
import * as path from 'path';
import {
  collectExternalFiles,
  esbuildOptions,
  generateMainSource,
  packageNameOf,
  resolveEntryPoints,
} from '../../lib/packaging/function-bundler';
import { cleanupTempDirs, makeProject, tempDir } from './helpers';

afterAll(cleanupTempDirs);

describe('esbuild options', () => {
  const projectDir = tempDir('has space');
  fs.mkdirSync(path.join(projectDir, 'src'));
  fs.writeFileSync(path.join(projectDir, 'src/a.ts'), '');
  fs.writeFileSync(path.join(projectDir, 'b.js'), '');
  const entries = resolveEntryPoints(projectDir, ['src/a.ts', path.join(projectDir, 'b.js')]);

  test('node platform, CommonJS bundle, functions-core external, relative paths, nothing written', () => {
    const options = esbuildOptions({
      projectDir,
      entryPoints: entries,
      nodeVersion: '22',
      externals: ['sharp'],
      minify: false,
      sourceMap: true,
      define: { 'process.env.X': '"1"' },
    });
    expect(options).toMatchObject({
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      write: false,
      absWorkingDir: projectDir,
      outfile: path.join(projectDir, 'dist/index.js'),
      external: ['@azure/functions-core', 'sharp'],
      sourcemap: 'linked',
      minify: false,
      define: { 'process.env.X': '"1"' },
      logLevel: 'silent',
    });
    expect(options.stdin?.resolveDir).toBe(projectDir);
  });

  test('the generated main requires every entry in order, announcing each to the optional hook', () => {
    expect(entries.map((e) => e.relativePath)).toEqual(['src/a.ts', 'b.js']);
    const main = generateMainSource(entries);
    expect(main).toContain('globalThis["__cdktfAzureWebPubSubEntry"]');
    expect(main.indexOf('hook(0)')).toBeLessThan(main.indexOf('require("./src/a.ts")'));
    expect(main.indexOf('require("./src/a.ts")')).toBeLessThan(main.indexOf('hook(1)'));
    expect(main.indexOf('hook(1)')).toBeLessThan(main.indexOf('require("./b.js")'));
    expect(main).not.toContain(projectDir);
  });

  test('entries: duplicates and directories are rejected', () => {
    expect(() => resolveEntryPoints(projectDir, ['src/a.ts', './src/a.ts'])).toThrow(/`entryPoints\[1\]` "\.\/src\/a\.ts" is listed twice/);
    expect(() => resolveEntryPoints(projectDir, ['src'])).toThrow(/`entryPoints\[0\]` "src" is not a file/);
  });
});

describe('externals collection', () => {
  test('scoped names, nested versions, hoisted dependencies and dependency cycles', () => {
    const pkg = (name: string, deps: Record<string, string> = {}): string => JSON.stringify({ name, version: '1.0.0', dependencies: deps });
    const dir = makeProject({
      'node_modules/@scope/ext/package.json': pkg('@scope/ext', { shared: '^2', cyc: '1' }),
      'node_modules/@scope/ext/index.js': '',
      'node_modules/@scope/ext/node_modules/shared/package.json': pkg('shared'), // v2 nested
      'node_modules/@scope/ext/node_modules/shared/v2.js': '',
      'node_modules/shared/package.json': pkg('shared'), // v1 hoisted, not needed
      'node_modules/shared/v1.js': '',
      'node_modules/cyc/package.json': pkg('cyc', { '@scope/ext': '1' }),
      'node_modules/cyc/index.js': '',
    });
    const files = collectExternalFiles(dir, ['@scope/ext/sub/path']);
    expect([...files.keys()].sort()).toEqual([
      'node_modules/@scope/ext/index.js',
      'node_modules/@scope/ext/node_modules/shared/package.json',
      'node_modules/@scope/ext/node_modules/shared/v2.js',
      'node_modules/@scope/ext/package.json',
      'node_modules/cyc/index.js',
      'node_modules/cyc/package.json',
    ]);
    expect(files.get('node_modules/cyc/index.js')).toBe(fs.realpathSync(path.join(dir, 'node_modules/cyc/index.js')));
  });

  test('a missing (non-optional) dependency of an external names both', () => {
    const dir = makeProject({ 'node_modules/ext/package.json': JSON.stringify({ name: 'ext', dependencies: { gone: '1' } }) });
    expect(() => collectExternalFiles(dir, ['ext'])).toThrow(/package "gone" \(dependency of ext\) was not found/);
  });

  test('@azure/functions-core is never copied; wildcards are rejected', () => {
    expect(collectExternalFiles(tempDir(), ['@azure/functions-core']).size).toBe(0);
    expect(() => collectExternalFiles(tempDir(), ['@aws-sdk/*'])).toThrow(/wildcards are not supported/);
  });

  test('packageNameOf', () => {
    expect(packageNameOf('a/b/c')).toBe('a');
    expect(packageNameOf('@s/a/b')).toBe('@s/a');
  });
});
