import { DAY_MS, defineTopic } from '../common/topic';

export const salesTopic = defineTopic({
  name: 'crm.sales.v1',
  service: 'sales',
  source: '/crm/sales',
  description:
    'Integration events of leads, opportunities and sales activities. One lead’s, opportunity’s or activity’s ' +
    'events are in order on one partition; there is no order between a lead and the opportunity it became.',
  partitions: 6,
  replicationFactor: 3,
  minInSyncReplicas: 2,
  cleanupPolicy: 'delete',
  retentionMs: 30 * DAY_MS,
  key: 'the lead id for lead events, the opportunity id for opportunity events, the activity id for activity events (uuids)',
});
