// The saga's settings: SalesConfig's fields when declared, the defaults otherwise.
import { SalesConfig } from '../sales.config';
import { sagaSettings } from './saga-settings';

const config = (fields: Record<string, unknown> = {}): SalesConfig => Object.assign(new SalesConfig(), { SERVICE_NAME: 'sales', KAFKA_TOPIC_PREFIX: 'run7.' }, fields);

describe('sagaSettings', () => {
  it('defaults: feed on, a prefixed group, five minutes to stuck, half-second polls', () => {
    expect(sagaSettings(config())).toEqual({
      customersFeedEnabled: true,
      customersFeedGroupId: 'run7.sales.customers-feed',
      stuckAfter: 'PT5M',
      stuckAfterMs: 300_000,
      followUpPollMs: 500,
    });
  });

  it('takes the declared fields', () => {
    const settings = sagaSettings(
      config({ CUSTOMERS_FEED_ENABLED: false, CUSTOMERS_FEED_GROUP_ID: 'g', CONVERSION_STUCK_AFTER: 'PT90S', CUSTOMER_FOLLOW_UPS_POLL_MS: 50 }),
    );
    expect(settings).toEqual({ customersFeedEnabled: false, customersFeedGroupId: 'g', stuckAfter: 'PT90S', stuckAfterMs: 90_000, followUpPollMs: 50 });
  });

  it('refuses a bound that is no fixed-length duration', () => {
    expect(() => sagaSettings(config({ CONVERSION_STUCK_AFTER: 'P1M' }))).toThrow(/CONVERSION_STUCK_AFTER/);
  });
});
