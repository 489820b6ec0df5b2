/**
 * Reading what the CLI commands work from: the deployment manifest the constructs write on every synth
 * (`cdktf.out/stacks/<stack>/webpubsub-manifest.json`, schema in lib/common/manifest-schema.ts) and the deployed values
 * (`cdktf deploy --outputs-file`, or `terraform output -json`). JSON files only — the CLI never loads the constructs
 * or cdktf, so it starts fast and works on a machine that only has the synthesized output.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { coreCommand } from './cli-edition';
import {
  DEPLOYMENT_MANIFEST_FILE,
  DeploymentManifest,
  findCdktfProjectDir,
  ManifestOutputRef,
  ManifestShapeError,
  ManifestValue,
  parseDeploymentManifest,
} from '../common/manifest-schema';

/** An error whose message is meant for the user as is (one line, no stack trace): what is wrong and what to do. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** How to get a manifest, for any app (not only this repository's example). */
export function synthesizeHint(): string {
  return `synthesize your app first (\`${coreCommand('synth')}\`, or run the program that calls \`app.synth()\`)`;
}

/** What a file-system error code means, in words. */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EISDIR: 'it is a directory, not a file',
    ENOTDIR: 'a part of the path is a file, not a directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    EEXIST: 'it already exists',
    ELOOP: 'too many symbolic links',
    ENAMETOOLONG: 'the path is too long',
    EMFILE: 'too many open files',
  };
  const reason = e?.code ? reasons[e.code] : undefined;
  return reason ? `${reason} (${e.code})` : (e?.message ?? String(err)).split('\n')[0];
}

/** The cdktf project directory and its synth output directory (`output` of cdktf.json, default `cdktf.out`). */
export interface ProjectLayout {
  readonly projectDir: string;
  readonly outDir: string;
}

/** Finds the cdktf project the way cdktf does: the nearest cdktf.json at or above `cwd` (else `cwd`). */
export function projectLayout(cwd: string): ProjectLayout {
  const projectDir = findCdktfProjectDir(cwd);
  let output = 'cdktf.out';
  const config = path.join(projectDir, 'cdktf.json');
  if (fs.existsSync(config)) {
    const raw = readJson(config, 'cdktf.json', 'fix the file');
    const configured = (raw as { output?: unknown } | null)?.output;
    if (typeof configured === 'string' && configured.length > 0) output = configured;
  }
  return { projectDir, outDir: path.resolve(projectDir, output) };
}

/** Reads and parses a JSON file; every failure is one {@link CliError} line naming the file and what to do. */
export function readJson(file: string, whatItIs: string, howToGetIt: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${whatItIs} not found at ${file}: ${howToGetIt}`);
    throw new CliError(`cannot read ${whatItIs} at ${file}: ${describeFsError(err)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError(`${whatItIs} at ${file} is not valid JSON (${(err as Error).message}): ${howToGetIt}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and checks one manifest file. */
export function readManifest(file: string): DeploymentManifest {
  const raw = readJson(file, 'Web PubSub manifest', `${synthesizeHint()}, or pass --manifest <path>`);
  try {
    return parseDeploymentManifest(raw);
  } catch (err) {
    if (err instanceof ManifestShapeError) throw new CliError(`Web PubSub manifest ${file}: ${err.message}`);
    throw err;
  }
}

export interface ManifestSelection {
  /** `--stack`: the stack to use. @default - the only stack with a manifest */
  readonly stack?: string;
  /** `--manifest`: read this file instead of looking in the synth output. */
  readonly manifestFile?: string;
  readonly cwd: string;
}

export interface LoadedManifest {
  readonly manifest: DeploymentManifest;
  readonly file: string;
  readonly layout: ProjectLayout;
}

/** Stacks of the synth output that have a manifest, sorted. */
export function stacksWithManifest(outDir: string): string[] {
  const stacksDir = path.join(outDir, 'stacks');
  let names: string[];
  try {
    names = fs.readdirSync(stacksDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new CliError(`cannot list ${stacksDir}: ${describeFsError(err)}`);
  }
  return names.filter((name) => fs.existsSync(path.join(stacksDir, name, DEPLOYMENT_MANIFEST_FILE))).sort();
}

/**
 * The manifest the user means: `--manifest`, else the one of `--stack`, else the only one in the synth output.
 * A manifest of another stack than the one asked for (or than its directory) is refused.
 */
export function loadManifest(selection: ManifestSelection): LoadedManifest {
  const layout = projectLayout(selection.cwd);
  let file: string;
  if (selection.manifestFile !== undefined) {
    file = path.resolve(selection.cwd, selection.manifestFile);
  } else if (selection.stack !== undefined) {
    file = path.join(layout.outDir, 'stacks', selection.stack, DEPLOYMENT_MANIFEST_FILE);
    if (!fs.existsSync(file)) {
      const found = stacksWithManifest(layout.outDir);
      throw new CliError(
        `no Web PubSub manifest for stack "${selection.stack}" at ${file} (stacks with one: ${found.length ? found.join(', ') : 'none'}): ${synthesizeHint()}`,
      );
    }
  } else {
    const found = stacksWithManifest(layout.outDir);
    if (found.length === 0) {
      throw new CliError(`no Web PubSub manifest under ${path.join(layout.outDir, 'stacks')}: ${synthesizeHint()}, or pass --manifest <path>`);
    }
    if (found.length > 1) throw new CliError(`${found.length} stacks have a Web PubSub manifest (${found.join(', ')}): pass --stack <name>`);
    file = path.join(layout.outDir, 'stacks', found[0], DEPLOYMENT_MANIFEST_FILE);
  }
  const manifest = readManifest(file);
  if (selection.stack !== undefined && manifest.stack !== selection.stack) {
    throw new CliError(`${file} is the manifest of stack "${manifest.stack}", not "${selection.stack}": pass the manifest of stack "${selection.stack}", or --stack ${manifest.stack}`);
  }
  if (selection.manifestFile === undefined && path.basename(path.dirname(file)) !== manifest.stack) {
    throw new CliError(`${file} says it is the manifest of stack "${manifest.stack}": ${synthesizeHint()} so each stack directory holds its own`);
  }
  return { manifest, file, layout };
}

/**
 * Deployed values. Reads the shapes users have: `cdktf deploy|output --outputs-file` (per stack, nested by
 * construct id), the same flattened to Terraform output names per stack, and `terraform output -json` of one stack.
 */
export class DeploymentOutputs {
  /** Reads `file`; a missing file is an error only when `explicit` (otherwise `undefined`: values may be passed as options). */
  public static read(file: string, explicit: boolean): DeploymentOutputs | undefined {
    if (!explicit && !fs.existsSync(file)) return undefined;
    const raw = readJson(file, 'outputs file', `write it with \`${coreCommand('deploy <stack> --outputs-file outputs.json')}\` (or pass the values as options)`);
    if (!isObject(raw)) throw new CliError(`outputs file ${file} must hold a JSON object (as \`${coreCommand('deploy --outputs-file')}\` writes)`);
    return new DeploymentOutputs(file, raw);
  }

  private constructor(
    public readonly file: string,
    private readonly raw: Record<string, unknown>,
  ) {}

  /** The value of an output, or `undefined` when the file does not have it. */
  public lookup(ref: ManifestOutputRef): string | undefined {
    let node: unknown = this.raw;
    for (const id of ref.path.split('/')) node = isObject(node) ? node[id] : undefined;
    if (typeof node === 'string') return node;
    const perStack = this.raw[ref.stack];
    if (isObject(perStack) && typeof perStack[ref.name] === 'string') return perStack[ref.name] as string;
    const terraform = this.raw[ref.name];
    if (isObject(terraform) && typeof terraform.value === 'string') return terraform.value;
    return undefined;
  }
}

