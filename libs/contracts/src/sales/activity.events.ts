// Sales activity events: appointments, calls and follow-ups scheduled, moved, done or called off, and their
// reminders coming due (for the communications service, which reminds the owner).
import { Type } from '@sinclair/typebox';
import { defineEvent, type Payload } from '../common/define-event';
import { StringEnum, Text, Timestamp, UserId, Uuid } from '../common/fields';
import { salesTopic } from './topic';

const activityId = Uuid('The activity id: the message key.');
const topic = salesTopic;
const aggregate = 'activity';

const ACTIVITY_KINDS = ['appointment', 'call', 'follow-up'] as const;
const kind = StringEnum(ACTIVITY_KINDS, { description: 'What kind of activity it is.' });
const dueAt = Timestamp('When the activity is due (ISO 8601 with a zone).');
const remindAt = Timestamp('When the owner is to be reminded; not after dueAt.');

const example = {
  activityId: '1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a',
  dueAt: '2024-09-12T14:00:00.000Z',
  remindAt: '2024-09-12T13:30:00.000Z',
  ownerId: 'auth0|5f7c8ec7c33c6c004bbafe82',
};

export const ActivityScheduledV1 = defineEvent({
  name: 'activity.scheduled',
  version: 1,
  topic,
  aggregate,
  key: 'activityId',
  description: 'A sales activity was scheduled, optionally with a reminder and about an opportunity, a lead or a customer.',
  payload: {
    activityId,
    kind,
    subject: Text(200, 'What the activity is about, in the sales user’s words.'),
    dueAt,
    remindAt: Type.Optional(remindAt),
    ownerId: Type.Optional(UserId()),
    opportunityId: Type.Optional(Uuid('The opportunity it is about.')),
    leadId: Type.Optional(Uuid('The lead it is about.')),
    customerId: Type.Optional(Uuid('The customer it is about.')),
  },
  example: {
    activityId: example.activityId,
    kind: 'call',
    subject: 'Walk through the proposal',
    dueAt: example.dueAt,
    remindAt: example.remindAt,
    ownerId: example.ownerId,
    opportunityId: '9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b',
  },
});
export type ActivityScheduledV1 = Payload<typeof ActivityScheduledV1>;

export const ActivityRescheduledV1 = defineEvent({
  name: 'activity.rescheduled',
  version: 1,
  topic,
  aggregate,
  key: 'activityId',
  description: 'The activity is due at another time. Without remindAt it has no reminder any more.',
  payload: { activityId, dueAt, remindAt: Type.Optional(remindAt) },
  example: { activityId: example.activityId, dueAt: '2024-09-13T10:00:00.000Z', remindAt: '2024-09-13T09:30:00.000Z' },
});
export type ActivityRescheduledV1 = Payload<typeof ActivityRescheduledV1>;

export const ActivityCompletedV1 = defineEvent({
  name: 'activity.completed',
  version: 1,
  topic,
  aggregate,
  key: 'activityId',
  description: 'The activity was done. Its reminder, if it had not come due, is off.',
  payload: { activityId },
  example: { activityId: example.activityId },
});
export type ActivityCompletedV1 = Payload<typeof ActivityCompletedV1>;

export const ActivityCancelledV1 = defineEvent({
  name: 'activity.cancelled',
  version: 1,
  topic,
  aggregate,
  key: 'activityId',
  description: 'The activity was called off. Its reminder, if it had not come due, is off.',
  payload: { activityId },
  example: { activityId: example.activityId },
});
export type ActivityCancelledV1 = Payload<typeof ActivityCancelledV1>;

export const ActivityReminderDueV1 = defineEvent({
  name: 'activity.reminder-due',
  version: 1,
  topic,
  aggregate,
  key: 'activityId',
  description:
    'The reminder of an open activity came due: remind its owner. Published once per reminder time (a ' +
    'redelivery carries the same CloudEvents id); a late one still comes, with remindAt in the past.',
  payload: { activityId, kind, dueAt, remindAt, ownerId: Type.Optional(UserId()) },
  example: { activityId: example.activityId, kind: 'call', dueAt: example.dueAt, remindAt: example.remindAt, ownerId: example.ownerId },
});
export type ActivityReminderDueV1 = Payload<typeof ActivityReminderDueV1>;
