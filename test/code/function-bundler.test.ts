import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import {
  collectExternalFiles,
  collectExtraFiles,
  esbuildOptions,
  generateMainSource,
  secretFileKind,
  packageNameOf,
  resolveEntryPoints,
} from '../../lib/code/private/function-bundler';
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

  test('entries: a glob match listed again by name is named with the glob; a file before a glob is kept once', () => {
    expect(() => resolveEntryPoints(projectDir, ['src/*.ts', 'src/a.ts'])).toThrow(/`entryPoints\[1\]` "src\/a\.ts" is listed twice \(already matched by `entryPoints\[0\]` "src\/\*\.ts"\)/);
    expect(resolveEntryPoints(projectDir, ['b.js', '*.js']).map((e) => [e.spec, e.matchedBy])).toEqual([['b.js', undefined]]);
    expect(() => resolveEntryPoints(projectDir, ['src'])).toThrow(/use a glob such as "src\/\*\.js"/);
  });
});

describe('symbolic links and local secrets in extraFiles and externals', () => {
  const ACCOUNT_KEY = 'AccountKey=c2VjcmV0LWtleQ==';
  /** A project with local secrets at its root, a public/ folder and `links` (path → link target). */
  function project(links: Record<string, string>): string {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '.env'), `ARM_ACCESS_KEY=${ACCOUNT_KEY}\n`);
    fs.writeFileSync(path.join(dir, 'local.settings.json'), JSON.stringify({ Values: { AzureWebJobsStorage: ACCOUNT_KEY } }));
    fs.mkdirSync(path.join(dir, 'public'));
    fs.writeFileSync(path.join(dir, 'public', 'index.html'), '<h1>hi</h1>');
    for (const [link, target] of Object.entries(links)) fs.symlinkSync(target, path.join(dir, link));
    return dir;
  }

  test('a link back into the project is followed, but .env and local.settings.json are left out and reported', () => {
    const dir = project({ 'public/shared': '..' });
    const { files, skippedSecretFiles } = collectExtraFiles(dir, { www: 'public' });
    expect([...files.keys()]).toEqual(['www/index.html']);
    expect(skippedSecretFiles).toEqual(['public/shared/.env (dotenv file)', 'public/shared/local.settings.json (local app settings)']);
  });

  test('a link out of the project is an error naming it, unless followSymlinksOutsideProject', () => {
    const outside = tempDir('outside');
    fs.writeFileSync(path.join(outside, 'notes.txt'), 'not for the package');
    fs.writeFileSync(path.join(outside, '.env.production'), 'KEY=1');
    const dir = project({ 'public/shared': outside });
    expect(() => collectExtraFiles(dir, { www: 'public' })).toThrow(
      /`extraFiles\["www"\]`: public\/shared is a symbolic link to .*outside, outside the project directory .*`followSymlinksOutsideProject: true`/,
    );
    const followed = collectExtraFiles(dir, { www: 'public' }, { followSymlinksOutsideProject: true, includeSecretFiles: false });
    expect([...followed.files.keys()]).toEqual(['www/index.html', 'www/shared/notes.txt']);
    expect(followed.skippedSecretFiles).toEqual(['public/shared/.env.production (dotenv file)']);
  });

  test('a listed source inside the project that links out of it is an error; a source listed outside is taken as asked', () => {
    const outside = tempDir('assets');
    fs.writeFileSync(path.join(outside, 'logo.svg'), '<svg/>');
    const dir = project({ assets: outside });
    expect(() => collectExtraFiles(dir, { assets: 'assets' })).toThrow(/`extraFiles\["assets"\]`: "assets" resolves through a symbolic link to .*outside the project directory/);
    expect([...collectExtraFiles(dir, { assets: outside }).files.keys()]).toEqual(['assets/logo.svg']);
  });

  test('listing a local secrets file is an error naming it, unless includeSecretFiles', () => {
    const dir = project({});
    expect(() => collectExtraFiles(dir, { 'settings.json': 'local.settings.json' })).toThrow(
      /`extraFiles\["settings\.json"\]`: "local\.settings\.json" is named like a secret \(local app settings: .* set `includeSecretFiles: true`/,
    );
    expect(() => collectExtraFiles(dir, { '.env': '.env' })).toThrow(/"\.env" is named like a secret \(dotenv file/);
    const opted = collectExtraFiles(dir, { '.env': '.env' }, { followSymlinksOutsideProject: false, includeSecretFiles: true });
    expect([...opted.files.keys()]).toEqual(['.env']);
  });

  test('externals: a link out of the package is an error, .env files in it are left out', () => {
    const outside = tempDir('elsewhere');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'x');
    const dir = tempDir();
    const pkg = path.join(dir, 'node_modules', 'ext');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'ext', version: '1.0.0' }));
    fs.writeFileSync(path.join(pkg, '.env'), 'TOKEN=1');
    const collected = collectExternalFiles(dir, ['ext']);
    expect([...collected.files.keys()]).toEqual(['node_modules/ext/package.json']);
    expect(collected.skippedSecretFiles).toEqual(['node_modules/ext/.env (dotenv file)']);
    fs.symlinkSync(outside, path.join(pkg, 'linked'));
    expect(() => collectExternalFiles(dir, ['ext'])).toThrow(/`externals` \("ext"\): node_modules\/ext\/linked is a symbolic link to .*outside the package directory of "ext"/);
  });

  test('secretFileKind: local settings and dotenv files', () => {
    for (const name of ['.env', '.env.local', '.ENV.production', '.envrc', 'local.settings.json', 'Local.Settings.json']) expect(secretFileKind(name)).toBeDefined();
    for (const name of ['env', 'prod.env', 'settings.json', 'local.settings.json.example']) expect(secretFileKind(name)).toBeUndefined();
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
    const { files } = collectExternalFiles(dir, ['@scope/ext/sub/path']);
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
    expect(collectExternalFiles(tempDir(), ['@azure/functions-core']).files.size).toBe(0);
    expect(() => collectExternalFiles(tempDir(), ['@aws-sdk/*'])).toThrow(/wildcards are not supported/);
  });

  test('packageNameOf', () => {
    expect(packageNameOf('a/b/c')).toBe('a');
    expect(packageNameOf('@s/a/b')).toBe('@s/a');
  });
});

