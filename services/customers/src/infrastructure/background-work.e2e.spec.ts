// RUN_BACKGROUND_WORK=false makes an API-only process: it takes commands and answers queries, but projects, relays
// and consumes nothing; a worker process on the same database and topics does that, and the API's reads follow.
import { createServiceApp } from '@crm/platform';
import { startTestService, uniqueTopicPrefix, waitFor, type TestServiceApp } from '@crm/testing';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppModule } from '../app.module';
import { CustomersConfig } from '../customers.config';
import { adaBody, registerCustomer } from './__fixtures__/customers-test-app';

const shared = { CUSTOMERS_MASTER_KEY: randomBytes(32).toString('base64'), DEFAULT_PHONE_REGION: 'DE', KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('background-work') };
const create = (env: Record<string, string>) => createServiceApp(AppModule, { name: 'customers', config: CustomersConfig, env, openApi: false });

let api: TestServiceApp;
let worker: TestServiceApp | undefined;

beforeAll(async () => {
  api = await startTestService({ label: 'background_work', env: { ...shared, RUN_BACKGROUND_WORK: 'false' }, create });
});
afterAll(async () => {
  await worker?.close({ keepData: true });
  await api.close();
});

describe('an API-only customers process (RUN_BACKGROUND_WORK=false)', () => {
  it('takes commands, starts no projection, relay or consumer, and is ready without Kafka checks', async () => {
    const { customerId } = await registerCustomer(api, adaBody());
    expect((await api.db.pool.query(`SELECT to_regclass('customers.customer_profiles') AS view`)).rows[0]).toEqual({ view: null });
    const ready = await request(api.http).get('/health/ready').expect(200);
    expect(Object.keys(ready.body.details as object).sort()).toEqual(['event-store', 'postgres', 'service']);
    await request(api.http).get(`/customers/${customerId}/history`).expect(200);
  });

  it('with a worker process on the same database, its reads show what the worker projected', async () => {
    const { customerId } = await registerCustomer(api, adaBody());
    worker = await startTestService({ label: 'background_work_worker', db: api.db, env: shared, create });
    await waitFor(async () => (await request(api.http).get(`/customers/${customerId}`)).status === 200, { timeoutMs: 30_000, description: 'the profile visible through the API process' });
    const ready = await request(worker.http).get('/health/ready').expect(200);
    expect(Object.keys(ready.body.details as object)).toEqual(expect.arrayContaining(['kafka', 'kafka-lead-conversions']));
  });
});
