/**
 * The library ships in two editions built from these sources (docs/editions.md): `cdktf-azure-webpubsub` for CDK for
 * Terraform (`cdktf`) and `cdktn-azure-webpubsub` for CDK Terrain (`cdktn`, the community fork of the archived cdktf).
 * The editions differ only in the core and provider packages they import, and in the names below.
 *
 * No cdktf import here: the CLI, which never loads a core, reads this too. Which edition is running comes from the
 * core the constructs are loaded with (lib/core/edition-guard.ts) or, in the CLI, from the package it belongs to
 * (lib/cli/cli-edition.ts); the published cdktn package is built by build/build-edition.ts.
 */

/** The CDK core an edition is built for. */
export type CdkCore = 'cdktf' | 'cdktn';

/** What differs between the editions, as users see it. */
export interface LibraryEdition {
  /** The core this edition is built for. */
  readonly core: CdkCore;
  /** npm package name, and the name of its bin. */
  readonly packageName: string;
  /**
   * How the README runs the core's command line (`npx cdktf-cli@0.21 synth`, `npx cdktn-cli@0.24 deploy`): users need
   * no global install, so hints must not name a `cdktf`/`cdktn` command that may not be on their PATH.
   */
  readonly coreCli: string;
}

export const EDITIONS: Readonly<Record<CdkCore, LibraryEdition>> = {
  cdktf: { core: 'cdktf', packageName: 'cdktf-azure-webpubsub', coreCli: 'npx cdktf-cli@0.21' },
  cdktn: { core: 'cdktn', packageName: 'cdktn-azure-webpubsub', coreCli: 'npx cdktn-cli@0.24' },
};

/** The edition a package name belongs to, if it is one of this library's. */
export function editionOfPackageName(name: string | undefined): LibraryEdition | undefined {
  return Object.values(EDITIONS).find((edition) => edition.packageName === name);
}
