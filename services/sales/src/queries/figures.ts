// What the sales queries share: the database they read (the `sales` views, never a version's tables), money
// totals per currency (never summed across currencies), and rates.
import type { Pool } from 'pg';

export type Queryable = Pick<Pool, 'query'>;

/** One currency's figures: `amount` and `weighted` are exact decimal strings in currency units. */
export interface CurrencyTotal {
  currency: string;
  count: number;
  amount: string;
  /** Σ amount × stage win probability, rounded to the scale of the amounts. */
  weighted: string;
}

/**
 * SELECT list of a currency total over rows aliased `o` with a `probability` expression: the probability goes
 * through numeric so that 0.1 weighs exactly a tenth.
 */
export const totalColumns = (probability: string): string => `o.currency, count(*)::int AS count, sum(o.amount)::text AS amount,
  round(sum(o.amount * (${probability})::numeric), scale(sum(o.amount)))::text AS weighted`;

export interface TotalRow extends CurrencyTotal {
  [key: string]: unknown;
}

export const totalOf = ({ currency, count, amount, weighted }: TotalRow): CurrencyTotal => ({ currency, count, amount, weighted });

/** numerator / denominator to four decimals; null when there is nothing to divide by. */
export function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000;
}

/** A calendar date alone means midnight UTC. */
export const instantOf = (value: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
