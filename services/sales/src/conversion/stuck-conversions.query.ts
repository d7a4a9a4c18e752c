// Conversions stuck in the saga: leads converted (or the conversion retried) longer ago than the bound, and still
// without the customers service's answer. From the conversion_links projection (sales.converted_leads).
import type { Pool } from 'pg';
import { CONVERSION_LINK_VIEWS } from './conversion-links.projection';

export interface StuckConversion {
  leadId: string;
  opportunityId: string | null;
  /** `new-customer`, or `existing-customer` with the customer asked for. */
  target: 'new-customer' | 'existing-customer';
  requestedCustomerId: string | null;
  convertedAt: string;
  /** The conversion or its latest retry: the bound counts from here. */
  lastAttemptAt: string;
  /** 1 for the conversion, plus one per retry. */
  attempts: number;
  /** Seconds since the last attempt. */
  waitingSeconds: number;
}

export interface StuckConversionsPage {
  olderThan: string;
  items: StuckConversion[];
  /** Pass as `after` for the next page; null on the last page. */
  nextAfter: string | null;
}

type Row = {
  lead_id: string;
  opportunity_id: string | null;
  target: StuckConversion['target'];
  requested_customer_id: string | null;
  converted_at: Date;
  last_attempt_at: Date;
  attempts: number;
  waiting_seconds: number;
};

export const MAX_STUCK_LIMIT = 500;

/** Oldest first; `after` is the lead id the previous page ended with (keyset on (last_attempt_at, lead_id)). */
export async function stuckConversions(
  pool: Pool,
  query: { olderThanMs: number; limit: number; after?: string; now?: Date },
): Promise<{ items: StuckConversion[]; nextAfter: string | null }> {
  const now = query.now ?? new Date();
  const bound = new Date(now.getTime() - query.olderThanMs);
  const { rows } = await pool.query<Row>(
    `SELECT lead_id, opportunity_id, target, requested_customer_id, converted_at, last_attempt_at, attempts,
            extract(epoch FROM $1::timestamptz - last_attempt_at)::float8 AS waiting_seconds
       FROM ${CONVERSION_LINK_VIEWS.convertedLeads}
      WHERE linked_at IS NULL AND last_attempt_at <= $2
        AND ($3::uuid IS NULL OR (last_attempt_at, lead_id) > (SELECT last_attempt_at, lead_id FROM ${CONVERSION_LINK_VIEWS.convertedLeads} WHERE lead_id = $3))
      ORDER BY last_attempt_at, lead_id
      LIMIT $4`,
    [now, bound, query.after ?? null, query.limit + 1],
  );
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((row) => ({
      leadId: row.lead_id,
      opportunityId: row.opportunity_id,
      target: row.target,
      requestedCustomerId: row.requested_customer_id,
      convertedAt: row.converted_at.toISOString(),
      lastAttemptAt: row.last_attempt_at.toISOString(),
      attempts: row.attempts,
      waitingSeconds: Math.max(0, Math.floor(row.waiting_seconds)),
    })),
    nextAfter: rows.length > query.limit ? (page.at(-1)?.lead_id ?? null) : null,
  };
}
