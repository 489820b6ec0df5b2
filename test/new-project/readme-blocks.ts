/**
 * Reads the code blocks of the README's "Use it in your project" section. Each is marked with an HTML comment
 * `<!-- new-project-test: <name> -->` on the line before its fence, so the new-project test runs exactly what a user
 * copies from the README and the two cannot drift apart.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const README_PATH = path.join(__dirname, '..', '..', 'README.md');

/** The blocks the test uses, by marker name. */
export type ReadmeBlockName =
  | 'install'
  | 'cdktf.json'
  | 'tsconfig.json'
  | 'main.ts'
  | 'functions/index.ts'
  | 'synth'
  | '.gitignore'
  // before the package is on npm: pack it in a checkout, install the tarball with the same peers
  | 'pack'
  | 'install-tarball'
  // the CDK Terrain section: its install lines, the imports it shows, its synth command
  | 'cdktn-install'
  | 'cdktn-imports'
  | 'cdktn-synth';

/** All marked blocks of the README: marker name → block content (without the fences). */
export function readReadmeBlocks(readme = fs.readFileSync(README_PATH, 'utf8')): Map<string, string> {
  const blocks = new Map<string, string>();
  const pattern = /^<!-- new-project-test: (\S+) -->\n```[^\n]*\n([\s\S]*?)^```$/gm;
  for (const match of readme.matchAll(pattern)) {
    if (blocks.has(match[1])) throw new Error(`README marks two blocks as new-project-test: ${match[1]}`);
    blocks.set(match[1], match[2]);
  }
  return blocks;
}

/** One marked block; a clear error when the README no longer has it. */
export function readmeBlock(blocks: Map<string, string>, name: ReadmeBlockName): string {
  const block = blocks.get(name);
  if (block === undefined) throw new Error(`README.md has no code block marked <!-- new-project-test: ${name} -->`);
  return block;
}

/** The command lines of a shell block (comments and blank lines dropped), each split into words. */
export function commandLines(block: string): string[][] {
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      if (/["'`$|&;<>()\\]/.test(line)) throw new Error(`README command needs a shell, which this test does not emulate: ${line}`);
      return line.split(/\s+/);
    });
}
