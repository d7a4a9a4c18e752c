// The customers service with its read side for e2e tests: its own topic prefix (deleted afterwards), waiting
// for the read model, and reading the topic back with a fresh consumer group (@crm/testing's topic reader).
import { waitFor } from '@crm/testing';
import request from 'supertest';
import { startCustomersApp, type CustomersTestApp } from '../../infrastructure/__fixtures__/customers-test-app';
import type { CustomerProfileView } from '../customer-profile.view';

export interface ReadSideApp extends CustomersTestApp {
  topic: string;
}

export async function startReadSideApp(label: string): Promise<ReadSideApp> {
  const t = await startCustomersApp(label);
  return { ...t, topic: `${t.topicPrefix}crm.customers.v1` };
}

type Profile = CustomerProfileView & { mergedFrom?: string[] };

/** GET /customers/:id until it answers 200 and `until` holds. */
export async function waitForProfile(t: CustomersTestApp, customerId: string, until: (profile: Profile) => boolean = () => true): Promise<Profile> {
  return waitFor(
    async () => {
      const res = await request(t.http).get(`/customers/${customerId}`);
      return res.status === 200 && until(res.body as Profile) ? (res.body as Profile) : null;
    },
    { description: `customer ${customerId} in the read model`, timeoutMs: 15_000 },
  );
}

/** The row as stored, every column (state included). */
export async function profileRow(t: CustomersTestApp, customerId: string): Promise<Record<string, unknown> | undefined> {
  const { rows } = await t.db.pool.query<Record<string, unknown>>('SELECT * FROM customers.customer_profiles WHERE customer_id = $1', [customerId]);
  return rows[0];
}

export { messageTypesOf as typesOf, readTopic, waitForMessages, type TopicMessage } from '@crm/testing';
