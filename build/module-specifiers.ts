/**
 * The one place that knows how a source written against cdktf becomes the cdktn edition: which packages map to which
 * (build/editions.json), and how module specifiers in compiled output are rewritten.
 *
 * The rewrite works on the TypeScript AST (`.js`, `.d.ts` or `.ts` text), so only real module specifiers change:
 * `import`/`export … from`, `import x = require()`, `require()`, `import()`, `import('x').T` in declarations and
 * `declare module 'x'`. Strings that merely contain a package name (messages, comments) are left alone. The text is
 * spliced in place, so everything else stays byte for byte (cdktf→cdktn keeps lengths, so source maps stay exact).
 */
import * as ts from 'typescript';
import editions from './editions.json';

export type EditionName = keyof typeof editions;

/** package name → package name, e.g. `cdktf` → `cdktn`; subpaths follow (`@cdktf/provider-x/lib/y`). */
export type ModuleMap = Readonly<Record<string, string>>;

export function editionModules(edition: EditionName): ModuleMap {
  return editions[edition].modules;
}

/** The package a specifier names: `@scope/name` or `name` (none for relative and absolute paths). */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The mapped specifier, or the same one when its package is not in the map. */
export function mapSpecifier(specifier: string, modules: ModuleMap): string {
  const pkg = packageOf(specifier);
  if (pkg === undefined || !(pkg in modules)) return specifier;
  return modules[pkg] + specifier.slice(pkg.length);
}

/** Every module specifier string literal in a file (see the header for which positions count). */
export function moduleSpecifierLiterals(fileName: string, text: string): ts.StringLiteralLike[] {
  const kind = fileName.endsWith('.d.ts') || fileName.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const found: ts.StringLiteralLike[] = [];
  const take = (node: ts.Node | undefined): void => {
    if (node && ts.isStringLiteralLike(node)) found.push(node);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) take(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) take(node.moduleReference.expression);
    else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) take(node.name);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) take(node.argument.literal);
    else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isRequireResolve =
        ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'require' && callee.name.text === 'resolve';
      if (isRequire || isRequireResolve || callee.kind === ts.SyntaxKind.ImportKeyword) take(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The text with every mapped module specifier replaced; `changed` counts the replacements. */
export function rewriteModuleSpecifiers(fileName: string, text: string, modules: ModuleMap): { text: string; changed: number } {
  const edits = moduleSpecifierLiterals(fileName, text)
    .map((literal) => ({ start: literal.getStart() + 1, end: literal.getEnd() - 1, from: literal.text, to: mapSpecifier(literal.text, modules) }))
    .filter((e) => e.to !== e.from)
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.to + out.slice(e.end);
  return { text: out, changed: edits.length };
}

/** cdktf or an `@cdktf/` package: what no file of another edition may still import. */
export function isCdktfPackage(pkg: string | undefined): boolean {
  return pkg === 'cdktf' || (pkg?.startsWith('@cdktf/') ?? false);
}

/**
 * Specifiers in a file that still name cdktf or an `@cdktf/` package (after a rewrite: must be none; a new
 * `@cdktf/provider-x` import in lib/ shows up here until build/editions.json maps it).
 */
export function leftoverCdktfSpecifiers(fileName: string, text: string): string[] {
  return moduleSpecifierLiterals(fileName, text)
    .map((l) => l.text)
    .filter((s) => isCdktfPackage(packageOf(s)));
}
