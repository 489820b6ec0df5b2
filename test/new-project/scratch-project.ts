/**
 * What the new-project tests share: a scratch project outside the repository, set up and run the way a user does
 * (child processes with the user's environment, not the one `npm test` adds), and what the README's stack must give.
 */
import { execFile, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** The stack the README's main.ts creates. */
export const README_STACK = 'chat';

/**
 * The tsconfig.json `cdktf init --template=typescript` writes (cdktf-cli 0.21.0, `templates/typescript/tsconfig.json`).
 * `module: CommonJS` without `moduleResolution` means classic `node10` resolution on TypeScript 5.
 */
export const CDKTF_INIT_TSCONFIG = {
  compilerOptions: {
    alwaysStrict: true,
    declaration: true,
    experimentalDecorators: true,
    inlineSourceMap: true,
    inlineSources: true,
    lib: ['es2018'],
    module: 'CommonJS',
    noEmitOnError: true,
    noFallthroughCasesInSwitch: true,
    noImplicitAny: true,
    noImplicitReturns: true,
    noImplicitThis: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    resolveJsonModule: true,
    strict: true,
    strictNullChecks: true,
    strictPropertyInitialization: true,
    stripInternal: true,
    target: 'ES2018',
    incremental: true,
    skipLibCheck: true,
  },
  include: ['**/*.ts'],
  exclude: ['node_modules', 'cdktf.out'],
};

/**
 * Resource types the README stack must synthesize: the serverless topology, the Flex site (azapi), the key and its
 * write, and the apply-time steps (code publish, webhook activation).
 */
export const EXPECTED_RESOURCE_TYPES = [
  'azurerm_resource_group',
  'azurerm_web_pubsub',
  'azurerm_web_pubsub_hub',
  'azurerm_user_assigned_identity',
  'azurerm_role_assignment',
  'azurerm_storage_account',
  'random_password',
  'azapi_resource',
  'azapi_resource_action',
  'terraform_data',
];

/** The environment children get: the caller's, without what `npm test` adds about this repository. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^npm_(package_|lifecycle_|command$|config_local_prefix$)/i.test(name) || name === 'INIT_CWD' || name === 'JEST_WORKER_ID') continue;
    env[name] = value;
  }
  return {
    ...env,
    CHECKPOINT_DISABLE: '1', // cdktf-cli: no HashiCorp version check (offline)
    // `npx cdktf-cli@0.21` asks before installing the CLI into npx's cache; without a terminal it cancels instead
    npm_config_yes: 'true',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

export function run(command: string, args: string[], cwd: string, env = childEnv()): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** Runs a command that must succeed; on failure the error carries its output. */
export function mustRun(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  const result = run(command, args, cwd, env);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** Like {@link mustRun}, without blocking, so independent commands run side by side. */
export function mustRunAsync(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: childEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve();
    });
  });
}

export function writeFile(dir: string, name: string, content: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), content);
}

export function listFiles(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

export interface Synthesized {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly terraform: { readonly required_providers: Record<string, unknown> };
}

export function readSynthesized(projectDir: string): { json: Synthesized; text: string } {
  const text = fs.readFileSync(path.join(projectDir, 'cdktf.out', 'stacks', README_STACK, 'cdk.tf.json'), 'utf8');
  return { json: JSON.parse(text) as Synthesized, text };
}
