// The relay from the event store to Kafka: at least once, in order per stream, checkpointed after the
// broker acknowledges. Every replica runs one; only the holder of the PostgreSQL lease publishes, the
// others retry the lease periodically. See docs/decisions/0008-kafka-relay-and-consumers.md.
import type { EventStore, Position } from '@crm/event-store';
import { Client, type ClientConfig } from 'pg';
import type { Registry } from 'prom-client';
import { KafkaPublisher } from '../bus/publisher';
import { ensureTopics } from '../bus/topics';
import type { BusConfig, Publisher, TopicSpec } from '../bus/types';
import { errorFields, silentLogger, type MessagingLogger } from '../internal/logger';
import { backoffDelay, pause } from '../internal/timing';
import { ensureMessagingSchema } from '../schema/messaging-schema';
import type { EventMapper } from './envelope';
import { RelayLease, type LeaseSettings } from './lease';
import { relayMetrics, type RelayMetrics } from './relay-metrics';
import { RelaySession } from './relay-session';

export interface EventRelayOptions {
  /** One lease and one checkpoint per name, e.g. `customers`. */
  name: string;
  store: EventStore;
  /** The service's database (checkpoints, lease): the relay opens one dedicated connection to it. */
  database: ClientConfig;
  bus: BusConfig;
  /** The CloudEvents source, e.g. `/crm/customers`. */
  source: string;
  /** The service's stream categories, e.g. `['customer-']`. */
  streamNamePrefixes: string[];
  /** Explicit mapping of internal events to integration events; null = not published. */
  map: EventMapper;
  /** Topics to create when missing (from the contracts). */
  topics?: TopicSpec[];
  /** Events per Kafka batch (default 500). */
  maxBatchSize?: number;
  /** How long an event may wait for its batch to fill (default 20 ms). */
  maxBatchDelayMs?: number;
  /** How often the checkpoint moves past events that were not published (default 1000 ms). */
  idleCheckpointMs?: number;
  /** How often a standby replica tries to take the lease (default 2000 ms). */
  leaseRetryMs?: number;
  lease?: LeaseSettings;
  metrics?: Registry;
  logger?: MessagingLogger;
  /** For tests and other brokers: makes the publisher of a leased run (default: idempotent Kafka producer). */
  createPublisher?: () => Publisher;
}

export class EventRelay {
  private readonly log: MessagingLogger;
  private readonly metrics: RelayMetrics;
  private readonly stopSignal = new AbortController();
  private running = false;
  private loop: Promise<void> | null = null;
  private session: RelaySession | null = null;
  private leader = false;

  constructor(private readonly options: EventRelayOptions) {
    this.log = options.logger ?? silentLogger;
    this.metrics = relayMetrics(options.metrics, options.name);
    this.metrics.leaseHeld(false);
  }

  /** True while this replica holds the lease and publishes. */
  get isLeader(): boolean {
    return this.leader;
  }

  /** Prepares the checkpoint table and topics, then relays in the background (leader or standby). */
  async start(): Promise<void> {
    if (this.running) return;
    const client = new Client(this.options.database);
    await client.connect();
    try {
      await ensureMessagingSchema(client);
    } finally {
      await client.end();
    }
    if (this.options.topics?.length) await ensureTopics(this.options.bus, this.options.topics, this.log);
    this.running = true;
    this.loop = this.run();
  }

  /** Publishes what was read, checkpoints, releases the lease. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopSignal.abort();
    await this.session?.stop();
    await this.loop;
    this.log.info({ relay: this.options.name }, 'relay stopped');
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let lease: RelayLease | null = null;
      try {
        lease = await RelayLease.tryAcquire(this.options.database, this.options.name, this.options.lease ?? {}, this.log);
      } catch (error) {
        this.log.warn({ relay: this.options.name, ...errorFields(error) }, 'relay lease: database unavailable');
      }
      if (!lease) {
        await pause(this.options.leaseRetryMs ?? 2_000, this.stopSignal.signal);
        continue;
      }
      this.leader = true;
      this.metrics.leaseHeld(true);
      this.log.info({ relay: this.options.name }, 'relay lease acquired; publishing');
      try {
        await this.publishWhileLeased(lease);
        failures = 0;
      } catch (error) {
        failures += 1;
        this.log.error({ relay: this.options.name, failures, ...errorFields(error) }, 'relay session failed; restarting from the checkpoint');
      } finally {
        this.leader = false;
        this.metrics.leaseHeld(false);
        await lease.release();
      }
      if (this.running && failures > 0) await pause(backoffDelay(failures, { initialMs: 500, maxMs: 10_000 }), this.stopSignal.signal);
    }
  }

  private async publishWhileLeased(lease: RelayLease): Promise<void> {
    // A fresh producer per run: after a failure nothing of the old producer's state is trusted.
    const publisher = this.options.createPublisher?.() ?? new KafkaPublisher(this.options.bus, { logger: this.log });
    try {
      await publisher.connect();
      const from = await this.readCheckpoint(lease);
      if (!this.running) return;
      const session = new RelaySession(
        this.options.store,
        publisher,
        lease,
        from,
        {
          relayName: this.options.name,
          source: this.options.source,
          streamNamePrefixes: this.options.streamNamePrefixes,
          map: this.options.map,
          maxBatchSize: this.options.maxBatchSize ?? 500,
          maxBatchDelayMs: this.options.maxBatchDelayMs ?? 20,
          idleCheckpointMs: this.options.idleCheckpointMs ?? 1_000,
        },
        this.metrics,
        this.log,
      );
      this.session = session;
      this.log.info({ relay: this.options.name, from: from ? `${from.commit}/${from.prepare}` : 'start' }, 'relay subscribing');
      await session.run();
    } finally {
      this.session = null;
      await publisher.disconnect().catch(() => undefined);
    }
  }

  private async readCheckpoint(lease: RelayLease): Promise<Position | null> {
    const rows = await lease.query<{ commit: string; prepare: string }>(
      'SELECT commit, prepare FROM messaging.relay_checkpoints WHERE relay_name = $1',
      [this.options.name],
    );
    return rows[0] ? { commit: BigInt(rows[0].commit), prepare: BigInt(rows[0].prepare) } : null;
  }
}
