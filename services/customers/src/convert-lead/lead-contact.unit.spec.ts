// A lead's contact as a customer profile: normalised like POST /customers, poison when it cannot be; and the
// consumer's topic and group names.
import { validateConfig } from '@crm/platform';
import { randomBytes } from 'node:crypto';
import { CustomersConfig } from '../customers.config';
import { PhoneNormaliser } from '../infrastructure/http/profile-mapping';
import { customerIdFromLead } from './convert-lead.handler';
import { InvalidLeadContactError, profileFromLead } from './lead-contact';
import { leadConversionsGroupId, salesTopicSpec } from './lead-conversions.consumer';

const phones = new PhoneNormaliser('DE');

describe('profileFromLead', () => {
  it('normalises as POST /customers does: trimmed, email lower case, phone E.164, one primary each', () => {
    const profile = profileFromLead(
      { name: { fullName: ' Grace Hopper ', givenName: 'Grace', familyName: 'Hopper' }, email: ' Grace.Hopper@Example.COM ', phone: '+49 30 1234567', company: ' Cobol Corp ' },
      phones,
    );
    expect(profile).toEqual({
      name: { given: 'Grace', family: 'Hopper' },
      emails: [{ address: 'grace.hopper@example.com', primary: true }],
      phones: [{ e164: '+49301234567', primary: true }],
      company: 'Cobol Corp',
      tags: [],
      customAttributes: [],
    });
  });

  it('keeps a full name that is not given + family as the display name, and a full name alone as the given name', () => {
    expect(profileFromLead({ name: { fullName: 'Rear Admiral Grace Hopper', givenName: 'Grace', familyName: 'Hopper' } }, phones).name).toEqual({
      given: 'Grace',
      family: 'Hopper',
      display: 'Rear Admiral Grace Hopper',
    });
    expect(profileFromLead({ name: { fullName: 'Grace Hopper' } }, phones)).toEqual({ name: { given: 'Grace Hopper' }, emails: [], phones: [], tags: [], customAttributes: [] });
  });

  it.each([
    ['an invalid phone number', { name: { fullName: 'Grace' }, phone: '+4912' }, 'contact.phone is not a valid phone number'],
    ['a blank name', { name: { fullName: '   ' } }, 'contact.name.fullName is blank'],
  ])('refuses %s as poison, naming the field and not the value', (_what, contact, message) => {
    const refusal = (() => {
      try {
        profileFromLead(contact, phones);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(InvalidLeadContactError);
    expect(refusal).toMatchObject({ name: 'InvalidLeadContactError', message });
  });
});

describe('the lead-conversion consumer', () => {
  const env = { DATABASE_URL: 'postgres://u@db/crm', KAFKA_BROKERS: 'k:9092', CUSTOMERS_MASTER_KEY: randomBytes(32).toString('base64') };
  const configOf = (extra: Record<string, string> = {}) => {
    const result = validateConfig(CustomersConfig, { ...env, ...extra }, { SERVICE_NAME: 'customers' });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result.config;
  };

  it('is on by default, consumes the prefixed sales topic in a group prefixed like it, with replication capped to the broker', () => {
    const config = configOf({ KAFKA_TOPIC_PREFIX: 'staging.' });
    expect(config.LEAD_CONVERSIONS_ENABLED).toBe(true);
    expect(leadConversionsGroupId(config)).toBe('staging.customers.lead-conversions');
    expect(salesTopicSpec(config)).toMatchObject({ name: 'staging.crm.sales.v1', partitions: 6, replicationFactor: 1, config: { 'min.insync.replicas': '1' } });
  });

  it('takes a group id and an off switch from the environment', () => {
    const config = configOf({ LEAD_CONVERSIONS_ENABLED: 'false', LEAD_CONVERSIONS_GROUP_ID: 'customers-v2' });
    expect([config.LEAD_CONVERSIONS_ENABLED, leadConversionsGroupId(config)]).toEqual([false, 'customers-v2']);
    expect(validateConfig(CustomersConfig, { ...env, LEAD_CONVERSIONS_GROUP_ID: 'no spaces' }).ok).toBe(false);
  });

  it('derives one customer id per lead', () => {
    const lead = 'c3a1e4b2-6d5f-4e7a-8b9c-0d1e2f3a4b5c';
    expect(customerIdFromLead(lead)).toBe(customerIdFromLead(lead.toUpperCase()));
    expect(customerIdFromLead(lead)).not.toBe(customerIdFromLead('c3a1e4b2-6d5f-4e7a-8b9c-0d1e2f3a4b5d'));
    expect(customerIdFromLead(lead)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
