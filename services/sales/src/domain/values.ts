// The values the sales aggregates are made of, as they travel in commands, events and state: JSON only, `type`
// aliases (not interfaces) so that they fit @crm/event-store's JsonData. Shapes follow crm.sales.v1 (@crm/contracts)
// so that the relay maps internal events to integration events without loss. Times are ISO-8601 UTC strings,
// calendar dates YYYY-MM-DD.

/** A decimal string, never a float ("1299.90"), and an ISO 4217 code: the contracts' Money. */
export type Money = { amount: string; currency: string };

/** A pipeline stage. The id is a slug that never changes; name and probability may. */
export type Stage = { id: string; name: string; winProbability: number };

/**
 * A pipeline as the opportunity commands need it: the handler reads the pipeline stream and passes this along,
 * so the opportunity decider can check stages and record the stage as it was at that moment.
 */
export type PipelineDefinition = { pipelineId: string; stages: readonly Stage[] };

export type PersonName = { fullName: string; givenName?: string; familyName?: string };

/** How to reach a lead: the contracts' Contact. Personal data (see lead/lead.personal-data.ts). */
export type Contact = { name: PersonName; email?: string; phone?: string; company?: string };

/** What the opportunity handler found about a customer in the sales service's local read model. */
export type CustomerStatus = 'active' | 'inactive' | 'unknown' | 'erased' | 'merged';
export type CustomerLookup = { customerId: string; status: CustomerStatus };

/** Limits, from the crm.sales.v1 contracts where they say so. */
export const LIMITS = {
  stages: 30,
  stageId: 100,
  stageName: 100,
  pipelineName: 100,
  source: 100,
  fullName: 200,
  namePart: 100,
  company: 200,
  interest: 1000,
  reason: 500,
  title: 200,
  userId: 100,
  /** Ids from outside (uuids, customer ids) in commands that are not validated as uuids here. */
  id: 100,
  subject: 200,
  outcome: 1000,
} as const;
