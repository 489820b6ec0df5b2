/** Temp projects for packaging tests; loads no CDK core (suites that need only these stay edition-independent). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const CHAT_APP = path.join(__dirname, 'fixtures', 'chat-app');
export const CHAT_ENTRIES = ['src/functions/negotiate.ts', 'src/functions/chat.ts'];
export const CHAT_EXTRA = { 'index.html': 'public/index.html' };

const created: string[] = [];

/** A fresh temp directory (removed by {@link cleanupTempDirs}); `name` may contain spaces. */
export function tempDir(name = 'project'): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-wps-pkg-test-'));
  created.push(base);
  const dir = path.join(base, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function cleanupTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Writes `files` into a new temp project whose `node_modules/@azure` links to the repo's, so
 * `@azure/functions` (and, through its real path, its dependencies) resolves.
 */
export function makeProject(files: Record<string, string>, name = 'project'): string {
  const dir = tempDir(name);
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', '@azure'), path.join(dir, 'node_modules', '@azure'), 'dir');
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

/** Copies the chat-app fixture into a new temp project (see {@link makeProject}). */
export function copyChatApp(name = 'project'): string {
  const dir = makeProject({}, name);
  fs.cpSync(CHAT_APP, dir, { recursive: true });
  return dir;
}

