// Bounded, jittered back-off between attempts of a command that lost an optimistic-concurrency race.

export interface RetryOnConflict {
  /** Attempts after the first; 0 means none. */
  maxRetries: number;
  /** The first delay before jitter (default 10 ms); it doubles per retry up to maxDelayMs (default 200 ms). */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** Between half and all of the capped exponential delay: racing writers spread out instead of colliding again. */
export function backoffDelay(attempt: number, options: RetryOnConflict | undefined, random: () => number = Math.random): number {
  const base = options?.baseDelayMs ?? 10;
  const cap = options?.maxDelayMs ?? 200;
  const delay = Math.min(cap, base * 2 ** attempt);
  return Math.round(delay / 2 + (random() * delay) / 2);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
