/**
 * Builds the cdktn edition of the library as a package directory, from the same lib/ sources as the cdktf edition:
 *
 *   npx tsx build/build-edition.ts cdktn [--out dist/cdktn]      then: npm pack ./dist/cdktn
 *
 * 1. compiles lib/ with the options of tsconfig.build.json (what the cdktf package ships) plus the `paths` of
 *    tsconfig.cdktn.json, so the sources are type-checked against cdktn and @cdktn/provider-*;
 * 2. rewrites the module specifiers in the emitted .js and .d.ts and in the shipped lib/ sources the source maps
 *    point at (build/module-specifiers.ts: `require("cdktf")` → `require("cdktn")`, `@cdktf/provider-x/...` →
 *    `@cdktn/provider-x/...`; same lengths, so the maps stay exact) and fails if any cdktf one is left;
 * 3. writes the edition's package.json (name from lib/common/editions.ts, description and peers from build/editions.json,
 *    the rest from the root package.json), its bin, LICENSE and the README with a note on top.
 *
 * The cdktf edition is the repository root itself (`npm run build:cdktf`, `npm pack`), unchanged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { EDITIONS } from '../lib/common/editions';
import editions from './editions.json';
import { leftoverCdktfSpecifiers, rewriteModuleSpecifiers, type EditionName } from './module-specifiers';

const REPO_ROOT = path.resolve(__dirname, '..');
const LIB_DIR = path.join(REPO_ROOT, 'lib');

export interface EditionBuild {
  /** The package directory (holds package.json). */
  readonly packageDir: string;
  /** Compiled .js/.d.ts files and shipped sources, relative to packageDir. */
  readonly files: string[];
  /** Module specifiers rewritten. */
  readonly rewritten: number;
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(full) : [full];
  });
}

function formatDiagnostics(diagnostics: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => REPO_ROOT,
    getNewLine: () => '\n',
  });
}

function parseConfig(file: string): ts.ParsedCommandLine {
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  if (error) throw new Error(formatDiagnostics([error]));
  return ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(file), undefined, file);
}

export interface BuildOptions {
  /**
   * Type-check lib/ against the edition's packages before emitting. Off only where `npm run typecheck` already
   * did it (the test of the build), since checking is most of the build's time.
   * @default true
   */
  readonly typeCheck?: boolean;
}

