// The customers service's environment: defaults, and a bad variable named without echoing its value.
import { validateConfig } from '@crm/platform';
import { randomBytes } from 'node:crypto';
import { CustomersConfig } from './customers.config';

const base = {
  SERVICE_NAME: 'customers',
  DATABASE_URL: 'postgres://crm_app:secret@127.0.0.1:5432/crm_customers',
  KAFKA_BROKERS: '127.0.0.1:9092',
  CUSTOMERS_MASTER_KEY: randomBytes(32).toString('base64'),
};

const problemsOf = (env: Record<string, string>) => {
  const result = validateConfig(CustomersConfig, env);
  return result.ok ? [] : result.problems;
};

describe('CustomersConfig', () => {
  it('has defaults for everything but the master key and the shared variables', () => {
    const result = validateConfig(CustomersConfig, base);
    expect(result.ok && result.config).toMatchObject({ DEFAULT_PHONE_REGION: 'US', EVENT_STORE: 'postgres', DATA_KEY_CACHE_SIZE: 10_000, DATABASE_POOL_MAX: 20 });
  });

  it('requires a master key of 32 random bytes, base64, without echoing it', () => {
    const { CUSTOMERS_MASTER_KEY: _key, ...withoutKey } = base;
    expect(problemsOf(withoutKey)).toEqual([{ variable: 'CUSTOMERS_MASTER_KEY', problems: ['is required but not set'] }]);
    const short = randomBytes(16).toString('base64');
    const problems = problemsOf({ ...base, CUSTOMERS_MASTER_KEY: short });
    expect(problems.map((p) => p.variable)).toEqual(['CUSTOMERS_MASTER_KEY']);
    expect(JSON.stringify(problems)).not.toContain(short);
  });

  it('takes an upper-case ISO country as the phone region', () => {
    expect(problemsOf({ ...base, DEFAULT_PHONE_REGION: 'DE' })).toEqual([]);
    expect(problemsOf({ ...base, DEFAULT_PHONE_REGION: 'de' }).map((p) => p.variable)).toEqual(['DEFAULT_PHONE_REGION']);
    expect(problemsOf({ ...base, DEFAULT_PHONE_REGION: 'XX' }).map((p) => p.variable)).toEqual(['DEFAULT_PHONE_REGION']);
  });

  it('needs an EventStoreDB connection string only with EVENT_STORE=eventstoredb', () => {
    expect(problemsOf({ ...base, EVENT_STORE: 'eventstoredb' }).map((p) => p.variable)).toEqual(['EVENTSTORE_CONNECTION_STRING']);
    expect(problemsOf({ ...base, EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:2113?tls=false' })).toEqual([]);
    expect(problemsOf({ ...base, EVENT_STORE: 'mongodb' }).map((p) => p.variable)).toEqual(['EVENT_STORE']);
  });
});
