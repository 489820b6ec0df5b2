/**
 * Lists how the cdktn provider bindings differ from the cdktf ones for every `@cdktf/provider-<p>/lib/<resource>`
 * module that lib/ imports: exported interfaces (config and nested blocks: property names, optionality, types) and
 * exported classes (public members). Reads the installed .d.ts files only.
 *
 *   npx tsx build/provider-binding-diff.ts      # markdown report on stdout
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..');

function modulesImportedByLib(): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts')) {
        for (const m of fs.readFileSync(file, 'utf8').matchAll(/from '(@cdktf\/provider-[a-z]+\/lib\/[a-z0-9-]+)'/g)) found.add(m[1]);
      }
    }
  };
  walk(path.join(root, 'lib'));
  return [...found].sort();
}

type Shape = Map<string, string>; // "Interface.prop" | "Class#member" -> type text

function shapeOf(dts: string): Shape {
  const source = ts.createSourceFile(dts, fs.readFileSync(dts, 'utf8'), ts.ScriptTarget.ES2022, true);
  const shape: Shape = new Map();
  const text = (node: ts.Node | undefined): string => (node ? node.getText(source).replace(/\bcdkt[fn]\./g, 'core.') : 'any');
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement)) {
      for (const member of statement.members) {
        if (ts.isPropertySignature(member) && member.name) {
          shape.set(`${statement.name.text}.${member.name.getText(source)}`, `${member.questionToken ? '?' : ''}${text(member.type)}`);
        }
      }
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      for (const member of statement.members) {
        const modifiers = ts.canHaveModifiers(member) ? ts.getModifiers(member) ?? [] : [];
        if (modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword) || !member.name) continue;
        const name = member.name.getText(source);
        if (name.startsWith('_') || name.startsWith('#')) continue;
        const type = ts.isGetAccessor(member) || ts.isPropertyDeclaration(member) ? text(member.type) : ts.isMethodDeclaration(member) ? 'method' : 'member';
        shape.set(`${statement.name.text}#${name}`, type);
      }
    }
  }
  return shape;
}

const lines: string[] = [];
for (const specifier of modulesImportedByLib()) {
  const cdktnSpecifier = specifier.replace(/^@cdktf\//, '@cdktn/');
  const before = shapeOf(require.resolve(`${specifier}/index.d.ts`, { paths: [root] }));
  let after: Shape;
  try {
    after = shapeOf(require.resolve(`${cdktnSpecifier}/index.d.ts`, { paths: [root] }));
  } catch {
    lines.push(`- \`${specifier}\`: **missing** in ${cdktnSpecifier}`);
    continue;
  }
  const removed = [...before.keys()].filter((k) => !after.has(k));
  const added = [...after.keys()].filter((k) => !before.has(k));
  const changed = [...before.keys()].filter((k) => after.has(k) && after.get(k) !== before.get(k));
  if (!removed.length && !added.length && !changed.length) {
    lines.push(`- \`${specifier}\`: identical shape`);
    continue;
  }
  lines.push(`- \`${specifier}\`:`);
  for (const k of removed) lines.push(`  - removed \`${k}\` (${before.get(k)})`);
  for (const k of changed) lines.push(`  - changed \`${k}\`: \`${before.get(k)}\` → \`${after.get(k)}\``);
  for (const k of added) lines.push(`  - added \`${k}\` (${after.get(k)})`);
}
console.log(lines.join('\n'));
