// Projection `sales_leads`: lead events folded with the domain's evolve into sales.leads, the personal fields dropped
// from the stored state before it is written, so that the read model never holds a lead's contact data.
import { defineProjection, type ProjectionDefinition, type ProjectionEvent, type TableNames } from '@crm/projections';
import type { ClientBase } from 'pg';
import { idOfStream, leadDecider, SALES_STREAM_PREFIXES, type CapturedLead, type LeadEvent, type LeadEventType, type LeadState } from '../domain';
import { READ_SCHEMA } from './columns';
import { eventTime, foldEvent, sameCase, upsertRow, type TimeFields } from './folding';
import { LEAD_TABLES, leadTablesDdl, SALES_LEADS, type LeadTable } from './leads.schema';

/** Bump when the handlers or the table change: the next start rebuilds into new tables, readers keep the old. */
export const SALES_LEADS_VERSION = 1;

const TIME: TimeFields<LeadEvent> = {
  LeadCaptured: 'capturedAt',
  LeadQualified: 'at',
  LeadDisqualified: 'at',
  LeadConverted: 'convertedAt',
  LeadConversionRetried: 'at',
  LeadCustomerLinked: 'at',
  LeadContactErased: 'erasedAt',
};

export const LEAD_EVENT_TYPES = Object.keys(TIME) as LeadEventType[];

type Tables = TableNames<LeadTable>;

/** The lead without contact, interest and disqualification reason: `evolve` folds the next event into it as well. */
export function withoutPersonalData(state: LeadState): LeadState {
  if (state.status === 'new') return state;
  const { contact: _contact, interest: _interest, ...rest } = state as CapturedLead & { disqualifiedReason?: string };
  const { disqualifiedReason: _reason, ...lead } = rest;
  return lead as CapturedLead;
}

async function apply(tx: ClientBase, recorded: ProjectionEvent, tables: Tables): Promise<void> {
  const leadId = idOfStream('lead', recorded.streamId);
  const folded = await foldEvent<LeadState, LeadEvent>(tx, { table: tables.leads, key: 'lead_id', id: leadId, decider: leadDecider }, recorded);
  if (folded === undefined || folded.after.status === 'new') return;
  const { before, revision } = folded;
  const after = withoutPersonalData(folded.after) as CapturedLead;
  const at = eventTime(TIME, recorded);
  const conversion = after.status === 'converted' || after.status === 'customer-linked' ? after.conversion : undefined;
  const linked = after.status === 'customer-linked' ? after : undefined;
  await upsertRow(tx, tables.leads, 'lead_id', {
    lead_id: leadId,
    source: after.source,
    owner_id: after.ownerId ?? null,
    status: after.status,
    captured_at: after.capturedAt,
    converted_at: conversion?.convertedAt ?? null,
    conversion_target: conversion?.target.kind ?? null,
    opportunity_id: sameCase(conversion?.opportunity?.opportunityId),
    customer_id: linked?.customerId ?? null,
    linked_at: linked?.linkedAt ?? null,
    erased_at: after.erasedAt ?? null,
    updated_at: at,
    revision: revision.toString(),
    state: JSON.stringify(after),
  });
  // The state keeps no dates of these steps: the first qualification and the last disqualification are kept here.
  const entered = before.status !== after.status;
  if (entered && after.status === 'qualified') {
    await tx.query(`UPDATE ${tables.leads} SET qualified_at = COALESCE(qualified_at, $2::timestamptz) WHERE lead_id = $1`, [leadId, at]);
  }
  if (entered && after.status === 'disqualified') {
    await tx.query(`UPDATE ${tables.leads} SET disqualified_at = $2::timestamptz WHERE lead_id = $1`, [leadId, at]);
  }
}

export function salesLeadsProjection(): ProjectionDefinition<LeadTable, LeadEvent> {
  return defineProjection<LeadTable, LeadEvent>({
    name: SALES_LEADS,
    version: SALES_LEADS_VERSION,
    readSchema: READ_SCHEMA,
    tables: LEAD_TABLES,
    createTables: leadTablesDdl,
    handlers: Object.fromEntries(LEAD_EVENT_TYPES.map((type) => [type, apply])),
    filter: { streamNamePrefixes: [SALES_STREAM_PREFIXES.lead], eventTypes: LEAD_EVENT_TYPES },
  });
}
