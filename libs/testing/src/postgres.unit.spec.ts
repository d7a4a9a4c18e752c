import { testDatabaseCreatedAt } from './postgres';

describe('test database names', () => {
  it('carry their creation time, so the clean-up of crashed runs can tell old from new', () => {
    const at = Date.UTC(2026, 10, 23, 12, 0, 0);
    expect(testDatabaseCreatedAt(`crm_test_event_store_${at.toString(36)}_a1b2c3`)).toBe(at);
  });

  it('have no time when they are of another shape', () => {
    expect(testDatabaseCreatedAt('crm_test_db_1a2b3c4d')).toBeUndefined();
    expect(testDatabaseCreatedAt('crm_customers')).toBeUndefined();
  });
});
