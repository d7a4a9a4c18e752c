// How far behind the store a projection is: its checkpoint, the store's head, and the events in between
// that it handles — counted, and aged by the oldest of them. For health details and metrics.
import type { Pool } from 'pg';
import { comparePositions, START, type EventStore, type Position } from '@crm/event-store';
import { CATALOG_SCHEMA, listVersions, readSchemaOf, type CheckpointRow } from './catalog';
import { matchesFilter, subscriptionFilterOf, type ProjectionDefinition } from './definition';

export interface VersionLag {
  version: number;
  definitionVersion: number;
  status: 'live' | 'building';
  position: Position;
  updatedAt: Date;
  /** `created` of the last event applied. */
  lastEventAt: Date | null;
  /** Events after the checkpoint that the projection handles (scanning at most `lagScanLimit` events). */
  lagEvents: number;
  /** The scan stopped at its limit: the lag is at least `lagEvents`. */
  lagEventsCapped: boolean;
  /** Age of the oldest handled event not yet applied; 0 when none waits. */
  lagSeconds: number;
}

export interface ProjectionStatus {
  name: string;
  readSchema: string;
  /** The store's last position, if it holds any event. */
  head: Position | null;
  live: VersionLag | null;
  /** A rebuild in progress. */
  building: VersionLag | null;
}

export interface StatusOptions {
  pool: Pool;
  store: EventStore;
  projection: ProjectionDefinition;
  /** At most this many events after a checkpoint are read to count the lag. Default 10,000. */
  lagScanLimit?: number;
  now?: () => Date;
}

export async function projectionStatus(options: StatusOptions): Promise<ProjectionStatus> {
  const { pool, store, projection } = options;
  const [rows, head] = await Promise.all([versionsIfInstalled(pool, projection.name), headOf(store)]);
  const lagOf = async (status: 'live' | 'building') => {
    const row = rows.find((r) => r.status === status);
    return row ? measure(row, head, options) : null;
  };
  const [live, building] = await Promise.all([lagOf('live'), lagOf('building')]);
  return { name: projection.name, readSchema: readSchemaOf(projection), head, live, building };
}

async function versionsIfInstalled(pool: Pool, name: string): Promise<CheckpointRow[]> {
  const { rows } = await pool.query<{ installed: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS installed`, [`${CATALOG_SCHEMA}.checkpoints`]);
  return rows[0]?.installed ? listVersions(pool, name) : [];
}

async function headOf(store: EventStore): Promise<Position | null> {
  for await (const event of store.readAll({ fromPosition: 'end', direction: 'backwards', maxCount: 1 })) return event.position;
  return null;
}

async function measure(row: CheckpointRow, head: Position | null, options: StatusOptions): Promise<VersionLag> {
  const limit = options.lagScanLimit ?? 10_000;
  const filter = subscriptionFilterOf(options.projection);
  let lagEvents = 0;
  let scanned = 0;
  let oldest: Date | undefined;
  if (head && comparePositions(head, row.position) > 0) {
    const from = comparePositions(row.position, START) === 0 ? 'start' : row.position;
    // Forwards from a position includes it: one more than the limit, and the checkpoint's own event skipped.
    for await (const event of options.store.readAll({ fromPosition: from, maxCount: limit + 1 })) {
      if (comparePositions(event.position, row.position) <= 0) continue;
      if (++scanned > limit) break;
      if (!matchesFilter(event, filter)) continue;
      lagEvents += 1;
      oldest ??= event.created;
    }
  }
  const now = (options.now ?? (() => new Date()))();
  return {
    version: row.version,
    definitionVersion: row.definitionVersion,
    status: row.status as 'live' | 'building',
    position: row.position,
    updatedAt: row.updatedAt,
    lastEventAt: row.lastEventAt,
    lagEvents,
    lagEventsCapped: scanned > limit,
    lagSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0,
  };
}
