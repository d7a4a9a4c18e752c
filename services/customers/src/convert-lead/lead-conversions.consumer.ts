// The consumer of `${KAFKA_TOPIC_PREFIX}crm.sales.v1` (@crm/messaging ServiceConsumer over an EventConsumer: consumer
// group, batches, dedup by event id, offsets committed after the transaction, retries, `<topic>.dlq`, started after
// bootstrap, stopped before the pool closes, in readiness while in its group): lead.converted goes to
// ConvertLeadHandler, every other sales event is acknowledged unread.
import { Inject, Injectable } from '@nestjs/common';
import { LeadConvertedV1, salesTopic } from '@crm/contracts';
import { ServiceConsumer, topicSpecOf, type ConsumedEvent, type TopicSpec } from '@crm/messaging';
import { backgroundWorkDisabledBy, HealthRegistry, METRICS_REGISTRY, PlatformLogger } from '@crm/platform';
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
export class LeadConversionsConsumer extends ServiceConsumer {
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    @Inject(CUSTOMERS_POOL) pool: Pool,
    private readonly handler: ConvertLeadHandler,
    config: CustomersConfig,
    health: HealthRegistry,
    @Inject(METRICS_REGISTRY) registry: Registry,
    loggers: PlatformLogger,
  ) {
    super({
      name: 'lead-conversion',
      clientSuffix: 'lead-conversions',
      config,
      topic: salesTopicSpec(config),
      groupId: leadConversionsGroupId(config),
      pool,
      handles: (type) => type === LeadConvertedV1.type,
      disabledBy: backgroundWorkDisabledBy(config, { enabled: config.LEAD_CONVERSIONS_ENABLED, name: 'LEAD_CONVERSIONS_ENABLED' }),
      health,
      healthCheck: LEAD_CONVERSIONS_HEALTH,
      metrics: registry,
      logger: loggers.forContext('LeadConversionsConsumer'),
    });
    this.outcomes = new Counter({
      name: 'crm_customers_lead_conversions_total',
      // A batch that fails is retried message by message, so a handling may be counted twice; the outcome is not.
      help: 'lead.converted handlings by outcome: registered, linked, already-done, not-linked (stuck in sales: alert on it).',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  // The handler appends through the event store, not the dedup transaction: its idempotency is the command ids
  // derived from the event id (a redelivery after a lost commit appends nothing).
  protected async apply(event: ConsumedEvent): Promise<void> {
    const { outcome } = await this.handler.handle(event as ConsumedEvent<LeadConvertedV1>);
    this.outcomes.inc({ outcome });
  }
}
