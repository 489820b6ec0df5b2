/**
 * Precompiles the benchmark child programs (and the library and example they import) to plain CommonJS, so the
 * timed child processes run `node file.js` and no TypeScript transpilation is measured.
 *
 * Why esbuild, one output file per source file (`bundle: false`), and not tsc or a bundle:
 * - per-file output keeps the module graph a user's `tsc` build has (one `require` per import), so the library's
 *   deep provider imports and the naive baseline's barrel import cost exactly what they cost in real projects;
 *   `bundle: true` would inline the repo's code and could tree-shake or hoist the barrel, changing what is measured
 *   (node_modules would have to stay external anyway, `packages: 'external'`);
 * - the tsconfig sets `isolatedModules`, so per-file transpilation is exact, and esbuild does it in ~0.1 s where tsc
 *   takes several seconds (typechecking is `npm run typecheck`'s job, not the benchmark's).
 *
 * The mirror lives under `bench/.cache/build/` (inside the repo, so `node_modules` resolves from the repo root).
 * The sources of lib and the example, and the packaging fixture, are copied next to the compiled files (see below).
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildSync } from 'esbuild';
import { editionModules, rewriteModuleSpecifiers, type EditionName } from '../build/module-specifiers';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const BENCH_CACHE = path.join(REPO_ROOT, 'bench', '.cache');
export const FIXTURE_APP = path.join(REPO_ROOT, 'test', 'code', 'fixtures', 'chat-app');
/** Where the fixture app is copied inside a mirror. */
export const MIRRORED_FIXTURE = 'fixture-chat-app';

/** A compiled mirror of the repo's lib, example and bench programs. */
export interface CompiledMirror {
  readonly root: string;
  /** Absolute path of a compiled file, from its source path relative to the repo (`bench/programs/x.ts`). */
  js(relativeSource: string): string;
}

function listFiles(dir: string, relBase = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, relBase));
    else if (entry.isFile()) out.push(path.relative(relBase, full));
  }
  return out.sort();
}

/**
 * Compiles lib, the chat example (except its function code), bench programs and the naive baseline into `root`.
 * With `edition: 'cdktn'` the compiled files then get the published cdktn edition's module specifiers (the same
 * rewrite as build/build-edition.ts: `require("cdktf")` → `require("cdktn")`, `@cdktf/provider-*` → `@cdktn/...`).
 */
export function compileMirror(root = path.join(BENCH_CACHE, 'build'), edition: EditionName | 'cdktf' = 'cdktf'): CompiledMirror {
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  const isFunctionCode = (rel: string): boolean => rel.startsWith(path.join('examples', 'chat', 'functions') + path.sep);
  const sources = ['lib', 'examples/chat', 'bench/programs', 'bench/naive']
    .flatMap((dir) => listFiles(path.join(REPO_ROOT, dir)).map((f) => path.join(dir, f)))
    .filter((rel) => rel.endsWith('.ts') && !rel.endsWith('.d.ts') && !rel.endsWith('.test.ts') && !isFunctionCode(rel));
  buildSync({
    entryPoints: sources.map((rel) => path.join(REPO_ROOT, rel)),
    outbase: REPO_ROOT,
    outdir: root,
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  // The sources too, next to their .js: the example reads its function code and chat page sources at synth time
  // (relative to its __dirname), and esbuild, which prefers .ts over .js for extensionless imports, then bundles the
  // function code (and the lib/runtime it imports) from the same TypeScript sources as `npm run synth` does.
  // Node's require prefers the .js files.
  for (const dir of ['lib', path.join('examples', 'chat')]) {
    for (const rel of listFiles(path.join(REPO_ROOT, dir))) {
      const full = path.join(dir, rel);
      fs.mkdirSync(path.dirname(path.join(root, full)), { recursive: true });
      fs.copyFileSync(path.join(REPO_ROOT, full), path.join(root, full));
    }
  }
  fs.cpSync(FIXTURE_APP, path.join(root, MIRRORED_FIXTURE), { recursive: true });
  if (edition !== 'cdktf') {
    for (const rel of listFiles(root).filter((f) => f.endsWith('.js'))) {
      const file = path.join(root, rel);
      const result = rewriteModuleSpecifiers(file, fs.readFileSync(file, 'utf8'), editionModules(edition));
      if (result.changed > 0) fs.writeFileSync(file, result.text);
    }
  }
  return { root, js: (rel) => path.join(root, rel.replace(/\.ts$/, '.js')) };
}
