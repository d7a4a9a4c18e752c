// Checks of values shared by the sales deciders. The edge validates first (class-validator DTOs); these keep the
// events valid against the crm.sales.v1 contracts whatever calls the decider. Errors name fields, never values.
import { SalesRuleViolation, type ErrorDetails, type SalesRuleCode } from './errors';
import type { SalesAggregate } from './streams';
import { LIMITS, type Contact, type Money, type Stage } from './values';

/** The aggregate a check speaks for, named in its errors. */
export type Subject = { aggregate: SalesAggregate; id: string };

export function violation(subject: Subject, code: SalesRuleCode, message: string, details: ErrorDetails = {}): SalesRuleViolation {
  return new SalesRuleViolation(subject.aggregate, subject.id, code, message, details);
}

function invalid(subject: Subject, field: string, expected: string): SalesRuleViolation {
  return violation(subject, 'INVALID_VALUE', `${field} must be ${expected}`, { field, expected });
}

/** A non-blank string of at most `maxLength` characters. */
export function checkText(subject: Subject, field: string, value: unknown, maxLength: number): void {
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxLength) {
    throw invalid(subject, field, `a non-blank text of at most ${maxLength} characters`);
  }
}

export function checkOptionalText(subject: Subject, field: string, value: unknown, maxLength: number): void {
  if (value !== undefined) checkText(subject, field, value, maxLength);
}

// The contracts' Money pattern: up to 15 integer digits and 6 decimals, no sign, no exponent.
const DECIMAL = /^(0|[1-9][0-9]{0,14})(\.[0-9]{1,6})?$/;
const CURRENCY = /^[A-Z]{3}$/;

export function checkMoney(subject: Subject, field: string, money: Money): void {
  if (typeof money?.amount !== 'string' || !DECIMAL.test(money.amount) || typeof money.currency !== 'string' || !CURRENCY.test(money.currency)) {
    throw violation(subject, 'INVALID_AMOUNT', `${field} must be a non-negative decimal string and an ISO 4217 currency code`, { field });
  }
}

/** A calendar date, YYYY-MM-DD, that exists (no 30 February). */
export function checkDate(subject: Subject, field: string, value: string): void {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!date || date.toISOString().slice(0, 10) !== value) throw invalid(subject, field, 'a calendar date (YYYY-MM-DD)');
}

/** An ISO-8601 instant with a time zone, as the edge normalises them. */
export function checkInstant(subject: Subject, field: string, value: string): void {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw invalid(subject, field, 'an ISO-8601 date and time with a time zone');
  }
}

/** Instants compared as times, not as strings: `+01:00` and `Z` forms of one instant are equal. */
export const instantOf = (value: string): number => Date.parse(value);

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function checkStage(subject: Subject, stage: Stage, field = 'stage'): Stage {
  if (typeof stage?.id !== 'string' || !SLUG.test(stage.id) || stage.id.length > LIMITS.stageId) {
    throw violation(subject, 'INVALID_STAGE_ID', `${field}.id must be a slug (a-z, 0-9 and inner dashes) of at most ${LIMITS.stageId} characters`, {
      field: `${field}.id`,
    });
  }
  checkText(subject, `${field}.name`, stage.name, LIMITS.stageName);
  checkWinProbability(subject, stage.winProbability, `${field}.winProbability`);
  // Copied field by field: a stage is recorded with exactly these three properties.
  return { id: stage.id, name: stage.name, winProbability: stage.winProbability };
}

export function checkWinProbability(subject: Subject, value: number, field = 'winProbability'): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw violation(subject, 'INVALID_WIN_PROBABILITY', `${field} must be a number from 0 to 1`, { field });
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9][0-9]{1,14}$/;

export function checkContact(subject: Subject, contact: Contact, field = 'contact'): void {
  if (typeof contact !== 'object' || contact === null || typeof contact.name !== 'object' || contact.name === null) {
    throw invalid(subject, `${field}.name`, 'a name with a full name');
  }
  checkText(subject, `${field}.name.fullName`, contact.name.fullName, LIMITS.fullName);
  checkOptionalText(subject, `${field}.name.givenName`, contact.name.givenName, LIMITS.namePart);
  checkOptionalText(subject, `${field}.name.familyName`, contact.name.familyName, LIMITS.namePart);
  if (contact.email !== undefined && (typeof contact.email !== 'string' || contact.email.length > 254 || !EMAIL.test(contact.email))) {
    throw invalid(subject, `${field}.email`, 'an email address');
  }
  if (contact.phone !== undefined && (typeof contact.phone !== 'string' || !E164.test(contact.phone))) {
    throw invalid(subject, `${field}.phone`, 'a phone number in E.164');
  }
  checkOptionalText(subject, `${field}.company`, contact.company, LIMITS.company);
}

/** Deep equality of JSON values, for "nothing changed" answers. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => jsonEqual(item, b[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = (o: Record<string, unknown>) => Object.keys(o).filter((key) => o[key] !== undefined);
  const leftKeys = keys(left);
  return leftKeys.length === keys(right).length && leftKeys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]));
}

/** The object without its undefined properties: events are compared and stored as JSON. */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
