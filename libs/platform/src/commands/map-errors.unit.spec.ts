// A service's domain errors mapped by their kind to the platform's errors, and so to 404, 409 and 422.
import { firstValueFrom, throwError } from 'rxjs';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { ConflictError, DomainRejectionError, NotFoundError } from '../errors/domain-error';
import { ErrorMappings, mapError } from '../errors/error-mapping';
import { byKind, MapErrorsInterceptor, type DeciderErrorKind } from './map-errors.interceptor';

class LeadError extends Error {
  constructor(
    readonly kind: DeciderErrorKind,
    readonly code: string,
  ) {
    super(`lead refused: ${code}`);
  }
}

describe('byKind', () => {
  it.each([
    ['not_found', 404, NotFoundError],
    ['conflict', 409, ConflictError],
    ['rejected', 422, DomainRejectionError],
  ] as const)('maps %s to the platform error answered with %i', (kind, status, Type) => {
    const original = new LeadError(kind, 'LEAD_X');
    const mapped = byKind(original, { leadId: 'l-1' });
    expect(mapped).toBeInstanceOf(Type);
    expect(mapped).toMatchObject({ code: 'LEAD_X', message: 'lead refused: LEAD_X', details: { leadId: 'l-1' }, cause: original });
    expect(mapError(mapped, new ErrorMappings()).status).toBe(status);
  });

  it('runs in MapErrorsInterceptor, which passes unmapped errors through', async () => {
    const interceptor = new MapErrorsInterceptor((error) => (error instanceof LeadError ? byKind(error) : error));
    const failing = (error: Error): CallHandler => ({ handle: () => throwError(() => error) });
    const context = {} as ExecutionContext;
    await expect(firstValueFrom(interceptor.intercept(context, failing(new LeadError('rejected', 'LEAD_LOST'))))).rejects.toBeInstanceOf(DomainRejectionError);
    const other = new TypeError('boom');
    await expect(firstValueFrom(interceptor.intercept(context, failing(other)))).rejects.toBe(other);
  });
});
