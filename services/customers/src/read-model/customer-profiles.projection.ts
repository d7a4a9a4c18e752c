// Projection `customer_profiles` (@crm/projections): one row per customer in customers.customer_profiles, and the
// contact index (customers.contact_index) behind the duplicate check on registration, both in the transaction
// that moves the checkpoint. Set-based and planned: a batch loads the states of its customers once (outside the
// transaction), folds every event with the domain's `evolve`, and answers two writes (all rows, the contact index)
// that the runner commits with the checkpoint in one statement; a single event is a batch of one.
import type { ClientBase } from 'pg';
import { defineProjection, runPlannedWrites, type PlannedWrite, type ProjectionDefinition, type ProjectionEvent, type Queryable, type TableNames } from '@crm/projections';
import { evolve, initialState, PERSONAL_FIELDS, type CustomerEvent, type CustomerEventType, type CustomerState } from '../domain';
import { contactIndexChanges, CUSTOMER_STREAM_PREFIX, customerIdOf, type ContactHasher } from '../infrastructure';
import { ContactIndexBatch } from './contact-index.batch';
import { profileRowOf, type ProfileRow } from './customer-profile.row';
import { CUSTOMER_PROFILES, customerProfilesDdl, PROFILE_COLUMNS, READ_SCHEMA } from './customer-profiles.schema';

/** Bump when the handlers or the table change: the next start rebuilds into new tables, readers keep the old. */
export const CUSTOMER_PROFILES_VERSION = 1;

/** Every customer event type: PERSONAL_FIELDS has an entry per type, so a new type is projected at once. */
export const CUSTOMER_EVENT_TYPES = Object.keys(PERSONAL_FIELDS) as CustomerEventType[];

export interface CustomerProfilesDeps {
  hasher: ContactHasher;
  /** Told about erasures, so that a cached key of an erased customer is dropped (another replica erased it). */
  onErased?: (customerId: string) => void;
}

type Tables = TableNames<typeof CUSTOMER_PROFILES>;

interface Folded {
  state: CustomerState;
  revision: bigint;
  updatedAt: Date;
  changed: boolean;
}

const COLUMN_LIST = PROFILE_COLUMNS.map((c) => c.name);
const RECORD_TYPES = PROFILE_COLUMNS.map((c) => `${c.name} ${c.type.replace(/ (PRIMARY KEY|NOT NULL|DEFAULT|CHECK).*$/, '')}`).join(', ');

export function customerProfilesProjection(deps: CustomerProfilesDeps): ProjectionDefinition<typeof CUSTOMER_PROFILES, CustomerEvent> {
  const liveVersions = new Set<number>();

  async function planBatch(db: Queryable, events: readonly ProjectionEvent[], tables: Tables): Promise<readonly PlannedWrite[]> {
    const folded = await loadStates(db, tables.customer_profiles, events);
    const index = new ContactIndexBatch();
    const erased: string[] = [];
    for (const recorded of events) {
      const customerId = customerIdOf(recorded.streamId);
      const current = folded.get(customerId) ?? { state: initialState(), revision: -1n, updatedAt: recorded.created, changed: false };
      folded.set(customerId, current);
      const revision = recorded.revision ?? current.revision + 1n;
      if (revision <= current.revision) continue; // applied before: rows and index already have it
      const event = { type: recorded.type, data: recorded.data } as CustomerEvent;
      Object.assign(current, { state: evolve(current.state, event), revision, updatedAt: recorded.created, changed: true });
      index.add(contactIndexChanges(event));
      if (event.type === 'CustomerErased') erased.push(customerId);
    }
    const rows: ProfileRow[] = [];
    for (const [customerId, { state, revision, updatedAt, changed }] of folded) {
      const row = changed ? profileRowOf(customerId, state, { revision, updatedAt }) : null;
      if (row) rows.push(row);
    }
    const writes: PlannedWrite[] = [];
    if (rows.length > 0) writes.push(upsert(tables.customer_profiles, rows));
    // A rebuild replays old events into its own tables only: the one contact index follows the live version.
    const indexWrite = index.size > 0 && (await isLive(db, tables)) ? index.plannedWrite(deps.hasher) : null;
    if (indexWrite) writes.push(indexWrite);
    for (const customerId of erased) deps.onErased?.(customerId);
    return writes;
  }

  async function isLive(db: Queryable, tables: Tables): Promise<boolean> {
    const match = /_v(\d+)"\./.exec(tables.customer_profiles);
    if (match === null) return false; // tables of no catalogued version (tests): leave the index alone
    const version = Number(match[1]);
    if (liveVersions.has(version)) return true;
    const { rows } = await db.query<{ status: string }>('SELECT status FROM projections.checkpoints WHERE name = $1 AND version = $2', [
      CUSTOMER_PROFILES,
      version,
    ]);
    if (rows[0]?.status !== 'live') return false;
    liveVersions.add(version); // a live version only ever retires, and then its batches roll back
    return true;
  }

  const handle = async (tx: ClientBase, event: ProjectionEvent, tables: Tables) => runPlannedWrites(tx, await planBatch(tx, [event], tables));
  const handlers = Object.fromEntries(CUSTOMER_EVENT_TYPES.map((type) => [type, handle]));

  return defineProjection<typeof CUSTOMER_PROFILES, CustomerEvent>({
    name: CUSTOMER_PROFILES,
    version: CUSTOMER_PROFILES_VERSION,
    readSchema: READ_SCHEMA,
    tables: [CUSTOMER_PROFILES],
    createTables: (tables) => customerProfilesDdl(tables.customer_profiles),
    handlers,
    planBatch,
    filter: { streamNamePrefixes: [CUSTOMER_STREAM_PREFIX], eventTypes: CUSTOMER_EVENT_TYPES },
  });
}

async function loadStates(db: Queryable, table: string, events: readonly ProjectionEvent[]): Promise<Map<string, Folded>> {
  const ids = [...new Set(events.map((event) => customerIdOf(event.streamId)))];
  const { rows } = await db.query<{ customer_id: string; revision: string; state: CustomerState; updated_at: Date }>(
    `SELECT customer_id, revision::text, state, updated_at FROM ${table} WHERE customer_id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.customer_id, { state: row.state, revision: BigInt(row.revision), updatedAt: row.updated_at, changed: false }]));
}

function upsert(table: string, rows: readonly ProfileRow[]): PlannedWrite {
  const updates = COLUMN_LIST.filter((name) => name !== 'customer_id').map((name) => `${name} = EXCLUDED.${name}`);
  return {
    sql: `INSERT INTO ${table} (${COLUMN_LIST.join(', ')})
          SELECT ${COLUMN_LIST.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${RECORD_TYPES})
          ON CONFLICT (customer_id) DO UPDATE SET ${updates.join(', ')}`,
    param: rows,
  };
}
