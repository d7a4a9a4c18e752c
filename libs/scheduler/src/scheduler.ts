// The durable scheduler: jobs in PostgreSQL, fired by a runner on every replica. Each pass claims due jobs
// with FOR UPDATE SKIP LOCKED and calls the handler while the row lock is held, so a job is handled by one
// replica at a time; the outcome commits with the claim. Design and guarantees: ../README.md.
import type { Pool, PoolClient } from 'pg';
import type { Registry } from 'prom-client';
import { JOB_COLUMNS, ScheduledJobs, toJob, type JobRequest, type JobRow, type Queryable, type ScheduledJob } from './jobs';
import { noopLogger, type SchedulerLogger } from './logger';
import { SchedulerMetrics } from './metrics';
import { retryDelayMs, wakeDelayMs, type BackoffOptions } from './timing';

/**
 * Called once per due job, inside the claim transaction. Must be idempotent (a crash before the commit
 * fires the job again) and short (the transaction holds row locks and a transaction id meanwhile).
 * Throwing, or exceeding handlerTimeoutMs, schedules a retry with back-off.
 */
export type JobHandler = (job: ScheduledJob) => Promise<void>;

export interface SchedulerOptions {
  pool: Pool;
  /** Schema of the `scheduled_jobs` table (a lower-case identifier); also the `scheduler` metrics label. */
  schema: string;
  /** Longest sleep between passes. Default 1000. */
  pollIntervalMs?: number;
  /** Jobs claimed per transaction. Default 20: bounds how long one claim transaction stays open. */
  batchSize?: number;
  /** Failures after which a job is marked `failed` and left alone. Default 10. */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** A handler still running after this long counts as failed (it may still finish: be idempotent). Default 5000. */
  handlerTimeoutMs?: number;
  /** statement_timeout of the scheduler's own queries. Default 5000. */
  statementTimeoutMs?: number;
  /** lock_timeout of the claim (e.g. behind a migration's table lock); row locks are skipped, not awaited. Default 2000. */
  lockTimeoutMs?: number;
  logger?: SchedulerLogger;
  metricsRegistry?: Registry;
}

export interface SchedulerStatus {
  running: boolean;
  /** Completed passes (each: claim batches until none is full, then read the next due time). */
  passes: number;
  lastError: string | null;
}

interface ClaimedRow extends JobRow {
  overdue_seconds: number;
}

const MAX_ERROR_LENGTH = 2_000;

export class Scheduler {
  readonly jobs: ScheduledJobs;
  private readonly pool: Pool;
  private readonly log: SchedulerLogger;
  private readonly metrics: SchedulerMetrics | undefined;
  private readonly settings: Required<Omit<SchedulerOptions, 'pool' | 'schema' | 'logger' | 'metricsRegistry' | 'backoff'>>;
  private readonly backoff: BackoffOptions;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private passes = 0;
  private lastError: string | null = null;

  constructor(options: SchedulerOptions) {
    this.jobs = new ScheduledJobs(options.schema);
    this.pool = options.pool;
    this.log = options.logger ?? noopLogger;
    this.backoff = options.backoff ?? {};
    this.settings = {
      pollIntervalMs: positive(options.pollIntervalMs ?? 1_000, 'pollIntervalMs'),
      batchSize: positive(options.batchSize ?? 20, 'batchSize'),
      maxAttempts: positive(options.maxAttempts ?? 10, 'maxAttempts'),
      handlerTimeoutMs: positive(options.handlerTimeoutMs ?? 5_000, 'handlerTimeoutMs'),
      statementTimeoutMs: positive(options.statementTimeoutMs ?? 5_000, 'statementTimeoutMs'),
      lockTimeoutMs: positive(options.lockTimeoutMs ?? 2_000, 'lockTimeoutMs'),
    };
    this.metrics = options.metricsRegistry
      ? new SchedulerMetrics(options.metricsRegistry, options.schema, () => this.overdueLagSeconds())
      : undefined;
  }

  /** Creates the jobs table if missing. Idempotent. */
  migrate(): Promise<void> {
    return this.jobs.migrate(this.pool);
  }

  /** See ScheduledJobs.schedule: pass the caller's transaction to schedule atomically with its own writes. */
  schedule(db: Queryable, job: JobRequest): Promise<void> {
    return this.jobs.schedule(db, job);
  }

  cancel(db: Queryable, jobId: string): Promise<boolean> {
    return this.jobs.cancel(db, jobId);
  }

  status(): SchedulerStatus {
    return { running: this.loop !== undefined, passes: this.passes, lastError: this.lastError };
  }

  /** Starts firing due jobs, the overdue ones first. Call migrate() before. */
  start(handler: JobHandler): void {
    if (this.loop) throw new Error(`Scheduler ${this.jobs.schema} is already running`);
    this.stopping = false;
    this.log.info({ scheduler: this.jobs.schema }, 'scheduler started');
    this.loop = this.run(handler);
  }

