/**
 * The runnable Functions project `dev` starts `func start` in: the code package synth built for the app (host.json,
 * package.json whose `main` is the bundle, the bundle, extra files: byte for byte what `cdktf deploy` uploads),
 * unpacked into `<cdktf project>/.webpubsub-dev/<stack>/<app>/`. `func start` needs exactly that shape
 * (https://learn.microsoft.com/azure/azure-functions/functions-reference-node, "Folder structure": host.json at the
 * root, package.json `main` naming the entry the worker loads).
 *
 * The directory belongs to `dev`: it holds a marker file and is emptied before each unpack; a directory without the
 * marker is never emptied (the command stops and names it).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ManifestFunctionApp } from '../../common/manifest-schema';
import { cliPackage } from '../cli-edition';
import { CliError, describeFsError } from '../deployment-inputs';
import { readPackageZip, writePackage } from './package-zip';

/** Directory (under the cdktf project) where `dev` prepares its projects; add it to .gitignore. */
export const DEV_DIRECTORY = '.webpubsub-dev';

/** Marker file of a directory `dev` created (and may therefore empty). */
export const DEV_MARKER = '.cdktf-azure-webpubsub-dev';

/**
 * Creates `<cdktf project>/.webpubsub-dev/` (owner-only) with a `.gitignore` that ignores everything in it, unless one
 * is there already. The directory holds `local.settings.json` files that carry over the values of the user's own
 * local.settings.json (which may hold secrets), so it stays out of git even in a project whose own `.gitignore` does
 * not name it (the way tools such as pytest keep their cache directories out). Returns the directory.
 */
export function ensureDevRoot(cdktfProjectDir: string): string {
  const root = path.join(cdktfProjectDir, DEV_DIRECTORY);
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  try {
    // `wx`: never overwrite (or write through a link at) a .gitignore that is already there.
    fs.writeFileSync(path.join(root, '.gitignore'), '# Written by dev: local settings (possibly secrets) and unpacked packages, never to commit.\n*\n', { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new CliError(`cannot write ${path.join(root, '.gitignore')}: ${describeFsError(err)}`);
  }
  return root;
}

/** `<cdktf project>/.webpubsub-dev/<stack>/<app path below the stack, `/` as `-`>`. */
export function devProjectDir(cdktfProjectDir: string, stack: string, appPath: string): string {
  const below = appPath.startsWith(`${stack}/`) ? appPath.slice(stack.length + 1) : appPath;
  return path.join(cdktfProjectDir, DEV_DIRECTORY, safeSegment(stack), safeSegment(below.split('/').join('-')));
}

function safeSegment(segment: string): string {
  const safe = segment.replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === '' || safe === '.' || safe === '..' ? '_' : safe;
}

/** A prepared project. */
export interface PreparedProject {
  readonly dir: string;
  /** sha256 of the package it was unpacked from. */
  readonly contentHash: string;
  /** The package's files, sorted. */
  readonly files: string[];
  /** package.json `main`. */
  readonly main: string;
}

/** The zip of `app`'s code, from the manifest (its path is relative to the manifest's stack directory). */
export function packageFile(manifestFile: string, app: ManifestFunctionApp): string {
  const recorded = app.code?.packagePath;
  if (recorded === undefined || recorded === null) {
    throw new CliError(
      app.code === null
        ? `${app.path} has no packaged code (no FunctionCode): dev runs the code a stack packages`
        : `the manifest has no code package for ${app.path}: it was written by an older version, synthesize again`,
    );
  }
  if (path.isAbsolute(recorded) || path.win32.isAbsolute(recorded) || recorded.split(/[\\/]+/).includes('..')) {
    throw new CliError(`the manifest's code package path ${JSON.stringify(recorded.slice(0, 200))} leaves the stack directory: synthesize again`);
  }
  return path.join(path.dirname(manifestFile), ...recorded.split('/'));
}

/** Unpacks the app's package into `dir` (emptied first when it is a `dev` directory). */
export function prepareProject(manifestFile: string, app: ManifestFunctionApp, dir: string): PreparedProject {
  const zip = packageFile(manifestFile, app);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(zip);
  } catch (err) {
    throw new CliError(`cannot read the code package ${zip}: ${describeFsError(err)}; synthesize again`);
  }
  const contentHash = createHash('sha256').update(bytes).digest('hex');
  const expected = app.code?.contentHash;
  if (typeof expected === 'string' && expected !== contentHash) {
    throw new CliError(`the code package ${zip} has sha256 ${contentHash}, not ${expected} as synthesized: synthesize again`);
  }
  const entries = readPackageZip(zip);
  const names = entries.map((e) => e.name).sort();
  const packageJson = entries.find((e) => e.name === 'package.json');
  const main = packageJson ? (JSON.parse(packageJson.data.toString('utf8')) as { main?: unknown }).main : undefined;
  if (!names.includes('host.json') || typeof main !== 'string' || !names.includes(main)) {
    throw new CliError(`the code package ${zip} is not a Functions project (host.json, package.json "main" and the file it names): synthesize again`);
  }
  emptyDevDirectory(dir);
  writePackage(entries, dir);
  return { dir, contentHash, files: names, main };
}

function emptyDevDirectory(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliError(`cannot use ${dir}: ${describeFsError(err)}`);
    names = [];
  }
  if (names.length > 0 && !names.includes(DEV_MARKER)) {
    throw new CliError(`${dir} exists and was not created by dev (no ${DEV_MARKER} in it): move it away, then run dev again`);
  }
  for (const name of names) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(
    path.join(dir, DEV_MARKER),
    `Prepared by \`${cliPackage().edition.packageName} dev\` from the synthesized code package; emptied and rewritten on every run. Do not edit or commit.\n`,
  );
}
