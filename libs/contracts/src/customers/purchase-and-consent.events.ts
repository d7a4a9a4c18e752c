// Purchases (the loyalty inputs) and consent per channel.
import { Type } from '@sinclair/typebox';
import { defineEvent, type Payload } from '../common/define-event';
import { Money, StringEnum, Text, Timestamp, Uuid } from '../common/fields';
import { customersTopic } from './topic';

const customerId = Uuid('The customer id: the message key.');
const topic = customersTopic;
const aggregate = 'customer';

export const CustomerPurchaseRecordedV1 = defineEvent({
  name: 'customer.purchase-recorded',
  version: 1,
  topic,
  aggregate,
  key: 'customerId',
  description: 'A purchase was recorded for the customer (once per order id).',
  payload: {
    customerId,
    orderId: Text(100, 'The order id in the shop system; unique per customer.'),
    amount: Money,
    items: Type.Optional(
      Type.Array(
        Type.Object({
          sku: Text(100),
          description: Type.Optional(Text(200)),
          quantity: Type.Integer({ minimum: 1 }),
          unitPrice: Type.Optional(Money),
        }),
        { maxItems: 500 },
      ),
    ),
    purchasedAt: Timestamp('When the customer bought, which may be before it was recorded.'),
    purchaseCount: Type.Integer({ minimum: 1, description: 'The customer’s number of purchases including this one.' }),
  },
  example: {
    customerId: '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21',
    orderId: 'SO-2024-000123',
    amount: { amount: '129.90', currency: 'EUR' },
    items: [{ sku: 'TEA-EARLGREY-250', quantity: 2, unitPrice: { amount: '64.95', currency: 'EUR' } }],
    purchasedAt: '2024-05-02T09:30:00Z',
    purchaseCount: 3,
  },
});
export type CustomerPurchaseRecordedV1 = Payload<typeof CustomerPurchaseRecordedV1>;

export const ConsentChannel = StringEnum(['email', 'sms', 'phone', 'marketing'], {
  description: 'What the consent covers: being contacted by email, SMS or phone, or marketing in general.',
});

const consentSource = Text(100, 'Where the consent was given or withdrawn, e.g. "signup-form", "call-center".');

export const CustomerConsentGivenV1 = defineEvent({
  name: 'customer.consent-given',
  version: 1,
  topic,
  aggregate,
  key: 'customerId',
  description: 'The customer gave consent for a channel.',
  payload: { customerId, channel: ConsentChannel, source: consentSource, givenAt: Timestamp('When the customer gave it.') },
  example: {
    customerId: '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21',
    channel: 'email',
    source: 'signup-form',
    givenAt: '2024-05-01T12:00:00Z',
  },
});
export type CustomerConsentGivenV1 = Payload<typeof CustomerConsentGivenV1>;

export const CustomerConsentWithdrawnV1 = defineEvent({
  name: 'customer.consent-withdrawn',
  version: 1,
  topic,
  aggregate,
  key: 'customerId',
  description: 'The customer withdrew consent for a channel: stop using it for them at once.',
  payload: {
    customerId,
    channel: ConsentChannel,
    source: consentSource,
    withdrawnAt: Timestamp('When the customer withdrew it.'),
  },
  example: {
    customerId: '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21',
    channel: 'sms',
    source: 'unsubscribe-link',
    withdrawnAt: '2024-06-01T08:15:00Z',
  },
});
export type CustomerConsentWithdrawnV1 = Payload<typeof CustomerConsentWithdrawnV1>;
