// Tables of the sales_opportunities projection: opportunities as they are now, their history as intervals (the
// pipeline as of any past time), and sales activities — in one projection because an activity on an opportunity
// moves the opportunity's last activity time, in the same transaction.
import { column, freeText, revisionColumn, stateColumn, tableDdl, type ColumnDoc, type TableDoc } from './columns';

export const SALES_OPPORTUNITIES = 'sales_opportunities';
export const OPPORTUNITY_TABLES = ['opportunities', 'opportunity_history', 'activities'] as const;
export type OpportunityTable = (typeof OPPORTUNITY_TABLES)[number];
export type OpportunityTables = { readonly [K in OpportunityTable]: string };

export const OPPORTUNITY_STATUSES = ['open', 'won', 'lost'] as const;
export const ACTIVITY_STATUSES = ['open', 'completed', 'cancelled'] as const;

const inList = (values: readonly string[]): string => `(${values.map((v) => `'${v}'`).join(', ')})`;

/** What the board shows of an opportunity: current in `opportunities`, per interval in `opportunity_history`. */
const boardColumns = (when: string): ColumnDoc[] => [
  column('pipeline_id', 'text NOT NULL', 'The pipeline.'),
  column('status', `text NOT NULL CHECK (status IN ${inList(OPPORTUNITY_STATUSES)})`, `open, won or lost ${when}.`),
  column('stage_id', 'text NOT NULL', `The stage ${when} (for won and lost: the stage it was closed at).`),
  column('stage_name', 'text NOT NULL', 'The stage name as recorded by the event that moved it there (stages are renamed later: join sales_analytics.pipeline_stages for the current name).'),
  column('stage_probability', 'double precision NOT NULL', 'The stage win probability as recorded by that event.'),
  column('amount', 'numeric NOT NULL', `The amount ${when}, exact decimal in currency units.`),
  column('currency', 'text NOT NULL', 'ISO 4217 code of amount. Never add amounts of different currencies.'),
  column('expected_close_date', 'date', `The expected close date ${when}; NULL if none.`),
  column('owner_id', 'text', `The owning user ${when}; NULL if unassigned.`),
];

export const OPPORTUNITIES: TableDoc = {
  name: 'opportunities',
  comment: 'One row per opportunity as it is now, projected from the opportunity and activity events (projection sales_opportunities).',
  columns: [
    column('opportunity_id', 'text PRIMARY KEY', 'The opportunity id (lower-case uuid); its event stream is opportunity-<id>.'),
    ...boardColumns('now'),
    freeText('title', 'The title.'),
    column('customer_id', 'text', 'The customer (crm.customers.v1 id); NULL until a lead conversion links it. Follows merges to the survivor.'),
    column('lead_id', 'text', 'The lead whose conversion opened it, if any.'),
    column('opened_at', 'timestamptz NOT NULL', 'When it was opened.'),
    column('closed_at', 'timestamptz', 'When it was won or lost; NULL while open (a reopened opportunity is open again).'),
    freeText('lost_reason', 'Why it was lost; NULL unless lost.'),
    column(
      'last_activity_at',
      'timestamptz NOT NULL',
      'The latest of: any event of the opportunity (stage move, amount change, …) and any scheduling, rescheduling, completion or cancellation of an activity about it. "Stale" compares this with now.',
    ),
    column('updated_at', 'timestamptz NOT NULL', 'Business time of the last opportunity event applied.'),
    revisionColumn('opportunity'),
    stateColumn('opportunity'),
  ],
};

export const OPPORTUNITY_HISTORY: TableDoc = {
  name: 'opportunity_history',
  comment:
    'Each opportunity over time, one row per interval during which stage, status, amount, close date and owner stayed the same (projection sales_opportunities). The pipeline as of time T: the rows with valid_from <= T AND (valid_to IS NULL OR valid_to > T).',
  columns: [
    column('opportunity_id', 'text NOT NULL', 'The opportunity.'),
    column('revision', 'bigint NOT NULL', 'Revision of the opportunity event that began the interval.'),
    ...boardColumns('during the interval'),
    column('valid_from', 'timestamptz NOT NULL', 'Start of the interval (inclusive): the business time of that event.'),
    column('valid_to', 'timestamptz', 'End of the interval (exclusive); NULL for the current one.'),
  ],
};

export const ACTIVITIES: TableDoc = {
  name: 'activities',
  comment: 'One row per sales activity (appointment, call, follow-up), projected from the activity events (projection sales_opportunities).',
  columns: [
    column('activity_id', 'text PRIMARY KEY', 'The activity id (lower-case uuid); its event stream is activity-<id>.'),
    column('kind', 'text NOT NULL', 'appointment, call or follow-up.'),
    freeText('subject', 'What it is about.'),
    column('status', `text NOT NULL CHECK (status IN ${inList(ACTIVITY_STATUSES)})`, 'open, completed or cancelled.'),
    column('due_at', 'timestamptz NOT NULL', 'When it is due. An open activity due before now is overdue.'),
    column('remind_at', 'timestamptz', 'When its owner is reminded; NULL if no reminder.'),
    column('reminder_fired', 'boolean NOT NULL', 'Whether the reminder for remind_at was sent.'),
    column('owner_id', 'text', 'The user who does it; NULL if nobody in particular.'),
    column('opportunity_id', 'text', 'The opportunity it is about, if any.'),
    column('lead_id', 'text', 'The lead it is about, if any.'),
    column('customer_id', 'text', 'The customer it is about, if any.'),
    column('scheduled_at', 'timestamptz NOT NULL', 'When it was scheduled.'),
    column('closed_at', 'timestamptz', 'When it was completed or cancelled.'),
    freeText('outcome', 'How it went, once completed.'),
    column('touched_at', 'timestamptz NOT NULL', 'When a user last scheduled, rescheduled, completed or cancelled it (reminders do not count).'),
    revisionColumn('activity'),
    stateColumn('activity'),
  ],
};

export function opportunityTablesDdl(tables: OpportunityTables): string[] {
  return [
    ...tableDdl(tables.opportunities, OPPORTUNITIES),
    // The board and forecast filter open opportunities of a pipeline; stale ones sort by last activity.
    `CREATE INDEX ON ${tables.opportunities} (pipeline_id, status, stage_id)`,
    `CREATE INDEX ON ${tables.opportunities} (last_activity_at, opportunity_id) WHERE status = 'open'`,
    `CREATE INDEX ON ${tables.opportunities} (closed_at) WHERE closed_at IS NOT NULL`,
    `CREATE INDEX ON ${tables.opportunities} (lead_id) WHERE lead_id IS NOT NULL`,
    `CREATE INDEX ON ${tables.opportunities} (customer_id) WHERE customer_id IS NOT NULL`,
    ...tableDdl(tables.opportunity_history, OPPORTUNITY_HISTORY, ['PRIMARY KEY (opportunity_id, revision)']),
    `CREATE INDEX ON ${tables.opportunity_history} (pipeline_id, valid_from)`,
    `CREATE UNIQUE INDEX ON ${tables.opportunity_history} (opportunity_id) WHERE valid_to IS NULL`,
    ...tableDdl(tables.activities, ACTIVITIES),
    `CREATE INDEX ON ${tables.activities} (due_at, activity_id) WHERE status = 'open'`,
    `CREATE INDEX ON ${tables.activities} (opportunity_id) WHERE opportunity_id IS NOT NULL`,
  ];
}
