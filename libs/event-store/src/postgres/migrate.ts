// Applies the event store's migrations in order, once, under an advisory lock, recording each in
// <schema>.schema_migrations. Safe to call from every instance at start-up.
import type { Pool, PoolClient } from 'pg';
import { single } from './queries';
import { MIGRATIONS, quoteIdent, renderSql, type Migration } from './schema';

export interface MigrateOptions {
  /** PostgreSQL schema that holds the store; created if missing. Default `event_store`. */
  schema?: string;
  /** For tests: the migrations to apply instead of the store's own. */
  migrations?: readonly Migration[];
}

export interface MigrateResult {
  applied: number[];
}

export const DEFAULT_SCHEMA = 'event_store';

export async function migrateEventStore(pool: Pool, options: MigrateOptions = {}): Promise<MigrateResult> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const migrations = [...(options.migrations ?? MIGRATIONS)].sort((a, b) => a.version - b.version);
  const client = await pool.connect();
  try {
    // Session-level lock: concurrent starters wait here, then find the work done.
    await client.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [`event_store_migrations:${schema}`]);
    try {
      return { applied: await applyPending(client, schema, migrations) };
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`event_store_migrations:${schema}`]);
    }
  } finally {
    client.release();
  }
}

async function applyPending(client: PoolClient, schema: string, migrations: Migration[]): Promise<number[]> {
  const q = quoteIdent(schema);
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${q}`);
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${q}.schema_migrations (
       version    integer PRIMARY KEY,
       name       text NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
  const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${q}.schema_migrations`);
  const done = new Set(rows.map((r) => r.version));
  const applied: number[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    await client.query('BEGIN');
    try {
      await client.query(renderSql(migration.sql, schema));
      await client.query(`INSERT INTO ${q}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    applied.push(migration.version);
  }
  await assertTransactionIdsAhead(client, schema);
  return applied;
}

/**
 * $all is ordered by transaction id. A logical dump restored into another cluster restarts the id
 * counter below the stored ones, and new events would sort before old ones: refuse to run then.
 */
async function assertTransactionIdsAhead(client: PoolClient, schema: string): Promise<void> {
  const { rows } = await client.query<{ stored: string | null; next: string }>(
    `SELECT (SELECT max(transaction_id) FROM ${quoteIdent(schema)}.events)::text AS stored,
            pg_snapshot_xmax(pg_current_snapshot())::text AS next`,
  );
  const { stored, next } = single(rows);
  if (stored !== null && BigInt(stored) >= BigInt(next)) {
    throw new Error(
      `Event store ${schema}: stored transaction id ${stored} is ahead of the cluster's next id ${next} ` +
        `(restored from a logical dump?). Advance the transaction id counter before appending.`,
    );
  }
}
