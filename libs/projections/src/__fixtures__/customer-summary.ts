// A sample projection for the tests: per customer stream, how many events it has and the latest name.
// `events = events + 1` is deliberately not idempotent, so an event applied twice shows in the rows.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { comparePositions, START, type EventData, type EventStore, type JsonObject, type Position } from '@crm/event-store';
import { defineProjection, type PlannedWrite, type ProjectionDefinition } from '../definition';

export type CustomerEvent =
  | { type: 'CustomerRegistered'; data: { name: string } }
  | { type: 'CustomerRenamed'; data: { name: string } }
  | { type: 'NoteAdded'; data: { text: string } };

export interface SummaryRow {
  stream_id: string;
  name: string | null;
  events: number;
  last_revision: string;
}

export function customerSummary(name: string, overrides: Partial<ProjectionDefinition<'customer_summary', CustomerEvent>> = {}) {
  return defineProjection<'customer_summary', CustomerEvent>({
    name,
    version: 1,
    readSchema: `${name}_read`,
    tables: ['customer_summary'],
    filter: { streamNamePrefixes: ['customer-'] },
    createTables: (t) => [
      `CREATE TABLE ${t.customer_summary} (
         stream_id     text PRIMARY KEY,
         name          text,
         events        integer NOT NULL,
         last_revision bigint  NOT NULL
       )`,
      `CREATE INDEX customer_summary_name ON ${t.customer_summary} (name)`,
    ],
    handlers: {
      CustomerRegistered: (tx, e, t) => bump(tx, t.customer_summary, e.streamId, e.revision, e.data.name),
      CustomerRenamed: (tx, e, t) => bump(tx, t.customer_summary, e.streamId, e.revision, e.data.name),
      NoteAdded: (tx, e, t) => bump(tx, t.customer_summary, e.streamId, e.revision, null),
    },
    ...overrides,
  });
}

/** The same projection with a set-based `applyBatch`: one statement per batch. */
export function customerSummaryBatched(name: string) {
  const base = customerSummary(name);
  return defineProjection<'customer_summary', CustomerEvent>({
    ...base,
    async applyBatch(tx, events, t) {
      const rows = new Map<string, { name: string | null; events: number; revision: string }>();
      for (const e of events) {
        const row = rows.get(e.streamId) ?? { name: null, events: 0, revision: '-1' };
        row.events += 1;
        row.revision = (e.revision ?? -1n).toString();
        if (e.type !== 'NoteAdded') row.name = (e.data as { name: string }).name;
        rows.set(e.streamId, row);
      }
      const values = [...rows.entries()];
      await tx.query(
        `INSERT INTO ${t.customer_summary} AS s (stream_id, name, events, last_revision)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[])
         ON CONFLICT (stream_id) DO UPDATE
           SET events = s.events + excluded.events, name = coalesce(excluded.name, s.name), last_revision = excluded.last_revision`,
        [values.map(([id]) => id), values.map(([, r]) => r.name), values.map(([, r]) => r.events), values.map(([, r]) => r.revision)],
      );
    },
  });
}

/**
 * The same projection as planned writes (`planBatch`): it reads the rows it is about to change (through the
 * pool, outside the batch's transaction) and answers one upsert; `failWhile()` true adds a write after it that
 * fails (division by zero) whenever the batch holds the event with id `poisonId`.
 */
export function customerSummaryPlanned(name: string, options: { poisonId?: () => string | undefined; failWhile?: () => boolean } = {}) {
  const base = customerSummary(name);
  return defineProjection<'customer_summary', CustomerEvent>({
    ...base,
    async planBatch(db, events, t) {
      const ids = [...new Set(events.map((e) => e.streamId))];
      const { rows: current } = await db.query<{ stream_id: string; name: string | null; events: number }>(
        `SELECT stream_id, name, events FROM ${t.customer_summary} WHERE stream_id = ANY($1::text[])`,
        [ids],
      );
      const rows = new Map(current.map((row) => [row.stream_id, { stream_id: row.stream_id, name: row.name, events: row.events, last_revision: '-1' }]));
      for (const e of events) {
        const row = rows.get(e.streamId) ?? { stream_id: e.streamId, name: null, events: 0, last_revision: '-1' };
        row.events += 1;
        row.last_revision = (e.revision ?? -1n).toString();
        if (e.type !== 'NoteAdded') row.name = (e.data as { name: string }).name;
        rows.set(e.streamId, row);
      }
      const writes: PlannedWrite[] = [
        {
          sql: `INSERT INTO ${t.customer_summary} AS s (stream_id, name, events, last_revision)
                SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(stream_id text, name text, events integer, last_revision bigint)
                ON CONFLICT (stream_id) DO UPDATE SET name = excluded.name, events = excluded.events, last_revision = excluded.last_revision`,
          param: [...rows.values()],
        },
      ];
      const poisonId = options.poisonId?.();
      if (poisonId !== undefined && options.failWhile?.() && events.some((e) => e.id === poisonId)) {
        writes.push({ sql: `INSERT INTO ${t.customer_summary} (stream_id, events, last_revision) SELECT 'poison', ($1::jsonb ->> 'n')::int / 0, 0`, param: { n: 1 } });
      }
      return writes;
    },
  });
}

