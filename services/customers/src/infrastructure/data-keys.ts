// The customers' data keys in `customers.data_keys`, wrapped by the master key, with a bounded cache of unwrapped
// keys. A key is committed on its own (autocommit) before the first event that uses it is appended, so no event
// is ever stored under a key that does not exist; an append that then fails leaves an unused key, which is harmless.
import type { Pool } from 'pg';
import { newDataKey } from './crypto/aes-gcm';
import { LruCache } from './crypto/lru-cache';
import { MASTER_KEY_VERSION, type MasterKey } from './crypto/master-key';

/** A key to write personal data with was destroyed: the customer was erased. */
export class DataKeyDestroyedError extends Error {
  override readonly name = 'DataKeyDestroyedError';
  constructor(readonly customerId: string) {
    super(`The data key of customer ${customerId} was destroyed (customer erased)`);
  }
}

/** Events hold data encrypted under a key that the key table does not have: the table and the events disagree. */
export class DataKeyMissingError extends Error {
  override readonly name = 'DataKeyMissingError';
  constructor(readonly customerId: string) {
    super(`No data key for customer ${customerId}: the key table does not match the event store`);
  }
}

/** What the event codec needs of the keys; an in-memory one serves the unit tests. */
export interface DataKeySource {
  /** Every customer's key, created where it does not exist yet. Throws DataKeyDestroyedError for an erased one. */
  keysForWriting(customerIds: readonly string[]): Promise<ReadonlyMap<string, Buffer>>;
  /** Every customer's key, or null where it was destroyed. Throws DataKeyMissingError where there never was one. */
  keysForReading(customerIds: readonly string[]): Promise<ReadonlyMap<string, Buffer | null>>;
}

export interface DataKeyringOptions {
  /** Table of the keys, schema-qualified. Default `customers.data_keys`. */
  table?: string;
  cacheSize?: number;
  /** Live keys are read again after this long (another instance may have destroyed them). Default 60 s. */
  cacheTtlMs?: number;
}

type KeyRow = { customer_id: string; wrapped_key: Buffer | null };

const DESTROYED = null;

/** Ids as PostgreSQL returns uuids: lower case, each once. */
const normalised = (customerIds: readonly string[]): Set<string> => new Set(customerIds.map((id) => id.toLowerCase()));

export class DataKeyring implements DataKeySource {
  private readonly table: string;
  private readonly ttlMs: number;
  /** Unwrapped keys, and `null` for destroyed ones: a destroyed key never comes back, so that entry never expires. */
  private readonly cache: LruCache<string, Buffer | null>;

  constructor(
    private readonly pool: Pool,
    private readonly masterKey: MasterKey,
    options: DataKeyringOptions = {},
  ) {
    this.table = options.table ?? 'customers.data_keys';
    this.ttlMs = options.cacheTtlMs ?? 60_000;
    this.cache = new LruCache(options.cacheSize ?? 10_000);
  }

  async keysForWriting(customerIds: readonly string[]): Promise<ReadonlyMap<string, Buffer>> {
    const keys = new Map<string, Buffer>();
    for (const customerId of normalised(customerIds)) {
      const cached = this.cache.get(customerId);
      if (cached === DESTROYED) throw new DataKeyDestroyedError(customerId);
      keys.set(customerId, cached ?? (await this.createOrLoad(customerId)));
    }
    return keys;
  }

  async keysForReading(customerIds: readonly string[]): Promise<ReadonlyMap<string, Buffer | null>> {
    const keys = new Map<string, Buffer | null>();
    const missing: string[] = [];
    for (const customerId of normalised(customerIds)) {
      const cached = this.cache.get(customerId);
      if (cached === undefined) missing.push(customerId);
      else keys.set(customerId, cached);
    }
    if (missing.length > 0) {
      const { rows } = await this.pool.query<KeyRow>(`SELECT customer_id, wrapped_key FROM ${this.table} WHERE customer_id = ANY($1::uuid[])`, [missing]);
      for (const row of rows) keys.set(row.customer_id, this.remember(row));
      const absent = missing.find((customerId) => !keys.has(customerId));
      if (absent !== undefined) throw new DataKeyMissingError(absent);
    }
    return keys;
  }

  /**
   * Destroys the key for good: its personal data can never be decrypted again. Idempotent; a customer without a
   * key gets a destroyed row, so that no key can be created for it later.
   */
  async destroy(id: string): Promise<void> {
    const customerId = id.toLowerCase();
    await this.pool.query(
      `INSERT INTO ${this.table} AS k (customer_id, wrapped_key, key_version, destroyed_at) VALUES ($1, NULL, $2, now())
       ON CONFLICT (customer_id) DO UPDATE SET wrapped_key = NULL, destroyed_at = coalesce(k.destroyed_at, now())`,
      [customerId, MASTER_KEY_VERSION],
    );
    this.cache.set(customerId, DESTROYED);
  }

  async isDestroyed(customerId: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ destroyed: boolean }>(`SELECT destroyed_at IS NOT NULL AS destroyed FROM ${this.table} WHERE customer_id = $1`, [
      customerId,
    ]);
    return rows[0]?.destroyed ?? false;
  }

  /** Drops a cached key, e.g. when another instance reports an erasure. */
  forget(customerId: string): void {
    this.cache.delete(customerId.toLowerCase());
  }

  // INSERT … ON CONFLICT DO NOTHING, then SELECT: two writers racing for a new customer end up with the same key.
  private async createOrLoad(customerId: string): Promise<Buffer> {
    const key = newDataKey();
    const inserted = await this.pool.query(
      `INSERT INTO ${this.table} (customer_id, wrapped_key, key_version) VALUES ($1, $2, $3) ON CONFLICT (customer_id) DO NOTHING`,
      [customerId, this.masterKey.wrap(key, customerId), MASTER_KEY_VERSION],
    );
    if (inserted.rowCount === 1) {
      this.cache.set(customerId, key, this.ttlMs);
      return key;
    }
    const { rows } = await this.pool.query<KeyRow>(`SELECT customer_id, wrapped_key FROM ${this.table} WHERE customer_id = $1`, [customerId]);
    const row = rows[0];
    if (row === undefined) throw new DataKeyMissingError(customerId);
    const existing = this.remember(row);
    if (existing === DESTROYED) throw new DataKeyDestroyedError(customerId);
    return existing;
  }

  private remember(row: KeyRow): Buffer | null {
    if (row.wrapped_key === null) {
      this.cache.set(row.customer_id, DESTROYED);
      return DESTROYED;
    }
    const key = this.masterKey.unwrap(row.wrapped_key, row.customer_id);
    this.cache.set(row.customer_id, key, this.ttlMs);
    return key;
  }
}
