// The SQL the store runs, rendered once per schema, and the mapping of its rows onto the port's types.
import type { JsonObject, JsonValue, Position, RecordedEvent } from '../types';
import { quoteIdent, TOMBSTONE_REVISION } from './schema';

const COLUMNS = `transaction_id::text AS commit_position, sequence, stream_id, revision, event_id, event_type, data, metadata, created`;
const FILTER = `($5::text[] IS NULL OR stream_id ^@ ANY ($5::text[])) AND ($6::text[] IS NULL OR event_type = ANY ($6::text[]))`;

export interface EventRow {
  commit_position: string;
  sequence: string;
  stream_id: string;
  revision: string;
  event_id: string;
  event_type: string;
  data: JsonValue;
  metadata: JsonObject;
  created: Date;
}

export interface StreamPageRow extends Partial<EventRow> {
  last_revision: string;
  soft_deleted: boolean;
  tombstoned: boolean;
}

export interface PollRow extends EventRow {
  is_tail: boolean;
  scanned: string | null;
  horizon: string | null;
}

export interface StatusRow {
  status: 'ok' | 'wrong_expected_version' | 'deleted';
  revision: string | null;
  commit_position: string | null;
  prepare_position: string | null;
}

export type Queries = ReturnType<typeof queriesFor>;

