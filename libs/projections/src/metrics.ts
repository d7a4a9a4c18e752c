// Prometheus metrics on the registry the service passes in: batch outcomes as they happen, and the
// status (position, lag) computed when the registry is scraped.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ProjectionStatus, VersionLag } from './status';

type Metric = Counter<string> | Gauge<string> | Histogram<string>;

/** Several runners in one process share a metric (told apart by labels): reuse what is registered. */
function reuse<M extends Metric>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}

export class ProjectionMetrics {
  private readonly events: Counter<'projection'>;
  private readonly batches: Counter<'projection' | 'result'>;
  private readonly duration: Histogram<'projection'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.events = reuse(registry, 'crm_projection_events_applied_total', () =>
      new Counter({ name: 'crm_projection_events_applied_total', help: 'Events applied to read models (committed).', labelNames: ['projection'], registers }),
    );
    this.batches = reuse(registry, 'crm_projection_batches_total', () =>
      new Counter({
        name: 'crm_projection_batches_total',
        help: 'Projection batch transactions by result: committed, conflict (checkpoint moved elsewhere), error (rolled back).',
        labelNames: ['projection', 'result'],
        registers,
      }),
    );
    this.duration = reuse(registry, 'crm_projection_batch_duration_seconds', () =>
      new Histogram({
        name: 'crm_projection_batch_duration_seconds',
        help: 'Time to apply and commit one batch of events.',
        labelNames: ['projection'],
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers,
      }),
    );
  }

  batchCommitted(projection: string, events: number, seconds: number): void {
    this.events.inc({ projection }, events);
    this.batches.inc({ projection, result: 'committed' });
    this.duration.observe({ projection }, seconds);
  }

  batchFailed(projection: string, result: 'conflict' | 'error'): void {
    this.batches.inc({ projection, result });
  }
}

type StatusLabels = 'projection' | 'status';

/** The status sources registered per registry: every runner of a service adds its own. */
const statusSources = new WeakMap<Registry, Array<() => Promise<ProjectionStatus[]>>>();

/**
 * Adds `statuses` to the registry's projection status gauges, filled at scrape time (one call per source and
 * scrape, shared by the gauges): lag in events and seconds, checkpoint position, physical version. A service
 * with several runners calls this once per runner; the gauges report them all.
 */
export function registerProjectionStatusGauges(registry: Registry, statuses: () => Promise<ProjectionStatus[]>): void {
  const known = statusSources.get(registry);
  if (known) {
    known.push(cachedFor(statuses));
    return;
  }
  const sources = [cachedFor(statuses)];
  statusSources.set(registry, sources);
  const current = async () => (await Promise.all(sources.map((source) => source()))).flat();
  const gauge = (name: string, help: string, value: (lag: VersionLag) => number) => {
    if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
    new Gauge<StatusLabels>({
      name,
      help,
      labelNames: ['projection', 'status'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const status of await current()) {
          for (const lag of [status.live, status.building]) {
            if (lag) this.set({ projection: status.name, status: lag.status }, value(lag));
          }
        }
      },
    });
  };
  gauge('crm_projection_lag_events', 'Events the projection handles that are after its checkpoint (a floor when the scan was capped).', (l) => l.lagEvents);
  gauge('crm_projection_lag_seconds', 'Age of the oldest event the projection handles that is not applied yet; 0 when caught up.', (l) => l.lagSeconds);
  gauge('crm_projection_checkpoint_commit', 'Commit part of the projection checkpoint position in $all.', (l) => Number(l.position.commit));
  gauge('crm_projection_checkpoint_prepare', 'Prepare part of the projection checkpoint position in $all.', (l) => Number(l.position.prepare));
  gauge('crm_projection_version', 'Physical version of the projection tables (schema <name>_v<N>).', (l) => l.version);
}

/** The source's answer, reused for a second (the five gauges of one scrape ask once). */
function cachedFor(statuses: () => Promise<ProjectionStatus[]>): () => Promise<ProjectionStatus[]> {
  let cached: { at: number; value: Promise<ProjectionStatus[]> } | undefined;
  return () => {
    if (!cached || Date.now() - cached.at > 1_000) cached = { at: Date.now(), value: statuses() };
    return cached.value;
  };
}
