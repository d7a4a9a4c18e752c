// The data subjects' keys in one table of the service (`dataKeysTableDdl`), wrapped by the master key, with a
// bounded cache of unwrapped keys. A key is committed on its own (autocommit) before the first event that uses it
// is appended, so no event is ever stored under a key that does not exist; an append that then fails leaves an
// unused key, which is harmless. Destroying a key is the erasure: the subject's values can never be read again.
import type { Pool } from 'pg';
import { MicroBatcher } from '../batching/micro-batcher';
import { newDataKey } from './aes-gcm';
import { LruCache } from './lru-cache';
import { MASTER_KEY_VERSION, type MasterKey } from './master-key';

/** A key to write personal data with was destroyed: the data subject was erased. */
export class DataKeyDestroyedError extends Error {
  override readonly name = 'DataKeyDestroyedError';
  constructor(readonly subjectId: string) {
    super(`The data key of ${subjectId} was destroyed (data subject erased)`);
  }
}

/** Events hold data encrypted under a key that the key table does not have: the table and the events disagree. */
export class DataKeyMissingError extends Error {
  override readonly name = 'DataKeyMissingError';
  constructor(readonly subjectId: string) {
    super(`No data key for ${subjectId}: the key table does not match the event store`);
  }
}

/** What the event codec needs of the keys; an in-memory one serves unit tests. Ids are uuids. */
export interface DataKeySource {
  /** Every subject's key, created where it does not exist yet. Throws DataKeyDestroyedError for an erased one. */
  keysForWriting(subjectIds: readonly string[]): Promise<ReadonlyMap<string, Buffer>>;
  /** Every subject's key, or null where it was destroyed. Throws DataKeyMissingError where there never was one. */
  keysForReading(subjectIds: readonly string[]): Promise<ReadonlyMap<string, Buffer | null>>;
}

/** Where the keys are: a table of `dataKeysTableDdl`'s shape. */
export interface DataKeyTable {
  /** Schema-qualified, e.g. `customers.data_keys`. */
  table: string;
  /** The uuid column naming the data subject, e.g. `customer_id`. */
  subjectColumn: string;
}

export interface DataKeyringOptions extends DataKeyTable {
  /** Unwrapped keys kept in memory. Default 10,000. */
  cacheSize?: number;
  /** Live keys are read again after this long (another instance may have destroyed them). Default 60 s. */
  cacheTtlMs?: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const QUALIFIED = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;

/** The key table, for the service's migration. Names are checked: they are written into SQL. */
export function dataKeysTableDdl({ table, subjectColumn }: DataKeyTable): string {
  assertNames({ table, subjectColumn });
  return `CREATE TABLE ${table} (
  ${subjectColumn} uuid PRIMARY KEY,
  -- iv | tag | AES-256-GCM(data key), under the master key's wrapping key; NULL once destroyed.
  wrapped_key  bytea,
  -- The master key version that wrapped it (rotation re-wraps row by row).
  key_version  smallint    NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  destroyed_at timestamptz,
  CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
);
-- A destroyed key lingers in dead tuples until vacuum: vacuum this small table eagerly.
ALTER TABLE ${table} SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 20);`;
}

function assertNames({ table, subjectColumn }: DataKeyTable): void {
  if (!QUALIFIED.test(table)) throw new TypeError(`The data key table must be schema.table in lower case, not ${table}`);
  if (!IDENTIFIER.test(subjectColumn)) throw new TypeError(`The data subject column must be an identifier in lower case, not ${subjectColumn}`);
}

type KeyRow = { subject_id: string; wrapped_key: Buffer | null };
type NewKey = { subjectId: string; wrapped: Buffer };

const DESTROYED = null;

/** Ids as PostgreSQL returns uuids: lower case, each once. */
const normalised = (subjectIds: readonly string[]): Set<string> => new Set(subjectIds.map((id) => id.toLowerCase()));

export class DataKeyring implements DataKeySource {
  private readonly ttlMs: number;
  /** Unwrapped keys, and `null` for destroyed ones: a destroyed key never comes back, so that entry never expires. */
  private readonly cache: LruCache<string, Buffer | null>;
  private readonly sql: { select: string; selectOne: string; insertMany: string; destroy: string; isDestroyed: string };
  /** New keys of overlapping writes go in one INSERT (registrations under load): true where this key was stored. */
  private readonly inserts: MicroBatcher<NewKey, boolean>;

