// Decimal amounts from clients to the domain's integer minor units, at the currency's precision (ISO 4217 via Intl).
import type { FieldProblem } from '@crm/platform';

const digitsCache = new Map<string, number>();

export function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** "12.3" EUR → "1230"; a problem naming `field` when the value has more decimals than the currency. */
export function toMinorUnits(decimal: string, currency: string, field: string): { minor: string } | { problem: FieldProblem } {
  const digits = minorDigits(currency);
  const [whole = '0', fraction = ''] = decimal.split('.');
  if (fraction.length > digits) {
    return { problem: { field, problems: [`${field.split('.').pop() ?? field} has more than ${digits} decimals, the precision of ${currency}`] } };
  }
  const minor = BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  return { minor: minor.toString() };
}
