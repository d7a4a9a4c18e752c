// Customer profile events: who the customer is and how to reach them.
import { Type } from '@sinclair/typebox';
import { defineEvent, type Payload } from '../common/define-event';
import { Contact, Location, Tag, Text, Uuid } from '../common/fields';
import { customersTopic } from './topic';

const customerId = Uuid('The customer id: the message key.');
const topic = customersTopic;
const aggregate = 'customer';

export const CustomerRegisteredV1 = defineEvent({
  name: 'customer.registered',
  version: 1,
  topic,
  aggregate,
  key: 'customerId',
  description: 'A customer was registered.',
  payload: {
    customerId,
    contact: Contact,
    location: Type.Optional(Location),
    tags: Type.Array(Tag, { uniqueItems: true, maxItems: 100 }),
    acquisitionSource: Type.Optional(Text(100, 'Where the customer came from, e.g. "web-shop", "trade-fair".')),
    leadId: Type.Optional(Uuid('The sales lead whose conversion registered this customer.')),
  },
  personalData: ['contact', 'location'],
  example: {
    customerId: '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21',
    contact: {
      name: { fullName: 'Ada Lovelace', givenName: 'Ada', familyName: 'Lovelace' },
      email: 'ada@example.com',
      phone: '+442071234567',
      company: 'Analytical Engines Ltd',
    },
    location: { city: 'London', countryCode: 'GB' },
    tags: ['vip'],
    acquisitionSource: 'web-shop',
  },
});
export type CustomerRegisteredV1 = Payload<typeof CustomerRegisteredV1>;

export const CustomerContactDetailsUpdatedV1 = defineEvent({
  name: 'customer.contact-details-updated',
  version: 1,
  topic,
  aggregate,
  key: 'customerId',
  description:
    'The customer’s contact details changed. Carries the complete contact details after the change: ' +
    'an absent email, phone or company means the customer has none now.',
  payload: { customerId, contact: Contact },
  personalData: ['contact'],
  example: {
    customerId: '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21',
    contact: { name: { fullName: 'Ada King' }, email: 'ada.king@example.com' },
  },
});
export type CustomerContactDetailsUpdatedV1 = Payload<typeof CustomerContactDetailsUpdatedV1>;

export const CustomerAddressChangedV1 = defineEvent({
  name: 'customer.address-changed',
  version: 1,
  topic,
  aggregate,
  key: 'customerId',
  description:
    'The customer’s postal address changed. Carries only the city and country after the change; ' +
    'street and postal code stay in the customers service.',
  payload: { customerId, location: Location },
  personalData: ['location'],
  example: { customerId: '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21', location: { city: 'Bath', countryCode: 'GB' } },
});
export type CustomerAddressChangedV1 = Payload<typeof CustomerAddressChangedV1>;

const tags = Type.Array(Tag, { minItems: 1, maxItems: 100, uniqueItems: true });

export const CustomerTaggedV1 = defineEvent({
  name: 'customer.tagged',
  version: 1,
  topic,
  aggregate,
  key: 'customerId',
  description: 'Tags were added to the customer (only those the customer did not have).',
  payload: { customerId, tags },
  example: { customerId: '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21', tags: ['newsletter', 'b2b'] },
});
export type CustomerTaggedV1 = Payload<typeof CustomerTaggedV1>;

export const CustomerUntaggedV1 = defineEvent({
  name: 'customer.untagged',
  version: 1,
  topic,
  aggregate,
  key: 'customerId',
  description: 'Tags were removed from the customer (only those the customer had).',
  payload: { customerId, tags },
  example: { customerId: '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21', tags: ['b2b'] },
});
export type CustomerUntaggedV1 = Payload<typeof CustomerUntaggedV1>;
