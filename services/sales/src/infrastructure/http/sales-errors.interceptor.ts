// The one place where the sales domain's errors become HTTP answers (run by the platform's MapErrorsInterceptor):
// by their kind (byKind: not_found → 404, conflict → 409, rejected → 422), with the domain's code and details (ids,
// fields and limits, never personal data).
import { DataKeyDestroyedError } from '@crm/event-store';
import { byKind, DomainRejectionError, withCause } from '@crm/platform';
import { SalesDomainError } from '../../domain';

export function toHttpError(error: unknown): unknown {
  if (error instanceof SalesDomainError) return byKind(error, { [`${error.aggregate}Id`]: error.aggregateId, ...error.details });
  // A write of contact data raced with the lead's erasure.
  if (error instanceof DataKeyDestroyedError) {
    const leadId = error.subjectId;
    return withCause(new DomainRejectionError('LEAD_ERASED', `Lead ${leadId} was erased`, { leadId }), error);
  }
  return error;
}
