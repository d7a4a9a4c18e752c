// Lead phone numbers to E.164 (what the domain and the contracts hold), read in the configured default region
// when given without a +country prefix.
import type { CountryCode } from 'libphonenumber-js';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { fieldsInvalid } from '@crm/platform';

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
    if (e164 === undefined) {
      throw fieldsInvalid([{ field, problems: [`${field} must be a valid phone number (international, or national in region ${this.defaultRegion})`] }]);
    }
    return e164;
  }
}
