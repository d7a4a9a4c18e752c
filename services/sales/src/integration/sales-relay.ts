// The sales relay to Kafka (@crm/messaging SupervisedRelay: one leased replica publishes, checkpoint after the
// broker's ack) over the integration feed, publishing to `${KAFKA_TOPIC_PREFIX}crm.sales.v1` keyed by the
// aggregate id (lead, opportunity or activity), every payload validated against its contract. Started after
// bootstrap, stopped in beforeApplicationShutdown (before the pool closes). Readiness includes Kafka.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { salesTopic } from '@crm/contracts';
import { DataKeyring, type EventStore } from '@crm/event-store';
import { contractMapper, SupervisedRelay, topicSpecOf, type TopicSpec } from '@crm/messaging';
import { HealthRegistry, METRICS_REGISTRY, PlatformLogger } from '@crm/platform';
import type { Registry } from 'prom-client';
import { SALES_STREAM_PREFIXES } from '../domain';
import { SALES_EVENT_STORE } from '../infrastructure/tokens';
import { SalesConfig } from '../sales.config';
import { SalesIntegrationFeed } from './sales-integration-feed';
import { PUBLISHING_AGGREGATES } from './sales-integration-events';

export const RELAY_NAME = 'sales';

/** The topic as created here: the contract's, with the configured prefix and replication. */
export function salesTopicSpec(config: Pick<SalesConfig, 'KAFKA_TOPIC_PREFIX' | 'KAFKA_REPLICATION_FACTOR'>): TopicSpec {
  return topicSpecOf(salesTopic, { prefix: config.KAFKA_TOPIC_PREFIX, replicationFactor: config.KAFKA_REPLICATION_FACTOR });
}

@Injectable()
export class SalesRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly relay: SupervisedRelay;
  readonly topic: TopicSpec;

  constructor(
    @Inject(SALES_EVENT_STORE) store: EventStore,
    keyring: DataKeyring,
    config: SalesConfig,
    private readonly health: HealthRegistry,
    @Inject(METRICS_REGISTRY) registry: Registry,
    loggers: PlatformLogger,
  ) {
    this.topic = salesTopicSpec(config);
    this.relay = new SupervisedRelay({
      name: RELAY_NAME,
      store: new SalesIntegrationFeed(store, keyring),
      database: { connectionString: config.DATABASE_URL, application_name: `${config.SERVICE_NAME}-relay` },
      bus: { brokers: config.KAFKA_BROKERS, clientId: config.SERVICE_NAME },
      source: salesTopic.source,
      streamNamePrefixes: PUBLISHING_AGGREGATES.map((aggregate) => SALES_STREAM_PREFIXES[aggregate]),
      map: contractMapper({ topic: salesTopic, publishTo: this.topic.name }),
      topics: [this.topic],
      metrics: registry,
      logger: loggers.forContext('SalesRelay'),
    });
  }

  /** Waits for the first start (topics created); when Kafka is down, keeps trying in the background instead. */
  async onApplicationBootstrap(): Promise<void> {
    this.health.register('kafka-relay', () => this.relay.readiness());
    await this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.health.unregister('kafka-relay');
    await this.relay.stop();
  }
}
