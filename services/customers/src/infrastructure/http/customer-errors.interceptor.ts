// The one place where the customer domain's errors become HTTP answers (run by the platform's MapErrorsInterceptor):
// by their kind (byKind: not_found → 404, conflict → 409, rejected → 422), with the domain's code and details (ids
// and limits only, never personal data).
import { DataKeyDestroyedError } from '@crm/event-store';
import { byKind, DomainRejectionError, withCause } from '@crm/platform';
import { CustomerDomainError } from '../../domain';

export function toHttpError(error: unknown): unknown {
  if (error instanceof CustomerDomainError) return byKind(error, { customerId: error.customerId, ...error.details });
  // A write raced with an erasure of the same person.
  if (error instanceof DataKeyDestroyedError) {
    const customerId = error.subjectId;
    return withCause(new DomainRejectionError('CUSTOMER_ERASED', `Customer ${customerId} was erased`, { customerId }), error);
  }
  return error;
}
