// The sales relay to Kafka (@crm/messaging ServiceRelay: one leased replica publishes, checkpoint after the
// broker's ack) over the integration feed, publishing to `${KAFKA_TOPIC_PREFIX}crm.sales.v1` keyed by the
// aggregate id (lead, opportunity or activity), every payload validated against its contract. Started after
// bootstrap, stopped in beforeApplicationShutdown (before the pool closes). Readiness includes Kafka.
import { Inject, Injectable } from '@nestjs/common';
import { salesTopic } from '@crm/contracts';
import { DataKeyring, type EventStore } from '@crm/event-store';
import { contractMapper, ServiceRelay, topicSpecOf, type TopicSpec } from '@crm/messaging';
import { backgroundWorkDisabledBy, HealthRegistry, METRICS_REGISTRY, PlatformLogger } from '@crm/platform';
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
export class SalesRelay extends ServiceRelay {
  readonly topic: TopicSpec;

  constructor(
    @Inject(SALES_EVENT_STORE) store: EventStore,
    keyring: DataKeyring,
    config: SalesConfig,
    health: HealthRegistry,
    @Inject(METRICS_REGISTRY) registry: Registry,
    loggers: PlatformLogger,
  ) {
    const topic = salesTopicSpec(config);
    super({
      config,
      health,
      healthCheck: 'kafka-relay',
      disabledBy: backgroundWorkDisabledBy(config),
      name: RELAY_NAME,
      store: new SalesIntegrationFeed(store, keyring),
      source: salesTopic.source,
      streamNamePrefixes: PUBLISHING_AGGREGATES.map((aggregate) => SALES_STREAM_PREFIXES[aggregate]),
      map: contractMapper({ topic: salesTopic, publishTo: topic.name }),
      topics: [topic],
      metrics: registry,
      logger: loggers.forContext('SalesRelay'),
    });
    this.topic = topic;
  }
}
