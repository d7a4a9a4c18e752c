// A service's schema migrations on the real PostgreSQL: in order, once across concurrent starts, recorded as the
// services' databases already hold them, and a failing one leaves nothing behind.
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { migrateSchema, type SchemaMigration } from './schema-migrations';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('schema_migrations');
});
afterAll(() => db?.drop());

const first: SchemaMigration = { version: 1, name: 'notes', sql: 'CREATE TABLE svc_a.notes (id int PRIMARY KEY, text text NOT NULL)' };
const second: SchemaMigration = { version: 2, name: 'note tags', sql: 'ALTER TABLE svc_a.notes ADD COLUMN tags text[] NOT NULL DEFAULT ARRAY[]::text[]' };

describe('migrateSchema', () => {
  it('applies pending migrations in version order, records them, and skips them on the next start', async () => {
    expect(await migrateSchema(db.pool, { schema: 'svc_a', migrations: [second, first] })).toEqual([1, 2]);
    await db.pool.query(`INSERT INTO svc_a.notes (id, text, tags) VALUES (1, 'hello', ARRAY['x'])`);

    const third: SchemaMigration = { version: 3, name: 'note index', sql: 'CREATE INDEX notes_text ON svc_a.notes (text)' };
    expect(await migrateSchema(db.pool, { schema: 'svc_a', migrations: [first, second, third] })).toEqual([3]);
    const { rows } = await db.pool.query<{ version: number; name: string }>('SELECT version, name FROM svc_a.schema_migrations ORDER BY version');
    expect(rows).toEqual([
      { version: 1, name: 'notes' },
      { version: 2, name: 'note tags' },
      { version: 3, name: 'note index' },
    ]);
  });

  it('applies each migration once when replicas start together', async () => {
    const migrations: SchemaMigration[] = [{ version: 1, name: 'counters', sql: 'CREATE TABLE svc_b.counters (id int PRIMARY KEY)' }];
    const results = await Promise.all([1, 2, 3].map(() => migrateSchema(db.pool, { schema: 'svc_b', migrations })));
    expect(results.flat()).toEqual([1]);
  });

  it('rolls a failing migration back and leaves it unrecorded, so that a fixed one applies next time', async () => {
    const broken: SchemaMigration = { version: 1, name: 'broken', sql: 'CREATE TABLE svc_c.items (id int PRIMARY KEY); SELECT no_such_function()' };
    await expect(migrateSchema(db.pool, { schema: 'svc_c', migrations: [broken] })).rejects.toThrow(/no_such_function/);
    const { rows } = await db.pool.query(`SELECT to_regclass('svc_c.items') AS items, (SELECT count(*)::int FROM svc_c.schema_migrations) AS recorded`);
    expect(rows[0]).toEqual({ items: null, recorded: 0 });

    const fixed: SchemaMigration = { ...broken, sql: 'CREATE TABLE svc_c.items (id int PRIMARY KEY)' };
    expect(await migrateSchema(db.pool, { schema: 'svc_c', migrations: [fixed] })).toEqual([1]);
  });

  it('refuses a schema that is not a plain identifier', async () => {
    await expect(migrateSchema(db.pool, { schema: 'x; DROP TABLE y', migrations: [] })).rejects.toThrow(/identifier/);
  });
});
