// Turns every error that leaves a handler into its HTTP answer; the mapping itself is in error-mapping.ts.
// Every request already gets one log line with its status (pino-http); this adds the stack of faults.
import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { throwError, type Observable } from 'rxjs';
import { correlationIdOf } from '../logging/http-logging';
import { currentCorrelationId } from '../logging/correlation';
import { PlatformLogger, type Logger } from '../logging/logger';
import { ErrorMappings, mapError } from './error-mapping';

@Catch()
export class PlatformExceptionFilter implements ExceptionFilter {
  private readonly log: Logger;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly mappings: ErrorMappings,
    loggers: PlatformLogger,
  ) {
    this.log = loggers.forContext(PlatformExceptionFilter.name);
  }

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    // Message handlers (Kafka) decide themselves about retries and dead letters: hand the error back.
    if (host.getType() !== 'http') return throwError(() => exception);
    const http = host.switchToHttp();
    const request: unknown = http.getRequest();
    const response: unknown = http.getResponse();
    const correlationId = correlationIdOf(request) ?? currentCorrelationId();
    const { status, body } = this.answer(exception, correlationId);
    const { httpAdapter } = this.adapterHost;
    if (httpAdapter.isHeadersSent(response)) {
      httpAdapter.end(response);
      return;
    }
    httpAdapter.reply(response, body, status);
  }

  private answer(exception: unknown, correlationId: string | undefined): { status: number; body: unknown } {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      return { status, body: typeof response === 'string' ? { statusCode: status, message: response } : response };
    }
    const mapped = mapError(exception, this.mappings, correlationId);
    if (mapped.fault) this.log.error({ correlationId, err: exception }, 'Unhandled error');
    else this.log.debug({ correlationId, status: mapped.status, code: mapped.body.code }, mapped.body.message);
    return mapped;
  }
}
