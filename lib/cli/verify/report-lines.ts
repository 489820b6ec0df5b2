/**
 * How `verify` words what it prints: one line per check, with secrets in URLs hidden. Every check and the
 * orchestrator print through these, so a key in a handler or negotiate URL never reaches a log.
 */
import type { CheckStatus, VerifyCheck } from './context';

const SYMBOL: Record<CheckStatus, string> = { pass: '✔', fail: '✘', skip: '–' };

/** The line printed for a check. */
export function formatCheck(check: VerifyCheck): string {
  return `${SYMBOL[check.status]} ${check.name}${check.message ? `: ${check.message}` : ''}`;
}

/** Hides secret query values in any text before it is printed (shared with the apply steps). */
export { redactSecrets } from '../url-safety';

/** An error as the one line a check message quotes (SDK errors carry multi-line details). */
export function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0];
}
