// The saga's settings, derived from SalesConfig (which declares, documents and validates the variables at boot).
import type { SalesConfig } from '../sales.config';
import { parseIsoDuration } from './iso-duration';

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
  const stuckAfter = config.CONVERSION_STUCK_AFTER;
  const stuckAfterMs = parseIsoDuration(stuckAfter);
  if (stuckAfterMs === undefined) throw new TypeError(`CONVERSION_STUCK_AFTER must be an ISO-8601 duration such as PT5M, not ${stuckAfter}`);
  return {
    customersFeedEnabled: config.CUSTOMERS_FEED_ENABLED,
    customersFeedGroupId: config.CUSTOMERS_FEED_GROUP_ID ?? `${config.KAFKA_TOPIC_PREFIX}${config.SERVICE_NAME}.customers-feed`,
    stuckAfter,
    stuckAfterMs,
    followUpPollMs: config.CUSTOMER_FOLLOW_UPS_POLL_MS,
  };
}
