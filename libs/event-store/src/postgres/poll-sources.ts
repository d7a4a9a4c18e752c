// What a polling subscription reads: $all in (transaction id, sequence) order, or one stream by revision.
import type { Pool } from 'pg';
import { StreamDeletedError } from '../errors';
import { comparePositions, START, type Position, type SubscriptionFilter } from '../types';
import { single, toRecordedEvent, type EventRow, type PollRow, type Queries, type StreamPageRow } from './queries';
import { TOMBSTONE_REVISION } from './schema';
import type { PollSource } from './subscriptions';
import type { VisibleHead } from './visible-head';

const MAX_BIGINT = 9223372036854775807n;

export function allSource(
  pool: Pool,
  sql: Queries,
  from: 'start' | 'end' | Position,
  filter: SubscriptionFilter | undefined,
  visibleHead?: VisibleHead,
): PollSource {
  const prefixes = filter?.streamNamePrefixes?.length ? filter.streamNamePrefixes : null;
  const types = filter?.eventTypes?.length ? filter.eventTypes : null;
  let cursor: Position = from === 'start' || from === 'end' ? START : from;
  // Caught up once past the last event committed when we started (not counting what 'end' skips).
  let head: Position | undefined;
  // From 'end': skip the transactions that had committed when we started, until past them.
  let skipCommitted: { snapshot: string; xmax: bigint } | undefined;
  return {
    async start() {
      const { rows } = await pool.query<{ snapshot: string; xmin: string; xmax: string; head_commit: string | null; head_prepare: string | null }>(
        sql.startSnapshot,
      );
      const started = single(rows);
      if (from === 'end') {
        // Not max(sequence): a transaction running now may still commit rows below it.
        cursor = { commit: BigInt(started.xmin) - 1n, prepare: MAX_BIGINT };
        skipCommitted = { snapshot: started.snapshot, xmax: BigInt(started.xmax) };
      } else if (started.head_commit !== null && started.head_prepare !== null) {
        const last = { commit: BigInt(started.head_commit), prepare: BigInt(started.head_prepare) };
        if (comparePositions(last, cursor) > 0) head = last;
      }
    },
    mayHaveNews: visibleHead && (() => visibleHead.hasEventsAfter(cursor)),
    async poll(limit) {
      if (skipCommitted && cursor.commit >= skipCommitted.xmax) skipCommitted = undefined;
      const { rows } = await pool.query<PollRow>(sql.subscriptionPoll, [
        cursor.commit.toString(),
        cursor.prepare.toString(),
        limit,
        skipCommitted?.snapshot ?? null,
        prefixes,
        types,
      ]);
      const tail = rows.find((row) => row.is_tail);
      const scanned = Number(tail?.scanned ?? 0);
      if (tail && scanned > 0) cursor = { commit: BigInt(tail.commit_position), prepare: BigInt(tail.sequence) };
      const events = rows.filter((row) => !row.is_tail).map(toRecordedEvent);
      // Everything visible is read; the start's last event too once we passed it or its transaction is final.
      if (head && (comparePositions(cursor, head) >= 0 || BigInt(tail?.horizon ?? 0) > head.commit)) head = undefined;
      return { events, scanned, tail: scanned > 0 ? cursor : undefined, atHead: scanned < limit && head === undefined };
    },
  };
}

export function streamSource(pool: Pool, sql: Queries, stream: string, from: 'start' | 'end' | bigint): PollSource {
  let cursor = -1n;
  return {
    async start() {
      if (from === 'start') return;
      if (from !== 'end') {
        cursor = from;
        return;
      }
      const { rows } = await pool.query<{ revision: string }>(sql.streamRevision, [stream]);
      cursor = rows[0] ? BigInt(rows[0].revision) : -1n;
    },
    async poll(limit) {
      const { rows } = await pool.query<StreamPageRow>(sql.streamForwards, [stream, cursor + 1n, TOMBSTONE_REVISION - 1n, limit]);
      const state = rows[0];
      if (!state) return { events: [], scanned: 0, atHead: true };
      if (state.tombstoned) throw new StreamDeletedError(stream);
      const events = rows.filter((row): row is StreamPageRow & EventRow => row.event_id != null).map(toRecordedEvent);
      const last = events[events.length - 1];
      if (last) cursor = last.revision;
      return { events, scanned: events.length, atHead: events.length < limit };
    },
  };
}
