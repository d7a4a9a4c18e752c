import { DAY_MS, defineTopic } from '../common/topic';

export const customersTopic = defineTopic({
  name: 'crm.customers.v1',
  service: 'customers',
  source: '/crm/customers',
  description:
    'Integration events of customer profiles: registration, contact data, tags, status, purchases, consent, ' +
    'merges and erasure. One customer’s events are in order on one partition.',
  partitions: 6,
  replicationFactor: 3,
  minInSyncReplicas: 2,
  cleanupPolicy: 'delete',
  // Long enough to ride out a consumer's week-long outage; short enough that personal data published
  // before an erasure leaves the broker within the GDPR's one-month response time.
  retentionMs: 30 * DAY_MS,
  key: 'the customer id (uuid)',
});