async function bump(tx: Pick<Pool, 'query'>, table: string, streamId: string, revision: bigint | null, name: string | null): Promise<void> {
  await tx.query(
    `INSERT INTO ${table} AS s (stream_id, name, events, last_revision) VALUES ($1, $2, 1, $3)
     ON CONFLICT (stream_id) DO UPDATE SET events = s.events + 1, name = coalesce($2, s.name), last_revision = $3`,
    [streamId, name, (revision ?? -1n).toString()],
  );
}

/**
 * The read model one clean pass over the store gives, computed in memory (independently of the runner).
 * `through`: the last appended position; until a read shows it (an open transaction anywhere in the
 * cluster holds `$all` back), answers undefined — wrap in `waitFor`.
 */
export async function expectedSummary(
  store: EventStore,
  range: { through: Position; after?: Position; upTo?: Position },
): Promise<SummaryRow[] | undefined> {
  const rows = new Map<string, SummaryRow>();
  let seen = false;
  for await (const e of store.readAll()) {
    if (comparePositions(e.position, range.through) >= 0) seen = true;
    if (range.upTo && comparePositions(e.position, range.upTo) > 0) break;
    if (range.after && comparePositions(e.position, range.after) <= 0) continue;
    if (!e.streamId.startsWith('customer-') || !['CustomerRegistered', 'CustomerRenamed', 'NoteAdded'].includes(e.type)) continue;
    const row = rows.get(e.streamId) ?? { stream_id: e.streamId, name: null, events: 0, last_revision: '-1' };
    row.events += 1;
    row.last_revision = e.revision.toString();
    if (e.type !== 'NoteAdded') row.name = (e.data as { name: string }).name;
    rows.set(e.streamId, row);
  }
  if (!seen && !range.upTo) return undefined;
  return [...rows.values()].sort((a, b) => (a.stream_id < b.stream_id ? -1 : a.stream_id > b.stream_id ? 1 : 0));
}

/** The stable view readers query. */
export function viewOf(projection: { name: string }): string {
  return `${projection.name}_read.customer_summary`;
}

export async function summaryRows(pool: Pool, table: string): Promise<SummaryRow[]> {
  const { rows } = await pool.query<SummaryRow>(`SELECT stream_id, name, events, last_revision::text FROM ${table} ORDER BY stream_id COLLATE "C"`);
  return rows;
}

/**
 * Appends `count` events over `customers` customer streams (registered, then renames and notes), one
 * transaction per stream. Answers the last position written.
 */
export async function appendCustomerEvents(store: EventStore, customers: number, count: number, prefix = 'customer-'): Promise<Position> {
  const ids = Array.from({ length: customers }, () => `${prefix}${randomUUID()}`);
  const perStream = new Map<string, EventData[]>();
  for (let i = 0; i < count; i++) {
    const stream = ids[i % customers]!;
    const list = perStream.get(stream) ?? [];
    const type = list.length === 0 ? 'CustomerRegistered' : i % 3 === 0 ? 'NoteAdded' : 'CustomerRenamed';
    const data: JsonObject = type === 'NoteAdded' ? { text: `note ${i}` } : { name: `Customer ${i}` };
    list.push({ id: randomUUID(), type, data });
    perStream.set(stream, list);
  }
  let last = START;
  for (const [stream, events] of perStream) {
    const { position } = await store.appendToStream(stream, events);
    if (comparePositions(position, last) > 0) last = position;
  }
  return last;
}

/** Events the projection must skip: another category and another type. */
export async function appendInvoiceEvents(store: EventStore, count: number): Promise<Position> {
  let last = START;
  for (let i = 0; i < count; i++) {
    last = (await store.appendToStream(`invoice-${randomUUID()}`, { id: randomUUID(), type: 'InvoiceIssued', data: { amount: i } })).position;
  }
  return last;
}
