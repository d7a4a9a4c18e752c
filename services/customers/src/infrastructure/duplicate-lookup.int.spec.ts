// The duplicate lookup on a real contact index: lookups that overlap share a query, each gets its own answer.
import { createHash, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import type { ContactHasher } from './contact-index.projection';
import { PostgresDuplicateLookup } from './duplicate-lookup';
import { migrateCustomersSchema } from './migrations';

const hasher: ContactHasher = { hash: (kind, value) => createHash('sha256').update(`${kind}:${value}`).digest() };

let db: TestDatabase;
let pool: Pool;
let queries = 0;

beforeAll(async () => {
  db = await createTestDatabase('duplicate_lookup');
  pool = new Pool({ connectionString: db.url, max: 4 });
  await migrateCustomersSchema(pool);
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

async function index(customerId: string, kind: 'email' | 'phone', value: string): Promise<void> {
  await pool.query('INSERT INTO customers.contact_index (customer_id, kind, value_hmac) VALUES ($1, $2, $3)', [customerId, kind, hasher.hash(kind, value)]);
}

describe('PostgresDuplicateLookup', () => {
  it('answers 60 overlapping lookups in fewer queries, each with its own customer (the lowest id) or null', async () => {
    const customers = Array.from({ length: 20 }, () => randomUUID());
    for (const [i, id] of customers.entries()) {
      await index(id, 'email', `person${i}@example.com`);
      await index(id, 'phone', `+4930200000${String(i).padStart(2, '0')}`);
    }
    // Two customers share an email: the lowest id answers, as the single-query lookup did.
    const [low, high] = [randomUUID(), randomUUID()].sort();
    await index(high as string, 'email', 'shared@example.com');
    await index(low as string, 'email', 'shared@example.com');

    const counting = new Proxy(pool, {
      get(target, property) {
        const value = Reflect.get(target, property) as unknown;
        if (property !== 'query' || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          queries += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const lookup = new PostgresDuplicateLookup(counting, hasher);
    const asked = [
      ...customers.map((_, i) => lookup.findByEmailOrPhone([`person${i}@example.com`], [])),
      ...customers.map((_, i) => lookup.findByEmailOrPhone(['nobody@example.com'], [`+4930200000${String(i).padStart(2, '0')}`])),
      ...customers.map((_, i) => lookup.findByEmailOrPhone([`stranger${i}@example.com`], ['+4930999999'])),
    ];
    const shared = lookup.findByEmailOrPhone(['shared@example.com'], []);
    const answers = await Promise.all(asked);

    expect(answers).toEqual([...customers, ...customers, ...customers.map(() => null)]);
    expect(await shared).toBe(low);
    expect(queries).toBeLessThan(61);
    await expect(lookup.findByEmailOrPhone([], [])).resolves.toBeNull();
  });
});
