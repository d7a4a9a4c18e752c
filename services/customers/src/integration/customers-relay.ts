// The customers' relay to Kafka (@crm/messaging EventRelay: one leased replica publishes, checkpoint after the
// broker's ack) over the integration feed, publishing to `${KAFKA_TOPIC_PREFIX}crm.customers.v1` keyed by the
// customer id. Every payload is validated against its contract before it is published: a mapping bug stops the
// relay (it retries from its checkpoint, loudly) instead of publishing a message subscribers would reject.
// Started after bootstrap, stopped in beforeApplicationShutdown (before the pool closes). Readiness includes
// Kafka: the leader's producer is connected (a standby has no Kafka connection to check).
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { customersTopic, isKnownType, topicConfigEntries, validate } from '@crm/contracts';
import type { EventStore } from '@crm/event-store';
import { EventRelay, KafkaPublisher, type EventMapper, type OutgoingMessage, type Publisher, type TopicSpec } from '@crm/messaging';
import { HealthRegistry, METRICS_REGISTRY, PlatformLogger, type Logger } from '@crm/platform';
import type { Registry } from 'prom-client';
import { CustomersConfig } from '../customers.config';
import { CUSTOMER_EVENT_STORE, CUSTOMER_STREAM_PREFIX, customerIdOf, DataKeyring } from '../infrastructure';
import { IntegrationMappingError } from './customer-integration-events';
import { CustomerIntegrationFeed } from './customer-integration-feed';

export const RELAY_NAME = 'customers';

/** The topic as created here: the contract's, with the configured prefix and replication. */
export function customersTopicSpec(config: Pick<CustomersConfig, 'KAFKA_TOPIC_PREFIX' | 'KAFKA_REPLICATION_FACTOR'>): TopicSpec {
  const replicationFactor = config.KAFKA_REPLICATION_FACTOR;
  const entries = topicConfigEntries(customersTopic).map(({ name, value }) =>
    // min.insync.replicas above the replication factor would refuse every acks=all write.
    name === 'min.insync.replicas' ? [name, String(Math.min(Number(value), replicationFactor))] : [name, value],
  );
  return { name: `${config.KAFKA_TOPIC_PREFIX}${customersTopic.name}`, partitions: customersTopic.partitions, replicationFactor, config: Object.fromEntries(entries) };
}

/** Integration events only, each validated; the stored internal events the feed passes through are not published. */
export function customersMapper(topic: string): EventMapper {
  return (event) => {
    if (!isKnownType(event.type)) return null;
    const result = validate(event.type, event.data);
    if (!result.ok) {
      throw new IntegrationMappingError(`${event.type} from ${event.streamId}@${event.revision} breaks its contract: ${JSON.stringify(result.errors)}`);
    }
    return { topic, type: event.type, payload: event.data, key: customerIdOf(event.streamId) };
  };
}

/** The leader's producer, watched for the readiness check. */
class WatchedPublisher implements Publisher {
  constructor(
    private readonly inner: Publisher,
    private readonly onState: (connected: boolean) => void,
  ) {}
  async connect(): Promise<void> {
    await this.inner.connect();
    this.onState(true);
  }
  async publish(messages: OutgoingMessage[]): Promise<void> {
    try {
      await this.inner.publish(messages);
      this.onState(true);
    } catch (error) {
      this.onState(false);
      throw error;
    }
  }
  async disconnect(): Promise<void> {
    this.onState(false);
    await this.inner.disconnect();
  }
}

@Injectable()
export class CustomersRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly relay: EventRelay;
  readonly topic: TopicSpec;
  private readonly log: Logger;
  private producerConnected = false;
  private starting: Promise<void> | undefined;
  private stopped = false;

  constructor(
    @Inject(CUSTOMER_EVENT_STORE) store: EventStore,
    keyring: DataKeyring,
    config: CustomersConfig,
    private readonly health: HealthRegistry,
    @Inject(METRICS_REGISTRY) registry: Registry,
    loggers: PlatformLogger,
  ) {
    this.log = loggers.forContext('CustomersRelay');
    this.topic = customersTopicSpec(config);
    const bus = { brokers: config.KAFKA_BROKERS, clientId: config.SERVICE_NAME };
    this.relay = new EventRelay({
      name: RELAY_NAME,
      store: new CustomerIntegrationFeed(store, keyring, { onErased: (customerId) => keyring.forget(customerId) }),
      database: { connectionString: config.DATABASE_URL, application_name: `${config.SERVICE_NAME}-relay` },
      bus,
      source: customersTopic.source,
      streamNamePrefixes: [CUSTOMER_STREAM_PREFIX],
      map: customersMapper(this.topic.name),
      topics: [this.topic],
      metrics: registry,
      logger: this.log,
      createPublisher: () => new WatchedPublisher(new KafkaPublisher(bus, { logger: this.log }), (connected) => (this.producerConnected = connected)),
    });
  }

  /** Waits for the first start (topics created); when Kafka is down, keeps trying in the background instead. */
  async onApplicationBootstrap(): Promise<void> {
    this.health.register('kafka', () => {
      if (!this.relay.isLeader) return { relay: 'standby' };
      if (!this.producerConnected) throw new Error('the relay producer is not connected to Kafka');
      return { relay: 'leader', topic: this.topic.name };
    });
    this.starting = this.startWithRetry();
    await Promise.race([this.starting, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.health.unregister('kafka');
    await this.starting;
    await this.relay.stop();
  }

  private async startWithRetry(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt += 1) {
      try {
        await this.relay.start();
        return;
      } catch (error) {
        this.log.error({ err: error, attempt }, 'relay could not start (Kafka or PostgreSQL unreachable); retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 500 * 2 ** attempt)).unref());
      }
    }
  }
}