  /** Lets the in-flight handler finish and commits the batch (the jobs not reached stay pending), then returns. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    if (this.loop) this.log.info({ scheduler: this.jobs.schema }, 'scheduler stopped');
    this.loop = undefined;
  }

  private async run(handler: JobHandler): Promise<void> {
    while (!this.stopping) {
      let delay = this.settings.pollIntervalMs;
      try {
        while ((await this.claimBatch(handler)) === this.settings.batchSize && !this.stopping) {
          // A full batch: more may be overdue (catch-up after downtime), claim again without sleeping.
        }
        delay = wakeDelayMs(await this.msUntilNextDue(), this.settings.pollIntervalMs);
        this.lastError = null;
      } catch (error) {
        this.lastError = messageOf(error);
        this.log.error({ scheduler: this.jobs.schema, err: error }, 'scheduler pass failed; retrying after the poll interval');
      }
      this.passes += 1;
      if (!this.stopping) await this.sleep(delay);
    }
  }

  /** One transaction: claim up to batchSize due jobs, handle them, record outcomes, commit. Returns the number claimed. */
  private async claimBatch(handler: JobHandler): Promise<number> {
    const { statementTimeoutMs, lockTimeoutMs, handlerTimeoutMs, batchSize } = this.settings;
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A checked-out client whose connection dies (the idle timeout below, a failover) emits 'error', which
    // would crash the process without a listener; the pending query rejects and the batch rolls back.
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      // If this process stalls mid-batch, PostgreSQL ends the session and the jobs become claimable again.
      const idleMs = handlerTimeoutMs + statementTimeoutMs;
      await client.query(
        `SET LOCAL statement_timeout = ${statementTimeoutMs}; SET LOCAL lock_timeout = ${lockTimeoutMs}; SET LOCAL idle_in_transaction_session_timeout = ${idleMs}`,
      );
      // now(): the database clock decides what is due, so replicas with skewed clocks agree.
      const { rows } = await client.query<ClaimedRow>(
        `SELECT ${JOB_COLUMNS}, extract(epoch FROM now() - due_at)::float8 AS overdue_seconds
           FROM ${this.jobs.table}
          WHERE status = 'pending' AND due_at <= now()
          ORDER BY due_at, job_id
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      const fired: ClaimedRow[] = [];
      const failed: Array<{ row: ClaimedRow; outcome: 'retry' | 'failed' }> = [];
      for (const row of rows) {
        if (this.stopping) break;
        try {
          await withTimeout(() => handler(toJob(row)), handlerTimeoutMs);
          fired.push(row);
        } catch (error) {
          failed.push({ row, outcome: await this.recordFailure(client, row, error) });
        }
      }
      if (fired.length > 0) {
        await client.query(
          `UPDATE ${this.jobs.table} SET status = 'fired', fired_at = clock_timestamp(), updated_at = clock_timestamp() WHERE job_id = ANY($1::text[])`,
          [fired.map((row) => row.job_id)],
        );
      }
      await client.query('COMMIT');
      for (const row of fired) this.metrics?.jobFired(row.kind, row.overdue_seconds);
      for (const { row, outcome } of failed) this.metrics?.jobFailed(row.kind, outcome);
      return rows.length;
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      // A connection that failed mid-transaction is not reused.
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  /** In the claim transaction: count the failure and push the job back, or give up on it. */
  private async recordFailure(client: PoolClient, row: ClaimedRow, error: unknown): Promise<'retry' | 'failed'> {
    const attempts = row.attempts + 1;
    const outcome = attempts >= this.settings.maxAttempts ? 'failed' : 'retry';
    const delayMs = outcome === 'retry' ? retryDelayMs(attempts, this.backoff) : 0;
    const lastError = messageOf(error).slice(0, MAX_ERROR_LENGTH);
    // clock_timestamp(), not now(): the back-off counts from the failure, not from the start of the batch.
    await client.query(
      `UPDATE ${this.jobs.table}
          SET attempts = $2, last_error = $3, status = $4, updated_at = clock_timestamp(),
              due_at = CASE WHEN $4 = 'pending' THEN clock_timestamp() + $5 * interval '1 millisecond' ELSE due_at END
        WHERE job_id = $1`,
      [row.job_id, attempts, lastError, outcome === 'retry' ? 'pending' : 'failed', delayMs],
    );
    const fields = { scheduler: this.jobs.schema, jobId: row.job_id, kind: row.kind, attempts, err: error };
    if (outcome === 'failed') this.log.error(fields, 'job failed for the last time; marked failed');
    else this.log.warn({ ...fields, retryInMs: delayMs }, 'job failed; retrying with back-off');
    return outcome;
  }

  /** Milliseconds until the earliest pending job is due (negative when overdue), or null when none is pending. */
  private async msUntilNextDue(): Promise<number | null> {
    const { rows } = await this.pool.query<{ ms: number | null }>(
      `SELECT (extract(epoch FROM min(due_at) - clock_timestamp()) * 1000)::float8 AS ms FROM ${this.jobs.table} WHERE status = 'pending'`,
    );
    return rows[0]?.ms ?? null;
  }

  private async overdueLagSeconds(): Promise<number> {
    const { rows } = await this.pool.query<{ lag: number }>(
      `SELECT coalesce(extract(epoch FROM now() - min(due_at)), 0)::float8 AS lag FROM ${this.jobs.table} WHERE status = 'pending' AND due_at <= now()`,
    );
    return rows[0]?.lag ?? 0;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      // Cleared on wake, so a stopped scheduler leaves no timer behind.
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

async function withTimeout(work: () => Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`handler did not finish within ${ms} ms`)), ms);
  });
  try {
    // Promise.resolve().then: a handler that throws synchronously is a failure like any other.
    await Promise.race([Promise.resolve().then(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`Scheduler option ${name} must be a positive integer, got ${value}`);
  return value;
}
