// What a customer's merge or erasure still asks of the sales aggregates, as durable rows (sales.customer_follow_ups):
// move the merged customer's opportunities to the survivor, erase the contact data of the erased customer's leads.
//
// Why rows and not a direct lookup in the consumer: the opportunities and leads of a customer come from the
// conversion-links projection, which may not have applied the latest link yet when the merge arrives (the saga's
// own LinkCustomer may be a few milliseconds old). So both sides raise the follow-up: the feed when the customer is
// merged or erased, the projection when it links a lead or an opportunity to a customer that has a follow-up. Both
// take the customer's advisory lock (known-customers.ts), so whichever commits second sees the other's rows, and
// the worker never misses one. `generation` tells the worker whether new work arrived while it was running.
import type { ClientBase, Pool } from 'pg';

export type FollowUpKind = 'merge' | 'erase';

export interface CustomerFollowUp {
  customerId: string;
  kind: FollowUpKind;
  /** The crm.customers.v1 event that asked for it: command ids derive from its id. */
  eventId: string;
  correlationId: string;
  /** The event's time: the commands' `at`, the same on every pass. */
  at: string;
  /** The merge's survivor. */
  survivorId: string | null;
  generation: string;
  attempts: number;
}

export const FOLLOW_UPS_TABLE = 'sales.customer_follow_ups';

/** Idempotent; run at start-up after the sales migrations (which create schema `sales`). */
export async function ensureFollowUpsTable(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtextextended('sales_customer_follow_ups_ddl', 0))`);
    try {
      await client.query(`
CREATE SCHEMA IF NOT EXISTS sales;
CREATE TABLE IF NOT EXISTS ${FOLLOW_UPS_TABLE} (
  customer_id    uuid        NOT NULL,
  kind           text        NOT NULL CHECK (kind IN ('merge', 'erase')),
  event_id       text        NOT NULL,
  correlation_id text        NOT NULL,
  at             timestamptz NOT NULL,
  survivor_id    uuid,
  -- Set while there is work to do: when the worker looks next (a claim pushes it out by the lease).
  due_at         timestamptz,
  generation     bigint      NOT NULL DEFAULT 1,
  attempts       integer     NOT NULL DEFAULT 0,
  last_error     text,
  PRIMARY KEY (customer_id, kind)
);
CREATE INDEX IF NOT EXISTS customer_follow_ups_due ON ${FOLLOW_UPS_TABLE} (due_at) WHERE due_at IS NOT NULL;
COMMENT ON TABLE ${FOLLOW_UPS_TABLE} IS 'Merges and erasures of customers (crm.customers.v1) whose opportunities and leads the sales service still has to move or erase; due_at is set while work is pending.';`);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtextextended('sales_customer_follow_ups_ddl', 0))`);
    }
  } finally {
    client.release();
  }
}

/** From the feed: the customer was merged or erased (a later merge replaces an earlier one's survivor and event). */
export async function raiseFollowUp(
  tx: ClientBase,
  followUp: { customerId: string; kind: FollowUpKind; eventId: string; correlationId: string; at: string; survivorId?: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO ${FOLLOW_UPS_TABLE} (customer_id, kind, event_id, correlation_id, at, survivor_id, due_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (customer_id, kind) DO UPDATE SET event_id = excluded.event_id, correlation_id = excluded.correlation_id,
       at = excluded.at, survivor_id = excluded.survivor_id, due_at = now(), generation = ${FOLLOW_UPS_TABLE}.generation + 1,
       attempts = 0, last_error = NULL`,
    [followUp.customerId, followUp.kind, followUp.eventId, followUp.correlationId, followUp.at, followUp.survivorId ?? null],
  );
}

/** From the feed: the merge was undone, nothing more moves to that survivor. */
export async function dropMergeFollowUp(tx: ClientBase, customerId: string): Promise<void> {
  await tx.query(`DELETE FROM ${FOLLOW_UPS_TABLE} WHERE customer_id = $1 AND kind = 'merge'`, [customerId]);
}

/** From the projection: something now belongs to this customer; if it was merged or erased, look again. */
export async function reopenFollowUps(tx: ClientBase, customerId: string): Promise<void> {
  await tx.query(`UPDATE ${FOLLOW_UPS_TABLE} SET due_at = now(), generation = generation + 1 WHERE customer_id = $1`, [customerId]);
}

type Row = {
  customer_id: string;
  kind: FollowUpKind;
  event_id: string;
  correlation_id: string;
  at: Date;
  survivor_id: string | null;
  generation: string;
  attempts: number;
};

/**
 * Takes up to `limit` due follow-ups for `leaseMs`: another replica takes them again only after the lease (the
 * commands are idempotent, so a pass repeated after a crash does no harm).
 */
export async function claimFollowUps(pool: Pool, limit: number, leaseMs: number): Promise<CustomerFollowUp[]> {
  const { rows } = await pool.query<Row>(
    `UPDATE ${FOLLOW_UPS_TABLE} f SET due_at = now() + make_interval(secs => $2::double precision / 1000), attempts = f.attempts + 1
     FROM (SELECT customer_id, kind FROM ${FOLLOW_UPS_TABLE} WHERE due_at <= now() ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
     WHERE f.customer_id = due.customer_id AND f.kind = due.kind
     RETURNING f.customer_id, f.kind, f.event_id, f.correlation_id, f.at, f.survivor_id, f.generation::text AS generation, f.attempts`,
    [limit, leaseMs],
  );
  return rows.map((row) => ({
    customerId: row.customer_id,
    kind: row.kind,
    eventId: row.event_id,
    correlationId: row.correlation_id,
    at: row.at.toISOString(),
    survivorId: row.survivor_id,
    generation: row.generation,
    attempts: row.attempts,
  }));
}

/** Done, unless new work arrived since the claim (then it stays due). */
export async function settleFollowUp(pool: Pool, followUp: CustomerFollowUp): Promise<void> {
  await pool.query(
    `UPDATE ${FOLLOW_UPS_TABLE} SET due_at = NULL, attempts = 0, last_error = NULL
     WHERE customer_id = $1 AND kind = $2 AND generation = $3::bigint`,
    [followUp.customerId, followUp.kind, followUp.generation],
  );
}

/** Failed: try again after `delayMs`, unless new work made it due earlier. */
export async function postponeFollowUp(pool: Pool, followUp: CustomerFollowUp, delayMs: number, error: string): Promise<void> {
  await pool.query(
    `UPDATE ${FOLLOW_UPS_TABLE} SET due_at = now() + make_interval(secs => $4::double precision / 1000), last_error = $5
     WHERE customer_id = $1 AND kind = $2 AND generation = $3::bigint`,
    [followUp.customerId, followUp.kind, followUp.generation, delayMs, error.slice(0, 1000)],
  );
}

/** For metrics: follow-ups waiting, and how long the oldest has been due. */
export async function followUpBacklog(pool: Pool): Promise<{ pending: number; oldestDueSeconds: number }> {
  const { rows } = await pool.query<{ pending: number; oldest: number | null }>(
    `SELECT count(*)::int AS pending, extract(epoch FROM now() - min(due_at))::float8 AS oldest FROM ${FOLLOW_UPS_TABLE} WHERE due_at IS NOT NULL`,
  );
  const row = rows[0];
  return { pending: row?.pending ?? 0, oldestDueSeconds: Math.max(0, row?.oldest ?? 0) };
}
