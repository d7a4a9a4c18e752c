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
  const safe = label.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 30);
  const name = `crm_test_${safe}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = withDatabase(testInfra().postgresAdminUrl, name);
  const pool = new Pool({ connectionString: url, max: 10, ...poolConfig });
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

/** Drops test databases left behind by crashed runs (older than an hour). */
export async function dropStaleTestDatabases(): Promise<number> {
  return admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database d
        WHERE datname LIKE 'crm\\_test\\_%'
          AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname AND a.backend_start > now() - interval '1 hour')`,
    );
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    return rows.length;
  });
}
