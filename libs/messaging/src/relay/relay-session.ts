// One leased run of the relay: a catch-up subscription to $all from the checkpoint, mapped events
// accumulated into batches, one batch in flight at a time (order per stream), the checkpoint written
// after the broker acknowledged the batch. Ends on stop (gracefully) or on the first failure.
import { comparePositions, type EventStore, type Position, type RecordedEvent, type Subscription } from '@crm/event-store';
import type { OutgoingMessage, Publisher } from '../bus/types';
import type { MessagingLogger } from '../internal/logger';
import { toOutgoingMessage, type EventMapper } from './envelope';
import type { RelayLease } from './lease';
import type { RelayMetrics } from './relay-metrics';

export interface RelaySessionSettings {
  relayName: string;
  source: string;
  streamNamePrefixes: string[];
  map: EventMapper;
  maxBatchSize: number;
  maxBatchDelayMs: number;
  idleCheckpointMs: number;
}

export class RelaySession {
  private buffer: OutgoingMessage[] = [];
  private bufferOldest: Date | null = null;
  /** Position of the last event (or scanned checkpoint) the subscription delivered. */
  private seen: Position | null = null;
  private checkpointed: Position | null;
  private inFlight: Promise<void> | null = null;
  private flushAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private subscription: Subscription | null = null;
  private failure: unknown = null;
  private settle!: { resolve: () => void; reject: (error: unknown) => void };
  /** Resolves on failure: nothing waits for a batch in flight after the session failed. */
  private readonly failed: Promise<void>;
  private onFailed!: () => void;
  private stopping = false;
  private readonly ended: Promise<void>;

  constructor(
    private readonly store: EventStore,
    private readonly publisher: Publisher,
    private readonly lease: RelayLease,
    from: Position | null,
    private readonly settings: RelaySessionSettings,
    private readonly metrics: RelayMetrics,
    private readonly log: MessagingLogger,
  ) {
    this.checkpointed = from;
    this.ended = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.failed = new Promise((resolve) => (this.onFailed = resolve));
  }

  /** Runs until stop() (resolves) or a failure (rejects): lost lease, publish or subscription error. */
  run(): Promise<void> {
    void this.lease.lost.then((error) => this.fail(error));
    this.subscription = this.store.subscribeToAll(
      {
        onEvent: (event) => this.onEvent(event),
        onCheckpoint: (position) => this.onPosition(position),
        onCaughtUp: () => {
          this.log.info({ relay: this.settings.relayName }, 'relay caught up');
          if (this.buffer.length > 0) this.flush();
        },
        onError: (error) => this.fail(error),
      },
      { fromPosition: this.checkpointed ?? 'start', filter: { streamNamePrefixes: this.settings.streamNamePrefixes }, checkpointInterval: 1_000 },
    );
    return this.ended;
  }

  /** Stops reading, publishes what was read, checkpoints, and resolves run(). */
  async stop(): Promise<void> {
    if (this.failure !== null || this.stopping) return this.ended.catch(() => undefined);
    this.stopping = true;
    await this.subscription?.unsubscribe();
    this.clearTimer();
    try {
      while (this.inFlight || this.buffer.length > 0 || this.positionAhead()) {
        await Promise.race([this.inFlight ?? this.flush(), this.failed]);
        if (this.failure !== null) break;
      }
    } finally {
      if (this.failure === null) this.settle.resolve();
    }
    return this.ended.catch(() => undefined);
  }

  private async onEvent(event: RecordedEvent): Promise<void> {
    if (this.failure !== null || this.stopping) return;
    const mapped = this.settings.map(event);
    this.seen = event.position;
    if (!mapped) return this.schedule(this.settings.idleCheckpointMs);
    this.buffer.push(toOutgoingMessage(event, mapped, this.settings.source));
    this.bufferOldest ??= event.created;
    if (this.buffer.length < this.settings.maxBatchSize) return this.schedule(this.settings.maxBatchDelayMs);
    // Back-pressure: a full buffer waits for the batch in flight, then goes out itself.
    while (this.buffer.length >= this.settings.maxBatchSize && this.failure === null) {
      if (this.inFlight) await Promise.race([this.inFlight, this.failed]);
      else void this.flush();
    }
  }

  private onPosition(position: Position): void {
    if (this.failure !== null || this.stopping) return;
    if (!this.seen || comparePositions(position, this.seen) > 0) this.seen = position;
    this.schedule(this.buffer.length > 0 ? this.settings.maxBatchDelayMs : this.settings.idleCheckpointMs);
  }

  private schedule(delayMs: number): void {
    const due = Date.now() + delayMs;
    if (this.timer && this.timerDue <= due) return;
    this.clearTimer();
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Infinity;
      void this.flush();
    }, delayMs);
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Infinity;
  }

  private positionAhead(): boolean {
    return this.seen !== null && (this.checkpointed === null || comparePositions(this.seen, this.checkpointed) > 0);
  }

  /** Sends the buffer and then checkpoints; a flush requested while one is in flight runs right after it. */
  private flush(): Promise<void> {
    if (this.inFlight) {
      this.flushAgain = true;
      return this.inFlight;
    }
    const position = this.seen;
    if (this.failure !== null || position === null || (this.buffer.length === 0 && !this.positionAhead())) return Promise.resolve();
    this.clearTimer();
    const batch = this.buffer;
    const oldest = this.bufferOldest;
    this.buffer = [];
    this.bufferOldest = null;
    this.inFlight = this.publishAndCheckpoint(batch, position, oldest)
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        this.inFlight = null;
        if (this.failure !== null || this.stopping) return;
        if (this.flushAgain || this.buffer.length > 0) {
          this.flushAgain = false;
          void this.flush();
        }
      });
    return this.inFlight;
  }

  private async publishAndCheckpoint(batch: OutgoingMessage[], position: Position, oldest: Date | null): Promise<void> {
    if (batch.length > 0) {
      await this.publisher.publish(batch);
      const perTopic = new Map<string, number>();
      for (const m of batch) perTopic.set(m.topic, (perTopic.get(m.topic) ?? 0) + 1);
      for (const [topic, n] of perTopic) this.metrics.published(topic, n);
      this.metrics.lag(oldest ? (Date.now() - oldest.getTime()) / 1000 : 0);
    } else {
      this.metrics.lag(0);
    }
    // A failure (lost lease) while the batch was in flight: publish happened, the checkpoint must not.
    if (this.failure !== null) return;
    await this.lease.query(
      `INSERT INTO messaging.relay_checkpoints (relay_name, commit, prepare, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (relay_name) DO UPDATE SET commit = EXCLUDED.commit, prepare = EXCLUDED.prepare, updated_at = now()`,
      [this.settings.relayName, position.commit.toString(), position.prepare.toString()],
    );
    this.checkpointed = position;
  }

  private fail(error: unknown): void {
    if (this.failure !== null) return;
    this.failure = error ?? new Error('relay session failed');
    this.clearTimer();
    this.buffer = [];
    void this.subscription?.unsubscribe().catch(() => undefined);
    this.onFailed();
    this.settle.reject(this.failure);
  }
}
