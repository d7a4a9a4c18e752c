// Analysts' access on the real read models: as crm_analyst the documented views and opportunities_as_of answer,
// without free text; nothing else of the service does (events, the tables behind the views, checkpoints), and
// nothing can be written. Every table, view and column is documented with COMMENT ON.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PoolClient } from 'pg';
import { asRole, refusalAs, REPO_ROOT } from '@crm/testing';
import { money } from '../read-model/__fixtures__/sales-writer';
import { startReadModelKit, type ReadModelKit } from '../read-model/__fixtures__/read-model-kit';
import { SALES_TABLES } from '../read-model/sales-projections';
import { analystColumnNames, ANALYST_ROLE, installAnalystAccess } from './analyst-access';

let kit: ReadModelKit;
let won: string;
let pipelineId: string;
beforeAll(async () => {
  kit = await startReadModelKit('sales_analysts');
  // Normally created by infra/local/postgres/ensure.sh; the service grants to it only when it exists.
  await kit.db.pool.query(`DO $$ BEGIN CREATE ROLE ${ANALYST_ROLE} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
  await installAnalystAccess(kit.db.pool);
  pipelineId = await kit.write.definePipeline('New business', '2026-07-01T09:00:00Z');
  won = await kit.write.open(pipelineId, '2026-07-02T09:00:00Z', { amount: money('800.00') });
  await kit.write.move(won, pipelineId, 'proposal', '2026-09-01T09:00:00Z');
  await kit.write.won(won, '2026-10-02T09:00:00Z');
  await kit.write.open(pipelineId, '2026-07-05T09:00:00Z', { amount: money('300.00'), expectedCloseDate: '2026-11-30', ownerId: 'ulla' });
  await kit.write.won(await kit.write.open(pipelineId, '2026-07-06T09:00:00Z', { ownerId: 'ulla' }), '2026-08-01T09:00:00Z');
  await kit.write.schedule('2026-07-03T09:00:00Z', { dueAt: '2026-07-04T09:00:00Z', opportunityId: won });
  await kit.write.captureLead('2026-07-01T09:00:00Z');
  await kit.settled();
});
afterAll(() => kit?.close());

const asAnalyst = <T>(work: (client: PoolClient) => Promise<T>): Promise<T> => asRole(kit.db.pool, ANALYST_ROLE, work);
const refusal = (sql: string): Promise<string | undefined> => refusalAs(kit.db.pool, ANALYST_ROLE, sql);

describe('the analysts’ role', () => {
  it('selects every sales_analytics view, which shows the documented columns and no free text', async () => {
    for (const table of SALES_TABLES) {
      const { rows, fields } = await asAnalyst((client) => client.query(`SELECT * FROM sales_analytics.${table.name}`));
      expect({ table: table.name, rows: rows.length > 0, columns: fields.map((f) => f.name) }).toEqual({ table: table.name, rows: true, columns: analystColumnNames(table) });
    }
    const columns = SALES_TABLES.flatMap(analystColumnNames);
    for (const text of ['title', 'subject', 'outcome', 'lost_reason', 'state']) expect(columns).not.toContain(text);
  });

  it('gets the pipeline as of a past time from opportunities_as_of', async () => {
    const at = (time: string) =>
      asAnalyst(async (client) => (await client.query(`SELECT stage_id, status, amount::text FROM sales_analytics.opportunities_as_of($1) WHERE opportunity_id = $2`, [time, won])).rows);
    expect(await at('2026-09-30T23:59:59Z')).toEqual([{ stage_id: 'proposal', status: 'open', amount: '800.00' }]);
    expect(await at('2026-08-01T00:00:00Z')).toEqual([{ stage_id: 'qualification', status: 'open', amount: '800.00' }]);
    expect(await at('2026-10-03T00:00:00Z')).toEqual([{ stage_id: 'proposal', status: 'won', amount: '800.00' }]);
    expect(await at('2026-07-01T00:00:00Z')).toEqual([]);
  });

  it('runs every SQL example of docs/analysts/sales.md', async () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/analysts/sales.md'), 'utf8');
    const examples = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)]
      .flatMap((m) => m[1]!.split(';'))
      .map((sql) => sql.replace(/^--.*$/gm, '').trim())
      .filter((sql) => sql !== '');
    expect(examples.length).toBeGreaterThanOrEqual(4);
    for (const sql of examples) {
      const rows = await asAnalyst(async (client) => (await client.query(sql.replace(/'…'/g, `'${pipelineId}'`))).rows);
      expect({ sql, answered: rows.length > 0 }).toEqual({ sql, answered: true });
    }
  });

  it('is refused everything else: events, read-model tables and schemas, checkpoints, writes', async () => {
    for (const sql of [
      'SELECT * FROM event_store.events LIMIT 1',
      'SELECT * FROM sales.opportunities LIMIT 1',
      'SELECT * FROM sales.leads LIMIT 1',
      'SELECT * FROM sales_opportunities_v1.opportunities LIMIT 1',
      'SELECT * FROM sales_leads_v1.leads LIMIT 1',
      'SELECT * FROM projections.checkpoints LIMIT 1',
      "UPDATE sales_analytics.opportunities SET status = 'lost'",
      'DELETE FROM sales_analytics.leads',
      "INSERT INTO sales_analytics.pipelines (pipeline_id) VALUES ('x')",
      'CREATE TABLE sales_analytics.mine (id int)',
    ]) {
      expect({ sql, code: await refusal(sql) }).toEqual({ sql, code: '42501' }); // insufficient_privilege
    }
  });

  it('documents every read-model table, view and column with COMMENT ON', async () => {
    const schemas = `n.nspname IN ('sales', 'sales_analytics', 'sales_pipelines_v1', 'sales_opportunities_v1', 'sales_leads_v1') AND c.relkind IN ('r', 'v')`;
    const { rows } = await kit.db.pool.query<{ relation: string; column: string | null }>(
      `SELECT c.oid::regclass::text AS relation, NULL AS column
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE ${schemas} AND obj_description(c.oid, 'pg_class') IS NULL
       UNION ALL
       SELECT c.oid::regclass::text, a.attname
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE ${schemas} AND col_description(c.oid, a.attnum) IS NULL`,
    );
    expect(rows).toEqual([]);
    const counted = await kit.db.pool.query(
      `SELECT (SELECT count(*)::int FROM pg_views WHERE schemaname IN ('sales', 'sales_analytics')) AS views,
              (SELECT count(*)::int FROM pg_tables WHERE schemaname LIKE 'sales\\_%\\_v1') AS tables`,
    );
    expect(counted.rows[0]).toEqual({ views: 2 * SALES_TABLES.length, tables: SALES_TABLES.length });
  });
});