  constructor(
    private readonly pool: Pool,
    private readonly masterKey: MasterKey,
    options: DataKeyringOptions,
  ) {
    assertNames(options);
    const { table, subjectColumn: subject } = options;
    this.ttlMs = options.cacheTtlMs ?? 60_000;
    this.cache = new LruCache(options.cacheSize ?? 10_000);
    this.sql = {
      select: `SELECT ${subject} AS subject_id, wrapped_key FROM ${table} WHERE ${subject} = ANY($1::uuid[])`,
      selectOne: `SELECT ${subject} AS subject_id, wrapped_key FROM ${table} WHERE ${subject} = $1`,
      insertMany: `INSERT INTO ${table} (${subject}, wrapped_key, key_version)
        SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::smallint[]) ON CONFLICT (${subject}) DO NOTHING RETURNING ${subject} AS subject_id`,
      destroy: `INSERT INTO ${table} AS k (${subject}, wrapped_key, key_version, destroyed_at) VALUES ($1, NULL, $2, now())
       ON CONFLICT (${subject}) DO UPDATE SET wrapped_key = NULL, destroyed_at = coalesce(k.destroyed_at, now())`,
      isDestroyed: `SELECT destroyed_at IS NOT NULL AS destroyed FROM ${table} WHERE ${subject} = $1`,
    };
    this.inserts = new MicroBatcher({ one: async (key) => (await this.insertMany([key]))[0] === true, many: (keys) => this.insertMany(keys) });
  }

  async keysForWriting(subjectIds: readonly string[]): Promise<ReadonlyMap<string, Buffer>> {
    const keys = new Map<string, Buffer>();
    for (const subjectId of normalised(subjectIds)) {
      const cached = this.cache.get(subjectId);
      if (cached === DESTROYED) throw new DataKeyDestroyedError(subjectId);
      keys.set(subjectId, cached ?? (await this.createOrLoad(subjectId)));
    }
    return keys;
  }

  async keysForReading(subjectIds: readonly string[]): Promise<ReadonlyMap<string, Buffer | null>> {
    const keys = new Map<string, Buffer | null>();
    const missing: string[] = [];
    for (const subjectId of normalised(subjectIds)) {
      const cached = this.cache.get(subjectId);
      if (cached === undefined) missing.push(subjectId);
      else keys.set(subjectId, cached);
    }
    if (missing.length > 0) {
      const { rows } = await this.pool.query<KeyRow>(this.sql.select, [missing]);
      for (const row of rows) keys.set(row.subject_id, this.remember(row));
      const absent = missing.find((subjectId) => !keys.has(subjectId));
      if (absent !== undefined) throw new DataKeyMissingError(absent);
    }
    return keys;
  }

  /**
   * Destroys the key for good: its personal data can never be decrypted again. Idempotent; a subject without a
   * key gets a destroyed row, so that no key can be created for it later.
   */
  async destroy(id: string): Promise<void> {
    const subjectId = id.toLowerCase();
    await this.pool.query(this.sql.destroy, [subjectId, MASTER_KEY_VERSION]);
    this.cache.set(subjectId, DESTROYED);
  }

  async isDestroyed(subjectId: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ destroyed: boolean }>(this.sql.isDestroyed, [subjectId]);
    return rows[0]?.destroyed ?? false;
  }

  /** Drops a cached key, e.g. when another instance reports an erasure. */
  forget(subjectId: string): void {
    this.cache.delete(subjectId.toLowerCase());
  }

  /** Only the first key per subject is offered: a second one in the same batch is answered false and loads the first. */
  private async insertMany(keys: readonly NewKey[]): Promise<boolean[]> {
    const first = keys.filter((key, i) => keys.findIndex((other) => other.subjectId === key.subjectId) === i);
    const { rows } = await this.pool.query<{ subject_id: string }>(this.sql.insertMany, [
      first.map((key) => key.subjectId),
      first.map((key) => key.wrapped),
      first.map(() => MASTER_KEY_VERSION),
    ]);
    const stored = new Set(rows.map((row) => row.subject_id));
    return keys.map((key) => first.includes(key) && stored.has(key.subjectId));
  }

  // INSERT … ON CONFLICT DO NOTHING, then SELECT: two writers racing for a new subject end up with the same key.
  private async createOrLoad(subjectId: string): Promise<Buffer> {
    const key = newDataKey();
    if (await this.inserts.submit({ subjectId, wrapped: this.masterKey.wrap(key, subjectId) })) {
      this.cache.set(subjectId, key, this.ttlMs);
      return key;
    }
    const { rows } = await this.pool.query<KeyRow>(this.sql.selectOne, [subjectId]);
    const row = rows[0];
    if (row === undefined) throw new DataKeyMissingError(subjectId);
    const existing = this.remember(row);
    if (existing === DESTROYED) throw new DataKeyDestroyedError(subjectId);
    return existing;
  }

  private remember(row: KeyRow): Buffer | null {
    if (row.wrapped_key === null) {
      this.cache.set(row.subject_id, DESTROYED);
      return DESTROYED;
    }
    const key = this.masterKey.unwrap(row.wrapped_key, row.subject_id);
    this.cache.set(row.subject_id, key, this.ttlMs);
    return key;
  }
}
