// The consumer of `${KAFKA_TOPIC_PREFIX}crm.customers.v1` (@crm/messaging ServiceConsumer over an EventConsumer:
// consumer group, batches, dedup by event id in the transaction of the handler's writes, offsets committed after it,
// retries, `<topic>.dlq`, started after bootstrap, stopped before the pool closes, in readiness while in its group).
import { Inject, Injectable } from '@nestjs/common';
import { customersTopic } from '@crm/contracts';
import { ServiceConsumer, topicSpecOf, type ConsumedEvent, type TopicSpec } from '@crm/messaging';
import { backgroundWorkDisabledBy, HealthRegistry, METRICS_REGISTRY, PlatformLogger } from '@crm/platform';
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
export class CustomersFeedConsumer extends ServiceConsumer {
  private readonly handler: CustomersFeedHandler;
  private readonly outcomes: Counter<'type' | 'outcome'>;

  constructor(
    @Inject(SALES_POOL) pool: Pool,
    sales: SalesCommands,
    private readonly followUps: CustomerFollowUpsService,
    config: SalesConfig,
    health: HealthRegistry,
    @Inject(METRICS_REGISTRY) registry: Registry,
    loggers: PlatformLogger,
  ) {
    const settings = sagaSettings(config);
    super({
      name: 'customers-feed',
      clientSuffix: 'customers-feed',
      config,
      topic: customersTopicSpec(config),
      groupId: settings.customersFeedGroupId,
      pool,
      handles: (type) => FEED_EVENT_TYPES.has(type),
      disabledBy: backgroundWorkDisabledBy(config, { enabled: settings.customersFeedEnabled, name: 'CUSTOMERS_FEED_ENABLED' }),
      health,
      healthCheck: CUSTOMERS_FEED_HEALTH,
      metrics: registry,
      logger: loggers.forContext('CustomersFeedConsumer'),
    });
    this.handler = new CustomersFeedHandler(sales, loggers.forContext('CustomersFeedHandler'));
    this.outcomes = new Counter({
      name: 'crm_sales_customers_feed_events_total',
      help: 'crm.customers.v1 events applied by the sales service, by type and outcome: recorded, linked, unknown-lead, refused (alert on it).',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    });
  }

  protected async apply(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    const outcome = await this.handler.handle(event, tx);
    this.outcomes.inc({ type: event.type, outcome });
    // The follow-up is visible once this transaction commits; the worker looks soon after.
    if (event.type === 'crm.customer.merged.v1' || event.type === 'crm.customer.erased.v1') this.followUps.nudgeSoon();
  }
}
