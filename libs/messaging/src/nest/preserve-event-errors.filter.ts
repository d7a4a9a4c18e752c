// Nest's default RPC exception filter replaces every error with `{ status: 'error', message: 'Internal
// server error' }`. Event handlers have no caller to answer: this filter hands the original error back to
// the transport, so that NonRetriableError skips retries and the DLQ headers name the real error class.
import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

@Catch()
export class PreserveEventErrorsFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
