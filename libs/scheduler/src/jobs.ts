// The jobs table `<schema>.scheduled_jobs` and the writes a caller makes inside its own transaction: the
// jobs are a read model of the caller's events (a projection schedules and cancels in the transaction that
// moves its checkpoint), so replaying those events must leave the same rows.
import type { ClientBase } from 'pg';

export type JobStatus = 'pending' | 'fired' | 'cancelled' | 'failed';

/** A pool, a client, or a client inside the caller's transaction. */
export type Queryable = Pick<ClientBase, 'query'>;

export interface JobRequest {
  /** Chosen by the caller and stable: a replayed event must name the same job (e.g. the activity id). */
  jobId: string;
  /** What the handler does with it, e.g. `sales.activity.reminder`. */
  kind: string;
  dueAt: Date;
  /** Any JSON value. */
  payload?: unknown;
}

/** A job as stored, and as the handler receives it. */
export interface ScheduledJob<Payload = unknown> {
  jobId: string;
  kind: string;
  dueAt: Date;
  payload: Payload;
  status: JobStatus;
  /** Failed tries so far (before the current one, when handed to a handler). */
  attempts: number;
  lastError: string | null;
  firedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface JobRow {
  job_id: string;
  kind: string;
  due_at: Date;
  payload: unknown;
  status: JobStatus;
  attempts: number;
  last_error: string | null;
  fired_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const JOB_COLUMNS = 'job_id, kind, due_at, payload, status, attempts, last_error, fired_at, created_at, updated_at';

export function toJob(row: JobRow): ScheduledJob {
  return {
    jobId: row.job_id,
    kind: row.kind,
    dueAt: row.due_at,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    firedAt: row.fired_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** The jobs table of one schema. Holds no connection: every method takes the caller's pool or transaction. */
export class ScheduledJobs {
  /** Schema-qualified table name, safe to put in SQL. */
  readonly table: string;

  constructor(readonly schema: string) {
    if (!IDENTIFIER.test(schema)) throw new TypeError(`Scheduler schema ${JSON.stringify(schema)} must be a lower-case SQL identifier`);
    this.table = `"${schema}".scheduled_jobs`;
  }

  /** Creates the schema, table and index if missing. Idempotent, and safe from every replica at once. */
  async migrate(db: Queryable): Promise<void> {
    const ddl = `
      CREATE SCHEMA IF NOT EXISTS "${this.schema}";
      CREATE TABLE IF NOT EXISTS ${this.table} (
        job_id     text        PRIMARY KEY,
        kind       text        NOT NULL,
        due_at     timestamptz NOT NULL,
        payload    jsonb       NOT NULL DEFAULT 'null',
        status     text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fired', 'cancelled', 'failed')),
        attempts   integer     NOT NULL DEFAULT 0,
        last_error text,
        fired_at   timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- The claim and the next-due read touch only pending jobs; fired ones accumulate as history.
      CREATE INDEX IF NOT EXISTS scheduled_jobs_pending_due ON ${this.table} (due_at) WHERE status = 'pending';`;
    // Concurrent CREATE ... IF NOT EXISTS can still collide in the catalog: serialise replicas on a lock.
    // One simple-protocol round trip, so it is one implicit transaction and the xact lock covers the DDL.
    await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('crm_scheduler:${this.schema}', 0)); ${ddl}`);
  }

  /**
   * Schedules a job or reschedules it: a new kind, due time or payload replaces the old and makes the job
   * pending again (with its failures forgotten), even after it fired. Scheduling it again unchanged is a
   * no-op unless it was cancelled, so that replayed events do not fire a job twice.
   */
  async schedule(db: Queryable, job: JobRequest): Promise<void> {
    if (!job.jobId) throw new TypeError('A scheduled job needs a jobId');
    if (!job.kind) throw new TypeError(`Job ${job.jobId}: kind is empty`);
    if (!(job.dueAt instanceof Date) || Number.isNaN(job.dueAt.getTime())) throw new TypeError(`Job ${job.jobId}: dueAt is not a valid Date`);
    // Serialised here: node-postgres would turn a JS array into a PostgreSQL array, not JSON.
    const payload = JSON.stringify(job.payload ?? null);
    await db.query(
      `INSERT INTO ${this.table} AS j (job_id, kind, due_at, payload) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (job_id) DO UPDATE
          SET kind = EXCLUDED.kind, due_at = EXCLUDED.due_at, payload = EXCLUDED.payload,
              status = 'pending', attempts = 0, last_error = NULL, fired_at = NULL, updated_at = now()
        WHERE j.status = 'cancelled' OR (j.kind, j.due_at, j.payload) IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.due_at, EXCLUDED.payload)`,
      [job.jobId, job.kind, job.dueAt, payload],
    );
  }

  /** Cancels a job that has not fired. False when there is no such job or it already fired or was cancelled. */
  async cancel(db: Queryable, jobId: string): Promise<boolean> {
    const result = await db.query(
      `UPDATE ${this.table} SET status = 'cancelled', updated_at = now() WHERE job_id = $1 AND status IN ('pending', 'failed')`,
      [jobId],
    );
    return result.rowCount === 1;
  }

  async find(db: Queryable, jobId: string): Promise<ScheduledJob | undefined> {
    const { rows } = await db.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM ${this.table} WHERE job_id = $1`, [jobId]);
    return rows[0] && toJob(rows[0]);
  }
}
