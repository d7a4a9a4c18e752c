// Contact data in request DTOs: the shape checks of emails and phone texts, then phones to E.164 in the region.
import 'reflect-metadata';
import { BadRequestException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { IsOptional, validateSync } from 'class-validator';
import { flattenValidationErrors } from '../errors/validation';
import { EmailAddressText, PhoneNumberText } from './contact-decorators';
import { PhoneNormaliser } from './phone-normaliser';

class ContactDto {
  @IsOptional() @EmailAddressText() email?: string;
  @IsOptional() @PhoneNumberText() phone?: string;
}

const check = (plain: object) => {
  const dto = plainToInstance(ContactDto, plain);
  return { dto, fields: flattenValidationErrors(validateSync(dto)).map((p) => p.field) };
};

describe('EmailAddressText and PhoneNumberText', () => {
  it('trim (and lower-case the email) before checking', () => {
    expect(check({ email: '  Ada@Example.COM ', phone: ' +49 (30) 123-456 ' })).toEqual({ dto: { email: 'ada@example.com', phone: '+49 (30) 123-456' }, fields: [] });
  });

  it('name the field of a bad email, a phone with letters, a phone too long and a value that is no string', () => {
    expect(check({ email: 'ada@', phone: 'call me' }).fields).toEqual(['email', 'phone']);
    expect(check({ phone: '1'.repeat(33) }).fields).toEqual(['phone']);
    expect(check({ email: 42 }).fields).toEqual(['email']);
  });
});

describe('PhoneNormaliser', () => {
  const phones = new PhoneNormaliser('DE');

  it('reads national numbers in its region and international ones as given', () => {
    expect(phones.toE164('030 1234567')).toBe('+49301234567');
    expect(phones.toE164('+1 212 555 0100')).toBe('+12125550100');
    expect(phones.toE164('12')).toBeUndefined();
    expect(phones.e164(undefined, 'contact.phone')).toBeUndefined();
  });

  it('answers an invalid number with a 400 that names the field and the region', () => {
    let thrown: unknown;
    try {
      phones.e164('12', 'contact.phone');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BadRequestException);
    expect((thrown as BadRequestException).getResponse()).toMatchObject({
      statusCode: 400,
      errors: [{ field: 'contact.phone', problems: ['contact.phone must be a valid phone number (international, or national in region DE)'] }],
    });
    expect(phones.invalid('phones.1.number', 'number')).toEqual({ field: 'phones.1.number', problems: ['number must be a valid phone number (international, or national in region DE)'] });
  });
});
