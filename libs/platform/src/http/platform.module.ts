// The Nest wiring of the platform: health, metrics, logging, the validation pipe and the error filter.
// Global, so that every module of the service can inject the config, the logger and the registries.
import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { Registry } from 'prom-client';
import type { BaseServiceConfig } from '../config/service-config';
import { ErrorMappings, defaultErrorMappings, type ErrorMapping } from '../errors/error-mapping';
import { PlatformExceptionFilter } from '../errors/exception.filter';
import { createValidationPipe } from '../errors/validation';
import { HealthController } from '../health/health.controller';
import { HealthRegistry, ReadinessState } from '../health/health-registry';
import { POSTGRES_HEALTH_ENABLED, PostgresHealth } from '../health/postgres.health';
import { PlatformLogger } from '../logging/logger';
import { MetricsController } from '../metrics/metrics.controller';
import { createMetricsRegistry, HttpMetrics } from '../metrics/metrics';
import { InFlightRequests } from '../shutdown/drain';
import { METRICS_REGISTRY, SERVICE_CONFIG } from '../tokens';

export interface PlatformModuleOptions<C extends BaseServiceConfig = BaseServiceConfig> {
  config: C;
  /** Also provide the config under its own class, so that `constructor(config: CustomersConfig)` works. */
  configClass?: Type<C>;
  logger: PlatformLogger;
  metrics?: Registry;
  /** Name-matched mappings of other libraries' errors, in addition to the event store's. */
  errorMappings?: readonly ErrorMapping[];
  /** Readiness checks PostgreSQL at DATABASE_URL; default true. */
  postgresHealth?: boolean;
}

@Module({})
export class PlatformModule {
  static forRoot<C extends BaseServiceConfig>(options: PlatformModuleOptions<C>): DynamicModule {
    const registry = options.metrics ?? createMetricsRegistry(options.config.SERVICE_NAME);
    const values: Provider[] = [
      { provide: SERVICE_CONFIG, useValue: options.config },
      ...(options.configClass ? [{ provide: options.configClass, useValue: options.config }] : []),
      { provide: PlatformLogger, useValue: options.logger },
      { provide: METRICS_REGISTRY, useValue: registry },
      { provide: HttpMetrics, useValue: new HttpMetrics(registry) },
      { provide: HealthRegistry, useValue: new HealthRegistry() },
      { provide: ReadinessState, useValue: new ReadinessState() },
      { provide: InFlightRequests, useValue: new InFlightRequests() },
      { provide: ErrorMappings, useValue: new ErrorMappings([...defaultErrorMappings, ...(options.errorMappings ?? [])]) },
      { provide: POSTGRES_HEALTH_ENABLED, useValue: options.postgresHealth ?? true },
    ];
    return {
      module: PlatformModule,
      global: true,
      // Terminus would log a failed check as JSON inside `msg`; HealthController logs it as fields.
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [
        ...values,
        PostgresHealth,
        { provide: APP_FILTER, useClass: PlatformExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [
        SERVICE_CONFIG,
        ...(options.configClass ? [options.configClass] : []),
        PlatformLogger,
        METRICS_REGISTRY,
        HttpMetrics,
        HealthRegistry,
        ReadinessState,
        InFlightRequests,
        ErrorMappings,
      ],
    };
  }
}
