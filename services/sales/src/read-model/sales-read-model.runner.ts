// Runs the sales projections in the service: started once the application has bootstrapped (then the analysts'
// views are refreshed over them), stopped in beforeApplicationShutdown — before any module's onApplicationShutdown,
// where the infrastructure closes the pool — so that the last batches commit.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { EventStore } from '@crm/event-store';
import { METRICS_REGISTRY, PlatformLogger } from '@crm/platform';
import { ProjectionRunner, registerProjectionStatusGauges, type ProjectionRunnerStatus, type ProjectionStatus } from '@crm/projections';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { installAnalystAccess } from '../analysts/analyst-access';
import { SALES_EVENT_STORE, SALES_POOL } from '../infrastructure/tokens';
import { ensureReadSchema, salesProjections } from './sales-projections';
import { SalesConfig } from '../sales.config';

/** Batching: a short window keeps "accepted → visible" low, catch-up still gets full batches. */
export const SALES_BATCHING = { batchSize: 500, batchWindowMs: 5 } as const;

@Injectable()
export class SalesReadModelRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly runners: readonly ProjectionRunner[];

  constructor(
    @Inject(SALES_POOL) private readonly pool: Pool,
    // The decrypting store: the projections drop lead contact data themselves and must not see ciphertext as text.
    @Inject(SALES_EVENT_STORE) store: EventStore,
    @Inject(METRICS_REGISTRY) registry: Registry,
    loggers: PlatformLogger,
    private readonly config: SalesConfig,
  ) {
    this.runners = salesProjections().map(
      (projection) =>
        new ProjectionRunner({ pool, store, projection, metricsRegistry: registry, logger: loggers.forContext(`SalesProjection:${projection.name}`), ...SALES_BATCHING }),
    );
    registerProjectionStatusGauges(registry, () => this.projectionLag());
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.RUN_BACKGROUND_WORK) return; // an API-only process: the worker process projects
    await ensureReadSchema(this.pool);
    await Promise.all(this.runners.map((runner) => runner.start()));
    await installAnalystAccess(this.pool);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.config.RUN_BACKGROUND_WORK) return;
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }

  /** Position and lag of each read-side projection against the store's head, from the database. */
  projectionLag(): Promise<ProjectionStatus[]> {
    return Promise.all(this.runners.map((runner) => runner.lag()));
  }

  /** In-process state of each projection, cheap: for health details. */
  status(): ProjectionRunnerStatus[] {
    return this.runners.map((runner) => runner.status());
  }
}
