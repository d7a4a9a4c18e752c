// Why a sales decider refuses a command. Each error has a stable `code` for clients and a `kind` that the HTTP
// edge maps to a status in one place (not_found → 404, conflict → 409, rejected → 422).
// Messages and details carry ids, field names and limits only: never personal data, since they end up in logs.
import type { JsonData } from '@crm/event-store';
import type { SalesAggregate } from './streams';

export type SalesErrorKind = 'not_found' | 'conflict' | 'rejected';

const NOT_FOUND = {
  pipeline: 'PIPELINE_NOT_FOUND',
  lead: 'LEAD_NOT_FOUND',
  opportunity: 'OPPORTUNITY_NOT_FOUND',
  activity: 'ACTIVITY_NOT_FOUND',
} as const satisfies Record<SalesAggregate, string>;

const ALREADY_EXISTS = {
  pipeline: 'PIPELINE_ALREADY_DEFINED',
  lead: 'LEAD_ALREADY_CAPTURED',
  opportunity: 'OPPORTUNITY_ALREADY_OPENED',
  activity: 'ACTIVITY_ALREADY_SCHEDULED',
} as const satisfies Record<SalesAggregate, string>;

export type SalesNotFoundCode = (typeof NOT_FOUND)[SalesAggregate];
export type SalesAlreadyExistsCode = (typeof ALREADY_EXISTS)[SalesAggregate];

/** Business rules a command breaks; all of kind `rejected`. */
export type SalesRuleCode =
  // any aggregate: a malformed value that the edge should have caught (details.field names it)
  | 'INVALID_VALUE'
  | 'INVALID_AMOUNT'
  // pipelines
  | 'NO_STAGES'
  | 'STAGE_LIMIT'
  | 'INVALID_STAGE_ID'
  | 'DUPLICATE_STAGE_ID'
  | 'INVALID_WIN_PROBABILITY'
  | 'UNKNOWN_STAGE'
  | 'NOT_A_PERMUTATION'
  | 'INVALID_POSITION'
  // leads
  | 'LEAD_DISQUALIFIED'
  | 'LEAD_CONVERTED'
  | 'LEAD_ALREADY_CONVERTED'
  | 'LEAD_NOT_CONVERTED'
  | 'LEAD_CUSTOMER_LINKED'
  | 'LEAD_ERASED'
  // opportunities
  | 'OPPORTUNITY_CLOSED'
  | 'OPPORTUNITY_NOT_CLOSED'
  | 'PIPELINE_MISMATCH'
  | 'CUSTOMER_NOT_ACTIVE'
  | 'CUSTOMER_REQUIRED'
  | 'CUSTOMER_MISMATCH'
  | 'LOST_REASON_REQUIRED'
  // activities
  | 'ACTIVITY_COMPLETED'
  | 'ACTIVITY_CANCELLED'
  | 'REMINDER_AFTER_DUE';

export type SalesErrorCode = SalesNotFoundCode | SalesAlreadyExistsCode | SalesRuleCode;

export type ErrorDetails = { readonly [key: string]: JsonData };

export abstract class SalesDomainError extends Error {
  abstract readonly code: SalesErrorCode;
  abstract readonly kind: SalesErrorKind;

  constructor(
    readonly aggregate: SalesAggregate,
    readonly aggregateId: string,
    message: string,
    /** Machine-readable context for the response body. */
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }
}

/** A command other than the creating one on a stream that has no aggregate yet. */
export class SalesNotFoundError extends SalesDomainError {
  override readonly name = 'SalesNotFoundError';
  override readonly kind = 'not_found';
  override readonly code: SalesNotFoundCode;

  constructor(aggregate: SalesAggregate, aggregateId: string) {
    super(aggregate, aggregateId, `The ${aggregate} ${aggregateId} does not exist`);
    this.code = NOT_FOUND[aggregate];
  }
}

/** The creating command (DefinePipeline, CaptureLead, OpenOpportunity, ScheduleActivity) on an existing aggregate. */
export class SalesAlreadyExistsError extends SalesDomainError {
  override readonly name = 'SalesAlreadyExistsError';
  override readonly kind = 'conflict';
  override readonly code: SalesAlreadyExistsCode;

  constructor(aggregate: SalesAggregate, aggregateId: string) {
    super(aggregate, aggregateId, `The ${aggregate} ${aggregateId} already exists`);
    this.code = ALREADY_EXISTS[aggregate];
  }
}

export class SalesRuleViolation extends SalesDomainError {
  override readonly name = 'SalesRuleViolation';
  override readonly kind = 'rejected';

  constructor(
    aggregate: SalesAggregate,
    aggregateId: string,
    readonly code: SalesRuleCode,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(aggregate, aggregateId, message, details);
  }
}

/** A check for tests and the edge: `thenThrows(hasCode('STAGE_LIMIT'))`. */
export const hasCode =
  (code: SalesErrorCode) =>
  (error: unknown): boolean =>
    error instanceof SalesDomainError && error.code === code;
