// What analysts get (through @crm/projections' analyst access): schema `sales_analytics` with one stable, documented
// view per read-model table — free text and internal state left out — and opportunities_as_of(t), the pipeline at
// any past time; readable by the role crm_analyst and nothing else of the service (not the events, the lead data
// keys, the tables behind the views, the checkpoints). Applied at every start, after the projections are installed.
import { commentStatements, installAnalystAccess as install, sqlLiteral, type AnalystAccess, type AnalystView } from '@crm/projections';
import type { Pool } from 'pg';
import { READ_SCHEMA, type TableDoc } from '../read-model/columns';
import { OPPORTUNITY_HISTORY } from '../read-model/opportunities.schema';
import { SALES_TABLES } from '../read-model/sales-projections';

export const ANALYTICS_SCHEMA = 'sales_analytics';
export const ANALYST_ROLE = 'crm_analyst';
export const AS_OF_FUNCTION = `${ANALYTICS_SCHEMA}.opportunities_as_of`;

const analystColumns = (table: TableDoc) => table.columns.filter((c) => c.analysts);

/** The columns of a table's analysts' view, in order. */
export const analystColumnNames = (table: TableDoc): string[] => analystColumns(table).map((c) => c.name);

/** The bare SQL type of a column: `text NOT NULL CHECK (…)` → `text`. */
const bareType = (type: string): string => type.replace(/ (PRIMARY KEY|NOT NULL|DEFAULT|CHECK).*$/, '');

const viewOf = (table: TableDoc): AnalystView => ({
  name: table.name,
  select: `SELECT ${analystColumnNames(table).join(', ')} FROM ${READ_SCHEMA}.${table.name}`,
  comment: table.comment,
  columns: analystColumns(table),
});

function asOfFunction(): string[] {
  const columns = analystColumns(OPPORTUNITY_HISTORY);
  const comment =
    "Every opportunity as it stood at as_of (one row per opportunity that existed then): stage, status, amount, close date and owner of that time. E.g. the pipeline at quarter close: SELECT stage_id, currency, sum(amount) FROM sales_analytics.opportunities_as_of('2026-09-30T23:59:59Z') WHERE status = 'open' GROUP BY 1, 2.";
  return [
    `CREATE OR REPLACE FUNCTION ${AS_OF_FUNCTION}(as_of timestamptz)
       RETURNS TABLE (${columns.map((c) => `${c.name} ${bareType(c.type)}`).join(', ')})
       LANGUAGE sql STABLE
       AS $fn$ SELECT ${columns.map((c) => c.name).join(', ')} FROM ${ANALYTICS_SCHEMA}.opportunity_history
                WHERE valid_from <= as_of AND (valid_to IS NULL OR valid_to > as_of) $fn$`,
    `COMMENT ON FUNCTION ${AS_OF_FUNCTION}(timestamptz) IS ${sqlLiteral(comment)}`,
    `REVOKE ALL ON FUNCTION ${AS_OF_FUNCTION}(timestamptz) FROM PUBLIC`,
    `DO $$ BEGIN
       IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${ANALYST_ROLE}') THEN
         GRANT EXECUTE ON FUNCTION ${AS_OF_FUNCTION}(timestamptz) TO ${ANALYST_ROLE};
       END IF;
     END $$`,
  ];
}

export const SALES_ANALYST_ACCESS: AnalystAccess = {
  schema: ANALYTICS_SCHEMA,
  comment: 'Stable, documented views of the sales read models for analysts (role crm_analyst). See docs/analysts/sales.md.',
  role: ANALYST_ROLE,
  views: SALES_TABLES.map(viewOf),
  statements: [
    ...asOfFunction(),
    // The read schema's own views (over the live versions' tables) carry the same documentation.
    ...SALES_TABLES.flatMap((table) => commentStatements(`${READ_SCHEMA}.${table.name}`, `${table.comment} (View over the live version.)`, table.columns, 'VIEW')),
  ],
};

/** Creates or refreshes the analysts' views, function, comments and grants. Call once the sales projections are installed. */
export function installAnalystAccess(pool: Pool): Promise<void> {
  return install(pool, SALES_ANALYST_ACCESS);
}
