// Feeds one version of a projection's tables from the service's own `$all` subscription: events are
// gathered into batches (N events or T ms), each applied in ONE transaction that also moves the version's
// checkpoint by compare-and-swap. A lost swap or any failure rolls the batch back and restarts the
// subscription from the stored checkpoint. Used for the live version and for a rebuild's new version.
import type { ClientBase, Pool } from 'pg';
import { comparePositions, START, type EventStore, type Position, type RecordedEvent, type Subscription } from '@crm/event-store';
import { advanceCheckpoint, applyPlannedBatch, checkout, isCheckpointAt, findVersion, findVersionNumber, rollback, tableNamesOf, type CheckpointRow } from './catalog';
import { applyEvents, handledEvents, plannedWrites, subscriptionFilterOf, type ProjectionDefinition, type TableNames } from './definition';
import { CheckpointConflictError } from './errors';
import { noopLogger, type ProjectionLogger } from './logger';
import type { ProjectionMetrics } from './metrics';

export interface BatchContext {
  projection: string;
  version: number;
  events: readonly RecordedEvent[];
  from: Position;
  to: Position;
}

export interface BatchingOptions {
  /** Events per transaction. Default 500. */
  batchSize?: number;
  /** A batch that is not full is committed this long after its first event. Default 20 ms. */
  batchWindowMs?: number;
  /**
   * Ask the store for a checkpoint after this many scanned events, matched or not. Default: batchSize, at
   * least 1000 — it also caps the store's poll, and a small poll may never see the head of a busy store.
   */
  checkpointInterval?: number;
  /** Delay before a restart after a failure, doubling up to the maximum. Default 100 ms → 10 s. */
  retry?: { minDelayMs?: number; maxDelayMs?: number };
  /**
   * How often a runner checks that its checkpoint is still its own, so that an idle runner notices a switch
   * or another runner's progress without waiting for its next event. Default 5000 ms.
   */
  verifyIntervalMs?: number;
  /**
   * Runs in the batch's transaction after its rows are written and before its checkpoint: throwing rolls
   * both back. For fault injection in tests, and for checks a projection wants before it commits.
   */
  beforeCheckpoint?: (tx: ClientBase, batch: BatchContext) => Promise<void> | void;
}

export interface VersionRunnerOptions extends BatchingOptions {
  pool: Pool;
  store: EventStore;
  projection: ProjectionDefinition;
  /** `live`: whichever version is live (it follows a switch); a number: that version while it is building. */
  target: 'live' | number;
  logger?: ProjectionLogger;
  metrics?: ProjectionMetrics;
  /** The row found is not ours to feed (another definition version is live, or the building row is gone). */
  onNotOurs?: (row: CheckpointRow | undefined) => void;
  /** A batch or the subscription failed; the runner restarts by itself. `failures` counts in a row. */
  onFailure?: (error: unknown, failures: number) => void;
}

export type VersionRunnerState = 'idle' | 'catching-up' | 'live' | 'restarting' | 'stopped' | 'not-ours';

interface Session {
  row: CheckpointRow;
  tables: TableNames;
  /** The committed checkpoint. */
  checkpoint: Position;
  buffer: RecordedEvent[];
  /** Highest position seen (event or store checkpoint): the next checkpoint. */
  pending: Position | undefined;
  subscription: Subscription | undefined;
  timer: NodeJS.Timeout | undefined;
  verifier: NodeJS.Timeout | undefined;
  closed: boolean;
}

export class VersionRunner {
  private readonly batchSize: number;
  private readonly batchWindowMs: number;
  private readonly checkpointInterval: number;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly verifyIntervalMs: number;
  private readonly log: ProjectionLogger;
  private session: Session | undefined;
  private chain: Promise<void> = Promise.resolve();
  private restarting: Promise<void> | undefined;
  private failures = 0;
  private stopping = false;
  private wakeRestart: (() => void) | undefined;
  private caughtUpWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private _state: VersionRunnerState = 'idle';
  private _lastError: unknown;
  private _eventsApplied = 0;

  constructor(private readonly options: VersionRunnerOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.batchWindowMs = options.batchWindowMs ?? 20;
    this.checkpointInterval = options.checkpointInterval ?? Math.max(this.batchSize, 1000);
    this.minDelayMs = options.retry?.minDelayMs ?? 100;
    this.maxDelayMs = options.retry?.maxDelayMs ?? 10_000;
    this.verifyIntervalMs = options.verifyIntervalMs ?? 5_000;
    this.log = options.logger ?? noopLogger;
  }

  get state(): VersionRunnerState {
    return this._state;
  }

  /** The version being fed and its committed checkpoint, once a session is open. */
  get position(): { version: number; position: Position } | undefined {
    return this.session && { version: this.session.row.version, position: this.session.checkpoint };
  }

