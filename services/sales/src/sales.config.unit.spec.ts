// The sales service's environment: defaults, and a bad variable named without echoing its value.
import { validateConfig } from '@crm/platform';
import { randomBytes } from 'node:crypto';
import { SalesConfig } from './sales.config';

const base = {
  SERVICE_NAME: 'sales',
  DATABASE_URL: 'postgres://crm_app:secret@127.0.0.1:5432/crm_sales',
  KAFKA_BROKERS: '127.0.0.1:9092',
  SALES_MASTER_KEY: randomBytes(32).toString('base64'),
};

const problemsOf = (env: Record<string, string>) => {
  const result = validateConfig(SalesConfig, env);
  return result.ok ? [] : result.problems;
};

describe('SalesConfig', () => {
  it('has defaults for everything but the master key and the shared variables, port 3003 among them', () => {
    const result = validateConfig(SalesConfig, base);
    expect(result.ok && result.config).toMatchObject({ PORT: 3003, DEFAULT_PHONE_REGION: 'US', EVENT_STORE: 'postgres', KAFKA_TOPIC_PREFIX: '', DATABASE_POOL_MAX: 20 });
    expect(validateConfig(SalesConfig, { ...base, PORT: '4000' })).toMatchObject({ ok: true, config: { PORT: 4000 } });
  });

  it('requires a master key of 32 random bytes, base64, without echoing it', () => {
    const { SALES_MASTER_KEY: _key, ...withoutKey } = base;
    expect(problemsOf(withoutKey)).toEqual([{ variable: 'SALES_MASTER_KEY', problems: ['is required but not set'] }]);
    const short = randomBytes(16).toString('base64');
    const problems = problemsOf({ ...base, SALES_MASTER_KEY: short });
    expect(problems.map((p) => p.variable)).toEqual(['SALES_MASTER_KEY']);
    expect(JSON.stringify(problems)).not.toContain(short);
  });

  it('takes an upper-case ISO country as the phone region, and an EventStoreDB string only with EVENT_STORE=eventstoredb', () => {
    expect(problemsOf({ ...base, DEFAULT_PHONE_REGION: 'de' }).map((p) => p.variable)).toEqual(['DEFAULT_PHONE_REGION']);
    expect(problemsOf({ ...base, EVENT_STORE: 'eventstoredb' }).map((p) => p.variable)).toEqual(['EVENTSTORE_CONNECTION_STRING']);
    expect(problemsOf({ ...base, EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:2113?tls=false' })).toEqual([]);
    expect(problemsOf({ ...base, KAFKA_TOPIC_PREFIX: 'bad prefix' }).map((p) => p.variable)).toEqual(['KAFKA_TOPIC_PREFIX']);
  });
});

describe('SalesConfig: reminders and the conversion saga', () => {
  it('has defaults, and takes the variables typed', () => {
    const result = validateConfig(SalesConfig, base);
    expect(result.ok && result.config).toMatchObject({
      REMINDERS_ENABLED: true,
      REMINDER_POLL_INTERVAL_MS: 1000,
      CUSTOMERS_FEED_ENABLED: true,
      CONVERSION_STUCK_AFTER: 'PT5M',
      CUSTOMER_FOLLOW_UPS_POLL_MS: 500,
    });
    const set = validateConfig(SalesConfig, { ...base, REMINDERS_ENABLED: 'false', REMINDER_BATCH_SIZE: '50', CONVERSION_STUCK_AFTER: 'PT30S', CUSTOMERS_FEED_GROUP_ID: 'sales.feed' });
    expect(set.ok && set.config).toMatchObject({ REMINDERS_ENABLED: false, REMINDER_BATCH_SIZE: 50, CONVERSION_STUCK_AFTER: 'PT30S', CUSTOMERS_FEED_GROUP_ID: 'sales.feed' });
  });

  it('names each bad one', () => {
    expect(problemsOf({ ...base, REMINDER_POLL_INTERVAL_MS: '10' }).map((p) => p.variable)).toEqual(['REMINDER_POLL_INTERVAL_MS']);
    expect(problemsOf({ ...base, CONVERSION_STUCK_AFTER: 'five minutes' }).map((p) => p.variable)).toEqual(['CONVERSION_STUCK_AFTER']);
    expect(problemsOf({ ...base, CONVERSION_STUCK_AFTER: 'P1M' }).map((p) => p.variable)).toEqual(['CONVERSION_STUCK_AFTER']);
    expect(problemsOf({ ...base, CUSTOMERS_FEED_GROUP_ID: 'bad group' }).map((p) => p.variable)).toEqual(['CUSTOMERS_FEED_GROUP_ID']);
    expect(problemsOf({ ...base, REMINDERS_ENABLED: 'maybe' }).map((p) => p.variable)).toEqual(['REMINDERS_ENABLED']);
  });
});
