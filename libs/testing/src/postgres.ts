// A fresh PostgreSQL database per test file: parallel files never see each other's rows.
import { Client, Pool, type PoolConfig } from 'pg';
import { randomBytes } from 'node:crypto';
import { testInfra } from './infra';

export interface TestDatabase {
  name: string;
  url: string;
  /** A pool on the fresh database; closed by drop(). */
  pool: Pool;
  drop(): Promise<void>;
}

function withDatabase(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testInfra().postgresAdminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates `crm_test_<label>_<random>`. Call in beforeAll and `drop()` in afterAll.
 * Set CRM_TEST_KEEP_DATABASES=1 to keep them for inspection.
 */
export async function createTestDatabase(label = 'db', poolConfig: PoolConfig = {}): Promise<TestDatabase> {
  const safe = label.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 24);
  // The creation time is in the name, so the clean-up of crashed runs never touches a database in use.
  const name = `crm_test_${safe}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await admin(async (c) => {
    await c.query(`CREATE DATABASE "${name}"`);
    // The event store's $all is held back by the oldest transaction in the whole cluster: a test that leaves
    // one open must not stall every other file's subscriptions.
    await c.query(`ALTER DATABASE "${name}" SET idle_in_transaction_session_timeout = '15s'`);
  });
  const url = withDatabase(testInfra().postgresAdminUrl, name);
  const pool = new Pool({ connectionString: url, max: 10, ...poolConfig });
  // DROP ... WITH (FORCE) ends connections the pool may still hold; that is expected, not a test failure.
  pool.on('error', () => undefined);
  let dropped = false;
  return {
    name,
    url,
    pool,
    async drop() {
      if (dropped) return;
      dropped = true;
      await pool.end();
      if (process.env['CRM_TEST_KEEP_DATABASES'] === '1') return;
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

const STALE_AFTER_MS = 2 * 60 * 60 * 1000;

/** The creation time encoded in a test database's name, or undefined for a name of another shape. */
export function testDatabaseCreatedAt(name: string): number | undefined {
  const match = /^crm_test_.*_([0-9a-z]{8,9})_[0-9a-f]{6}$/.exec(name);
  if (!match?.[1]) return undefined;
  const time = parseInt(match[1], 36);
  return Number.isFinite(time) ? time : undefined;
}

/** Drops test databases left behind by crashed runs: those created more than two hours ago. */
export async function dropStaleTestDatabases(now = Date.now()): Promise<number> {
  return admin(async (c) => {
    const { rows } = await c.query<{ datname: string; connections: number }>(
      `SELECT datname, (SELECT count(*)::int FROM pg_stat_activity a WHERE a.datname = d.datname) AS connections
         FROM pg_database d WHERE datname LIKE 'crm\\_test\\_%'`,
    );
    const stale = rows
      .filter(({ datname, connections }) => {
        const createdAt = testDatabaseCreatedAt(datname);
        // A name without a time (an older shape) is dropped only while nobody is connected to it.
        return createdAt === undefined ? connections === 0 : now - createdAt > STALE_AFTER_MS;
      })
      .map((r) => r.datname);
    for (const name of stale) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    return stale.length;
  });
}
