// The runner a service starts for each of its projections: installs the tables the first time, follows
// the live version from the service's own event-store subscription, and — when this process carries a
// newer definition version than the live tables — rebuilds into new tables first, then goes live on them.
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import type { EventStore, Position } from '@crm/event-store';
import { findVersion, installProjection, type CheckpointRow } from './catalog';
import type { ProjectionDefinition } from './definition';
import { ProjectionSupersededError, RebuildInProgressError } from './errors';
import { noopLogger, type ProjectionLogger } from './logger';
import { ProjectionMetrics } from './metrics';
import { rebuildProjection, type RebuildOptions, type RebuildResult } from './rebuild';
import { projectionStatus, type ProjectionStatus, type StatusOptions } from './status';
import { VersionRunner, type BatchingOptions, type VersionRunnerState } from './version-runner';

export interface ProjectionRunnerOptions extends BatchingOptions {
  /** The service's PostgreSQL: the read model's tables, views and checkpoints. */
  pool: Pool;
  /** The service's own event store, whose `$all` subscription feeds the projection. */
  store: EventStore;
  projection: ProjectionDefinition;
  logger?: ProjectionLogger;
  /** Batch counters and durations go here. */
  metricsRegistry?: Registry;
  /** Options for rebuilds this runner starts (on a new definition version, or `rebuild()`). */
  rebuild?: Pick<RebuildOptions, 'keepReplacedVersion' | 'switchLockTimeoutMs' | 'switchAttempts' | 'maxBuildFailures'>;
}

export type ProjectionRunnerState =
  | 'idle'
  | 'rebuilding' // building tables for this definition version before going live
  | 'waiting' // another process is rebuilding for this version
  | VersionRunnerState
  | 'superseded'; // a newer definition version is live: this process leaves the tables alone

export interface ProjectionRunnerStatus {
  projection: string;
  state: ProjectionRunnerState;
  /** The live version this runner feeds and its committed checkpoint. */
  version: number | null;
  position: Position | null;
  eventsApplied: number;
  lastError: string | null;
}

export class ProjectionRunner {
  private readonly log: ProjectionLogger;
  private readonly metrics: ProjectionMetrics | undefined;
  private live: VersionRunner | undefined;
  private background: Promise<void> | undefined;
  private abort = new AbortController();
  private stopping = false;
  private state: ProjectionRunnerState = 'idle';
  private lastError: unknown;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.log = options.logger ?? noopLogger;
    this.metrics = options.metricsRegistry ? new ProjectionMetrics(options.metricsRegistry) : undefined;
  }

  get name(): string {
    return this.options.projection.name;
  }

  /** Installs the projection if needed and starts following the store. Throws if PostgreSQL is unreachable. */
  async start(): Promise<void> {
    this.stopping = false;
    this.abort = new AbortController();
    const row = await installProjection(this.options.pool, this.options.projection);
    await this.follow(row);
  }

  /** Stops the subscription, commits what was received, and interrupts a rebuild (resumed at the next start). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort(new Error('projection runner stopped'));
    await this.background?.catch(() => undefined);
    await this.live?.stop();
    this.state = 'stopped';
  }

  /** Resolves when the live version has caught up with the store once (after any rebuild). */
  async caughtUp(): Promise<void> {
    for (;;) {
      if (this.live) return this.live.caughtUp();
      const pending = this.background;
      if (pending) await pending;
      if (!this.live && this.background === pending) throw new Error(`Projection ${this.name} is ${this.state}`);
    }
  }

  /**
   * Rebuilds into new tables while this runner keeps the live version current; after the switch it
   * follows the new version by itself.
   */
  rebuild(overrides: Partial<RebuildOptions> = {}): Promise<RebuildResult> {
    return rebuildProjection(this.rebuildOptions(overrides));
  }

  status(): ProjectionRunnerStatus {
    const position = this.live?.position;
    const error = this.live?.lastError ?? this.lastError;
    return {
      projection: this.name,
      state: this.live && this.state !== 'stopped' ? this.live.state : this.state,
      version: position?.version ?? null,
      position: position?.position ?? null,
      eventsApplied: this.live?.eventsApplied ?? 0,
      lastError: error === undefined ? null : error instanceof Error ? error.message : String(error),
    };
  }

  /** Position and lag against the store's head, from the database (see `projectionStatus`). */
  lag(options: Pick<StatusOptions, 'lagScanLimit'> = {}): Promise<ProjectionStatus> {
    return projectionStatus({ pool: this.options.pool, store: this.options.store, projection: this.options.projection, ...options });
  }

  private async follow(row: CheckpointRow | undefined): Promise<void> {
    if (this.stopping) return;
    const ours = this.options.projection.version;
    if (!row) {
      await this.follow(await installProjection(this.options.pool, this.options.projection));
      return;
    }
    if (row.definitionVersion > ours) {
      this.state = 'superseded';
      this.lastError = new ProjectionSupersededError(this.name, ours, row.definitionVersion);
      this.log.warn({ projection: this.name, ours, live: row.definitionVersion }, 'a newer projection version is live; this process leaves it alone');
      return;
    }
    if (row.definitionVersion < ours) {
      this.state = 'rebuilding';
      this.background = this.rebuildThenFollow();
      return;
    }
    const runner = new VersionRunner({
      ...this.options,
      target: 'live',
      logger: this.log,
      metrics: this.metrics,
      onNotOurs: (found) => {
        // A rebuild by another definition version switched the live tables: decide again.
        this.live = undefined;
        this.background = this.follow(found).catch((error: unknown) => this.onBackgroundError(error));
      },
    });
    this.live = runner;
    this.state = 'catching-up';
    await runner.start();
  }

  private async rebuildThenFollow(): Promise<void> {
    const ours = this.options.projection.version;
    let delay = 250;
    while (!this.stopping) {
      // Replicas started together race for the rebuild: the others wait for its result instead of repeating it.
      const live = await findVersion(this.options.pool, this.name, 'live').catch(() => undefined);
      if (live && live.definitionVersion >= ours) {
        this.background = undefined;
        await this.follow(live);
        return;
      }
      try {
        this.state = 'rebuilding';
        await rebuildProjection(this.rebuildOptions({ signal: this.abort.signal, skipIfCurrent: true }));
        continue;
      } catch (error) {
        if (this.stopping) return;
        if (error instanceof RebuildInProgressError) {
          this.state = 'waiting';
        } else if (!(error instanceof ProjectionSupersededError)) {
          this.lastError = error;
          this.log.error({ projection: this.name, err: error }, 'projection rebuild failed; retrying');
        }
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(10_000, delay * 2);
    }
  }

  private onBackgroundError(error: unknown): void {
    this.lastError = error;
    this.log.error({ projection: this.name, err: error }, 'projection runner could not resume');
  }

  private rebuildOptions(overrides: Partial<RebuildOptions>): RebuildOptions {
    const { pool, store, projection, batchSize, batchWindowMs, checkpointInterval, retry } = this.options;
    return {
      pool,
      store,
      projection,
      batchSize,
      batchWindowMs,
      checkpointInterval,
      retry,
      logger: this.log,
      metrics: this.metrics,
      ...this.options.rebuild,
      ...overrides,
    };
  }
}
