// Small waiting helpers: a sleep that a stop can interrupt, and exponential back-off with jitter.

/** Resolves after `ms`, or at once when the signal aborts. Never rejects. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor?: number;
}

/** Delay before attempt `attempt` (1 = first retry): initial·factorⁿ⁻¹ capped at max, with ±20 % jitter. */
export function backoffDelay(attempt: number, { initialMs, maxMs, factor = 2 }: BackoffOptions): number {
  const base = Math.min(maxMs, initialMs * factor ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
