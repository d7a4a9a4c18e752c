// What analysts get of a service: one schema of stable, documented views over its read models, readable by a
// read-only role and nothing else of the service. The views select named columns from the read schema's views,
// which the projection catalog re-points at each rebuilt version, so they survive rebuilds; views run with their
// owner's rights, so the role needs no access to the tables behind them. Applied at every start, idempotently.
import type { Pool } from 'pg';

/** A column and what it means, for COMMENT ON (and the service's analyst docs, which say the same). */
export interface DocumentedColumn {
  readonly name: string;
  readonly comment: string;
}

export interface AnalystView {
  /** The view's name inside the analysts' schema, e.g. `customer_profiles`. */
  readonly name: string;
  /** Its query: named columns from the read schema's views, never `*` (a new column is not shown by accident). */
  readonly select: string;
  readonly comment: string;
  /** Every column of the view, documented. */
  readonly columns: readonly DocumentedColumn[];
}

export interface AnalystAccess {
  /** The analysts' schema, e.g. `customers_analytics`. */
  readonly schema: string;
  readonly comment: string;
  /** The read-only role, created by infrastructure (infra/local/postgres/ensure.sh): without it, no grants. */
  readonly role: string;
  readonly views: readonly AnalystView[];
  /** Run after the views, in the same transaction: e.g. comments on the service's own tables. */
  readonly statements?: readonly string[];
  /** The advisory lock that serialises instances starting together. Default `<schema>_access`. */
  readonly lockName?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export const sqlLiteral = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** COMMENT ON the relation and each of its columns. */
export function commentStatements(relation: string, comment: string, columns: readonly DocumentedColumn[], kind: 'TABLE' | 'VIEW' = 'TABLE'): string[] {
  return [
    `COMMENT ON ${kind} ${relation} IS ${sqlLiteral(comment)}`,
    ...columns.map((column) => `COMMENT ON COLUMN ${relation}.${column.name} IS ${sqlLiteral(column.comment)}`),
  ];
}

/** Every statement `installAnalystAccess` runs, in order. */
export function analystAccessStatements(access: AnalystAccess): string[] {
  for (const name of [access.schema, access.role, ...access.views.map((view) => view.name)]) {
    if (!IDENTIFIER.test(name)) throw new TypeError(`Not a plain lower-case identifier: ${name}`);
  }
  const views = access.views.map((view) => `${access.schema}.${view.name}`);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${access.schema}`,
    `COMMENT ON SCHEMA ${access.schema} IS ${sqlLiteral(access.comment)}`,
    ...access.views.flatMap((view, index) => [
      `CREATE OR REPLACE VIEW ${views[index]} AS ${view.select}`,
      ...commentStatements(views[index] ?? '', view.comment, view.columns, 'VIEW'),
    ]),
    ...(access.statements ?? []),
    `REVOKE ALL ON SCHEMA ${access.schema} FROM PUBLIC`,
    `DO $$ BEGIN
       IF EXISTS (SELECT FROM pg_roles WHERE rolname = ${sqlLiteral(access.role)}) THEN
         GRANT USAGE ON SCHEMA ${access.schema} TO ${access.role};
         ${views.length > 0 ? `GRANT SELECT ON ${views.join(', ')} TO ${access.role};` : ''}
       END IF;
     END $$`,
  ];
}

/** Creates or refreshes the analysts' schema, views, comments and grants. Call after the projections are installed. */
export async function installAnalystAccess(pool: Pool, access: AnalystAccess): Promise<void> {
  const statements = analystAccessStatements(access);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [access.lockName ?? `${access.schema}_access`]);
    for (const sql of statements) await client.query(sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
