/**
 * P5 churn: (a) synthesizing twice with no change gives a byte-identical cdk.tf.json and the same package hash;
 * (b) a one-line change in a handler changes only the package: every value of cdk.tf.json that differs must contain
 * the old package hash (full or its 16-hex prefix in the zip's name) before and the new one after, i.e. the publish
 * step's trigger, its package path and sha256 inputs. Both are checks: a failure fails the run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BenchCheckFailure, runNode, verdict, type BenchContext, type MetricResult } from './bench-context';

interface Synth {
  readonly json: string;
  readonly hash: string;
}

/** Leaf paths whose values differ between two JSON documents, with both values. */
export function jsonDifferences(a: unknown, b: unknown, at = ''): { path: string; before: unknown; after: unknown }[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (isObject(a) && isObject(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => jsonDifferences(a[k], b[k], `${at}${Array.isArray(a) ? `[${k}]` : `.${k}`}`));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: at, before: a, after: b }];
}

/** The package hash of a cdk.tf.json: the `package_sha256` trigger of the one publish step (Flex). */
function packageHash(json: string): string {
  const doc = JSON.parse(json) as { resource?: Record<string, Record<string, { triggers_replace?: { package_sha256?: string } }>> };
  const hashes = Object.values(doc.resource?.terraform_data ?? {})
    .map((d) => d.triggers_replace?.package_sha256)
    .filter((h): h is string => h !== undefined);
  if (hashes.length !== 1 || hashes[0] === '') throw new BenchCheckFailure(`P5: expected one publish step with a package_sha256, found ${JSON.stringify(hashes)}`);
  return hashes[0];
}

/** Changes one line of a handler: the first `context.log(` call's string (else the first string literal). */
function editOneHandlerLine(functionsDir: string): string {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (e.name.endsWith('.ts')) files.push(path.join(dir, e.name));
    }
  };
  walk(functionsDir);
  for (const pattern of [/context\.log\(\s*(['"`])/, /(['"`])[^'"`]+\1/]) {
    for (const file of files) {
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      const i = lines.findIndex((l) => pattern.test(l) && !/^\s*(import|export .* from)/.test(l));
      if (i < 0) continue;
      const before = lines[i];
      lines[i] = before.replace(/(['"`])/, '$1[edited] ');
      fs.writeFileSync(file, lines.join('\n'));
      return `${path.relative(functionsDir, file)}:${i + 1}: ${before.trim()}  →  ${lines[i].trim()}`;
    }
  }
  throw new BenchCheckFailure(`P5: found no handler line with a string to edit under ${functionsDir}`);
}

export function measureChurn(ctx: BenchContext): MetricResult {
  const script = ctx.mirror.js('bench/programs/synth-chat.ts');
  const synth = (root: string, name: string): Synth => {
    const outdir = path.join(ctx.workDir, 'p5', name);
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(outdir), { recursive: true });
    const r = runNode(script, ['--root', root, '--stack', ctx.app === 'example' ? 'chat' : 'replica', '--app', ctx.app, '--outdir', outdir], {
      cwd: ctx.workDir, // the local backend path in cdk.tf.json derives from the cwd: keep it fixed
    });
    const json = fs.readFileSync(String(r.output.cdkTfJson), 'utf8');
    return { json, hash: packageHash(json) };
  };

  const first = synth(ctx.mirror.root, 'unchanged-1');
  const second = synth(ctx.mirror.root, 'unchanged-2');
  const identical = first.json === second.json && first.hash === second.hash;

  // A copy of the compiled mirror with one handler line edited.
  const editedRoot = path.join(ctx.workDir, 'p5', 'edited-root');
  fs.rmSync(editedRoot, { recursive: true, force: true });
  fs.cpSync(ctx.mirror.root, editedRoot, { recursive: true });
  const functionsDir = ctx.app === 'example' ? path.join(editedRoot, 'examples', 'chat', 'functions') : path.join(editedRoot, 'fixture-chat-app', 'src', 'functions');
  const edit = editOneHandlerLine(functionsDir);
  const edited = synth(editedRoot, 'edited');

  const diffs = jsonDifferences(JSON.parse(first.json), JSON.parse(edited.json));
  const mentions = (v: unknown, hash: string): boolean => typeof v === 'string' && (v.includes(hash) || v.includes(hash.slice(0, 16)));
  const unrelated = diffs.filter((d) => !(mentions(d.before, first.hash) && mentions(d.after, edited.hash)));
  const onlyPackage = edited.hash !== first.hash && diffs.length > 0 && unrelated.length === 0;
  const met = identical && onlyPackage;
  return {
    id: 'P5',
    title: 'churn: no-change re-synth and one-line handler change',
    unit: 'check',
    goal: 'unchanged: identical bytes and hash; one-line change: only package-related values differ',
    met,
    lines: [
      `P5 churn        re-synth unchanged: cdk.tf.json ${first.json === second.json ? 'byte-identical' : 'DIFFERENT'}, package hash ${
        first.hash === second.hash ? 'same' : 'DIFFERENT'
      } (${first.hash.slice(0, 16)}): ${verdict(identical)}`,
      `                one-line edit (${edit})`,
      `                → new hash ${edited.hash.slice(0, 16)}, ${diffs.length} values differ, ${unrelated.length} not package-related: ${verdict(onlyPackage)}`,
      ...diffs.map((d) => `                  ${unrelated.includes(d) ? 'UNEXPECTED ' : ''}${d.path}`),
    ],
    details: { unchangedIdentical: identical, edit, oldHash: first.hash, newHash: edited.hash, differingPaths: diffs.map((d) => d.path), unrelated },
  };
}
