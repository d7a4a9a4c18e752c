// Read-model tables described once: each column's SQL type and documentation, from which come the DDL, the
// COMMENT ON statements (tables, the read schema's views and the analysts' views) and docs/analysts/sales.md.
import { commentStatements } from '@crm/projections';

export const READ_SCHEMA = 'sales';

export interface ColumnDoc {
  name: string;
  type: string;
  comment: string;
  /** Shown in the analysts' view; free text and internal state are not. */
  analysts: boolean;
}

export interface TableDoc {
  /** The logical table name: also the name of its view in `sales` and in `sales_analytics`. */
  name: string;
  comment: string;
  columns: readonly ColumnDoc[];
}

export const column = (name: string, type: string, comment: string, analysts = true): ColumnDoc => ({ name, type, comment, analysts });

/** Free text users type: may name people, so it stays out of the analysts' views (the API shows it). */
export const freeText = (name: string, comment: string): ColumnDoc => column(name, 'text', `${comment} Free text: not in the analysts' view.`, false);

/** The folded domain state the next event is applied to. */
export const stateColumn = (what: string): ColumnDoc =>
  column('state', 'jsonb NOT NULL', `Internal: the folded ${what} state the next event is applied to.`, false);

export const revisionColumn = (stream: string): ColumnDoc =>
  column('revision', 'bigint NOT NULL', `Revision of the last event applied from the ${stream} stream; a redelivered event at or below it changes nothing.`);

/** CREATE TABLE with its columns, extra constraints (primary keys over several columns) and comments. */
export function tableDdl(relation: string, table: TableDoc, constraints: readonly string[] = []): string[] {
  const lines = [...table.columns.map((c) => `${c.name} ${c.type}`), ...constraints];
  return [`CREATE TABLE ${relation} (\n  ${lines.join(',\n  ')}\n)`, ...commentStatements(relation, table.comment, table.columns)];
}
