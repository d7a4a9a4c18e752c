// Where a service's own errors become the platform's typed errors (and so HTTP answers): an interceptor around
// every handler that passes each error through the service's mapping, e.g. its domain errors by kind.
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { catchError, type Observable } from 'rxjs';
import { ConflictError, DomainRejectionError, NotFoundError, type DomainError, type ErrorDetails } from '../errors/domain-error';

/** The error to answer with, or the error itself when the service has no mapping for it. */
export type HttpErrorMapper = (error: unknown) => unknown;

/** `{ provide: APP_INTERCEPTOR, useValue: new MapErrorsInterceptor(toHttpError) }` in the service's module. */
export class MapErrorsInterceptor implements NestInterceptor {
  constructor(private readonly toHttpError: HttpErrorMapper) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        throw this.toHttpError(error);
      }),
    );
  }
}

/** The mapped error with the original as its cause, for the logs. */
export function withCause<E extends DomainError>(mapped: E, cause: Error): E {
  return Object.assign(mapped, { cause });
}

/** The kinds a decider's errors have: the aggregate is missing (404), exists already (409), or refuses (422). */
export type DeciderErrorKind = 'not_found' | 'conflict' | 'rejected';

const BY_KIND = { not_found: NotFoundError, conflict: ConflictError, rejected: DomainRejectionError } as const;

/**
 * A service's own domain error as the platform's error of the same kind, with the original as its cause: the domain
 * stays free of the platform, and the kind → status table stays in one place (error-mapping.ts).
 */
export function byKind(error: Error & { kind: DeciderErrorKind; code: string }, details?: ErrorDetails): DomainError {
  return withCause(new BY_KIND[error.kind](error.code, error.message, details), error);
}
