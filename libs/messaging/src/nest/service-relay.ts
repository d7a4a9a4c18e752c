// A SupervisedRelay as a service's Nest provider runs it: connected with the service's own config (its database for
// the checkpoint and lease, its brokers), started after bootstrap with a readiness check on the leader's producer,
// and stopped in beforeApplicationShutdown, before the service's pool closes.
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { BaseServiceConfig, HealthRegistry } from '@crm/platform';
import { SupervisedRelay, type SupervisedRelayOptions } from '../relay/supervised-relay';

export interface ServiceRelayOptions extends Omit<SupervisedRelayOptions, 'database' | 'bus'> {
  config: Pick<BaseServiceConfig, 'SERVICE_NAME' | 'DATABASE_URL' | 'KAFKA_BROKERS'>;
  health: Pick<HealthRegistry, 'register' | 'unregister'>;
  /** The readiness check's name, e.g. `kafka`. */
  healthCheck: string;
  /** When set, the relay is not started in this process and this says why, e.g. `RUN_BACKGROUND_WORK=false`. */
  disabledBy?: string | undefined;
}

/** Extend it with an @Injectable class whose constructor builds the options from what it injects. */
export abstract class ServiceRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly relay: SupervisedRelay;
  private readonly health: ServiceRelayOptions['health'];
  private readonly healthCheck: string;
  private readonly disabled: boolean;

  protected constructor({ config, health, healthCheck, disabledBy, ...relay }: ServiceRelayOptions) {
    this.health = health;
    this.healthCheck = healthCheck;
    this.disabled = disabledBy !== undefined;
    this.relay = new SupervisedRelay({
      ...relay,
      database: { connectionString: config.DATABASE_URL, application_name: `${config.SERVICE_NAME}-relay` },
      bus: { brokers: config.KAFKA_BROKERS, clientId: config.SERVICE_NAME },
    });
  }

  /** Waits for the first start (topics created); when Kafka is down, keeps trying in the background instead. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.disabled) return;
    this.health.register(this.healthCheck, () => this.relay.readiness());
    await this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.disabled) return;
    this.health.unregister(this.healthCheck);
    await this.relay.stop();
  }
}
