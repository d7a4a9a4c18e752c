// The key table on real PostgreSQL: keys created once (also under a race), stored wrapped, destroyed for good;
// and the contact index with its duplicate lookup.
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { applyContactIndexChanges, contactIndexChanges, masterKeyContactHasher } from './contact-index.projection';
import { MasterKey } from './crypto/master-key';
import { DataKeyDestroyedError, DataKeyMissingError, DataKeyring } from './data-keys';
import { PostgresDuplicateLookup } from './duplicate-lookup';
import { migrateCustomersSchema } from './migrations';

let db: TestDatabase;
const masterKey = MasterKey.fromBase64(randomBytes(32).toString('base64'));
beforeAll(async () => {
  db = await createTestDatabase('customers_keys');
  await migrateCustomersSchema(db.pool);
});
afterAll(() => db?.drop());

describe('DataKeyring', () => {
  it('creates a key on first write, stores it wrapped, and gives the same key to every reader', async () => {
    const id = randomUUID();
    const writer = new DataKeyring(db.pool, masterKey);
    const key = (await writer.keysForWriting([id])).get(id)!;
    const { rows } = await db.pool.query<{ wrapped_key: Buffer; key_version: number }>('SELECT wrapped_key, key_version FROM customers.data_keys WHERE customer_id = $1', [id]);
    expect(rows[0]!.key_version).toBe(1);
    expect(rows[0]!.wrapped_key.includes(key)).toBe(false);
    expect((await new DataKeyring(db.pool, masterKey, { cacheSize: 0 }).keysForReading([id])).get(id)).toEqual(key);
    expect((await writer.keysForWriting([id])).get(id)).toEqual(key);
  });

  it('given writers racing for a new customer, all end up with one key', async () => {
    const id = randomUUID();
    const keys = await Promise.all(Array.from({ length: 5 }, () => new DataKeyring(db.pool, masterKey).keysForWriting([id])));
    expect(new Set(keys.map((k) => k.get(id)!.toString('hex'))).size).toBe(1);
    expect((await db.pool.query('SELECT 1 FROM customers.data_keys WHERE customer_id = $1', [id])).rowCount).toBe(1);
  });

  it('destroys a key for good: readers get null, writers an error, an instance that does not cache at once', async () => {
    const id = randomUUID();
    const here = new DataKeyring(db.pool, masterKey);
    const elsewhere = new DataKeyring(db.pool, masterKey, { cacheTtlMs: 0 });
    await here.keysForWriting([id]);
    await elsewhere.keysForReading([id]);
    await here.destroy(id);
    await here.destroy(id);
    expect((await here.keysForReading([id])).get(id)).toBeNull();
    await expect(here.keysForWriting([id])).rejects.toThrow(DataKeyDestroyedError);
    expect((await elsewhere.keysForReading([id])).get(id)).toBeNull();
    expect(await here.isDestroyed(id)).toBe(true);
    const { rows } = await db.pool.query('SELECT wrapped_key FROM customers.data_keys WHERE customer_id = $1', [id]);
    expect(rows[0]).toEqual({ wrapped_key: null });
  });

  it('marks a customer without a key as destroyed, so no key can be made for it later; a missing key is an error', async () => {
    const keyring = new DataKeyring(db.pool, masterKey);
    const never = randomUUID();
    await keyring.destroy(never);
    await expect(new DataKeyring(db.pool, masterKey).keysForWriting([never])).rejects.toThrow(DataKeyDestroyedError);
    await expect(keyring.keysForReading([randomUUID()])).rejects.toThrow(DataKeyMissingError);
  });

  it('cannot unwrap keys under another master key', async () => {
    const id = randomUUID();
    await new DataKeyring(db.pool, masterKey).keysForWriting([id]);
    await expect(new DataKeyring(db.pool, MasterKey.fromBase64(randomBytes(32).toString('base64'))).keysForReading([id])).rejects.toThrow(/decrypt/);
  });

  it('migrates once, however often it is asked', async () => {
    expect(await migrateCustomersSchema(db.pool)).toEqual([]);
  });
});

describe('contact index and duplicate lookup', () => {
  const hasher = masterKeyContactHasher(masterKey);
  const lookupOf = () => new PostgresDuplicateLookup(db.pool, hasher);

  it('finds a customer by any of its emails or phones, keeps no value in clear, and forgets it on erasure', async () => {
    const id = randomUUID();
    const at = new Date().toISOString();
    const project = (event: Parameters<typeof contactIndexChanges>[0]) => applyContactIndexChanges(db.pool, contactIndexChanges(event), hasher);
    await project({
      type: 'CustomerRegistered',
      data: { customerId: id, name: { given: 'Ada' }, emails: [{ address: 'ada@example.com', primary: true }], phones: [{ e164: '+49301234567', primary: true }], tags: [], customAttributes: [], registeredAt: at },
    });
    expect(await lookupOf().findByEmailOrPhone(['ada@example.com'], [])).toBe(id);
    expect(await lookupOf().findByEmailOrPhone([], ['+49301234567'])).toBe(id);
    expect(await lookupOf().findByEmailOrPhone(['other@example.com'], ['+49300000000'])).toBeNull();
    const { rows } = await db.pool.query<{ text: string }>("SELECT string_agg(encode(value_hmac, 'escape'), ' ') AS text FROM customers.contact_index");
    expect(rows[0]!.text).not.toContain('ada@example.com');

    await project({ type: 'ContactDetailsUpdated', data: { customerId: id, emails: [{ address: 'king@example.com', primary: true }], at } });
    expect(await lookupOf().findByEmailOrPhone(['ada@example.com'], [])).toBeNull();
    expect(await lookupOf().findByEmailOrPhone(['king@example.com'], [])).toBe(id);

    await project({ type: 'CustomerErased', data: { customerId: id, reason: 'data_subject_request', linkedCustomerIds: [], erasedAt: at } });
    expect(await lookupOf().findByEmailOrPhone(['king@example.com'], ['+49301234567'])).toBeNull();
  });
});
