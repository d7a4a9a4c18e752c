// Runs the customer_profiles projection in the service: started once the application has bootstrapped (then the
// analysts' views are refreshed over it), stopped in beforeApplicationShutdown — before any module's
// onApplicationShutdown, where the infrastructure closes the pool — so that the last batch commits.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { EventStore } from '@crm/event-store';
import { METRICS_REGISTRY, PlatformLogger } from '@crm/platform';
import { ProjectionRunner, registerProjectionStatusGauges } from '@crm/projections';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { installAnalystAccess } from '../analysts/analyst-access';
import { CustomersConfig } from '../customers.config';
import { CONTACT_HASHER, CUSTOMER_EVENT_STORE, CUSTOMERS_POOL, DataKeyring, type ContactHasher } from '../infrastructure';
import { customerProfilesProjection } from './customer-profiles.projection';

/** Batching of the projection: a short window keeps "accepted → visible" low, catch-up still gets full batches. */
export const PROFILE_BATCHING = { batchSize: 500, batchWindowMs: 5 } as const;

@Injectable()
export class CustomerProfilesRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly runner: ProjectionRunner;

  constructor(
    @Inject(CUSTOMERS_POOL) private readonly pool: Pool,
    @Inject(CUSTOMER_EVENT_STORE) store: EventStore,
    @Inject(CONTACT_HASHER) hasher: ContactHasher,
    keyring: DataKeyring,
    private readonly config: CustomersConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
    loggers: PlatformLogger,
  ) {
    // The store decrypts: the projection sees personal values, and none once the customer's key is destroyed.
    const projection = customerProfilesProjection({ hasher, onErased: (customerId) => keyring.forget(customerId) });
    this.runner = new ProjectionRunner({
      pool,
      store,
      projection,
      metricsRegistry: registry,
      logger: loggers.forContext('CustomerProfilesProjection'),
      ...PROFILE_BATCHING,
    });
    registerProjectionStatusGauges(registry, async () => [await this.runner.lag()]);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.RUN_BACKGROUND_WORK) return; // an API-only process: the worker process projects
    await this.runner.start();
    await installAnalystAccess(this.pool);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.config.RUN_BACKGROUND_WORK) return;
    await this.runner.stop();
  }
}
