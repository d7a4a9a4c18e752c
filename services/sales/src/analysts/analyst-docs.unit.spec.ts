// docs/analysts/sales.md documents exactly the columns the analysts' views have, view by view.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@crm/testing';
import { SALES_TABLES } from '../read-model/sales-projections';
import { analystColumnNames } from './analyst-access';

const doc = readFileSync(join(REPO_ROOT, 'docs/analysts/sales.md'), 'utf8');

/** The column names listed in the table under the heading of a view. */
function documentedColumns(view: string): string[] {
  const section = doc.split('\n## ').find((s) => s.startsWith(`\`sales_analytics.${view}\``)) ?? '';
  return [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]!);
}

describe('docs/analysts/sales.md', () => {
  it.each(SALES_TABLES.map((table) => [table.name, table] as const))('lists every column of sales_analytics.%s, in order', (_name, table) => {
    expect(documentedColumns(table.name)).toEqual(analystColumnNames(table));
  });
});
