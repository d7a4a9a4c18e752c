// Applying events: the deduplication row and the handler's writes commit in one transaction, so an
// event is applied once however often Kafka redelivers it.
import type { Pool, PoolClient } from 'pg';
import type { ConsumedEvent } from './consumed-event';

export type EventHandler = (event: ConsumedEvent, tx: PoolClient) => Promise<void>;

export interface AppliedCounts {
  applied: number;
  duplicates: number;
}

/** Applies the events in order in one transaction; all or nothing. */
export async function applyInTransaction(
  pool: Pool,
  groupId: string,
  events: ConsumedEvent[],
  handle: EventHandler,
): Promise<AppliedCounts> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const counts: AppliedCounts = { applied: 0, duplicates: 0 };
    // One round trip for the whole chunk: the ids that were not there yet come back.
    const { rows } = await client.query<{ event_id: string }>(
      `INSERT INTO messaging.processed_events (consumer_group, event_id)
       SELECT $1, id FROM unnest($2::text[]) AS id ON CONFLICT DO NOTHING RETURNING event_id`,
      [groupId, [...new Set(events.map((e) => e.id))]],
    );
    const fresh = new Set(rows.map((r) => r.event_id));
    for (const event of events) {
      if (!fresh.delete(event.id)) {
        counts.duplicates += 1; // applied before, or earlier in this chunk
        continue;
      }
      await handle(event, client);
      counts.applied += 1;
    }
    // A handler that swallowed an SQL error leaves the transaction aborted: COMMIT then rolls back quietly.
    const committed = await client.query('COMMIT');
    if (committed.command === 'ROLLBACK') throw new Error('transaction was aborted by an earlier error; rolled back');
    return counts;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true; // the connection is unusable: do not return it to the pool
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
