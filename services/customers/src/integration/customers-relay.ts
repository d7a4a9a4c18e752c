// The customers' relay to Kafka (@crm/messaging ServiceRelay: one leased replica publishes, checkpoint after the
// broker's ack) over the integration feed, publishing to `${KAFKA_TOPIC_PREFIX}crm.customers.v1` keyed by the
// customer id, every payload validated against its contract. Started after bootstrap, stopped in
// beforeApplicationShutdown (before the pool closes). Readiness includes Kafka: the leader's producer is connected.
import { Inject, Injectable } from '@nestjs/common';
import { customersTopic } from '@crm/contracts';
import type { EventStore } from '@crm/event-store';
import { contractMapper, ServiceRelay, topicSpecOf, type EventMapper, type TopicSpec } from '@crm/messaging';
import { backgroundWorkDisabledBy, HealthRegistry, METRICS_REGISTRY, PlatformLogger } from '@crm/platform';
import type { Registry } from 'prom-client';
import { CustomersConfig } from '../customers.config';
import { CUSTOMER_EVENT_STORE, CUSTOMER_STREAM_PREFIX, DataKeyring } from '../infrastructure';
import { CustomerIntegrationFeed } from './customer-integration-feed';

export const RELAY_NAME = 'customers';

/** The topic as created here: the contract's, with the configured prefix and replication. */
export function customersTopicSpec(config: Pick<CustomersConfig, 'KAFKA_TOPIC_PREFIX' | 'KAFKA_REPLICATION_FACTOR'>): TopicSpec {
  return topicSpecOf(customersTopic, { prefix: config.KAFKA_TOPIC_PREFIX, replicationFactor: config.KAFKA_REPLICATION_FACTOR });
}

/** Integration events only, each validated; the stored internal events the feed passes through are not published. */
export const customersMapper = (topic: string): EventMapper => contractMapper({ topic: customersTopic, publishTo: topic });

@Injectable()
export class CustomersRelay extends ServiceRelay {
  readonly topic: TopicSpec;

  constructor(
    @Inject(CUSTOMER_EVENT_STORE) store: EventStore,
    keyring: DataKeyring,
    config: CustomersConfig,
    health: HealthRegistry,
    @Inject(METRICS_REGISTRY) registry: Registry,
    loggers: PlatformLogger,
  ) {
    const topic = customersTopicSpec(config);
    super({
      config,
      health,
      healthCheck: 'kafka',
      disabledBy: backgroundWorkDisabledBy(config),
      name: RELAY_NAME,
      store: new CustomerIntegrationFeed(store, keyring, { onErased: (customerId) => keyring.forget(customerId) }),
      source: customersTopic.source,
      streamNamePrefixes: [CUSTOMER_STREAM_PREFIX],
      map: customersMapper(topic.name),
      topics: [topic],
      metrics: registry,
      logger: loggers.forContext('CustomersRelay'),
    });
    this.topic = topic;
  }
}
