// A Kafka consumer group that applies integration events to PostgreSQL: each event is decoded,
// validated, deduplicated and handled in one transaction; offsets are committed only after that
// transaction commits; transient failures are retried in place; poison messages go to `<topic>.dlq`.
import { validate as validateContract } from '@crm/contracts';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { createKafka } from '../bus/kafka';
import { toBusMessage } from '../bus/kafka-message';
import { KafkaPublisher } from '../bus/publisher';
import { deadLetterTopicOf, ensureTopicsWithAdmin } from '../bus/topics';
import type { BusConfig, BusMessage, Publisher } from '../bus/types';
import { deadLetterHeaders } from '../dead-letters/dead-letter-headers';
import { errorFields, silentLogger, type MessagingLogger } from '../internal/logger';
import { backoffDelay, pause, type BackoffOptions } from '../internal/timing';
import { ensureMessagingSchema } from '../schema/messaging-schema';
import { applyInTransaction, type EventHandler } from './apply';
import { decodeMessage, type Decoded, type EventValidator } from './consumed-event';
import { consumerMetrics, type ConsumerMetrics } from './consumer-metrics';
import { isInfrastructureError, NonRetriableError } from './errors';

export interface EventConsumerOptions {
  groupId: string;
  topics: string[];
  bus: BusConfig;
  /** The service's database: deduplication rows and the handler's writes go here. */
  pool: Pool;
  handle: EventHandler;
  /** Types this consumer handles; others are skipped without validation (a new type must not break old consumers). */
  handles?: (type: string) => boolean;
  /** The contract validator (default: `validate` of @crm/contracts); a payload it rejects is dead-lettered at once. */
  validate?: EventValidator;
  /** A group without committed offsets starts at the earliest retained message (default) or at the end. */
  fromBeginning?: boolean;
  /** Attempts before a failing message is dead-lettered (default 5). Database outages do not count. */
  maxAttempts?: number;
  retryBackoff?: BackoffOptions;
  /** Consecutive messages applied in one transaction (default 50); on failure they are retried one by one. */
  maxMessagesPerTransaction?: number;
  /** Commit offsets at least this often inside a long batch (default 1000 ms), and always at its end. */
  commitIntervalMs?: number;
  /**
   * Partitions processed at the same time (default 3), each in its own transaction and connection; order
   * holds within a partition (= per key). Keep it below the pool's size.
   */
  partitionsConcurrently?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  metrics?: Registry;
  logger?: MessagingLogger;
  /** Publisher for the dead letters (default: an idempotent Kafka producer on `bus`). */
  deadLetterPublisher?: Publisher;
}

interface BatchControl {
  heartbeat(): Promise<void>;
  /** True when the batch must be left at once (partition revoked or the consumer is going away). */
  abandoned(): boolean;
}

type Outcome = 'done' | 'abandoned';

/**
 * Where the kafkajs consumer is, from its own events: `running` once it has joined its group (GROUP_JOIN), `crashed`
 * after a CRASH until it joins again (kafkajs's own restart or ours), `disconnected` when it left without our stop.
 */
export type ConsumerState = 'idle' | 'starting' | 'running' | 'crashed' | 'disconnected' | 'stopped';

export interface ConsumerStatus {
  state: ConsumerState;
  /** The error of the last crash, while `crashed`. */
  error?: string;
}

export class EventConsumer {
  private readonly log: MessagingLogger;
  private readonly metrics: ConsumerMetrics;
  private readonly dlq: Publisher;
  private readonly handles: (type: string) => boolean;
  private readonly validate: EventValidator;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffOptions;
  private readonly perTransaction: number;
  private readonly commitIntervalMs: number;
  private kafka: Kafka | null = null;
  private consumer: Consumer | null = null;
  private readonly stopSignal = new AbortController();
  private stopping = false;
  private restarting: Promise<void> | null = null;
  private current: ConsumerStatus = { state: 'idle' };

  constructor(private readonly options: EventConsumerOptions) {
    this.log = options.logger ?? silentLogger;
    this.metrics = consumerMetrics(options.metrics, options.groupId);
    this.dlq = options.deadLetterPublisher ?? new KafkaPublisher(options.bus, { logger: this.log });
    this.handles = options.handles ?? (() => true);
    this.validate = options.validate ?? validateContract;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.backoff = options.retryBackoff ?? { initialMs: 100, maxMs: 5_000 };
    this.perTransaction = Math.max(1, options.maxMessagesPerTransaction ?? 50);
    this.commitIntervalMs = options.commitIntervalMs ?? 1_000;
  }

  /** The consumer's state as its kafkajs events report it (see ConsumerState). */
  get status(): ConsumerStatus {
    return this.current;
  }