/** A manifest value: the literal, or the deployed output; `undefined` when neither is available. */
export function resolveValue(value: ManifestValue, outputs: DeploymentOutputs | undefined): string | undefined {
  if ('value' in value) return value.value;
  return outputs?.lookup(value.output);
}

/** Why a value is missing and how to provide it (one clause). */
export function missingValueHint(value: ManifestValue, outputs: DeploymentOutputs | undefined, option: string): string {
  if ('value' in value) return `pass ${option}`;
  const ref = value.output;
  return outputs
    ? `${outputs.file} has no output ${ref.path} (Terraform output ${ref.name}): deploy stack "${ref.stack}" with \`--outputs-file\` again, or pass ${option}`
    : `no outputs file: deploy with \`${coreCommand(`deploy ${ref.stack} --outputs-file outputs.json`)}\`, pass --outputs <file>, or pass ${option}`;
}

/** Subscription, resource group and name of an ARM resource id. */
export interface ResourceIdParts {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
}

/** Parses `/subscriptions/<s>/resourceGroups/<rg>/providers/<namespace>/<type>/<name>`; `undefined` if it is not one. */
export function parseResourceId(id: string): ResourceIdParts | undefined {
  const match = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/[^/]+\/[^/]+\/([^/]+)\/?$/i.exec(id.trim());
  return match ? { subscriptionId: match[1], resourceGroup: match[2], name: match[3] } : undefined;
}

/** The one item of `items` the user meant: the only one, or the one whose construct path is `wanted`. */
export function pickByPath<T extends { readonly path: string }>(
  items: readonly T[],
  wanted: string | undefined,
  what: string,
  option: string,
): T {
  if (wanted !== undefined) {
    const found = items.find((item) => item.path === wanted);
    if (!found) {
      throw new CliError(`no ${what} with construct path "${wanted}" in the manifest (found: ${items.map((i) => i.path).join(', ') || 'none'})`);
    }
    return found;
  }
  if (items.length === 1) return items[0];
  if (items.length === 0) throw new CliError(`the manifest lists no ${what}: does the stack use this library's constructs?`);
  throw new CliError(
    `the manifest lists ${items.length} ${what}s (${items.map((i) => i.path).join(', ')}): pass ${option} <construct path> to pick one`,
  );
}

/** Items declared in `stack` (construct path under it); all items when none is. */
export function preferStack<T extends { readonly path: string }>(items: readonly T[], stack: string): readonly T[] {
  const own = items.filter((item) => item.path.startsWith(`${stack}/`));
  return own.length > 0 ? own : items;
}
