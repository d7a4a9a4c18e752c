// The search over customer_profiles as one parameterised statement (pure: unit-tested apart from PostgreSQL), and
// its keyset cursor. The sort is (created_at, customer_id), unique and stable: a page starts strictly after the
// last row of the previous one, so rows inserted meanwhile never duplicate or shift what a client has seen.
import type { ConsentChannel } from '../domain';
import type { ProfileStatus } from '../read-model/customer-profile.row';
import { PROFILE_SELECT, PROFILE_VIEW } from '../read-model/customer-profile.view';

export interface SearchFilters {
  q?: string;
  tags?: readonly string[];
  consents?: readonly ConsentChannel[];
  statuses?: readonly ProfileStatus[];
  createdFrom?: string;
  createdTo?: string;
  lastPurchaseFrom?: string;
  lastPurchaseTo?: string;
  limit: number;
  after?: SearchCursor;
}

/** The last row of a page: created_at with microseconds as PostgreSQL writes it, and the id. */
export interface SearchCursor {
  createdAt: string;
  customerId: string;
}

export const DEFAULT_STATUSES: readonly ProfileStatus[] = ['active', 'inactive'];

export function encodeCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.customerId]), 'utf8').toString('base64url');
}

/** The cursor, or null when the text is not one this API issued. */
export function decodeCursor(text: string): SearchCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [createdAt, customerId] = value as unknown[];
    if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) return null;
    if (typeof customerId !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(customerId)) return null;
    return { createdAt, customerId };
  } catch {
    return null;
  }
}

/** A date alone is midnight UTC. */
const instant = (value: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * What `q` is looked up as in search_text: lower case; a phone written any way (+49 30 123…, 030 123…) as its
 * digits without leading zeros, which search_text holds for every phone.
 */
export function searchPattern(q: string): string {
  const text = q.trim().toLowerCase();
  if (/^[+\d\s()./-]+$/.test(text)) {
    const digits = text.replace(/\D/g, '').replace(/^0+/, '');
    if (digits.length >= 3) return `%${digits}%`;
  }
  return `%${escapeLike(text)}%`;
}

export function searchStatement(filters: SearchFilters): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  const where: string[] = [`status = ANY(${param(filters.statuses?.length ? filters.statuses : DEFAULT_STATUSES)}::text[])`];
  if (filters.q !== undefined) where.push(`search_text LIKE ${param(searchPattern(filters.q))}`);
  if (filters.tags?.length) where.push(`tags @> ${param(filters.tags)}::text[]`);
  if (filters.consents?.length) {
    const granted = Object.fromEntries(filters.consents.map((channel) => [channel, { granted: true }]));
    where.push(`consents @> ${param(JSON.stringify(granted))}::jsonb`);
  }
  if (filters.createdFrom) where.push(`created_at >= ${param(instant(filters.createdFrom))}::timestamptz`);
  if (filters.createdTo) where.push(`created_at < ${param(instant(filters.createdTo))}::timestamptz`);
  if (filters.lastPurchaseFrom) where.push(`last_purchase_at >= ${param(instant(filters.lastPurchaseFrom))}::timestamptz`);
  if (filters.lastPurchaseTo) where.push(`last_purchase_at < ${param(instant(filters.lastPurchaseTo))}::timestamptz`);
  if (filters.after) {
    where.push(`(created_at, customer_id) > (${param(filters.after.createdAt)}::timestamptz, ${param(filters.after.customerId)}::uuid)`);
  }
  // One row more than the page: tells whether there is a next page without counting.
  const text = `SELECT ${PROFILE_SELECT} FROM ${PROFILE_VIEW}
 WHERE ${where.join('\n   AND ')}
 ORDER BY created_at, customer_id
 LIMIT ${param(filters.limit + 1)}`;
  return { text, values };
}
