// The one place where the sales domain's errors become HTTP answers: by their kind, not_found → 404,
// conflict → 409, rejected → 422, with the domain's code and details (ids, fields and limits, never personal data).
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { DataKeyDestroyedError } from '@crm/event-store';
import { ConflictError, DomainRejectionError, NotFoundError, type DomainError } from '@crm/platform';
import { catchError, type Observable } from 'rxjs';
import { SalesDomainError } from '../../domain';

export function toHttpError(error: unknown): unknown {
  if (error instanceof SalesDomainError) {
    const details = { [`${error.aggregate}Id`]: error.aggregateId, ...error.details };
    const Kind = { not_found: NotFoundError, conflict: ConflictError, rejected: DomainRejectionError }[error.kind];
    return withCause(new Kind(error.code, error.message, details), error);
  }
  // A write of contact data raced with the lead's erasure.
  if (error instanceof DataKeyDestroyedError) {
    const leadId = error.subjectId;
    return withCause(new DomainRejectionError('LEAD_ERASED', `Lead ${leadId} was erased`, { leadId }), error);
  }
  return error;
}

function withCause(mapped: DomainError, cause: Error): DomainError {
  return Object.assign(mapped, { cause });
}

@Injectable()
export class SalesErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        throw toHttpError(error);
      }),
    );
  }
}