export function queriesFor(schema: string) {
  const s = quoteIdent(schema);
  // Only transactions older than every running one that may have written here are final: readers of $all never
  // pass this line (`visible_horizon()`, schema.ts). Evaluated once per statement, on its snapshot.
  const horizon = `(SELECT ${s}.visible_horizon())`;
  const VISIBLE = `transaction_id < ${horizon}`;
  // One page of a stream, with the stream's state, honouring $tb, $maxCount and $maxAge.
  const streamPage = (order: 'ASC' | 'DESC') => `
    SELECT st.revision::text AS last_revision, st.soft_deleted, st.tombstoned,
           e.commit_position, e.sequence, e.stream_id, e.revision, e.event_id, e.event_type, e.data, e.metadata, e.created
      FROM ${s}.streams st
      LEFT JOIN LATERAL (
        SELECT ${COLUMNS} FROM ${s}.events ev
         WHERE ev.stream_id = st.stream_id
           AND ev.revision >= greatest($2::bigint, coalesce(st.truncate_before, 0),
                                       CASE WHEN st.max_count IS NULL THEN 0 ELSE st.revision - st.max_count + 1 END)
           AND ev.revision <= least($3::bigint, st.revision)
           AND (st.max_age IS NULL OR ev.created >= now() - make_interval(secs => st.max_age))
         ORDER BY ev.revision ${order}
         LIMIT $4
      ) e ON true
     WHERE st.stream_id = $1`;
  const allPage = (comparison: '>' | '>=' | '<' | null, order: 'ASC' | 'DESC') => `
    SELECT ${COLUMNS} FROM ${s}.events
     WHERE ${VISIBLE}${comparison ? ` AND (transaction_id, sequence) ${comparison} ($1::xid8, $2::bigint)` : ''}
     ORDER BY transaction_id ${order}, sequence ${order}
     LIMIT $3`;
  // A subscription from 'end' skips the transactions that had committed when it started.
  const NOT_BEFORE_START = `($4::pg_snapshot IS NULL OR NOT pg_visible_in_snapshot(transaction_id, $4::pg_snapshot))`;
  return {
    append: `SELECT status, revision::text, commit_position::text, prepare_position::text FROM ${s}.append_to_stream($1, $2, $3)`,
    // Several appends in one statement and transaction, in the order given (the lateral call runs once per row
    // of the ordinal scan, in order).
    appendBatch: `SELECT r.status, r.revision::text, r.commit_position::text, r.prepare_position::text
      FROM unnest($1::text[], $2::bigint[], $3::jsonb[]) WITH ORDINALITY AS b(stream, expected, events, ord)
      CROSS JOIN LATERAL ${s}.append_to_stream(b.stream, b.expected, b.events) AS r
     ORDER BY b.ord`,
    deleteStream: `SELECT status, revision::text, commit_position::text, prepare_position::text FROM ${s}.delete_stream($1, $2, $3)`,
    streamForwards: streamPage('ASC'),
    streamBackwards: streamPage('DESC'),
    allForwardsFrom: allPage('>=', 'ASC'),
    allForwardsAfter: allPage('>', 'ASC'),
    allForwardsFromStart: allPage(null, 'ASC').replace('LIMIT $3', 'LIMIT $1'),
    allBackwardsBefore: allPage('<', 'DESC'),
    allBackwardsFromEnd: allPage(null, 'DESC').replace('LIMIT $3', 'LIMIT $1'),
    /**
     * A subscription's poll: up to $3 visible events after ($1, $2); returns those matching the filter, then
     * one tail row with where the scan ended, how many it scanned (matched or not) and the visibility
     * horizon, so that the caller can move past skipped events and knows when it has caught up.
     */
    subscriptionPoll: `
      WITH w AS MATERIALIZED (
        SELECT transaction_id, sequence, stream_id, revision, event_id, event_type, data, metadata, created
          FROM ${s}.events
         WHERE ${VISIBLE} AND (transaction_id, sequence) > ($1::xid8, $2::bigint) AND ${NOT_BEFORE_START}
         ORDER BY transaction_id, sequence
         LIMIT $3
      )
      SELECT * FROM (
        SELECT false AS is_tail, NULL::bigint AS scanned, NULL::text AS horizon, ${COLUMNS}, transaction_id AS tx
          FROM w WHERE ${FILTER}
        UNION ALL
        SELECT true, (SELECT count(*) FROM w), ${horizon}::text,
               last.transaction_id::text, last.sequence, NULL, NULL, NULL, NULL, NULL, NULL, NULL, last.transaction_id
          FROM (SELECT 1) one
          LEFT JOIN LATERAL (SELECT transaction_id, sequence FROM w ORDER BY transaction_id DESC, sequence DESC LIMIT 1) last ON true
      ) page
      ORDER BY is_tail, tx, sequence`,
    /** The last visible event of $all: what an idle live subscription checks before it polls. */
    visibleHead: `SELECT transaction_id::text AS commit, sequence::text AS prepare FROM ${s}.events
       WHERE ${VISIBLE} ORDER BY transaction_id DESC, sequence DESC LIMIT 1`,
    /** Where a subscription starts: what had committed (and its last event), and the oldest transaction still running. */
    startSnapshot: `
      SELECT pg_current_snapshot()::text AS snapshot, pg_snapshot_xmin(pg_current_snapshot())::text AS xmin,
             pg_snapshot_xmax(pg_current_snapshot())::text AS xmax, h.transaction_id::text AS head_commit, h.sequence::text AS head_prepare
        FROM (SELECT 1) one
        LEFT JOIN LATERAL (SELECT transaction_id, sequence FROM ${s}.events ORDER BY transaction_id DESC, sequence DESC LIMIT 1) h ON true`,
    streamRevision: `SELECT revision::text FROM ${s}.streams WHERE stream_id = $1`,
    streamMetadata: `
      SELECT o.tombstoned, m.revision::text AS metastream_revision, e.data
        FROM (SELECT $1::text AS id) q
        LEFT JOIN ${s}.streams o ON o.stream_id = q.id
        LEFT JOIN ${s}.streams m ON m.stream_id = '$$' || q.id
        LEFT JOIN ${s}.events e ON e.stream_id = m.stream_id AND e.revision = m.revision`,
    /** Removes what reads no longer return, as EventStoreDB's scavenge does; $all loses those events too. */
    scavenge: `
      DELETE FROM ${s}.events e USING ${s}.streams st
       WHERE e.stream_id = st.stream_id
         AND ((st.tombstoned AND e.revision <> ${TOMBSTONE_REVISION})
              OR (left(st.stream_id, 2) = '$$' AND e.revision < st.revision)
              OR e.revision < coalesce(st.truncate_before, 0)
              OR (st.max_count IS NOT NULL AND e.revision <= st.revision - st.max_count)
              OR (st.max_age IS NOT NULL AND e.created < now() - make_interval(secs => st.max_age)))`,
  };
}

/** The one row a statement returns. */
export function single<T>(rows: T[]): T {
  const [row] = rows;
  if (row === undefined) throw new Error('Expected one row, got none');
  return row;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.event_type,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: { commit: BigInt(row.commit_position), prepare: BigInt(row.sequence) },
    created: row.created,
  };
}

export function positionOf(row: { commit_position: string | null; prepare_position: string | null }): Position {
  return { commit: BigInt(row.commit_position ?? 0), prepare: BigInt(row.prepare_position ?? 0) };
}
