// Pure timing rules of the scheduler: the retry back-off of a failing job and how long the runner sleeps.

export interface BackoffOptions {
  /** Delay after the first failure. Default 1 s. */
  baseMs?: number;
  /** Growth per further failure. Default 2. */
  factor?: number;
  /** Ceiling of the delay. Default 5 min. */
  maxMs?: number;
  /**
   * Fraction of the delay drawn at random and taken off (0..1), so that jobs which failed together (a
   * downstream outage) do not all come back in the same instant. Default 0.2.
   */
  jitter?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { baseMs: 1_000, factor: 2, maxMs: 5 * 60_000, jitter: 0.2 };

/**
 * The delay before the next try of a job that has now failed `failures` times (1 for the first failure):
 * base · factor^(failures − 1), capped at maxMs, minus up to `jitter` of itself. `random` is injectable for tests.
 */
export function retryDelayMs(failures: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const { baseMs, factor, maxMs, jitter } = { ...DEFAULT_BACKOFF, ...options };
  if (!Number.isInteger(failures) || failures < 1) throw new RangeError(`failures must be a positive integer, got ${failures}`);
  // Cap the exponent before Math.pow so that a job failing for days does not overflow to Infinity.
  const exponential = baseMs * Math.pow(factor, Math.min(failures - 1, 64));
  const capped = Math.min(maxMs, exponential);
  const spread = Math.min(1, Math.max(0, jitter));
  return Math.max(0, Math.round(capped * (1 - spread * random())));
}

/** The shortest sleep between passes, so that due jobs locked by another replica do not make the runner spin. */
export const MIN_WAKE_DELAY_MS = 50;

/**
 * How long the runner sleeps after a pass: until the earliest pending job is due (`msUntilNextDue`, from the
 * database clock; null when nothing is pending), but never longer than the poll interval — jobs scheduled
 * by other processes meanwhile are seen within one interval — and never shorter than MIN_WAKE_DELAY_MS.
 */
export function wakeDelayMs(msUntilNextDue: number | null, pollIntervalMs: number): number {
  const floor = Math.min(MIN_WAKE_DELAY_MS, pollIntervalMs);
  if (msUntilNextDue === null || !Number.isFinite(msUntilNextDue)) return pollIntervalMs;
  // +1 ms: timer and clock granularity must not wake us a hair before the job is due.
  return Math.min(pollIntervalMs, Math.max(floor, Math.ceil(msUntilNextDue) + 1));
}
