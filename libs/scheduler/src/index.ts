// @crm/scheduler: durable jobs in PostgreSQL (reminders and other due-time work), fired once across
// replicas by row locks, caught up after downtime, retried with back-off. See libs/scheduler/README.md.
export { Scheduler, type JobHandler, type SchedulerOptions, type SchedulerStatus } from './scheduler';
export { ScheduledJobs, type JobRequest, type JobStatus, type Queryable, type ScheduledJob } from './jobs';
export { DEFAULT_BACKOFF, retryDelayMs, wakeDelayMs, type BackoffOptions } from './timing';
export { SchedulerMetrics } from './metrics';
export type { SchedulerLogger } from './logger';
