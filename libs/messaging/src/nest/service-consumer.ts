// An EventConsumer as a service's Nest provider runs it: started after bootstrap (creating its topic from the
// contract when the producing service has not yet), retried in the background while Kafka or PostgreSQL is down,
// in readiness while it is in its group (a kafkajs crash turns it red), stopped in beforeApplicationShutdown
// (the batch in hand finished and committed before the service's pool closes).
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { isValidCorrelationId, runWithCorrelationId, type BaseServiceConfig, type HealthRegistry } from '@crm/platform';
import type { Pool, PoolClient } from 'pg';
import type { Registry } from 'prom-client';
import { ensureTopics } from '../bus/topics';
import type { BusConfig, TopicSpec } from '../bus/types';
import type { ConsumedEvent, EventValidator } from '../consumer/consumed-event';
import { EventConsumer } from '../consumer/event-consumer';
import type { MessagingLogger } from '../internal/logger';
import { backoffDelay, pause } from '../internal/timing';

export interface ServiceConsumerOptions {
  /** Names the consumer in logs and readiness errors, e.g. `lead-conversion`; its Kafka client id is `<service>-<clientSuffix>`. */
  name: string;
  clientSuffix: string;
  config: Pick<BaseServiceConfig, 'SERVICE_NAME' | 'KAFKA_BROKERS'>;
  topic: TopicSpec;
  groupId: string;
  pool: Pool;
  /** Types the consumer handles; the others are acknowledged unread. */
  handles: (type: string) => boolean;
  /** The contract validator (default: `validate` of @crm/contracts). */
  validate?: EventValidator;
  /** When set, the consumer is not started and this says why, e.g. `LEAD_CONVERSIONS_ENABLED=false`. */
  disabledBy?: string;
  health: Pick<HealthRegistry, 'register' | 'unregister'>;
  /** The readiness check's name, e.g. `kafka-lead-conversions`. */
  healthCheck: string;
  metrics: Registry;
  logger: MessagingLogger;
  /** How long bootstrap waits for the first start before leaving it to the background (default 15 s). */
  startTimeoutMs?: number;
}

/** Extend it with an @Injectable class whose constructor builds the options from what it injects, and implement apply. */
export abstract class ServiceConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly topic: TopicSpec;
  readonly groupId: string;
  protected readonly log: MessagingLogger;
  private readonly bus: BusConfig;
  private consumer: EventConsumer | null = null;
  private starting: Promise<void> | undefined;
  private readonly stopSignal = new AbortController();

  protected constructor(private readonly options: ServiceConsumerOptions) {
    this.topic = options.topic;
    this.groupId = options.groupId;
    this.log = options.logger;
    this.bus = { brokers: options.config.KAFKA_BROKERS, clientId: `${options.config.SERVICE_NAME}-${options.clientSuffix}` };
  }

  /** Handles one event in the consumer's transaction (`tx` holds the dedup row), under the event's correlation id. */
  protected abstract apply(event: ConsumedEvent, tx: PoolClient): Promise<void>;

  /** Waits for the first start; when Kafka is down, keeps trying in the background instead. */
  async onApplicationBootstrap(): Promise<void> {
    const { disabledBy, health, healthCheck, name } = this.options;
    if (disabledBy !== undefined) {
      this.log.info({}, `${name} consumer disabled (${disabledBy})`);
      return;
    }
    health.register(healthCheck, () => {
      if (!this.consumer) throw new Error(`the ${name} consumer has not joined its group (Kafka unreachable?)`);
      this.consumer.readiness(); // throws while it is starting, crashed or disconnected
      return { group: this.groupId, topic: this.topic.name };
    });
    this.starting = this.startWithRetry();
    await Promise.race([this.starting, new Promise((resolve) => setTimeout(resolve, this.options.startTimeoutMs ?? 15_000).unref())]);
  }

  /** Finishes the batch in hand and commits its offsets while the pool is still open. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopSignal.abort();
    this.options.health.unregister(this.options.healthCheck);
    await this.starting;
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
        return;
      } catch (error) {
        this.consumer = null;
        await consumer.stop().catch(() => undefined);
        this.log.error({ err: error, attempt }, `${this.options.name} consumer could not start (Kafka or PostgreSQL unreachable); retrying`);
        await pause(backoffDelay(attempt + 1, { initialMs: 500, maxMs: 10_000 }), this.stopSignal.signal);
      }
    }
  }

  private createConsumer(): EventConsumer {
    return new EventConsumer({
      groupId: this.groupId,
      topics: [this.topic.name],
      bus: this.bus,
      pool: this.options.pool,
      handles: this.options.handles,
      validate: this.options.validate,
      handle: (event, tx) => runWithCorrelationId(isValidCorrelationId(event.correlationId) ? event.correlationId : event.id, () => this.apply(event, tx)),
      metrics: this.options.metrics,
      logger: this.log,
    });
  }
}
