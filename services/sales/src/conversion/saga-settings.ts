// The saga's settings. They belong in SalesConfig (validated at boot); until it declares them, these defaults apply.
import type { SalesConfig } from '../sales.config';
import { parseIsoDuration } from './iso-duration';

/** The SalesConfig fields the saga reads, with their environment variable names. */
export interface SagaConfigFields {
  /** Consume crm.customers.v1 (known customers, conversion answers, merges, erasures). Default true. */
  CUSTOMERS_FEED_ENABLED: boolean;
  /** Default `${KAFKA_TOPIC_PREFIX}${SERVICE_NAME}.customers-feed`. */
  CUSTOMERS_FEED_GROUP_ID: string;
  /** ISO-8601 duration after which a conversion without an answer counts as stuck. Default PT5M. */
  CONVERSION_STUCK_AFTER: string;
  /** Pause between polls of the customer follow-ups while none is due. Default 500. */
  CUSTOMER_FOLLOW_UPS_POLL_MS: number;
}

export interface SagaSettings {
  customersFeedEnabled: boolean;
  customersFeedGroupId: string;
  /** As configured (`PT5M`), and in milliseconds. */
  stuckAfter: string;
  stuckAfterMs: number;
  followUpPollMs: number;
}

export const DEFAULT_STUCK_AFTER = 'PT5M';

export function sagaSettings(config: SalesConfig): SagaSettings {
  const fields = config as SalesConfig & Partial<SagaConfigFields>;
  const stuckAfter = fields.CONVERSION_STUCK_AFTER ?? DEFAULT_STUCK_AFTER;
  const stuckAfterMs = parseIsoDuration(stuckAfter);
  if (stuckAfterMs === undefined) throw new TypeError(`CONVERSION_STUCK_AFTER must be an ISO-8601 duration such as PT5M, not ${stuckAfter}`);
  return {
    customersFeedEnabled: fields.CUSTOMERS_FEED_ENABLED ?? true,
    customersFeedGroupId: fields.CUSTOMERS_FEED_GROUP_ID ?? `${config.KAFKA_TOPIC_PREFIX}${config.SERVICE_NAME}.customers-feed`,
    stuckAfter,
    stuckAfterMs,
    followUpPollMs: fields.CUSTOMER_FOLLOW_UPS_POLL_MS ?? 500,
  };
}
