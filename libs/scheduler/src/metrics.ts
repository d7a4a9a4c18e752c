// Prometheus metrics on the registry the service passes in: outcomes as they commit, and the lag of the
// oldest overdue job read from the database when the registry is scraped (so it grows while the runner hangs).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

type Metric = Counter<string> | Gauge<string> | Histogram<string>;

/** Several schedulers in one process share a metric (told apart by the `scheduler` label): reuse it. */
function reuse<M extends Metric>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}

/** Per registry, the overdue-lag readers of the schedulers registered into it, by scheduler name. */
const lagSources = new WeakMap<Registry, Map<string, () => Promise<number>>>();

const LAG_GAUGE = 'crm_scheduler_overdue_lag_seconds';

export class SchedulerMetrics {
  private readonly fired: Counter<'scheduler' | 'kind'>;
  private readonly failures: Counter<'scheduler' | 'kind' | 'outcome'>;
  private readonly delay: Histogram<'scheduler' | 'kind'>;

  constructor(
    registry: Registry,
    private readonly scheduler: string,
    overdueLagSeconds: () => Promise<number>,
  ) {
    const registers = [registry];
    this.fired = reuse(registry, 'crm_scheduler_jobs_fired_total', () =>
      new Counter({ name: 'crm_scheduler_jobs_fired_total', help: 'Jobs whose handler succeeded (committed).', labelNames: ['scheduler', 'kind'], registers }),
    );
    this.failures = reuse(registry, 'crm_scheduler_job_failures_total', () =>
      new Counter({
        name: 'crm_scheduler_job_failures_total',
        help: 'Handler failures (committed), by outcome: retry (pushed back) or failed (gave up after maxAttempts).',
        labelNames: ['scheduler', 'kind', 'outcome'],
        registers,
      }),
    );
    this.delay = reuse(registry, 'crm_scheduler_fire_delay_seconds', () =>
      new Histogram({
        name: 'crm_scheduler_fire_delay_seconds',
        help: 'Time from a job being due to its handler being called (database clock).',
        labelNames: ['scheduler', 'kind'],
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3_600],
        registers,
      }),
    );
    let sources = lagSources.get(registry);
    if (!sources) {
      sources = new Map();
      lagSources.set(registry, sources);
      const bound = sources;
      if (registry.getSingleMetric(LAG_GAUGE)) registry.removeSingleMetric(LAG_GAUGE);
      new Gauge<'scheduler'>({
        name: LAG_GAUGE,
        help: 'Seconds since the oldest pending job came due; 0 when none is overdue. Alert when it exceeds a few poll intervals.',
        labelNames: ['scheduler'],
        registers,
        async collect() {
          for (const [name, read] of bound) {
            // A scrape must not fail because the database is unreachable for a moment: keep the last value.
            const lag = await read().catch(() => undefined);
            if (lag !== undefined) this.set({ scheduler: name }, lag);
          }
        },
      });
    }
    sources.set(scheduler, overdueLagSeconds);
  }

  jobFired(kind: string, delaySeconds: number): void {
    this.fired.inc({ scheduler: this.scheduler, kind });
    this.delay.observe({ scheduler: this.scheduler, kind }, Math.max(0, delaySeconds));
  }

  jobFailed(kind: string, outcome: 'retry' | 'failed'): void {
    this.failures.inc({ scheduler: this.scheduler, kind, outcome });
  }
}