describe('secret files by name, hard links and special files in extraFiles', () => {
  const posixOnly = process.platform === 'win32' ? test.skip : test;
  /** A project with public/index.html and `files` (path → content). */
  function project(files: Record<string, string>): string {
    const dir = tempDir();
    for (const [rel, content] of Object.entries({ 'public/index.html': '<h1>hi</h1>', ...files })) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), content);
    }
    return dir;
  }
  const TOKEN = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';

  // Each was shipped before: [what is in public/, what the walk reports, the file to list explicitly].
  const cases: Array<[string, Record<string, string>, string, string]> = [
    ['.git with a token in its config', { 'public/.git/config': `[remote "origin"]\n\turl = https://x-access-token:${TOKEN}@github.com/o/r.git\n`, 'public/.git/HEAD': 'ref: refs/heads/main\n' }, 'public/.git (version-control metadata)', 'public/.git/config'],
    ['.npmrc', { 'public/.npmrc': `//registry.npmjs.org/:_authToken=${TOKEN}\n` }, 'public/.npmrc (credentials file)', 'public/.npmrc'],
    ['.netrc', { 'public/.netrc': `machine github.com login x password ${TOKEN}\n` }, 'public/.netrc (credentials file)', 'public/.netrc'],
    ['id_rsa', { 'public/id_rsa': '-----BEGIN OPENSSH PRIVATE KEY-----\n' }, 'public/id_rsa (SSH private key)', 'public/id_rsa'],
    ['id_ed25519', { 'public/keys/id_ed25519': '-----BEGIN OPENSSH PRIVATE KEY-----\n' }, 'public/keys/id_ed25519 (SSH private key)', 'public/keys/id_ed25519'],
    ['*.pem', { 'public/tls/server.pem': '-----BEGIN PRIVATE KEY-----\n' }, 'public/tls/server.pem (private key or certificate)', 'public/tls/server.pem'],
    ['*.key', { 'public/tls/server.key': '-----BEGIN PRIVATE KEY-----\n' }, 'public/tls/server.key (private key or certificate)', 'public/tls/server.key'],
    ['.dockerconfigjson', { 'public/.dockerconfigjson': `{"auths":{"r.io":{"auth":"${TOKEN}"}}}` }, 'public/.dockerconfigjson (container registry credentials)', 'public/.dockerconfigjson'],
    ['*.tfstate', { 'public/terraform.tfstate': '{"resources":[]}' }, 'public/terraform.tfstate (Terraform state)', 'public/terraform.tfstate'],
    ['*.tfstate.backup', { 'public/terraform.tfstate.backup': '{}' }, 'public/terraform.tfstate.backup (Terraform state)', 'public/terraform.tfstate.backup'],
    ['*.tfstate.<serial>.backup', { 'public/terraform.tfstate.1733500000.backup': '{}' }, 'public/terraform.tfstate.1733500000.backup (Terraform state)', 'public/terraform.tfstate.1733500000.backup'],
    ['local.settings.json.bak (written by local-settings --force)', { 'public/local.settings.json.bak': '{"Values":{"AzureWebJobsStorage":"AccountKey=x"}}' }, 'public/local.settings.json.bak (local app settings)', 'public/local.settings.json.bak'],
  ];

  test.each(cases)('%s: left out of a directory and reported; listing it is an error; includeSecretFiles packs it', (_name, files, reported, listed) => {
    const dir = project(files);
    const walked = collectExtraFiles(dir, { www: 'public' });
    expect([...walked.files.keys()]).toEqual(['www/index.html']);
    expect(walked.skippedSecretFiles).toEqual([reported]);
    expect(() => collectExtraFiles(dir, { 'x': listed })).toThrow(
      new RegExp(`\`extraFiles\\["x"\\]\`: "${listed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is named like a secret \\(.*\\).* set \`includeSecretFiles: true\``),
    );
    const opted = collectExtraFiles(dir, { www: 'public' }, { followSymlinksOutsideProject: false, includeSecretFiles: true });
    expect(opted.files.size).toBe(1 + Object.keys(files).length);
  });

  test('look-alikes are packed: public keys, .example settings, names merely containing "key" or "tfstate"', () => {
    const names = ['id_rsa.pub', 'local.settings.json.example', 'keys.json', 'monkey.js', 'tfstate.md', 'pem.txt', 'gitignore.txt'];
    const dir = project(Object.fromEntries(names.map((n) => [`public/${n}`, 'x'])));
    const { files, skippedSecretFiles } = collectExtraFiles(dir, { www: 'public' });
    expect([...files.keys()].sort()).toEqual(['www/index.html', ...names.map((n) => `www/${n}`)].sort());
    expect(skippedSecretFiles).toEqual([]);
  });

  test('a link with an innocent name to a secret directory is left out too', () => {
    const dir = project({ '.git/config': `url = https://${TOKEN}@github.com/o/r.git\n` });
    fs.symlinkSync('../.git', path.join(dir, 'public', 'assets'));
    const walked = collectExtraFiles(dir, { www: 'public' });
    expect([...walked.files.keys()]).toEqual(['www/index.html']);
    expect(walked.skippedSecretFiles).toEqual(['public/assets (version-control metadata)']);
    expect(() => collectExtraFiles(dir, { cfg: 'public/assets/config' })).toThrow(/is named like a secret \(version-control metadata/);
  });

  posixOnly('a hard link to a file outside the project is an error, walked or listed; allowHardLinks packs it', () => {
    const outside = tempDir('home');
    fs.writeFileSync(path.join(outside, 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\n');
    const dir = project({});
    fs.linkSync(path.join(outside, 'id_rsa'), path.join(dir, 'public', 'logo.png')); // same file system: both in the temp dir
    expect(() => collectExtraFiles(dir, { www: 'public' })).toThrow(
      /`extraFiles\["www"\]`: public\/logo\.png has 2 hard links and the other one is not among the packed files.*`allowHardLinks: true`/,
    );
    expect(() => collectExtraFiles(dir, { 'logo.png': 'public/logo.png' })).toThrow(/`extraFiles\["logo\.png"\]`: "public\/logo\.png" has 2 hard links/);
    const allowed = collectExtraFiles(dir, { www: 'public' }, { followSymlinksOutsideProject: false, includeSecretFiles: false, allowHardLinks: true });
    expect([...allowed.files.keys()]).toEqual(['www/index.html', 'www/logo.png']);
  });

  posixOnly('hard links whose every link is packed are fine', () => {
    const dir = project({});
    fs.linkSync(path.join(dir, 'public', 'index.html'), path.join(dir, 'public', 'home.html'));
    expect([...collectExtraFiles(dir, { www: 'public' }).files.keys()]).toEqual(['www/home.html', 'www/index.html']);
    expect([...collectExtraFiles(dir, { 'a.html': 'public/index.html', 'b.html': 'public/home.html' }).files.keys()]).toEqual(['a.html', 'b.html']);
  });

  posixOnly('a FIFO is an error when listed and left out (reported) in a directory', () => {
    const dir = project({});
    const fifo = path.join(dir, 'public', 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect(() => collectExtraFiles(dir, { pipe: 'public/pipe' })).toThrow(/`extraFiles\["pipe"\]`: "public\/pipe" is a FIFO \(named pipe\), not a regular file or directory/);
    const walked = collectExtraFiles(dir, { www: 'public' });
    expect([...walked.files.keys()]).toEqual(['www/index.html']);
    expect(walked.skippedSpecialFiles).toEqual(['public/pipe (a FIFO (named pipe))']);
  });

  posixOnly('a socket is an error when listed and left out (reported) in a directory', async () => {
    const dir = project({});
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'public', 'dev.sock'), resolve));
    try {
      expect(() => collectExtraFiles(dir, { sock: 'public/dev.sock' })).toThrow(/"public\/dev\.sock" is a socket, not a regular file/);
      expect(collectExtraFiles(dir, { www: 'public' }).skippedSpecialFiles).toEqual(['public/dev.sock (a socket)']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  posixOnly('a device file is an error when listed', () => {
    const dir = project({});
    expect(() => collectExtraFiles(dir, { 'null.bin': '/dev/null' })).toThrow(/`extraFiles\["null\.bin"\]`: "\/dev\/null" is a character device/);
    expect(() => collectExtraFiles(dir, { 'zero.bin': '/dev/zero' })).toThrow(/"\/dev\/zero" is a character device/);
  });
});
