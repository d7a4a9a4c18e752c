// Projection `conversion_links` (@crm/projections): who each converted lead and each opportunity belongs to.
//   converted_leads        one row per converted lead: its conversion's opportunity, when it was asked (and asked
//                          again), the customer the customers service linked and when; erased once shredded.
//                          Feeds the stuck-conversions query and the erasure follow-up (leads of a customer).
//   opportunity_customers  one row per opportunity: its customer (changes with the saga's link and with merges).
//                          Feeds the merge follow-up (opportunities of a customer).
// Linking something to a customer re-opens that customer's follow-ups under its advisory lock (see
// customers-feed/customer-follow-ups.ts): a merge or erasure that arrived before the link still reaches it.
import type { ClientBase } from 'pg';
import { defineProjection, type ProjectionDefinition, type ProjectionEvent, type TableNames } from '@crm/projections';
import { idOfStream, SALES_STREAM_PREFIXES, type LeadEvent, type OpportunityEvent } from '../domain';
import { reopenFollowUps } from '../customers-feed/customer-follow-ups';
import { lockCustomer } from '../customers-feed/known-customers';

export const CONVERSION_LINKS = 'conversion_links';
/** Bump when the handlers or the tables change: the next start rebuilds into new tables. */
export const CONVERSION_LINKS_VERSION = 1;
/** The views readers query: sales.converted_leads, sales.opportunity_customers. */
export const CONVERSION_LINKS_READ_SCHEMA = 'sales';

const TABLES = ['converted_leads', 'opportunity_customers'] as const;
type Tables = TableNames<(typeof TABLES)[number]>;
type Handled = Extract<LeadEvent | OpportunityEvent, { type: (typeof HANDLED)[number] }>;

const HANDLED = [
  'LeadConverted',
  'LeadConversionRetried',
  'LeadCustomerLinked',
  'LeadContactErased',
  'OpportunityOpened',
  'OpportunityCustomerLinked',
] as const;

export interface ConversionLinksDeps {
  /** Told about lead erasures, so that another replica's cached data key of that lead is dropped. */
  onLeadErased?: (leadId: string) => void;
}

function ddl(tables: Tables): string[] {
  return [
    `CREATE TABLE ${tables.converted_leads} (
  lead_id               uuid PRIMARY KEY,
  opportunity_id        uuid,
  target                text NOT NULL CHECK (target IN ('new-customer', 'existing-customer')),
  requested_customer_id uuid,
  converted_at          timestamptz NOT NULL,
  last_attempt_at       timestamptz NOT NULL,
  attempts              integer NOT NULL DEFAULT 1,
  customer_id           uuid,
  linked_how            text,
  linked_at             timestamptz,
  erased_at             timestamptz,
  revision              bigint NOT NULL
)`,
    `CREATE INDEX converted_leads_customer ON ${tables.converted_leads} (customer_id) WHERE customer_id IS NOT NULL`,
    `CREATE INDEX converted_leads_waiting ON ${tables.converted_leads} (last_attempt_at) WHERE linked_at IS NULL`,
    `COMMENT ON TABLE ${tables.converted_leads} IS 'Converted leads and the customer the customers service linked to each (NULL while the conversion waits for its answer).'`,
    `CREATE TABLE ${tables.opportunity_customers} (
  opportunity_id uuid PRIMARY KEY,
  customer_id    uuid,
  lead_id        uuid,
  revision       bigint NOT NULL
)`,
    `CREATE INDEX opportunity_customers_customer ON ${tables.opportunity_customers} (customer_id) WHERE customer_id IS NOT NULL`,
    `COMMENT ON TABLE ${tables.opportunity_customers} IS 'The customer each opportunity belongs to (NULL while its lead conversion waits), for moving them on merges.'`,
  ];
}

/** The stream revision (always known for events from the store). */
const revisionOf = (event: ProjectionEvent): string => String(event.revision ?? 0n);

