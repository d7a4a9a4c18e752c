// A service's own tables in its schema, migrated at start-up: numbered migrations applied in order, each in its own
// transaction with its row in `<schema>.schema_migrations`, under a session advisory lock so that replicas starting
// together apply each once. The event store and the projections migrate their own schemas.
import type { Pool, PoolClient } from 'pg';

export interface SchemaMigration {
  /** Applied in ascending order; never reuse or renumber one that has shipped. */
  version: number;
  name: string;
  sql: string;
}

export interface SchemaMigrations {
  /** The schema the migrations write to, created when missing; it also holds the `schema_migrations` table. */
  schema: string;
  migrations: readonly SchemaMigration[];
  /** The advisory lock's name. Default `<schema>_migrations`. */
  lockName?: string;
}

/** Applies the migrations not yet recorded; returns the versions it applied. */
export async function migrateSchema(pool: Pool, { schema, migrations, lockName = `${schema}_migrations` }: SchemaMigrations): Promise<number[]> {
  assertIdentifier(schema);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockName]);
    try {
      return await applyPending(client, schema, [...migrations].sort((a, b) => a.version - b.version));
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockName]);
    }
  } finally {
    client.release();
  }
}

async function applyPending(client: PoolClient, schema: string, migrations: readonly SchemaMigration[]): Promise<number[]> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${schema}.schema_migrations`);
  const done = new Set(rows.map((row) => row.version));
  const applied: number[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    await client.query('BEGIN');
    try {
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${schema}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    applied.push(migration.version);
  }
  return applied;
}

/** The schema is interpolated into DDL: only a plain lower-case identifier is accepted. */
function assertIdentifier(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new TypeError(`schema must be a lower-case SQL identifier, not ${JSON.stringify(schema)}`);
}
