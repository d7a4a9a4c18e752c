// Validation for consumers: tolerant of fields added within a version, strict about everything else.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { EnvelopeHeaders } from './common/envelope';
import { contractOf, isKnownType, type ContractType, type PayloadOf } from './registry';

export interface ValidationError {
  /** JSON Pointer into the payload (or the headers), e.g. `/contact/email`; `` for the whole value. */
  path: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: ValidationError[] };

// Not coercing, not removing and not defaulting: the value a consumer gets is the value that was sent.
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv, ['uuid', 'date-time', 'date', 'email']);

const validators = new Map<string, ValidateFunction>();
let headersValidator: ValidateFunction | undefined;

function validatorFor(type: ContractType): ValidateFunction {
  let validator = validators.get(type);
  if (!validator) {
    validator = ajv.compile(contractOf(type).schema);
    validators.set(type, validator);
  }
  return validator;
}

function toErrors(errors: readonly ErrorObject[] | null | undefined): ValidationError[] {
  return (errors ?? []).map((e) =>
    e.keyword === 'required'
      ? { path: `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`, message: 'is required' }
      : { path: e.instancePath, message: e.message ?? `fails ${e.keyword}` },
  );
}

function run<T>(validator: ValidateFunction, value: unknown): ValidationResult<T> {
  return validator(value) ? { ok: true, value: value as T } : { ok: false, errors: toErrors(validator.errors) };
}

/**
 * Validates a payload against its type's schema. Unknown extra fields are accepted: producers add optional
 * fields within a version, and a consumer built against an older copy of the contracts must not reject them.
 */
export function validate<T extends ContractType>(type: T, payload: unknown): ValidationResult<PayloadOf<T>>;
export function validate(type: string, payload: unknown): ValidationResult<unknown>;
export function validate(type: string, payload: unknown): ValidationResult<unknown> {
  if (!isKnownType(type)) return { ok: false, errors: [{ path: '', message: `unknown event type "${type}"` }] };
  return run(validatorFor(type), payload);
}

/** Validates the envelope headers of a message (decoded to strings); extra headers are accepted. */
export function validateHeaders(headers: Readonly<Record<string, unknown>>): ValidationResult<EnvelopeHeaders> {
  headersValidator ??= ajv.compile(EnvelopeHeaders);
  return run(headersValidator, headers);
}
