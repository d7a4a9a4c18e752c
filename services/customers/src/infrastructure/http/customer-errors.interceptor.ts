// The one place where the customer domain's errors become HTTP answers: by their kind, not_found → 404,
// conflict → 409, rejected → 422, with the domain's code and details (ids and limits only, never personal data).
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ConflictError, DomainRejectionError, NotFoundError, type DomainError } from '@crm/platform';
import { catchError, type Observable } from 'rxjs';
import { CustomerDomainError } from '../../domain';
import { DataKeyDestroyedError } from '../data-keys';

export function toHttpError(error: unknown): unknown {
  if (error instanceof CustomerDomainError) {
    const details = { customerId: error.customerId, ...error.details };
    const Kind = { not_found: NotFoundError, conflict: ConflictError, rejected: DomainRejectionError }[error.kind];
    return withCause(new Kind(error.code, error.message, details), error);
  }
  // A write raced with an erasure of the same person.
  if (error instanceof DataKeyDestroyedError) {
    const { customerId } = error;
    return withCause(new DomainRejectionError('CUSTOMER_ERASED', `Customer ${customerId} was erased`, { customerId }), error);
  }
  return error;
}

function withCause(mapped: DomainError, cause: Error): DomainError {
  return Object.assign(mapped, { cause });
}

@Injectable()
export class CustomerErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        throw toHttpError(error);
      }),
    );
  }
}
