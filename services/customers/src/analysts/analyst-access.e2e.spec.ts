// Analysts' access over the real stack: as crm_analyst the documented views answer, and nothing else of the
// service does (events, data keys, the read model's own tables and schemas, checkpoints).
import { asRole, refusalAs } from '@crm/testing';
import type { PoolClient } from 'pg';
import request from 'supertest';
import { registerCustomer } from '../infrastructure/__fixtures__/customers-test-app';
import { startReadSideApp, waitForProfile, type ReadSideApp } from '../read-model/__fixtures__/read-side-kit';
import { PROFILE_COLUMNS } from '../read-model/customer-profiles.schema';
import { ANALYST_ROLE, installAnalystAccess } from './analyst-access';

let t: ReadSideApp;
beforeAll(async () => {
  t = await startReadSideApp('analysts');
  // Normally created by infra/local/postgres/ensure.sh; the service grants to it only when it exists.
  await t.db.pool.query(`DO $$ BEGIN CREATE ROLE ${ANALYST_ROLE} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
});
afterAll(() => t?.close());

const asAnalyst = <T>(work: (client: PoolClient) => Promise<T>): Promise<T> => asRole(t.db.pool, ANALYST_ROLE, work);
const refusal = (sql: string): Promise<string | undefined> => refusalAs(t.db.pool, ANALYST_ROLE, sql);

describe('the analysts’ role', () => {
  it('selects the customers_analytics views, which show the documented columns only', async () => {
    // Grants are applied at start; a role created after the start gets them at the next one — apply again here.
    await installAnalystAccess(t.db.pool);
    const { customerId } = await registerCustomer(t);
    await request(t.http).post(`/customers/${customerId}/purchases`).send({ orderId: 'o-1', amount: { value: '12.50', currency: 'EUR' }, items: [] }).expect(200);
    const purchased = await waitForProfile(t, customerId, (p) => p.purchases.count === 1);
    expect(purchased.purchases.totals).toEqual({ EUR: '12.50' });

    const rows = await asAnalyst(async (client) => (await client.query('SELECT * FROM customers_analytics.customer_profiles WHERE customer_id = $1', [customerId])).rows);
    expect(rows).toEqual([expect.objectContaining({ customer_id: customerId, status: 'active', given_name: 'Ada', purchase_count: 1 })]);
    expect(Object.keys(rows[0] as object)).toEqual(PROFILE_COLUMNS.filter((c) => c.analysts).map((c) => c.name));
    const totals = await asAnalyst(async (client) => (await client.query('SELECT currency, total::text FROM customers_analytics.customer_purchase_totals WHERE customer_id = $1', [customerId])).rows);
    expect(totals).toEqual([{ currency: 'EUR', total: '12.50' }]);
  });

  it('is refused everything else: events, data keys, read-model tables and schemas, checkpoints, writes', async () => {
    for (const sql of [
      'SELECT * FROM event_store.events LIMIT 1',
      'SELECT * FROM customers.data_keys LIMIT 1',
      'SELECT * FROM customers.contact_index LIMIT 1',
      'SELECT * FROM customers.customer_profiles LIMIT 1',
      'SELECT * FROM customer_profiles_v1.customer_profiles LIMIT 1',
      'SELECT * FROM projections.checkpoints LIMIT 1',
      'SELECT * FROM messaging.relay_checkpoints LIMIT 1',
      "UPDATE customers_analytics.customer_profiles SET status = 'erased'",
      'DELETE FROM customers_analytics.customer_profiles',
    ]) {
      expect({ sql, code: await refusal(sql) }).toEqual({ sql, code: '42501' }); // insufficient_privilege
    }
  });

  it('documents every read-model table, view and column with COMMENT ON', async () => {
    const { rows } = await t.db.pool.query<{ relation: string; column: string | null }>(
      `SELECT c.oid::regclass::text AS relation, a.attname AS column
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname IN ('customers', 'customers_analytics', 'customer_profiles_v1') AND c.relkind IN ('r', 'v')
          AND c.relname NOT IN ('schema_migrations', 'data_keys')
          AND (CASE WHEN a.attname IS NULL THEN obj_description(c.oid, 'pg_class') ELSE col_description(c.oid, a.attnum) END) IS NULL`,
    );
    expect(rows).toEqual([]);
  });
});
