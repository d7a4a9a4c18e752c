// Runs the conversion_links projection in the service: started once the application has bootstrapped (the
// follow-ups table it touches exists by then: CustomerFollowUpsService makes it at module init), stopped in
// beforeApplicationShutdown — before the infrastructure closes the pool — so that the last batch commits.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { EventStore } from '@crm/event-store';
import { METRICS_REGISTRY, PlatformLogger } from '@crm/platform';
import { ProjectionRunner, registerProjectionStatusGauges, type ProjectionStatus } from '@crm/projections';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { DataKeyring, SALES_EVENT_STORE, SALES_POOL } from '../infrastructure';
import { conversionLinksProjection } from './conversion-links.projection';
import { SalesConfig } from '../sales.config';

/** A short window keeps "linked → visible to the follow-ups and the stuck query" low; catch-up still batches. */
export const CONVERSION_LINKS_BATCHING = { batchSize: 500, batchWindowMs: 5 } as const;

@Injectable()
export class ConversionLinksRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly runner: ProjectionRunner;
  /** Resolves once the projection is installed (its views exist) and following the store. */
  readonly started: Promise<void>;
  private markStarted: () => void = () => undefined;

  constructor(
    @Inject(SALES_POOL) pool: Pool,
    @Inject(SALES_EVENT_STORE) store: EventStore,
    @Inject(METRICS_REGISTRY) registry: Registry,
    keyring: DataKeyring,
    loggers: PlatformLogger,
    private readonly config: SalesConfig,
  ) {
    // Another replica may still hold an erased lead's key in its cache: drop it as soon as the erasure is seen.
    const projection = conversionLinksProjection({ onLeadErased: (leadId) => keyring.forget(leadId) });
    this.runner = new ProjectionRunner({
      pool,
      store,
      projection,
      metricsRegistry: registry,
      logger: loggers.forContext('ConversionLinksProjection'),
      ...CONVERSION_LINKS_BATCHING,
    });
    this.started = new Promise((resolve) => (this.markStarted = resolve));
    registerProjectionStatusGauges(registry, () => this.projectionLag());
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.RUN_BACKGROUND_WORK) return; // an API-only process: never "started", so no follow-up worker either
    await this.runner.start();
    this.markStarted();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.config.RUN_BACKGROUND_WORK) return;
    await this.runner.stop();
  }

  /** The projection's position and lag (also in the projection status gauges). */
  async projectionLag(): Promise<ProjectionStatus[]> {
    return [await this.runner.lag()];
  }
}
