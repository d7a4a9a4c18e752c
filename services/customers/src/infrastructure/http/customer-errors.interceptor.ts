// The one place where the customer domain's errors become HTTP answers (run by the platform's MapErrorsInterceptor):
// by their kind, not_found → 404, conflict → 409, rejected → 422, with the domain's code and details (ids and
// limits only, never personal data).
import { DataKeyDestroyedError } from '@crm/event-store';
import { ConflictError, DomainRejectionError, NotFoundError, withCause } from '@crm/platform';
import { CustomerDomainError } from '../../domain';

export function toHttpError(error: unknown): unknown {
  if (error instanceof CustomerDomainError) {
    const details = { customerId: error.customerId, ...error.details };
    const Kind = { not_found: NotFoundError, conflict: ConflictError, rejected: DomainRejectionError }[error.kind];
    return withCause(new Kind(error.code, error.message, details), error);
  }
  // A write raced with an erasure of the same person.
  if (error instanceof DataKeyDestroyedError) {
    const customerId = error.subjectId;
    return withCause(new DomainRejectionError('CUSTOMER_ERASED', `Customer ${customerId} was erased`, { customerId }), error);
  }
  return error;
}
