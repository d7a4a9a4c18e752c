// The shape checks of contact data in request DTOs: an email (trimmed, lower-cased, at most 254 characters) and a
// phone number's text (normalised to E.164 after validation by PhoneNormaliser, in the configured region).
import { IsEmail, IsString, Matches, MaxLength } from 'class-validator';
import { Trim, TrimLowerCase } from './dto-decorators';

/** RFC 5321's limit of a forward path. */
export const EMAIL_MAX_LENGTH = 254;
/** E.164 has at most 15 digits; this leaves room for spaces, brackets and a national prefix. */
export const PHONE_TEXT_MAX_LENGTH = 32;

const PHONE_TEXT = /^\+?[0-9][0-9 ()./-]*$/;

// Applied in the order of the decorators written bottom-up, so that a non-string reads as "must be a string".
export const EmailAddressText = (): PropertyDecorator => (target, key) => {
  for (const decorate of [IsString(), MaxLength(EMAIL_MAX_LENGTH), IsEmail(), TrimLowerCase()]) decorate(target, key);
};

export const PhoneNumberText = (): PropertyDecorator => (target, key) => {
  const message = '$property must be a phone number of digits, spaces and ()./-, with an optional leading +';
  for (const decorate of [IsString(), MaxLength(PHONE_TEXT_MAX_LENGTH), Matches(PHONE_TEXT, { message }), Trim()]) decorate(target, key);
};
