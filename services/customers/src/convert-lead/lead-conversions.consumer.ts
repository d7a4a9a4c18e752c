// The consumer of `${KAFKA_TOPIC_PREFIX}crm.sales.v1` (@crm/messaging EventConsumer: consumer group, batches,
// dedup by event id, offsets committed after the transaction, retries, `<topic>.dlq`): lead.converted goes to
// ConvertLeadHandler, every other sales event is acknowledged unread. Started after bootstrap (creating the topic
// from its contract when sales has not yet), stopped in beforeApplicationShutdown (before the pool closes).
// Readiness includes it once it has joined its group.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { LeadConvertedV1, salesTopic } from '@crm/contracts';
import { ensureTopics, EventConsumer, topicSpecOf, type BusConfig, type ConsumedEvent, type TopicSpec } from '@crm/messaging';
import { HealthRegistry, isValidCorrelationId, METRICS_REGISTRY, PlatformLogger, runWithCorrelationId, type Logger } from '@crm/platform';
import type { Pool } from 'pg';
import { Counter, type Registry } from 'prom-client';
import { CustomersConfig } from '../customers.config';
import { CUSTOMERS_POOL } from '../infrastructure/tokens';
import { ConvertLeadHandler } from './convert-lead.handler';

export const LEAD_CONVERSIONS_HEALTH = 'kafka-lead-conversions';

type TopicConfig = Pick<CustomersConfig, 'KAFKA_TOPIC_PREFIX' | 'KAFKA_REPLICATION_FACTOR' | 'SERVICE_NAME' | 'LEAD_CONVERSIONS_GROUP_ID'>;

/** The sales topic as its contract defines it, with the configured prefix and replication. */
export const salesTopicSpec = (config: TopicConfig): TopicSpec =>
  topicSpecOf(salesTopic, { prefix: config.KAFKA_TOPIC_PREFIX, replicationFactor: config.KAFKA_REPLICATION_FACTOR });

/** Prefixed like the topics, so that services (or test runs) sharing a broker never share a group by accident. */
export const leadConversionsGroupId = (config: TopicConfig): string =>
  config.LEAD_CONVERSIONS_GROUP_ID ?? `${config.KAFKA_TOPIC_PREFIX}${config.SERVICE_NAME}.lead-conversions`;

@Injectable()
export class LeadConversionsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly topic: TopicSpec;
  readonly groupId: string;
  private readonly bus: BusConfig;
  private readonly log: Logger;
  private readonly outcomes: Counter<'outcome'>;
  private consumer: EventConsumer | null = null;
  private running = false;
  private starting: Promise<void> | undefined;
  private readonly stopSignal = new AbortController();

  constructor(
    @Inject(CUSTOMERS_POOL) private readonly pool: Pool,
    private readonly handler: ConvertLeadHandler,
    private readonly config: CustomersConfig,
    private readonly health: HealthRegistry,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    loggers: PlatformLogger,
  ) {
    this.log = loggers.forContext('LeadConversionsConsumer');
    this.topic = salesTopicSpec(config);
    this.groupId = leadConversionsGroupId(config);
    this.bus = { brokers: config.KAFKA_BROKERS, clientId: `${config.SERVICE_NAME}-lead-conversions` };
    this.outcomes = new Counter({
      name: 'crm_customers_lead_conversions_total',
      // A batch that fails is retried message by message, so a handling may be counted twice; the outcome is not.
      help: 'lead.converted handlings by outcome: registered, linked, already-done, not-linked (stuck in sales: alert on it).',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  /** Waits for the first start; when Kafka is down, keeps trying in the background instead. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.LEAD_CONVERSIONS_ENABLED) {
      this.log.info({}, 'lead conversions disabled (LEAD_CONVERSIONS_ENABLED=false)');
      return;
    }
    this.health.register(LEAD_CONVERSIONS_HEALTH, () => {
      if (!this.running) throw new Error('the lead-conversion consumer has not joined its group (Kafka unreachable?)');
      return { group: this.groupId, topic: this.topic.name };
    });
    this.starting = this.startWithRetry();
    await Promise.race([this.starting, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
  }

  /** Finishes the batch in hand and commits its offsets while the pool is still open. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopSignal.abort();
    this.health.unregister(LEAD_CONVERSIONS_HEALTH);
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
        this.log.error({ err: error, attempt }, 'lead-conversion consumer could not start (Kafka or PostgreSQL unreachable); retrying');
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
      handles: (type) => type === LeadConvertedV1.type,
      // The handler appends through the event store, not the dedup transaction: its idempotency is the command
      // ids derived from the event id (a redelivery after a lost commit appends nothing).
      handle: (event) => runWithCorrelationId(isValidCorrelationId(event.correlationId) ? event.correlationId : event.id, () => this.apply(event)),
      metrics: this.registry,
      logger: this.log,
    });
  }

  private async apply(event: ConsumedEvent): Promise<void> {
    const { outcome } = await this.handler.handle(event as ConsumedEvent<LeadConvertedV1>);
    this.outcomes.inc({ outcome });
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
