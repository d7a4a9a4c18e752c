// The projections' own bookkeeping in PostgreSQL: one checkpoint row per physical version of a projection's
// tables (`projections.checkpoints`), the versioned schemas those tables live in, and the stable views
// readers query. Design: docs/decisions/0009-projections.md.
import type { ClientBase, Pool, PoolClient } from 'pg';
import { START, type Position } from '@crm/event-store';
import type { PlannedWrite, ProjectionDefinition, TableNames } from './definition';

export const CATALOG_SCHEMA = 'projections';

/** `live` serves readers; `building` is a rebuild catching up; `retired` awaits its drop after a switch. */
export type VersionStatus = 'live' | 'building' | 'retired';

export interface CheckpointRow {
  name: string;
  /** The physical version: its tables live in schema `<name>_v<version>`. */
  version: number;
  /** The definition's version whose handlers built these tables. */
  definitionVersion: number;
  status: VersionStatus;
  position: Position;
  /** `created` of the last event applied. */
  lastEventAt: Date | null;
  updatedAt: Date;
}

type Db = Pick<ClientBase, 'query'>;

const CATALOG_DDL = `
CREATE SCHEMA IF NOT EXISTS ${CATALOG_SCHEMA};
CREATE TABLE IF NOT EXISTS ${CATALOG_SCHEMA}.checkpoints (
  name               text        NOT NULL,
  version            integer     NOT NULL,
  definition_version integer     NOT NULL,
  status             text        NOT NULL CHECK (status IN ('live', 'building', 'retired')),
  -- Position in $all up to which every event has been applied (EventStoreDB's { commit, prepare }).
  commit             bigint      NOT NULL DEFAULT 0,
  prepare            bigint      NOT NULL DEFAULT 0,
  last_event_at      timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name, version)
);
CREATE UNIQUE INDEX IF NOT EXISTS checkpoints_one_live ON ${CATALOG_SCHEMA}.checkpoints (name) WHERE status = 'live';
CREATE UNIQUE INDEX IF NOT EXISTS checkpoints_one_building ON ${CATALOG_SCHEMA}.checkpoints (name) WHERE status = 'building';
-- A planned batch in one statement (one round trip, one implicit transaction): the checkpoint's compare-and-swap,
-- then the batch's writes, each a statement taking the matching element of p_params as its jsonb $1. False and
-- nothing written when the checkpoint is no longer at p_from; an error in any write undoes all of it.
CREATE OR REPLACE FUNCTION ${CATALOG_SCHEMA}.apply_batch(
  p_name text, p_version integer, p_status text, p_from_commit bigint, p_from_prepare bigint,
  p_to_commit bigint, p_to_prepare bigint, p_last_event_at timestamptz, p_statements text[], p_params jsonb
) RETURNS boolean LANGUAGE plpgsql AS $fn$
BEGIN
  UPDATE ${CATALOG_SCHEMA}.checkpoints
     SET commit = p_to_commit, prepare = p_to_prepare, last_event_at = coalesce(p_last_event_at, last_event_at), updated_at = now()
   WHERE name = p_name AND version = p_version AND status = p_status AND (commit, prepare) = (p_from_commit, p_from_prepare);
  IF NOT FOUND THEN RETURN false; END IF;
  FOR i IN 1 .. coalesce(array_length(p_statements, 1), 0) LOOP
    EXECUTE p_statements[i] USING p_params -> (i - 1);
  END LOOP;
  RETURN true;
END
$fn$;
REVOKE ALL ON FUNCTION ${CATALOG_SCHEMA}.apply_batch(text, integer, text, bigint, bigint, bigint, bigint, timestamptz, text[], jsonb) FROM PUBLIC;
`;

const ROW = `name, version, definition_version, status, commit::text, prepare::text, last_event_at, updated_at`;

interface RawRow {
  name: string;
  version: number;
  definition_version: number;
  status: VersionStatus;
  commit: string;
  prepare: string;
  last_event_at: Date | null;
  updated_at: Date;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function versionSchema(name: string, version: number): string {
  return `${name}_v${version}`;
}

export function tableNamesOf(definition: ProjectionDefinition, version: number): TableNames {
  const schema = quoteIdent(versionSchema(definition.name, version));
  return Object.fromEntries(definition.tables.map((table) => [table, `${schema}.${quoteIdent(table)}`]));
}

export function readSchemaOf(definition: ProjectionDefinition): string {
  return definition.readSchema ?? 'public';
}

function toRow(raw: RawRow): CheckpointRow {
  return {
    name: raw.name,
    version: raw.version,
    definitionVersion: raw.definition_version,
    status: raw.status,
    position: { commit: BigInt(raw.commit), prepare: BigInt(raw.prepare) },
    lastEventAt: raw.last_event_at,
    updatedAt: raw.updated_at,
  };
}

/** Serialises catalog changes of one projection (install, rebuild start, switch) across processes. */
export async function lockProjection(tx: Db, name: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`crm_projections:${name}`]);
}

