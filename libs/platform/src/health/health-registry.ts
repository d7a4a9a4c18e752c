// The dependencies that readiness checks. Other libraries register theirs (Kafka connected,
// event store reachable); a check is down when it throws, rejects or takes longer than its timeout.
export type HealthCheck = () => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

export interface HealthOutcome {
  name: string;
  up: boolean;
  details: Record<string, unknown>;
}

interface Registration {
  check: HealthCheck;
  timeoutMs: number;
}

export class HealthRegistry {
  private readonly checks = new Map<string, Registration>();

  register(name: string, check: HealthCheck, options: { timeoutMs?: number } = {}): void {
    this.checks.set(name, { check, timeoutMs: options.timeoutMs ?? 1_000 });
  }

  unregister(name: string): void {
    this.checks.delete(name);
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  async run(name: string): Promise<HealthOutcome> {
    const registration = this.checks.get(name);
    if (!registration) return { name, up: false, details: { message: 'not registered' } };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${registration.timeoutMs} ms`)), registration.timeoutMs);
    });
    try {
      const details = await Promise.race([Promise.resolve().then(registration.check), timeout]);
      return { name, up: true, details: details ?? {} };
    } catch (error) {
      return { name, up: false, details: { message: error instanceof Error ? error.message : String(error) } };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Readiness goes down for good once shutdown begins. */
export class ReadinessState {
  private drainingSince: Date | undefined;

  markDraining(): void {
    this.drainingSince ??= new Date();
  }

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }
}
