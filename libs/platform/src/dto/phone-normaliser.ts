// Phone numbers to E.164 (what domains and contracts hold), read in the service's default region (its
// DEFAULT_PHONE_REGION) when given without a +country prefix. After validation, because the region is config.
import type { CountryCode } from 'libphonenumber-js';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { FieldProblem } from '../errors/validation';
import { fieldsInvalid } from './dto-decorators';

export class PhoneNormaliser {
  constructor(readonly defaultRegion: string) {}

  /** E.164, or undefined when the text is no valid phone number (of the default region, without a + prefix). */
  toE164(text: string): string | undefined {
    const parsed = parsePhoneNumberFromString(text, this.defaultRegion as CountryCode);
    return parsed !== undefined && parsed.isValid() && parsed.ext === undefined ? parsed.number : undefined;
  }

  /** The phone in E.164 (undefined stays undefined); a 400 naming `field` when it is no valid number. */
  e164(text: string | undefined, field: string): string | undefined {
    if (text === undefined) return undefined;
    const e164 = this.toE164(text);
    if (e164 === undefined) throw fieldsInvalid([this.invalid(field)]);
    return e164;
  }

  /** The 400's entry for an invalid number at `field` (e.g. `phones.1.number`), the message naming `property`. */
  invalid(field: string, property = field): FieldProblem {
    return { field, problems: [`${property} must be a valid phone number (international, or national in region ${this.defaultRegion})`] };
  }
}
