// Why the customer decider refuses a command. Each error has a stable `code` for clients and a `kind` that the
// HTTP edge maps to a status in one place (not_found → 404, conflict → 409, rejected → 422).
// Messages and details carry ids, field names and limits only: never personal data, since they end up in logs.
import type { JsonData } from '@crm/event-store';

export type CustomerErrorKind = 'not_found' | 'conflict' | 'rejected';

/** Business rules a command breaks; all of kind `rejected`. */
export type CustomerRuleCode =
  | 'CUSTOMER_INACTIVE'
  | 'ALREADY_DEACTIVATED'
  | 'NOT_DEACTIVATED'
  | 'NO_PRIMARY_EMAIL'
  | 'MULTIPLE_PRIMARY_EMAILS'
  | 'DUPLICATE_EMAIL'
  | 'NO_PRIMARY_PHONE'
  | 'MULTIPLE_PRIMARY_PHONES'
  | 'DUPLICATE_PHONE'
  | 'TAG_LIMIT'
  | 'DUPLICATE_ATTRIBUTE_KEY'
  | 'INVALID_ATTRIBUTE_VALUE'
  | 'INVALID_BIRTHDAY'
  | 'INVALID_AMOUNT'
  | 'CURRENCY_MISMATCH'
  | 'INVALID_QUANTITY'
  | 'CANNOT_MERGE_INTO_SELF'
  | 'INVALID_MERGE_CHOICE'
  | 'NOT_MERGED';

export type CustomerErrorCode = 'CUSTOMER_NOT_FOUND' | 'CUSTOMER_ALREADY_REGISTERED' | 'CUSTOMER_MERGED' | 'CUSTOMER_ERASED' | CustomerRuleCode;

export type ErrorDetails = { readonly [key: string]: JsonData };

export abstract class CustomerDomainError extends Error {
  abstract readonly code: CustomerErrorCode;
  abstract readonly kind: CustomerErrorKind;

  constructor(
    readonly customerId: string,
    message: string,
    /** Machine-readable context for the response body. */
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }
}

/** A command other than RegisterCustomer on a stream that has no customer. */
export class CustomerNotFoundError extends CustomerDomainError {
  override readonly name = 'CustomerNotFoundError';
  override readonly code = 'CUSTOMER_NOT_FOUND';
  override readonly kind = 'not_found';

  constructor(customerId: string) {
    super(customerId, `Customer ${customerId} does not exist`);
  }
}

export class CustomerAlreadyRegisteredError extends CustomerDomainError {
  override readonly name = 'CustomerAlreadyRegisteredError';
  override readonly code = 'CUSTOMER_ALREADY_REGISTERED';
  override readonly kind = 'conflict';

  constructor(customerId: string) {
    super(customerId, `Customer ${customerId} is already registered`);
  }
}

/** The customer was merged into another: the caller should address `survivorId` instead. */
export class CustomerMergedError extends CustomerDomainError {
  override readonly name = 'CustomerMergedError';
  override readonly code = 'CUSTOMER_MERGED';
  override readonly kind = 'rejected';

  constructor(
    customerId: string,
    readonly survivorId: string,
  ) {
    super(customerId, `Customer ${customerId} was merged into ${survivorId}`, { survivorId });
  }
}

export class CustomerErasedError extends CustomerDomainError {
  override readonly name = 'CustomerErasedError';
  override readonly code = 'CUSTOMER_ERASED';
  override readonly kind = 'rejected';

  constructor(customerId: string) {
    super(customerId, `Customer ${customerId} was erased`);
  }
}

export class CustomerRuleViolation extends CustomerDomainError {
  override readonly name = 'CustomerRuleViolation';
  override readonly kind = 'rejected';

  constructor(
    customerId: string,
    readonly code: CustomerRuleCode,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(customerId, message, details);
  }
}

/** A check for tests and the edge: `thenThrows(hasCode('TAG_LIMIT'))`. */
export const hasCode =
  (code: CustomerErrorCode) =>
  (error: unknown): boolean =>
    error instanceof CustomerDomainError && error.code === code;