  /** For a readiness probe: the group and topics while the consumer is in its group; throws otherwise. */
  readiness(): { group: string; topics: string[] } {
    const { state, error } = this.current;
    if (state === 'running') return { group: this.options.groupId, topics: this.options.topics };
    if (state === 'crashed') throw new Error(`the consumer of group ${this.options.groupId} crashed: ${error ?? 'unknown error'}`);
    throw new Error(`the consumer of group ${this.options.groupId} is not in its group (${state})`);
  }

  /** Creates the schema and dead-letter topics, joins the group and starts consuming. */
  async start(): Promise<void> {
    this.current = { state: 'starting' };
    await ensureMessagingSchema(this.options.pool);
    this.kafka = createKafka(this.options.bus, this.log);
    await this.ensureDeadLetterTopics(this.kafka);
    await this.dlq.connect();
    await this.startConsumer();
  }

  /** Finishes the current batch, commits its offsets and leaves the group. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.stopSignal.abort();
    this.current = { state: 'stopped' };
    await this.restarting?.catch(() => undefined);
    const consumer = this.consumer;
    this.consumer = null;
    if (consumer) {
      await consumer.stop().catch((error: unknown) => this.log.warn(errorFields(error), 'consumer stop failed'));
      await consumer.disconnect().catch((error: unknown) => this.log.warn(errorFields(error), 'consumer disconnect failed'));
    }
    await this.dlq.disconnect().catch(() => undefined);
    this.log.info({ group: this.options.groupId }, 'consumer stopped');
  }

  private async ensureDeadLetterTopics(kafka: Kafka): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: this.options.topics });
      await ensureTopicsWithAdmin(
        admin,
        topics.map((t) => ({ name: deadLetterTopicOf(t.name), partitions: t.partitions.length })),
      );
    } finally {
      await admin.disconnect();
    }
  }

  private async startConsumer(): Promise<void> {
    if (!this.kafka) throw new Error('EventConsumer.start() first');
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 3_000,
      allowAutoTopicCreation: false,
    });
    // kafkajs restarts itself after most crashes; when it gives up (restart: false) we start over.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.log.error({ group: this.options.groupId, restart: payload.restart, ...errorFields(payload.error) }, 'consumer crashed');
      if (this.stopping || this.consumer !== consumer) return;
      this.current = { state: 'crashed', error: payload.error.message };
      if (!payload.restart) this.restartLater();
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (!this.stopping && this.consumer === consumer) this.current = { state: 'running' };
    });
    // A crash disconnects before it reports CRASH, so `crashed` (with its error) is what stays.
    consumer.on(consumer.events.DISCONNECT, () => {
      if (!this.stopping && this.consumer === consumer) this.current = { state: 'disconnected' };
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.max(1, this.options.partitionsConcurrently ?? 3),
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.log.info({ group: this.options.groupId, topics: this.options.topics }, 'consumer started');
  }

  private restartLater(): void {
    this.restarting ??= (async () => {
      for (let attempt = 1; !this.stopping; attempt += 1) {
        await pause(backoffDelay(attempt, { initialMs: 1_000, maxMs: 30_000 }), this.stopSignal.signal);
        if (this.stopping) return;
        try {
          await this.consumer?.disconnect().catch(() => undefined);
          await this.startConsumer();
          return;
        } catch (error) {
          this.log.warn({ attempt, ...errorFields(error) }, 'consumer restart failed; trying again');
        }
      }
    })().finally(() => {
      this.restarting = null;
    });
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const { topic, partition } = batch;
    let toCommit: string | null = null;
    let lastCommit = Date.now();
    const commit = async () => {
      if (toCommit === null || isStale()) return;
      const offset = toCommit;
      await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] });
      toCommit = null;
      lastCommit = Date.now();
      this.metrics.lag(topic, partition, Number(BigInt(batch.highWatermark) - BigInt(offset)));
    };
    const done = (offset: string) => {
      resolveOffset(offset);
      toCommit = (BigInt(offset) + 1n).toString();
    };
    const control: BatchControl = {
      heartbeat,
      // On our own stop the batch is finished (graceful); a revoked partition or a crash leaves it at once.
      abandoned: () => isStale() || (!isRunning() && !this.stopping),
    };

    try {
      const decoded = batch.messages.map((m) => decodeMessage(toBusMessage(topic, partition, m), this.handles, this.validate));
      for (let i = 0; i < decoded.length; ) {
        if (control.abandoned()) break;
        const chunk: Decoded[] = [];
        for (const next of decoded.slice(i, i + this.perTransaction)) {
          if (next.kind === 'poison' && chunk.length > 0) break; // apply what precedes it first
          chunk.push(next);
          i += 1;
          if (next.kind === 'poison') break;
        }
        const outcome = await this.applyChunk(chunk, control, done);
        if (outcome === 'abandoned') break;
        if (Date.now() - lastCommit >= this.commitIntervalMs) await commit();
        await heartbeat();
      }
    } finally {
      // Whatever was applied is committed, also when the batch ends early or a heartbeat reports a rebalance.
      await commit().catch((error: unknown) =>
        this.log.warn({ topic, partition, ...errorFields(error) }, 'offset commit failed; the messages will be redelivered and deduplicated'),
      );
    }
  }

  private async applyChunk(chunk: Decoded[], control: BatchControl, done: (offset: string) => void): Promise<Outcome> {
    const [first] = chunk;
    if (!first) return 'done';
    if (first.kind === 'poison') {
      this.log.warn({ topic: first.message.topic, offset: first.message.offset, ...errorFields(first.error) }, 'poison message');
      await this.deadLetter(first.message, first.error, 1);
      done(first.message.offset);
      return 'done';
    }
    const events = chunk.flatMap((d) => (d.kind === 'event' ? [d.event] : []));
    if (events.length === 0 || chunk.length > 1) {
      try {
        const counts = events.length === 0 ? { applied: 0, duplicates: 0 } : await applyInTransaction(this.options.pool, this.options.groupId, events, this.options.handle);
        this.countApplied(first.message.topic, counts.applied, counts.duplicates, chunk.length - events.length);
        for (const d of chunk) done(d.message.offset);
        return 'done';
      } catch (error) {
        this.log.debug({ size: chunk.length, ...errorFields(error) }, 'batched transaction failed; applying one by one');
      }
    }
    for (const d of chunk) {
      if (d.kind === 'ignored') {
        this.countApplied(d.message.topic, 0, 0, 1);
      } else if (d.kind === 'event') {
        if ((await this.applyWithRetries(d, control)) === 'abandoned') return 'abandoned';
      }
      done(d.message.offset);
    }
    return 'done';
  }

  private async applyWithRetries(d: Extract<Decoded, { kind: 'event' }>, control: BatchControl): Promise<Outcome> {
    const { topic } = d.message;
    let failures = 0;
    let outages = 0;
    for (;;) {
      try {
        const counts = await applyInTransaction(this.options.pool, this.options.groupId, [d.event], this.options.handle);
        this.countApplied(topic, counts.applied, counts.duplicates, 0);
        return 'done';
      } catch (error) {
        const fields = { topic, offset: d.message.offset, eventId: d.event.id, type: d.event.type, ...errorFields(error) };
        let delay: number;
        if (isInfrastructureError(error)) {
          outages += 1;
          delay = backoffDelay(outages, { initialMs: 500, maxMs: 10_000 });
          this.log.warn({ ...fields, outages }, 'database unavailable; waiting');
        } else {
          failures += 1;
          if (error instanceof NonRetriableError || failures >= this.maxAttempts) {
            this.log.error({ ...fields, attempts: failures }, 'handler failed; dead-lettering');
            await this.deadLetter(d.message, error, failures);
            return 'done';
          }
          this.metrics.retried(topic);
          delay = backoffDelay(failures, this.backoff);
          this.log.warn({ ...fields, attempts: failures }, 'handler failed; retrying');
        }
        if (!(await this.waitWithHeartbeats(delay, control))) return 'abandoned';
      }
    }
  }

  /** Waits, heartbeating so a long back-off does not cost the partition; false when the batch must be left. */
  private async waitWithHeartbeats(ms: number, control: BatchControl): Promise<boolean> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (this.stopping || control.abandoned()) return false;
      await pause(Math.min(1_000, until - Date.now()), this.stopSignal.signal);
      await control.heartbeat();
    }
    return !this.stopping && !control.abandoned();
  }

  private async deadLetter(message: BusMessage, error: unknown, attempts: number): Promise<void> {
    const headers = {
      ...message.headers,
      ...deadLetterHeaders({ ...message, error, attempts, groupId: this.options.groupId }),
    };
    await this.dlq.publish([{ topic: deadLetterTopicOf(message.topic), key: message.key, value: message.value, headers }]);
    this.metrics.deadLettered(message.topic, error instanceof Error ? error.name : 'Error');
  }

  private countApplied(topic: string, applied: number, duplicates: number, ignored: number): void {
    if (applied > 0) this.metrics.handled(topic, 'applied', applied);
    if (duplicates > 0) this.metrics.handled(topic, 'duplicate', duplicates);
    if (ignored > 0) this.metrics.handled(topic, 'ignored', ignored);
  }
}
