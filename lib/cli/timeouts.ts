/** Time allowed per network step when not told otherwise. */
export const DEFAULT_TIMEOUT_MS = 20_000;
/** Largest `--timeout`: a step (token, ARM call, negotiate, connect, reply) that has not answered in two minutes will not. */
export const MAX_TIMEOUT_MS = 120_000;
