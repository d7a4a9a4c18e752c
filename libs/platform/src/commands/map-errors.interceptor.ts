// Where a service's own errors become the platform's typed errors (and so HTTP answers): an interceptor around
// every handler that passes each error through the service's mapping, e.g. its domain errors by kind.
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { catchError, type Observable } from 'rxjs';
import type { DomainError } from '../errors/domain-error';

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
