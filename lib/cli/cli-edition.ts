/**
 * Which edition of the library this CLI belongs to, so its name, version and hints match what the user installed:
 * `cdktn-azure-webpubsub verify` tells a CDK Terrain user to run `cdktn deploy`, not `cdktf deploy`.
 *
 * The CLI never loads a core (lib/core/edition-guard.ts reads the edition from the loaded core), so it reads the name of
 * its own package: the nearest package.json at or above this file whose name is one of the editions' (compiled or
 * not, installed or in this repository, where it is the cdktf edition). build/build-edition.ts writes the cdktn
 * package's name.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EDITIONS, editionOfPackageName, LibraryEdition } from '../common/editions';

/** The package this CLI belongs to. */
export interface CliPackage {
  readonly edition: LibraryEdition;
  /** `unknown` when no package.json of an edition is found (never the case in a real install). */
  readonly version: string;
}

let found: CliPackage | undefined;

export function cliPackage(): CliPackage {
  if (found !== undefined) return found;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      const edition = editionOfPackageName(pkg.name);
      if (edition !== undefined) return (found = { edition, version: pkg.version ?? 'unknown' });
    }
    if (path.dirname(dir) === dir) return (found = { edition: EDITIONS.cdktf, version: 'unknown' });
  }
}

/** A command of the core's CLI for hints, e.g. `npx cdktf-cli@0.21 deploy` (`npx cdktn-cli@0.24 deploy` in the cdktn edition). */
export function coreCommand(args: string): string {
  return `${cliPackage().edition.coreCli} ${args}`;
}