export async function ensureCatalog(pool: Pool): Promise<void> {
  await inTransaction(pool, async (tx) => {
    await lockProjection(tx, '$catalog');
    await tx.query(CATALOG_DDL);
  });
}

export async function findVersion(db: Db, name: string, status: 'live' | 'building', lock = false): Promise<CheckpointRow | undefined> {
  const { rows } = await db.query<RawRow>(
    `SELECT ${ROW} FROM ${CATALOG_SCHEMA}.checkpoints WHERE name = $1 AND status = $2${lock ? ' FOR UPDATE' : ''}`,
    [name, status],
  );
  return rows[0] && toRow(rows[0]);
}

export async function findVersionNumber(db: Db, name: string, version: number, lock = false): Promise<CheckpointRow | undefined> {
  const { rows } = await db.query<RawRow>(
    `SELECT ${ROW} FROM ${CATALOG_SCHEMA}.checkpoints WHERE name = $1 AND version = $2${lock ? ' FOR UPDATE' : ''}`,
    [name, version],
  );
  return rows[0] && toRow(rows[0]);
}

export async function listVersions(db: Db, name: string): Promise<CheckpointRow[]> {
  const { rows } = await db.query<RawRow>(`SELECT ${ROW} FROM ${CATALOG_SCHEMA}.checkpoints WHERE name = $1 ORDER BY version`, [name]);
  return rows.map(toRow);
}

/** Creates the next physical version's schema, tables and checkpoint row (at the start of the store). */
export async function createVersion(tx: Db, definition: ProjectionDefinition, status: 'live' | 'building'): Promise<CheckpointRow> {
  const { rows } = await tx.query<{ next: number }>(
    `SELECT coalesce(max(version), 0) + 1 AS next FROM ${CATALOG_SCHEMA}.checkpoints WHERE name = $1`,
    [definition.name],
  );
  const version = rows[0]?.next ?? 1;
  const schema = quoteIdent(versionSchema(definition.name, version));
  // A schema left by a version whose row is gone (a crash between drop steps) holds nothing we need.
  await tx.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await tx.query(`CREATE SCHEMA ${schema}`);
  const ddl = definition.createTables(tableNamesOf(definition, version));
  for (const statement of typeof ddl === 'string' ? [ddl] : ddl) await tx.query(statement);
  const inserted = await tx.query<RawRow>(
    `INSERT INTO ${CATALOG_SCHEMA}.checkpoints (name, version, definition_version, status, commit, prepare)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${ROW}`,
    [definition.name, version, definition.version, status, START.commit.toString(), START.prepare.toString()],
  );
  const [row] = inserted.rows;
  if (!row) throw new Error(`Projection ${definition.name}: version ${version} was not recorded`);
  return toRow(row);
}

/**
 * Installs the projection the first time (version 1, live from the start of the store, views created);
 * afterwards returns the live version. Safe to call from every replica at once.
 */
export async function installProjection(pool: Pool, definition: ProjectionDefinition): Promise<CheckpointRow> {
  await ensureCatalog(pool);
  return inTransaction(pool, async (tx) => {
    await lockProjection(tx, definition.name);
    const live = await findVersion(tx, definition.name, 'live');
    if (live) return live;
    const created = await createVersion(tx, definition, 'live');
    await pointViews(tx, definition, created.version);
    return created;
  });
}

/** Whether a version is still in that status with its checkpoint at `position` (no lock). */
export async function isCheckpointAt(db: Db, target: { name: string; version: number; status: 'live' | 'building' }, position: Position): Promise<boolean> {
  const result = await db.query(
    `SELECT 1 FROM ${CATALOG_SCHEMA}.checkpoints WHERE name = $1 AND version = $2 AND status = $3 AND (commit, prepare) = ($4::bigint, $5::bigint)`,
    [target.name, target.version, target.status, position.commit.toString(), position.prepare.toString()],
  );
  return result.rowCount === 1;
}

/**
 * Moves a version's checkpoint from `from` to `to` only if nobody else moved it (compare-and-swap), in the
 * caller's transaction: apply_batch with no writes. False: another runner advanced it, or the version is no
 * longer in that status.
 */
export function advanceCheckpoint(
  tx: Db,
  target: { name: string; version: number; status: 'live' | 'building' },
  from: Position,
  to: Position,
  lastEventAt: Date | null,
): Promise<boolean> {
  return applyPlannedBatch(tx, target, from, to, lastEventAt, []);
}

/**
 * A planned batch's writes and the checkpoint's compare-and-swap from `from` to `to`, as one statement (see
 * apply_batch above). False: another runner advanced the checkpoint, or the version left that status.
 */