  get lastError(): unknown {
    return this._lastError;
  }

  get eventsApplied(): number {
    return this._eventsApplied;
  }

  /** Opens the first session; throws if the database cannot be reached (later failures are retried). */
  async start(): Promise<void> {
    this.stopping = false;
    await this.open();
  }

  /** Resolves once the subscription has delivered everything up to the head and that batch is committed. */
  caughtUp(): Promise<void> {
    if (this._state === 'live') return Promise.resolve();
    if (this._state === 'stopped' || this._state === 'not-ours') return Promise.reject(new Error(`Projection runner is ${this._state}`));
    return new Promise((resolve, reject) => this.caughtUpWaiters.push({ resolve, reject }));
  }

  /** Stops the subscription and commits what was already received. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeRestart?.();
    const session = this.session;
    if (session && !session.closed) {
      clearInterval(session.verifier);
      await session.subscription?.unsubscribe();
      await session.subscription?.done;
      clearTimeout(session.timer);
      await this.flush(session);
      session.closed = true;
    }
    await this.restarting;
    await this.chain;
    this._state = 'stopped';
    this.rejectWaiters();
  }

  private rejectWaiters(): void {
    const error = new Error(`Projection runner is ${this._state} before catching up`);
    for (const waiter of this.caughtUpWaiters.splice(0)) waiter.reject(error);
  }

  private async open(): Promise<void> {
    const row = await this.loadRow();
    if (!row || row.definitionVersion !== this.options.projection.version || row.status === 'retired') {
      this._state = 'not-ours';
      this.rejectWaiters();
      this.options.onNotOurs?.(row);
      return;
    }
    if (this.stopping) return;
    const session: Session = {
      row,
      tables: tableNamesOf(this.options.projection, row.version),
      checkpoint: row.position,
      buffer: [],
      pending: undefined,
      subscription: undefined,
      timer: undefined,
      verifier: undefined,
      closed: false,
    };
    this.session = session;
    this._state = 'catching-up';
    const from = comparePositions(row.position, START) === 0 ? 'start' : row.position;
    session.subscription = this.options.store.subscribeToAll(
      {
        onEvent: (event) => this.onEvent(session, event),
        onCheckpoint: (position) => this.onCheckpoint(session, position),
        onCaughtUp: () => this.onCaughtUp(session),
        onError: (error) => this.fail(session, error),
      },
      { fromPosition: from, filter: subscriptionFilterOf(this.options.projection), checkpointInterval: this.checkpointInterval },
    );
    session.verifier = setInterval(() => void this.verify(session), this.verifyIntervalMs);
    session.verifier.unref();
    this.log.info({ projection: row.name, version: row.version, status: row.status, from: formatPosition(row.position) }, 'projection subscribed');
  }

  private loadRow(): Promise<CheckpointRow | undefined> {
    const { pool, projection, target } = this.options;
    return target === 'live' ? findVersion(pool, projection.name, 'live') : findVersionNumber(pool, projection.name, target);
  }

  private async onEvent(session: Session, event: RecordedEvent): Promise<void> {
    if (session.closed) return;
    session.buffer.push(event);
    session.pending = event.position;
    if (session.buffer.length >= this.batchSize) await this.flush(session);
    else this.arm(session);
  }

  private onCheckpoint(session: Session, position: Position): void {
    if (session.closed) return;
    if (comparePositions(position, session.pending ?? session.checkpoint) <= 0) return;
    session.pending = position;
    this.arm(session);
  }

  private async onCaughtUp(session: Session): Promise<void> {
    if (session.closed) return;
    await this.flush(session);
    if (session.closed) return;
    this._state = 'live';
    for (const waiter of this.caughtUpWaiters.splice(0)) waiter.resolve();
  }

  private arm(session: Session): void {
    if (session.timer) return;
    session.timer = setTimeout(() => {
      session.timer = undefined;
      void this.flush(session);
    }, this.batchWindowMs);
    session.timer.unref();
  }

  /** Batches commit one after another, never concurrently: each starts from the checkpoint the last one wrote. */
  private flush(session: Session): Promise<void> {
    const next = this.chain.then(() => this.commitBatch(session));
    this.chain = next;
    return next;
  }

