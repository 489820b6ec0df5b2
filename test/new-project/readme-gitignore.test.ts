/**
 * What git ignores, asked of git itself: the README's `.gitignore` block (its "Use it in your project" path) and this
 * repository's `.gitignore` keep the Terraform state (it holds the webhook key in clear text), its backups and lock
 * info, `outputs.json` and Terraform's working directories out of commits, and still let the provider lock file in.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readReadmeBlocks, readmeBlock } from './readme-blocks';

const REPO_ROOT = path.join(__dirname, '..', '..');

/** The given files created in a fresh git repository with this .gitignore; the ones git would ignore. */
function ignoredBy(gitignore: string, files: string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitignore-'));
  try {
    const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir } });
    expect(git('init', '-q').status).toBe(0);
    fs.writeFileSync(path.join(dir, '.gitignore'), gitignore);
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), 'x');
    }
    // check-ignore exits 0 when some path is ignored, 1 when none is; it prints the ignored ones.
    const r = git('check-ignore', ...files);
    expect([0, 1]).toContain(r.status);
    return r.stdout.split('\n').filter((line) => line !== '').sort();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const STATE_AND_OUTPUTS = [
  'terraform.chat.tfstate',
  'terraform.chat.tfstate.backup',
  'terraform.chat.tfstate.lock.info',
  'cdktf.out/stacks/chat/terraform.tfstate',
  'outputs.json',
];

describe("the README project's .gitignore", () => {
  const block = readmeBlock(readReadmeBlocks(), '.gitignore');

  test('ignores the state, its backups and lock info, outputs.json, .terraform/, cdktf.out/ and node_modules/', () => {
    const ignore = [...STATE_AND_OUTPUTS, '.terraform/providers/p', 'cdktf.out/stacks/chat/cdk.tf.json', 'node_modules/x/index.js'];
    expect(ignoredBy(block, ignore)).toEqual([...ignore].sort());
  });

  test('keeps the code, the configuration and the provider lock file', () => {
    expect(ignoredBy(block, ['main.ts', 'functions/index.ts', 'cdktf.json', 'tsconfig.json', 'package.json', 'package-lock.json', '.terraform.lock.hcl'])).toEqual([]);
  });
});

describe("this repository's .gitignore", () => {
  const gitignore = fs.readFileSync(path.join(REPO_ROOT, '.gitignore'), 'utf8');

  test("ignores the example's state at the root, its backups and lock info, outputs.json and .terraform/", () => {
    const ignore = [...STATE_AND_OUTPUTS, 'examples/chat/outputs.json', 'examples/chat/.terraform/x', 'cdktf.out/stacks/chat/.terraform/x'];
    expect(ignoredBy(gitignore, ignore)).toEqual([...ignore].sort());
  });

  test("keeps the example's provider lock file (examples/chat/.terraform.lock.hcl, the workflow's TF_LOCK_FILE)", () => {
    expect(ignoredBy(gitignore, ['examples/chat/.terraform.lock.hcl', 'examples/chat/main.ts'])).toEqual([]);
  });
});
