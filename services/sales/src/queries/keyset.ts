// Keyset pagination of the sales lists: the sort is (a time, an id), unique and stable, and a page starts strictly
// after the last row of the previous one, so rows that change meanwhile never repeat or shift what a client has
// seen. The cursor is opaque to clients: base64url of [time as PostgreSQL wrote it, id].
import { fieldsInvalid } from '@crm/platform';

export interface Keyset {
  /** The sort time with microseconds, as PostgreSQL writes it (`to_json(t)#>>'{}'`). */
  time: string;
  id: string;
}

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 20;

export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.time, keyset.id]), 'utf8').toString('base64url');
}

/** The keyset, or null when the text is not a cursor this API issued. */
export function decodeCursor(text: string): Keyset | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [time, id] = value as unknown[];
    if (typeof time !== 'string' || Number.isNaN(Date.parse(time))) return null;
    if (typeof id !== 'string' || id.length === 0 || id.length > 100) return null;
    return { time, id };
  } catch {
    return null;
  }
}

/** The `cursor` query parameter decoded; a 400 naming it when it is not one of ours. */
export function cursorParam(cursor: string | undefined): Keyset | undefined {
  if (cursor === undefined) return undefined;
  const keyset = decodeCursor(cursor);
  if (keyset === null) throw fieldsInvalid([{ field: 'cursor', problems: ['cursor must be a nextCursor returned by this API'] }]);
  return keyset;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` (with the same parameters) for the next page; null on the last page. */
  nextCursor: string | null;
}

/** The page of `limit` rows out of `limit + 1` fetched, and the cursor after its last row. */
export function pageOf<R extends { cursor_time: string }, T>(rows: readonly R[], limit: number, idOf: (row: R) => string, view: (row: R) => T): Page<T> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(view), nextCursor: rows.length > limit && last ? encodeCursor({ time: last.cursor_time, id: idOf(last) }) : null };
}
