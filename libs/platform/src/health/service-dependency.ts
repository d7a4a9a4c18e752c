// A connection a service opens at start (its event store and pool, say) as Nest runs it: checked by readiness
// while the service runs, closed once the application has shut down, after the modules that use it have stopped.
import type { FactoryProvider, InjectionToken, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PlatformLogger, type Logger } from '../logging/logger';
import { HealthRegistry, type HealthCheck } from './health-registry';

/** What the provider under the token must offer; framework-free, e.g. the event store's ServiceEventStore. */
export interface ServiceDependency {
  /** Throws or rejects while the dependency is not usable; may return details for the readiness answer. */
  probe: HealthCheck;
  close(): Promise<void>;
}

export interface ServiceDependencyOptions {
  /** The readiness check's name, e.g. `event-store`. */
  healthCheck: string;
  /** Default 1.5 s. */
  timeoutMs?: number;
  /** The logger's context, e.g. `CustomersInfrastructure`. */
  logContext: string;
  /** Logged once closed. */
  closedMessage?: string;
}

class ServiceDependencyLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly dependency: ServiceDependency,
    private readonly health: HealthRegistry,
    private readonly log: Logger,
    private readonly options: ServiceDependencyOptions,
  ) {}

  onModuleInit(): void {
    this.health.register(this.options.healthCheck, () => this.dependency.probe(), { timeoutMs: this.options.timeoutMs ?? 1_500 });
  }

  // onApplicationShutdown runs after every module's onModuleDestroy and beforeApplicationShutdown: the read side,
  // relays and consumers have stopped using the connection by then.
  async onApplicationShutdown(): Promise<void> {
    this.health.unregister(this.options.healthCheck);
    await this.dependency.close();
    this.log.info(this.options.closedMessage ?? `${this.options.healthCheck} closed`);
  }
}

/**
 * A provider to list beside the one under `token` in the same module: registers its readiness check at init and
 * closes it on shutdown. Its own token is private; nothing injects it.
 */
export function serviceDependencyLifecycle(token: InjectionToken, options: ServiceDependencyOptions): FactoryProvider {
  return {
    provide: Symbol(`${options.healthCheck} lifecycle`),
    useFactory: (dependency: ServiceDependency, health: HealthRegistry, loggers: PlatformLogger) =>
      new ServiceDependencyLifecycle(dependency, health, loggers.forContext(options.logContext), options),
    inject: [token, HealthRegistry, PlatformLogger],
  };
}
