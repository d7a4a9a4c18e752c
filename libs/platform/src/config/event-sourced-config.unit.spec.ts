// The variables every event-sourced service shares, and the decorators of those each names for itself.
import { randomBytes } from 'node:crypto';
import { backgroundWorkDisabledBy, EventSourcedServiceConfig, MasterKeyVariable, PhoneRegionVariable, validateConfig } from '../index';

class NotesConfig extends EventSourcedServiceConfig {
  @MasterKeyVariable() NOTES_MASTER_KEY!: string;
  @PhoneRegionVariable() DEFAULT_PHONE_REGION = 'US';
}

const base = { SERVICE_NAME: 'notes', DATABASE_URL: 'postgres://u:secret@db:5432/notes', KAFKA_BROKERS: 'k1:9092', NOTES_MASTER_KEY: randomBytes(32).toString('base64') };
const problemsOf = (env: Record<string, string>): string[] => {
  const result = validateConfig(NotesConfig, env);
  return result.ok ? [] : result.problems.map((p) => p.variable);
};

describe('EventSourcedServiceConfig', () => {
  it('has defaults for the event store, the pool, the data keys and Kafka', () => {
    expect(validateConfig(NotesConfig, base)).toMatchObject({
      ok: true,
      config: {
        EVENT_STORE: 'postgres',
        DATABASE_POOL_MAX: 20,
        DATA_KEY_CACHE_SIZE: 10_000,
        DATA_KEY_CACHE_TTL_MS: 60_000,
        EVENT_STORE_POLL_MAX_DELAY_MS: 25,
        KAFKA_TOPIC_PREFIX: '',
        KAFKA_REPLICATION_FACTOR: 1,
        DEFAULT_PHONE_REGION: 'US',
      },
    });
  });

  it('needs an EventStoreDB connection string only with EVENT_STORE=eventstoredb', () => {
    expect(problemsOf({ ...base, EVENT_STORE: 'eventstoredb' })).toEqual(['EVENTSTORE_CONNECTION_STRING']);
    expect(problemsOf({ ...base, EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'kurrentdb://127.0.0.1:2113?tls=false' })).toEqual([]);
    expect(problemsOf({ ...base, EVENT_STORE: 'mongodb', DATABASE_POOL_MAX: '0', EVENT_STORE_POLL_MAX_DELAY_MS: '5' })).toEqual([
      'EVENT_STORE',
      'DATABASE_POOL_MAX',
      'EVENT_STORE_POLL_MAX_DELAY_MS',
    ]);
  });

  it("checks the service's master key and phone region under the names it gives them", () => {
    const { NOTES_MASTER_KEY: _key, ...withoutKey } = base;
    expect(validateConfig(NotesConfig, withoutKey)).toEqual({ ok: false, problems: [{ variable: 'NOTES_MASTER_KEY', problems: ['is required but not set'] }] });
    expect(problemsOf({ ...base, NOTES_MASTER_KEY: randomBytes(16).toString('base64') })).toEqual(['NOTES_MASTER_KEY']);
    expect(problemsOf({ ...base, DEFAULT_PHONE_REGION: 'de' })).toEqual(['DEFAULT_PHONE_REGION']);
    expect(problemsOf({ ...base, DEFAULT_PHONE_REGION: 'XX' })).toEqual(['DEFAULT_PHONE_REGION']);
  });
});

describe('RUN_BACKGROUND_WORK', () => {
  it('is on by default; false makes an API-only process, and names itself as the reason a component does not start', () => {
    const on = validateConfig(NotesConfig, base);
    const off = validateConfig(NotesConfig, { ...base, RUN_BACKGROUND_WORK: 'false' });
    expect(on.ok && on.config.RUN_BACKGROUND_WORK).toBe(true);
    expect(off.ok && off.config.RUN_BACKGROUND_WORK).toBe(false);
    expect(problemsOf({ ...base, RUN_BACKGROUND_WORK: 'sometimes' })).toEqual(['RUN_BACKGROUND_WORK']);

    expect(backgroundWorkDisabledBy({ RUN_BACKGROUND_WORK: true })).toBeUndefined();
    expect(backgroundWorkDisabledBy({ RUN_BACKGROUND_WORK: false }, { enabled: true, name: 'FEED_ENABLED' })).toBe('RUN_BACKGROUND_WORK=false');
    expect(backgroundWorkDisabledBy({ RUN_BACKGROUND_WORK: true }, { enabled: false, name: 'FEED_ENABLED' })).toBe('FEED_ENABLED=false');
    expect(backgroundWorkDisabledBy({ RUN_BACKGROUND_WORK: true }, { enabled: true, name: 'FEED_ENABLED' })).toBeUndefined();
  });
});