/** Compiles lib/ for the edition into `<packageDir>/dist/lib` and writes the package around it. */
export function buildEdition(edition: EditionName, packageDir = path.join(REPO_ROOT, 'dist', edition), options: BuildOptions = {}): EditionBuild {
  const typeCheck = options.typeCheck ?? true;
  const spec = editions[edition];
  const { packageName } = EDITIONS[edition];
  const build = parseConfig(path.join(REPO_ROOT, 'tsconfig.build.json'));
  const editionPaths = parseConfig(path.join(REPO_ROOT, `tsconfig.${edition}.json`)).options.paths;
  const outDir = path.join(packageDir, 'dist', 'lib');

  fs.rmSync(packageDir, { recursive: true, force: true });
  const program = ts.createProgram({
    rootNames: build.fileNames,
    options: { ...build.options, paths: editionPaths, outDir, noEmit: false, noEmitOnError: typeCheck, noCheck: !typeCheck },
  });
  const diagnostics = typeCheck ? ts.getPreEmitDiagnostics(program) : program.getSyntacticDiagnostics();
  if (diagnostics.some((d) => d.category === ts.DiagnosticCategory.Error)) {
    throw new Error(`lib/ does not compile against ${edition}:\n${formatDiagnostics(diagnostics)}`);
  }
  const emitted = program.emit();
  if (emitted.emitSkipped) throw new Error(`emit failed:\n${formatDiagnostics(emitted.diagnostics)}`);

  // The sources the source maps point at, shipped as the root package ships them; the maps were written pointing
  // at the repository's lib/ and now point at the package's copy (`../../lib/x.ts` from dist/lib, as in the root).
  for (const source of build.fileNames) {
    const target = path.join(packageDir, 'lib', path.relative(LIB_DIR, source));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(source, target);
  }
  for (const mapFile of listFiles(outDir).filter((f) => f.endsWith('.map'))) {
    const map = JSON.parse(fs.readFileSync(mapFile, 'utf8')) as { sources: string[]; sourceRoot?: string };
    map.sources = map.sources.map((source) => {
      const inRepo = path.resolve(path.dirname(mapFile), map.sourceRoot ?? '', source);
      const inPackage = path.join(packageDir, 'lib', path.relative(LIB_DIR, inRepo));
      return path.relative(path.resolve(path.dirname(mapFile), map.sourceRoot ?? ''), inPackage).split(path.sep).join('/');
    });
    fs.writeFileSync(mapFile, JSON.stringify(map));
  }

  // Rewrite the specifiers of the source edition (cdktf) to this edition's packages; leave no cdktf one behind.
  let rewritten = 0;
  const leftovers: string[] = [];
  const files = [...listFiles(outDir), ...listFiles(path.join(packageDir, 'lib'))].filter((f) => f.endsWith('.js') || f.endsWith('.ts'));
  for (const file of files) {
    const result = rewriteModuleSpecifiers(file, fs.readFileSync(file, 'utf8'), spec.modules);
    if (result.changed > 0) fs.writeFileSync(file, result.text);
    rewritten += result.changed;
    for (const s of leftoverCdktfSpecifiers(file, result.text)) leftovers.push(`${path.relative(packageDir, file)}: ${s}`);
  }
  if (leftovers.length > 0) {
    throw new Error(`cdktf module specifiers left in the ${edition} edition (map them in build/editions.json):\n  ${leftovers.join('\n  ')}`);
  }

  // package.json: the root's, renamed, with this edition's peers and bin.
  const root = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const [, rootBin] = Object.entries(root.bin as Record<string, string>)[0];
  const binFile = `bin/${packageName}.js`;
  const pkg = {
    name: packageName,
    version: root.version,
    description: spec.description,
    license: root.license,
    main: root.main,
    types: root.types,
    exports: root.exports,
    typesVersions: root.typesVersions,
    bin: { [packageName]: binFile },
    files: root.files,
    engines: root.engines,
    peerDependencies: spec.peerDependencies,
    dependencies: root.dependencies,
  };
  fs.writeFileSync(path.join(packageDir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  fs.mkdirSync(path.join(packageDir, 'bin'), { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, rootBin), path.join(packageDir, binFile));
  fs.chmodSync(path.join(packageDir, binFile), 0o755);
  fs.copyFileSync(path.join(REPO_ROOT, 'LICENSE'), path.join(packageDir, 'LICENSE'));
  // the README links to these; shipped so the links work in node_modules
  fs.cpSync(path.join(REPO_ROOT, 'docs'), path.join(packageDir, 'docs'), { recursive: true, filter: (f) => fs.statSync(f).isDirectory() || f.endsWith('.md') });
  fs.writeFileSync(path.join(packageDir, 'README.md'), spec.readmeNote + '\n\n' + fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'));

  return { packageDir, files: files.map((f) => path.relative(packageDir, f)).sort(), rewritten };
}

if (require.main === module) {
  const [edition, ...rest] = process.argv.slice(2);
  if (!(edition in editions)) {
    console.error(`usage: tsx build/build-edition.ts <${Object.keys(editions).join('|')}> [--out <dir>]`);
    process.exit(2);
  }
  const outIndex = rest.indexOf('--out');
  const out = outIndex >= 0 ? path.resolve(rest[outIndex + 1]) : undefined;
  const started = Date.now();
  const result = buildEdition(edition as EditionName, out);
  console.log(
    `built ${EDITIONS[edition as EditionName].packageName} in ${path.relative(process.cwd(), result.packageDir) || '.'}: ` +
      `${result.files.length} files, ${result.rewritten} module specifiers rewritten, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
