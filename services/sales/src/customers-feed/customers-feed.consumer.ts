// The consumer of `${KAFKA_TOPIC_PREFIX}crm.customers.v1` (@crm/messaging EventConsumer: consumer group, batches,
// dedup by event id in the transaction of the handler's writes, offsets committed after it, retries, `<topic>.dlq`).
// Started after bootstrap (creating the topic from its contract when the customers service has not yet), stopped
// in beforeApplicationShutdown, before the pool closes. Readiness includes it once it has joined its group.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { customersTopic } from '@crm/contracts';
import { ensureTopics, EventConsumer, topicSpecOf, type BusConfig, type ConsumedEvent, type TopicSpec } from '@crm/messaging';
import { HealthRegistry, isValidCorrelationId, METRICS_REGISTRY, PlatformLogger, runWithCorrelationId, type Logger } from '@crm/platform';
import type { Pool, PoolClient } from 'pg';
import { Counter, type Registry } from 'prom-client';
import { sagaSettings } from '../conversion/saga-settings';
import { SalesCommands } from '../infrastructure/sales-commands';
import { SALES_POOL } from '../infrastructure/tokens';
import { SalesConfig } from '../sales.config';
import { CustomerFollowUpsService } from './customer-follow-ups.service';
import { CustomersFeedHandler, FEED_EVENT_TYPES } from './customers-feed.handler';

export const CUSTOMERS_FEED_HEALTH = 'kafka-customers-feed';

/** The customers topic as its contract defines it, with the configured prefix and replication. */
export function customersTopicSpec(config: Pick<SalesConfig, 'KAFKA_TOPIC_PREFIX' | 'KAFKA_REPLICATION_FACTOR'>): TopicSpec {
  return topicSpecOf(customersTopic, { prefix: config.KAFKA_TOPIC_PREFIX, replicationFactor: config.KAFKA_REPLICATION_FACTOR });
}

@Injectable()
export class CustomersFeedConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly topic: TopicSpec;
  readonly groupId: string;
  private readonly enabled: boolean;
  private readonly bus: BusConfig;
  private readonly log: Logger;
  private readonly handler: CustomersFeedHandler;
  private readonly outcomes: Counter<'type' | 'outcome'>;
  private consumer: EventConsumer | null = null;
  private running = false;
  private starting: Promise<void> | undefined;
  private readonly stopSignal = new AbortController();

  constructor(
    @Inject(SALES_POOL) private readonly pool: Pool,
    sales: SalesCommands,
    private readonly followUps: CustomerFollowUpsService,
    config: SalesConfig,
    private readonly health: HealthRegistry,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    loggers: PlatformLogger,
  ) {
    const settings = sagaSettings(config);
    this.log = loggers.forContext('CustomersFeedConsumer');
    this.enabled = settings.customersFeedEnabled;
    this.topic = customersTopicSpec(config);
    this.groupId = settings.customersFeedGroupId;
    this.bus = { brokers: config.KAFKA_BROKERS, clientId: `${config.SERVICE_NAME}-customers-feed` };
    this.handler = new CustomersFeedHandler(sales, loggers.forContext('CustomersFeedHandler'));
    this.outcomes = new Counter({
      name: 'crm_sales_customers_feed_events_total',
      help: 'crm.customers.v1 events applied by the sales service, by type and outcome: recorded, linked, unknown-lead, refused (alert on it).',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    });
  }

  /** Waits for the first start; when Kafka is down, keeps trying in the background instead. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) {
      this.log.info({}, 'customers feed disabled (CUSTOMERS_FEED_ENABLED=false)');
      return;
    }
    this.health.register(CUSTOMERS_FEED_HEALTH, () => {
      if (!this.running) throw new Error('the customers-feed consumer has not joined its group (Kafka unreachable?)');
      return { group: this.groupId, topic: this.topic.name };
    });
    this.starting = this.startWithRetry();
    await Promise.race([this.starting, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
  }

  /** Finishes the batch in hand and commits its offsets while the pool is still open. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopSignal.abort();
    this.health.unregister(CUSTOMERS_FEED_HEALTH);
    await this.starting;
    this.running = false;
    await this.consumer?.stop();
    this.consumer = null;
  }

  private async startWithRetry(): Promise<void> {
    for (let attempt = 1; !this.stopSignal.signal.aborted; attempt += 1) {
      // A fresh consumer per attempt: one whose start failed half-way is not started again.
      const consumer = this.createConsumer();
      try {
        await ensureTopics(this.bus, [this.topic], this.log);
        this.consumer = consumer;
        await consumer.start();
        this.running = true;
        return;
      } catch (error) {
        this.consumer = null;
        await consumer.stop().catch(() => undefined);
        this.log.error({ err: error, attempt }, 'customers-feed consumer could not start (Kafka or PostgreSQL unreachable); retrying');
        await this.pause(Math.min(10_000, 500 * 2 ** attempt));
      }
    }
  }

  private createConsumer(): EventConsumer {
    return new EventConsumer({
      groupId: this.groupId,
      topics: [this.topic.name],
      bus: this.bus,
      pool: this.pool,
      handles: (type) => FEED_EVENT_TYPES.has(type),
      handle: (event, tx) => runWithCorrelationId(isValidCorrelationId(event.correlationId) ? event.correlationId : event.id, () => this.apply(event, tx)),
      metrics: this.registry,
      logger: this.log,
    });
  }

  private async apply(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    const outcome = await this.handler.handle(event, tx);
    this.outcomes.inc({ type: event.type, outcome });
    // The follow-up is visible once this transaction commits; the worker looks soon after.
    if (event.type === 'crm.customer.merged.v1' || event.type === 'crm.customer.erased.v1') this.followUps.nudgeSoon();
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.stopSignal.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
