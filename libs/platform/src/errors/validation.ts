// Request validation: every field at fault, nested ones by dotted path, in one 400 body.
import { BadRequestException, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

export interface FieldProblem {
  field: string;
  problems: string[];
}

export interface ValidationFailedBody {
  statusCode: 400;
  error: 'Bad Request';
  message: 'Validation failed';
  errors: FieldProblem[];
}

/** Pure: class-validator's error tree as a flat list, e.g. `address.city`, `items.0.sku`. */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

export function validationFailedBody(errors: readonly ValidationError[]): ValidationFailedBody {
  return { statusCode: 400, error: 'Bad Request', message: 'Validation failed', errors: flattenValidationErrors(errors) };
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new BadRequestException(validationFailedBody(errors)),
  });
}