export async function applyPlannedBatch(
  db: Db,
  target: { name: string; version: number; status: 'live' | 'building' },
  from: Position,
  to: Position,
  lastEventAt: Date | null,
  writes: readonly PlannedWrite[],
): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>(
    `SELECT ${CATALOG_SCHEMA}.apply_batch($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10::jsonb) AS ok`,
    [
      target.name,
      target.version,
      target.status,
      from.commit.toString(),
      from.prepare.toString(),
      to.commit.toString(),
      to.prepare.toString(),
      lastEventAt,
      writes.map((write) => write.sql),
      JSON.stringify(writes.map((write) => write.param ?? null)),
    ],
  );
  return rows[0]?.ok === true;
}

/**
 * Points the stable views `<readSchema>.<table>` at a version's tables. `CREATE OR REPLACE VIEW` keeps the
 * view's identity and grants; when the new tables' columns are not a compatible extension of the old ones
 * PostgreSQL refuses it, and the view is dropped and created again with its grants restored. Either way it
 * is one step of the caller's transaction: readers see the old tables or the new ones, never neither.
 */
export async function pointViews(tx: Db, definition: ProjectionDefinition, version: number): Promise<void> {
  const readSchema = quoteIdent(readSchemaOf(definition));
  const tables = tableNamesOf(definition, version);
  await tx.query(`CREATE SCHEMA IF NOT EXISTS ${readSchema}`);
  for (const table of definition.tables) {
    const view = `${readSchema}.${quoteIdent(table)}`;
    const select = `SELECT * FROM ${tables[table]}`;
    await tx.query('SAVEPOINT point_view');
    try {
      await tx.query(`CREATE OR REPLACE VIEW ${view} AS ${select}`);
      await tx.query('RELEASE SAVEPOINT point_view');
    } catch (error) {
      await tx.query('ROLLBACK TO SAVEPOINT point_view');
      if (!isIncompatibleView(error)) throw error;
      const grants = await tx.query<{ grantee: string; privilege: string; grantable: boolean }>(
        `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END AS grantee,
                a.privilege_type AS privilege, a.is_grantable AS grantable
           FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
          WHERE c.oid = to_regclass($1) AND a.grantee <> c.relowner`,
        [view],
      );
      await tx.query(`DROP VIEW ${view}`);
      await tx.query(`CREATE VIEW ${view} AS ${select}`);
      for (const g of grants.rows) {
        await tx.query(`GRANT ${g.privilege} ON ${view} TO ${g.grantee}${g.grantable ? ' WITH GRANT OPTION' : ''}`);
      }
    }
  }
}

function isIncompatibleView(error: unknown): boolean {
  // 42P16 invalid_table_definition ("cannot drop columns from view", "cannot change name of view column"),
  // 42804 datatype_mismatch ("cannot change data type of view column").
  const code = (error as { code?: string }).code;
  return code === '42P16' || code === '42804';
}

/** Drops a version that no longer serves readers: its schema and then its row. */
export async function dropVersion(pool: Pool, name: string, version: number): Promise<void> {
  await inTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ status: VersionStatus }>(
      `SELECT status FROM ${CATALOG_SCHEMA}.checkpoints WHERE name = $1 AND version = $2 FOR UPDATE`,
      [name, version],
    );
    if (rows[0]?.status === 'live') throw new Error(`Projection ${name}: version ${version} is live and cannot be dropped`);
    await tx.query(`DROP SCHEMA IF EXISTS ${quoteIdent(versionSchema(name, version))} CASCADE`);
    await tx.query(`DELETE FROM ${CATALOG_SCHEMA}.checkpoints WHERE name = $1 AND version = $2`, [name, version]);
  });
}

/** Runs `work` in a transaction on a pooled client; a client whose connection broke is not returned to the pool. */
export async function inTransaction<T>(pool: Pool, work: (tx: ClientBase) => Promise<T>): Promise<T> {
  const lease = await checkout(pool);
  const client = lease.client;
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    const committed = await client.query('COMMIT');
    // COMMIT of a transaction an earlier (swallowed) error aborted answers ROLLBACK.
    if ((committed as { command?: string }).command === 'ROLLBACK') throw new Error('transaction was aborted by an earlier error; rolled back');
    return result;
  } catch (error) {
    broken = await rollback(client);
    throw error;
  } finally {
    lease.release(broken);
  }
}

export interface ClientLease {
  client: PoolClient;
  /** Returns the client to the pool, or destroys it if its connection broke. */
  release(broken?: Error): void;
}

/**
 * Checks a client out with an 'error' listener: a checked-out pg client whose connection dies between
 * queries (a terminated backend, a failover) emits 'error', which would otherwise crash the process.
 */
export async function checkout(pool: Pool): Promise<ClientLease> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost = error;
  };
  client.on('error', onError);
  return {
    client,
    release(broken) {
      client.removeListener('error', onError);
      client.release(broken ?? lost);
    },
  };
}

/** Rolls back; answers the error if the connection is unusable. */
export async function rollback(client: ClientBase): Promise<Error | undefined> {
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