  private async commitBatch(session: Session): Promise<void> {
    if (session.closed) return;
    clearTimeout(session.timer);
    session.timer = undefined;
    const events = session.buffer.splice(0);
    const to = session.pending;
    if (to === undefined || comparePositions(to, session.checkpoint) <= 0) return;
    const { pool, projection } = this.options;
    const target = { name: projection.name, version: session.row.version, status: session.row.status as 'live' | 'building' };
    const started = process.hrtime.bigint();
    if (projection.planBatch && !this.options.beforeCheckpoint) {
      await this.commitPlanned(session, events, to, target, started);
      return;
    }
    const lease = await checkout(pool).catch((error: unknown) => {
      this.fail(session, error);
      return undefined;
    });
    if (!lease) return;
    const client = lease.client;
    let broken: Error | undefined;
    try {
      // No lock up front: the checkpoint's compare-and-swap at the end refuses a batch another runner overtook.
      // Until its first write the transaction has no xid, so it holds back no $all subscription's horizon
      // (transaction_id < xmin) while it reads.
      await client.query('BEGIN');
      await applyEvents(client, projection, session.tables, events);
      await this.options.beforeCheckpoint?.(client, { projection: projection.name, version: target.version, events, from: session.checkpoint, to });
      const lastEventAt = events.at(-1)?.created ?? null;
      if (!(await advanceCheckpoint(client, target, session.checkpoint, to, lastEventAt))) {
        throw new CheckpointConflictError(projection.name, target.version);
      }
      const committed = await client.query('COMMIT');
      if ((committed as { command?: string }).command === 'ROLLBACK') throw new Error('the batch transaction was aborted by an earlier error');
      this.committed(session, events.length, to, started);
    } catch (error) {
      broken = await rollback(client);
      this.failed(session, error);
    } finally {
      lease.release(broken);
    }
  }

  /** A projection with `planBatch`: reads through the pool, then its writes and the checkpoint in one statement. */
  private async commitPlanned(session: Session, events: RecordedEvent[], to: Position, target: { name: string; version: number; status: 'live' | 'building' }, started: bigint): Promise<void> {
    const { pool, projection } = this.options;
    try {
      const writes = await plannedWrites(pool, projection, session.tables, handledEvents(projection, events));
      if (!(await applyPlannedBatch(pool, target, session.checkpoint, to, events.at(-1)?.created ?? null, writes))) {
        throw new CheckpointConflictError(projection.name, target.version);
      }
      this.committed(session, events.length, to, started);
    } catch (error) {
      this.failed(session, error);
    }
  }

  private committed(session: Session, count: number, to: Position, started: bigint): void {
    session.checkpoint = to;
    this.failures = 0;
    this._eventsApplied += count;
    this.options.metrics?.batchCommitted(this.options.projection.name, count, Number(process.hrtime.bigint() - started) / 1e9);
  }

  private failed(session: Session, error: unknown): void {
    this.options.metrics?.batchFailed(this.options.projection.name, error instanceof CheckpointConflictError ? 'conflict' : 'error');
    this.fail(session, error);
  }

  /** Between batches: is the stored checkpoint still the one this session wrote last? */
  private verify(session: Session): Promise<void> {
    const next = this.chain.then(async () => {
      if (session.closed) return;
      const target = { name: this.options.projection.name, version: session.row.version, status: session.row.status as 'live' | 'building' };
      const ours = await isCheckpointAt(this.options.pool, target, session.checkpoint).catch(() => true); // the next batch reports outages
      if (!ours) this.fail(session, new CheckpointConflictError(target.name, target.version));
    });
    this.chain = next;
    return next;
  }

  /** Ends the session and starts another from the stored checkpoint, after a delay. Never throws. */
  private fail(session: Session, error: unknown): void {
    if (session.closed) return;
    session.closed = true;
    clearTimeout(session.timer);
    clearInterval(session.verifier);
    this._lastError = error;
    if (this.stopping) return;
    this._state = 'restarting';
    const conflict = error instanceof CheckpointConflictError;
    const log = { projection: this.options.projection.name, version: session.row.version, err: error };
    if (conflict) this.log.info(log, 'projection checkpoint moved elsewhere; restarting from the stored checkpoint');
    else this.log.error(log, 'projection batch failed; rolled back, restarting from the stored checkpoint');
    this.restarting = this.restart(session, conflict);
    if (!conflict) this.options.onFailure?.(error, this.failures + 1);
  }

  private async restart(session: Session, conflict: boolean): Promise<void> {
    await session.subscription?.unsubscribe();
    await session.subscription?.done;
    for (;;) {
      // A lost compare-and-swap means another runner is progressing: come back soon, but not at once.
      const delay = conflict ? this.minDelayMs : Math.min(this.maxDelayMs, this.minDelayMs * 2 ** this.failures);
      this.failures += 1;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay * (0.75 + Math.random() / 2));
        this.wakeRestart = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeRestart = undefined;
      if (this.stopping) return;
      try {
        await this.open();
        return;
      } catch (error) {
        this._lastError = error;
        conflict = false;
        this.log.error({ projection: this.options.projection.name, err: error }, 'projection restart failed; retrying');
      }
    }
  }
}

export function formatPosition(position: Position): string {
  return `${position.commit}/${position.prepare}`;
}
