// What every sales projection does first with an event: find the aggregate's row, skip the event if the row already
// has it (a redelivery, a replayed batch), else fold it with the domain's own `evolve` — so the read model never
// disagrees with the deciders about what an event means — and take the event's business time.
import type { Decider, Event } from '@crm/event-store';
import type { ProjectionEvent } from '@crm/projections';
import type { ClientBase } from 'pg';

export interface Folded<S> {
  before: S;
  after: S;
  revision: bigint;
  /** No row existed for the aggregate. */
  isNew: boolean;
}

export interface FoldTarget<S, E extends Event> {
  table: string;
  /** The key column, e.g. `opportunity_id`. */
  key: string;
  id: string;
  decider: Pick<Decider<never, E, S>, 'evolve' | 'initialState'>;
}

/** The row's state and the event folded into it, or undefined when the row is already at or past the event. */
export async function foldEvent<S, E extends Event>(tx: ClientBase, target: FoldTarget<S, E>, recorded: ProjectionEvent): Promise<Folded<S> | undefined> {
  const { rows } = await tx.query<{ revision: string; state: S }>(`SELECT revision::text AS revision, state FROM ${target.table} WHERE ${target.key} = $1`, [target.id]);
  const row = rows[0];
  const stored = row === undefined ? -1n : BigInt(row.revision);
  const revision = recorded.revision ?? stored + 1n;
  if (revision <= stored) return undefined;
  const before = row?.state ?? target.decider.initialState();
  const after = target.decider.evolve(before, { type: recorded.type, data: recorded.data } as E);
  return { before, after, revision, isNew: row === undefined };
}

/** Per event type, the data field holding the business time of the event (`at`, `openedAt`, …). */
export type TimeFields<E extends Event> = { readonly [T in E['type']]: keyof Extract<E, { type: T }>['data'] & string };

/**
 * When it happened, as the command said (ISO-8601), rather than when it was stored: "as of" queries and the stale
 * cut-off follow the business time. Falls back to the store's time for an event without a usable one.
 */
export function eventTime<E extends Event>(fields: TimeFields<E>, recorded: ProjectionEvent): string {
  const field = (fields as Record<string, string | undefined>)[recorded.type];
  const value = field === undefined ? undefined : (recorded.data as Record<string, unknown>)[field];
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : recorded.created.toISOString();
}

/** Ids of sales aggregates are lower-case uuids in stream names; references in event data are compared the same way. */
export const sameCase = (id: string | undefined): string | null => (id === undefined ? null : id.toLowerCase());

/**
 * INSERT … ON CONFLICT (key) DO UPDATE of every column of `row`; the `greatest` columns keep the later of the
 * stored and the new value (times that several streams move).
 */
export async function upsertRow(tx: ClientBase, table: string, key: string, row: Readonly<Record<string, unknown>>, greatest: readonly string[] = []): Promise<void> {
  const columns = Object.keys(row);
  const updates = columns
    .filter((c) => c !== key)
    .map((c) => (greatest.includes(c) ? `${c} = GREATEST(t.${c}, EXCLUDED.${c})` : `${c} = EXCLUDED.${c}`));
  await tx.query(
    `INSERT INTO ${table} AS t (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
     ON CONFLICT (${key}) DO UPDATE SET ${updates.join(', ')}`,
    columns.map((c) => row[c]),
  );
}
