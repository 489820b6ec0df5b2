/**
 * Messages the library prints while an app synthesizes: progress lines and warnings, printed so that users see
 * them with both documented ways to synth and neither shows them as errors.
 *
 * How the two runners treat an app's output (observed with cdktf-cli 0.21 and read in its source,
 * `@cdktf/cli-core` `synth-stack.js` / `synth.js` and `@cdktf/commons` `util.js`; cdktn-cli 0.24 sets the same three
 * variables and passes stdout through as well, checked with `cdktn synth`):
 * - `tsx main.ts` / `node main.js`: stdout and stderr reach the terminal as they are; annotations only land in
 *   `cdktf.out/manifest.json`, so nobody sees a warning unless the library prints it.
 * - `cdktf synth|diff|deploy`: runs the app with `CDKTF_OUTDIR`, `CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS` and
 *   `CDKTF_CONTEXT_JSON` set; prints each chunk of the app's stdout as it is, each chunk of its stderr as
 *   `[ERROR] default - <chunk>`, and after the app exits prints every annotation of the manifest as
 *   `WARN [<construct path>]: <message>` (stdout).
 *
 * Hence: progress goes to stdout (plain in both runners). A warning is always added as a cdktf annotation; it is
 * printed by the library (`WARN [<construct path>]: <message>` on stderr) only when the app does not run under the
 * cdktf CLI, which prints it itself: one line per warning in both runners, never an `[ERROR]` line. Under Jest
 * (`JEST_WORKER_ID` set) nothing is printed unless a test opts in ({@link printSynthMessagesInTests}).
 */
import { Annotations, AnnotationMetadataEntryType, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { LIBRARY_EDITION } from './edition-guard';

/** Prefix of progress lines: `[cdktf-azure-webpubsub]` (`[cdktn-azure-webpubsub]` in the cdktn edition). */
export const PROGRESS_PREFIX = `[${LIBRARY_EDITION.packageName}]`;

/** Who runs the app, as far as printing is concerned. */
export type SynthRunner = 'cdktf-cli' | 'direct';

/**
 * `cdktf-cli` when the environment is the one the cdktf CLI gives the app it synthesizes (it sets all of
 * `CDKTF_OUTDIR`, `CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS` and `CDKTF_CONTEXT_JSON`), else `direct`.
 */
export function synthRunner(env: NodeJS.ProcessEnv = process.env): SynthRunner {
  const set = (name: string): boolean => env[name] !== undefined && env[name] !== '';
  return set('CDKTF_OUTDIR') && set('CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS') && set('CDKTF_CONTEXT_JSON') ? 'cdktf-cli' : 'direct';
}

let printUnderJest = false;

/** Tests: print messages under Jest too (`true`), or restore the default silence there (`false`). */
export function printSynthMessagesInTests(print: boolean): void {
  printUnderJest = print;
}

function printing(): boolean {
  return process.env.JEST_WORKER_ID === undefined || printUnderJest;
}

/** Prints one progress line (`[cdktf-azure-webpubsub] <text>`) on stdout, which no runner shows as an error. */
export function reportProgress(text: string): void {
  if (printing()) process.stdout.write(`${PROGRESS_PREFIX} ${text}\n`);
}

// Printed warnings per app (construct tree root), so a message is printed once per app even if a construct or a
// validation reports it again (e.g. `app.synth()` called twice), and separate apps in one process still print theirs.
const printedWarnings = new WeakMap<IConstruct, Set<string>>();

/**
 * Adds a warning annotation to `scope` (it lands in `manifest.json`, where the cdktf CLI reads it) and makes sure
 * the user sees it once: printed as `WARN [<construct path>]: <message>` on stderr unless the cdktf CLI, which
 * prints the manifest's annotations itself, runs the app. Adding the same message to the same construct again does
 * nothing.
 */
export function warnAtSynth(scope: IConstruct, message: string): void {
  const already = scope.node.metadata.some((m) => m.type === AnnotationMetadataEntryType.WARN && m.data === message);
  if (!already) Annotations.of(scope).addWarning(message);

  const root = scope.node.root;
  const printed = printedWarnings.get(root) ?? new Set<string>();
  printedWarnings.set(root, printed);
  const key = `${scope.node.path}\n${message}`;
  if (printed.has(key)) return;
  printed.add(key);
  if (!printing()) return;
  const line = `WARN [${scope.node.path}]: ${message}\n`;
  if (synthRunner() === 'direct') {
    process.stderr.write(line);
  } else if (!insideStack(scope)) {
    // The CLI only prints annotations of constructs inside a stack (those are the ones in the manifest).
    process.stdout.write(line);
  }
}

function insideStack(scope: IConstruct): boolean {
  return scope.node.scopes.some((s) => TerraformStack.isStack(s));
}
