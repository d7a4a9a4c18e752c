// Running SQL as another role in tests (the analysts' read-only role, say): one session, its role reset afterwards.
import type { Pool, PoolClient } from 'pg';

export async function asRole<T>(pool: Pool, role: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(`SET ROLE ${role}`);
    return await work(client);
  } finally {
    await client.query('RESET ROLE');
    client.release();
  }
}

/** The SQLSTATE with which PostgreSQL refuses `sql` to `role` (42501: insufficient privilege), or undefined if it ran. */
export function refusalAs(pool: Pool, role: string, sql: string): Promise<string | undefined> {
  return asRole(pool, role, async (client) => {
    try {
      await client.query(sql);
      return undefined;
    } catch (error) {
      return (error as { code?: string }).code;
    }
  });
}
