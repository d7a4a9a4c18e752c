// Typed errors that domain and application code throw. Each carries a kind, which the HTTP edge
// maps to a status in one place (error-mapping.ts), and a code such as 'customer.not_found'.
export type DomainErrorKind =
  | 'bad_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'concurrency_conflict'
  | 'rejected';

export type ErrorDetails = Readonly<Record<string, unknown>>;

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  constructor(
    /** Stable, module-scoped code for clients and dashboards, e.g. 'consent.already_given'. */
    readonly code: string,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request is well-formed but its content is not acceptable as input (400). */
export class BadInputError extends DomainError {
  override readonly kind = 'bad_input';
}

export class UnauthenticatedError extends DomainError {
  override readonly kind = 'unauthenticated';
}

export class ForbiddenError extends DomainError {
  override readonly kind = 'forbidden';
}

export class NotFoundError extends DomainError {
  override readonly kind = 'not_found';
}

/** The command conflicts with the current state, e.g. a duplicate (409). */
export class ConflictError extends DomainError {
  override readonly kind = 'conflict';
}

/** Someone else changed the aggregate since it was read; the client may re-read and retry (409). */
export class ConcurrencyConflictError extends DomainError {
  override readonly kind = 'concurrency_conflict';
}

/** The domain refuses the command, e.g. a rule of the decider (422). */
export class DomainRejectionError extends DomainError {
  override readonly kind = 'rejected';
}
