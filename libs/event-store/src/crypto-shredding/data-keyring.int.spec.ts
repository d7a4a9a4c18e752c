// The key table on real PostgreSQL, in a table of any name: keys created once (also under a race), stored
// wrapped, destroyed for good.
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataKeyDestroyedError, DataKeyMissingError, DataKeyring, dataKeysTableDdl } from './data-keyring';
import { MasterKey } from './master-key';

const table = { table: 'sales.lead_keys', subjectColumn: 'lead_id' };
const sameKey = randomBytes(32).toString('base64');
const masterKey = MasterKey.fromBase64(sameKey, { namespace: 'crm/test' });
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('data_keyring');
  await db.pool.query(`CREATE SCHEMA sales; ${dataKeysTableDdl(table)}`);
});
afterAll(() => db?.drop());

const keyring = (options: { cacheSize?: number; cacheTtlMs?: number } = {}) => new DataKeyring(db.pool, masterKey, { ...table, ...options });

describe('DataKeyring', () => {
  it('creates a key on first write, stores it wrapped, and gives the same key to every reader', async () => {
    const id = randomUUID();
    const writer = keyring();
    const key = (await writer.keysForWriting([id.toUpperCase()])).get(id)!;
    const { rows } = await db.pool.query<{ wrapped_key: Buffer; key_version: number }>('SELECT wrapped_key, key_version FROM sales.lead_keys WHERE lead_id = $1', [id]);
    expect(rows[0]!.key_version).toBe(1);
    expect(rows[0]!.wrapped_key.includes(key)).toBe(false);
    expect((await keyring({ cacheSize: 0 }).keysForReading([id])).get(id)).toEqual(key);
    expect((await writer.keysForWriting([id])).get(id)).toEqual(key);
  });

  it('given writers racing for a new subject, all end up with one key', async () => {
    const id = randomUUID();
    const keys = await Promise.all(Array.from({ length: 5 }, () => keyring().keysForWriting([id])));
    expect(new Set(keys.map((k) => k.get(id)!.toString('hex'))).size).toBe(1);
    expect((await db.pool.query('SELECT 1 FROM sales.lead_keys WHERE lead_id = $1', [id])).rowCount).toBe(1);
  });

  it('given overlapping writes on one keyring, new keys share INSERTs, a repeated subject gets one key, a destroyed one is refused', async () => {
    const writer = keyring({ cacheSize: 0 });
    const destroyed = randomUUID();
    await writer.destroy(destroyed);
    const ids = Array.from({ length: 30 }, () => randomUUID());
    let inserts = 0;
    const query = db.pool.query.bind(db.pool) as (...args: unknown[]) => unknown;
    const spy = jest.spyOn(db.pool, 'query').mockImplementation(((...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('INSERT INTO sales.lead_keys')) inserts += 1;
      return query(...args);
    }) as never);
    try {
      const asked = [...ids, ids[0] as string, ids[1] as string].map((id) => writer.keysForWriting([id]).then((keys) => keys.get(id)));
      const refused = writer.keysForWriting([destroyed]);
      const keys = await Promise.all(asked);
      await expect(refused).rejects.toBeInstanceOf(DataKeyDestroyedError);
      expect(inserts).toBeLessThan(ids.length);
      expect(keys[30]).toEqual(keys[0]);
      expect(keys[31]).toEqual(keys[1]);
      const stored = await keyring({ cacheSize: 0 }).keysForReading(ids);
      ids.forEach((id, i) => expect(stored.get(id)).toEqual(keys[i]));
    } finally {
      spy.mockRestore();
    }
  });

  it('destroys a key for good: readers get null, writers an error, an instance that does not cache at once', async () => {
    const id = randomUUID();
    const here = keyring();
    const elsewhere = keyring({ cacheTtlMs: 0 });
    await here.keysForWriting([id]);
    await elsewhere.keysForReading([id]);
    await here.destroy(id);
    await here.destroy(id);
    expect((await here.keysForReading([id])).get(id)).toBeNull();
    await expect(here.keysForWriting([id])).rejects.toThrow(DataKeyDestroyedError);
    expect((await elsewhere.keysForReading([id])).get(id)).toBeNull();
    expect(await here.isDestroyed(id)).toBe(true);
    const { rows } = await db.pool.query('SELECT wrapped_key FROM sales.lead_keys WHERE lead_id = $1', [id]);
    expect(rows[0]).toEqual({ wrapped_key: null });
  });

  it('marks a subject without a key as destroyed, so no key can be made for it later; a missing key is an error', async () => {
    const never = randomUUID();
    await keyring().destroy(never);
    await expect(keyring().keysForWriting([never])).rejects.toThrow(DataKeyDestroyedError);
    await expect(keyring().keysForReading([randomUUID()])).rejects.toThrow(DataKeyMissingError);
  });

  it('cannot unwrap keys under another master key or namespace', async () => {
    const id = randomUUID();
    await keyring().keysForWriting([id]);
    const other = MasterKey.fromBase64(randomBytes(32).toString('base64'), { namespace: 'crm/test' });
    await expect(new DataKeyring(db.pool, other, table).keysForReading([id])).rejects.toThrow(/decrypt/);
    const elsewhere = MasterKey.fromBase64(sameKey, { namespace: 'crm/elsewhere' });
    await expect(new DataKeyring(db.pool, elsewhere, table).keysForReading([id])).rejects.toThrow(/decrypt/);
    expect((await new DataKeyring(db.pool, MasterKey.fromBase64(sameKey, { namespace: 'crm/test' }), table).keysForReading([id])).get(id)).toHaveLength(32);
  });

  it('refuses table and column names that are not plain identifiers', () => {
    expect(() => new DataKeyring(db.pool, masterKey, { table: 'keys; DROP TABLE x', subjectColumn: 'id' })).toThrow(TypeError);
    expect(() => dataKeysTableDdl({ table: 'sales.lead_keys', subjectColumn: 'Lead Id' })).toThrow(TypeError);
  });
});