export function conversionLinksProjection(deps: ConversionLinksDeps = {}): ProjectionDefinition<(typeof TABLES)[number], Handled> {
  const leadIdOf = (event: ProjectionEvent) => idOfStream('lead', event.streamId);
  // Only a newer event of the lead's stream changes its row: the runner delivers once, a rebuild replays in order.
  const updateLead = (tx: ClientBase, tables: Tables, event: ProjectionEvent, set: string, values: unknown[]) =>
    tx.query(`UPDATE ${tables.converted_leads} SET ${set}, revision = $2 WHERE lead_id = $1 AND revision < $2`, [leadIdOf(event), revisionOf(event), ...values]);

  return defineProjection<(typeof TABLES)[number], Handled>({
    name: CONVERSION_LINKS,
    version: CONVERSION_LINKS_VERSION,
    readSchema: CONVERSION_LINKS_READ_SCHEMA,
    tables: TABLES,
    createTables: ddl,
    filter: { streamNamePrefixes: [SALES_STREAM_PREFIXES.lead, SALES_STREAM_PREFIXES.opportunity], eventTypes: [...HANDLED] },
    handlers: {
      // A conversion to an existing customer is that person's data before any link: an erasure reaches it too.
      async LeadConverted(tx, event, tables) {
        const { customer, opportunity, convertedAt } = event.data;
        if (customer.kind === 'existing-customer') await lockCustomer(tx, customer.customerId, 'shared');
        await tx.query(
          `INSERT INTO ${tables.converted_leads} (lead_id, opportunity_id, target, requested_customer_id, converted_at, last_attempt_at, revision)
           VALUES ($1, $2, $3, $4, $5, $5, $6) ON CONFLICT (lead_id) DO NOTHING`,
          [leadIdOf(event), opportunity?.opportunityId ?? null, customer.kind, customer.kind === 'existing-customer' ? customer.customerId : null, convertedAt, revisionOf(event)],
        );
        if (customer.kind === 'existing-customer') await reopenFollowUps(tx, customer.customerId);
      },
      async LeadConversionRetried(tx, event, tables) {
        await updateLead(tx, tables, event, 'last_attempt_at = $3, attempts = attempts + 1', [event.data.at]);
      },
      async LeadCustomerLinked(tx, event, tables) {
        const { customerId, how, at } = event.data;
        await lockCustomer(tx, customerId, 'shared');
        await updateLead(tx, tables, event, 'customer_id = $3, linked_how = $4, linked_at = $5', [customerId, how, at]);
        await reopenFollowUps(tx, customerId);
      },
      async LeadContactErased(tx, event, tables) {
        await updateLead(tx, tables, event, 'erased_at = $3', [event.data.erasedAt]);
        deps.onLeadErased?.(leadIdOf(event));
      },
      async OpportunityOpened(tx, event, tables) {
        const { opportunityId, customerId, leadId } = event.data;
        if (customerId !== undefined) await lockCustomer(tx, customerId, 'shared');
        await tx.query(
          `INSERT INTO ${tables.opportunity_customers} (opportunity_id, customer_id, lead_id, revision) VALUES ($1, $2, $3, $4)
           ON CONFLICT (opportunity_id) DO NOTHING`,
          [opportunityId, customerId ?? null, leadId ?? null, revisionOf(event)],
        );
        if (customerId !== undefined) await reopenFollowUps(tx, customerId);
      },
      async OpportunityCustomerLinked(tx, event, tables) {
        const { opportunityId, customerId } = event.data;
        await lockCustomer(tx, customerId, 'shared');
        await tx.query(
          `UPDATE ${tables.opportunity_customers} SET customer_id = $2, revision = $3 WHERE opportunity_id = $1 AND revision < $3`,
          [opportunityId, customerId, revisionOf(event)],
        );
        await reopenFollowUps(tx, customerId);
      },
    },
  });
}

/** The views, for queries outside the projection (the follow-up worker, the stuck-conversions query). */
export const CONVERSION_LINK_VIEWS = {
  convertedLeads: `${CONVERSION_LINKS_READ_SCHEMA}.converted_leads`,
  opportunityCustomers: `${CONVERSION_LINKS_READ_SCHEMA}.opportunity_customers`,
} as const;
