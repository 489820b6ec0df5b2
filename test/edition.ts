/**
 * The edition the running Jest project tests (jest.config.js: the `cdktf` project runs the sources as written, the
 * `cdktn` project maps `cdktf` and `@cdktf/provider-*` to `cdktn` and `@cdktn/provider-*`). Expectations that differ
 * by edition (package and bin name) come from here, never from lib/, so a wrong name in lib/ still fails.
 */
import * as path from 'node:path';

declare const CDK_EDITION: 'cdktf' | 'cdktn';

export const TEST_EDITION: 'cdktf' | 'cdktn' = CDK_EDITION;

/** The package (and bin) users of this edition install. */
export const EDITION_PACKAGE = `${CDK_EDITION}-azure-webpubsub`;

/**
 * Arguments for tsx so a child process runs TypeScript on this edition too: in the cdktn project, tsconfig.cdktn.json's
 * paths resolve `cdktf` and `@cdktf/*` to the cdktn packages (tsx applies them to every file it loads).
 */
export const TSX_EDITION_ARGS: readonly string[] = CDK_EDITION === 'cdktn' ? ['--tsconfig', path.join(__dirname, '..', 'tsconfig.cdktn.json')] : [];
