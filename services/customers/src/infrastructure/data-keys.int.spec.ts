// The customers' key table on real PostgreSQL (the keyring over customers.data_keys), and the contact index with
// its duplicate lookup.
import { DataKeyDestroyedError, DataKeyMissingError } from '@crm/event-store';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { applyContactIndexChanges, contactIndexChanges, masterKeyContactHasher } from './contact-index.projection';
import { MasterKey } from './crypto/master-key';
import { customerDataKeyring } from './data-keys';
import { PostgresDuplicateLookup } from './duplicate-lookup';
import { migrateCustomersSchema } from './migrations';

let db: TestDatabase;
const masterKey = MasterKey.fromBase64(randomBytes(32).toString('base64'));
beforeAll(async () => {
  db = await createTestDatabase('customers_keys');
  await migrateCustomersSchema(db.pool);
});
afterAll(() => db?.drop());

// The keyring itself is tested in @crm/event-store (crypto-shredding); here, the customers' table and column.
describe('the customers data keys', () => {
  it('keeps one wrapped key per customer in customers.data_keys, readable by every instance, until erasure', async () => {
    const id = randomUUID();
    const key = (await customerDataKeyring(db.pool, masterKey).keysForWriting([id])).get(id)!;
    const { rows } = await db.pool.query<{ wrapped_key: Buffer; key_version: number }>('SELECT wrapped_key, key_version FROM customers.data_keys WHERE customer_id = $1', [id]);
    expect(rows[0]!.key_version).toBe(1);
    expect(masterKey.unwrap(rows[0]!.wrapped_key, id)).toEqual(key);
    const elsewhere = customerDataKeyring(db.pool, masterKey, { cacheSize: 0 });
    expect((await elsewhere.keysForReading([id])).get(id)).toEqual(key);
    await customerDataKeyring(db.pool, masterKey).destroy(id);
    expect((await elsewhere.keysForReading([id])).get(id)).toBeNull();
    await expect(elsewhere.keysForWriting([id])).rejects.toThrow(DataKeyDestroyedError);
    await expect(elsewhere.keysForReading([randomUUID()])).rejects.toThrow(DataKeyMissingError);
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
