// The Nest wiring around the framework-free core: one runner per projection, started when the application
// has bootstrapped and stopped (batch committed) when it shuts down.
import { Inject, Injectable, Module, type DynamicModule, type ModuleMetadata, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import type { EventStore } from '@crm/event-store';
import type { ProjectionDefinition } from '../definition';
import type { ProjectionLogger } from '../logger';
import { registerProjectionStatusGauges } from '../metrics';
import { ProjectionRunner, type ProjectionRunnerStatus } from '../projection-runner';
import type { ProjectionStatus } from '../status';
import type { BatchingOptions } from '../version-runner';

export interface ProjectionsModuleOptions {
  pool: Pool;
  store: EventStore;
  projections: readonly ProjectionDefinition[];
  /** Batch counters and the lag gauges (computed at scrape time) go here. */
  metricsRegistry?: Registry;
  logger?: ProjectionLogger;
  batching?: Omit<BatchingOptions, 'beforeCheckpoint'>;
}

export const PROJECTIONS_OPTIONS = Symbol('PROJECTIONS_OPTIONS');

@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runners: readonly ProjectionRunner[];

  constructor(@Inject(PROJECTIONS_OPTIONS) options: ProjectionsModuleOptions) {
    const { pool, store, metricsRegistry, logger, batching } = options;
    this.runners = options.projections.map((projection) => new ProjectionRunner({ pool, store, projection, metricsRegistry, logger, ...batching }));
    if (metricsRegistry) registerProjectionStatusGauges(metricsRegistry, () => this.lag());
  }

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.start()));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }

  /** In-process state of each runner, cheap: for health details. */
  status(): ProjectionRunnerStatus[] {
    return this.runners.map((runner) => runner.status());
  }

  /** Position and lag against the store's head, from the database. */
  lag(): Promise<ProjectionStatus[]> {
    return Promise.all(this.runners.map((runner) => runner.lag()));
  }
}

export interface ProjectionsModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: Array<string | symbol | (abstract new (...args: never[]) => unknown)>;
  useFactory: (...args: never[]) => ProjectionsModuleOptions | Promise<ProjectionsModuleOptions>;
}

@Module({})
export class ProjectionsModule {
  static forRootAsync(options: ProjectionsModuleAsyncOptions): DynamicModule {
    return {
      module: ProjectionsModule,
      imports: options.imports ?? [],
      providers: [
        { provide: PROJECTIONS_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory as (...args: unknown[]) => ProjectionsModuleOptions },
        ProjectionsService,
      ],
      exports: [ProjectionsService],
    };
  }
}
