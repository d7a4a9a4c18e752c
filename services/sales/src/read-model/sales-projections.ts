// The sales read models, one projection each into schema `sales` (views over the live version's tables).
import type { ProjectionDefinition } from '@crm/projections';
import type { Pool } from 'pg';
import { READ_SCHEMA, type TableDoc } from './columns';
import { salesLeadsProjection } from './leads.projection';
import { LEADS } from './leads.schema';
import { salesOpportunitiesProjection } from './opportunities.projection';
import { ACTIVITIES, OPPORTUNITIES, OPPORTUNITY_HISTORY } from './opportunities.schema';
import { salesPipelinesProjection } from './pipelines.projection';
import { PIPELINE_STAGES, PIPELINES, STAGE_PROBABILITY_HISTORY } from './pipelines.schema';

/** Every read-model table with its documentation, in the order docs/analysts/sales.md shows them. */
export const SALES_TABLES: readonly TableDoc[] = [PIPELINES, PIPELINE_STAGES, STAGE_PROBABILITY_HISTORY, OPPORTUNITIES, OPPORTUNITY_HISTORY, ACTIVITIES, LEADS];

export function salesProjections(): ProjectionDefinition[] {
  return [salesPipelinesProjection(), salesOpportunitiesProjection(), salesLeadsProjection()];
}

/**
 * Creates schema `sales` before the projections install their views in it. Each installation runs
 * `CREATE SCHEMA IF NOT EXISTS` in its own transaction; two of them at once on a fresh database make the second
 * fail with a duplicate key, so the schema is created here first, and a concurrent creator's win is a success.
 */
export async function ensureReadSchema(pool: Pick<Pool, 'query'>): Promise<void> {
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${READ_SCHEMA}`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== '23505' && code !== '42P06') throw error; // unique_violation, duplicate_schema: someone else made it
  }
}
