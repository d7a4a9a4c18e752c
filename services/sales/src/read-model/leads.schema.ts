// The table of the sales_leads projection: one row per lead with the dates of its way through the funnel. It holds
// no personal data (contact, interest and disqualification reason stay in the encrypted events), so erasing a lead
// changes nothing here but erased_at.
import { column, revisionColumn, stateColumn, tableDdl, type TableDoc } from './columns';

export const SALES_LEADS = 'sales_leads';
export const LEAD_TABLES = ['leads'] as const;
export type LeadTable = (typeof LEAD_TABLES)[number];

export const LEAD_STATUSES = ['captured', 'qualified', 'disqualified', 'converted', 'customer-linked'] as const;

export const LEADS: TableDoc = {
  name: 'leads',
  comment: 'One row per lead, projected from the lead events (projection sales_leads). No personal data: contact details are not in the read model.',
  columns: [
    column('lead_id', 'text PRIMARY KEY', 'The lead id (lower-case uuid); its event stream is lead-<id>.'),
    column('source', 'text NOT NULL', 'Where the lead came from (web-form, fair-2026, …).'),
    column('owner_id', 'text', 'The user the lead is assigned to; NULL if none.'),
    column(
      'status',
      `text NOT NULL CHECK (status IN (${LEAD_STATUSES.map((s) => `'${s}'`).join(', ')}))`,
      'captured, qualified, disqualified, converted (waiting for the customers service) or customer-linked (converted, customer known).',
    ),
    column('captured_at', 'timestamptz NOT NULL', 'When the lead was captured.'),
    column('qualified_at', 'timestamptz', 'When it was first qualified; NULL if never (a lead may be converted without an explicit qualification).'),
    column('disqualified_at', 'timestamptz', 'When it was last disqualified; NULL if never. A disqualified lead may be qualified again.'),
    column('converted_at', 'timestamptz', 'When it was converted; NULL if not.'),
    column('conversion_target', "text CHECK (conversion_target IN ('existing-customer', 'new-customer'))", 'Whether the conversion picked an existing customer or asked for a new one.'),
    column('opportunity_id', 'text', 'The opportunity the conversion opened, if it opened one.'),
    column('customer_id', 'text', 'The customer the customers service linked the converted lead to; NULL until it answered.'),
    column('linked_at', 'timestamptz', 'When the customer was linked.'),
    column('erased_at', 'timestamptz', "When the lead's contact data was erased (GDPR art. 17); NULL if never."),
    column('updated_at', 'timestamptz NOT NULL', 'Business time of the last event applied.'),
    revisionColumn('lead'),
    stateColumn('lead (without its personal fields)'),
  ],
};

export function leadTablesDdl(tables: { readonly [K in LeadTable]: string }): string[] {
  return [
    ...tableDdl(tables.leads, LEADS),
    `CREATE INDEX ON ${tables.leads} (captured_at)`,
    `CREATE INDEX ON ${tables.leads} (customer_id) WHERE customer_id IS NOT NULL`,
    `CREATE INDEX ON ${tables.leads} (opportunity_id) WHERE opportunity_id IS NOT NULL`,
  ];
}
