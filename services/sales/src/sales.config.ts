// The sales service's environment, validated at boot (EventSourcedServiceConfig holds the event store, data key,
// pool and Kafka variables it shares with the other event-sourced services).
import { BooleanFlag, EventSourcedServiceConfig, MasterKeyVariable, PhoneRegionVariable } from '@crm/platform';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { parseIsoDuration } from './conversion/iso-duration';

@ValidatorConstraint({ name: 'isoDuration' })
class IsoDuration implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseIsoDuration(value) !== undefined;
  }
  defaultMessage(): string {
    return '$property must be an ISO-8601 duration of days, hours, minutes or seconds, such as PT5M';
  }
}

export class SalesConfig extends EventSourcedServiceConfig {
  /** Default port of the sales service (scripts/start.sh and the README's table give it 3003). */
  override PORT = 3003;

  /** Wraps every lead's data key (crypto-shredding, as in the customers service). Losing it makes every lead's contact data unreadable. */
  @MasterKeyVariable()
  SALES_MASTER_KEY!: string;

  /** Region for phone numbers of lead contacts given without a +country prefix (ISO 3166-1 alpha-2, upper case). */
  @PhoneRegionVariable()
  DEFAULT_PHONE_REGION = 'US';

  // ---- Reminders of sales activities (services/sales/src/reminders) ----
  /** Run the reminder jobs projection and fire due reminders in this process. */
  @BooleanFlag()
  @IsBoolean()
  REMINDERS_ENABLED = true;

  /** Longest sleep between scheduler passes: bounds how late a reminder fires. */
  @Type(() => Number)
  @Min(50)
  @Max(60_000)
  @IsInt()
  REMINDER_POLL_INTERVAL_MS = 1_000;

  /** Reminder jobs claimed per transaction. */
  @Type(() => Number)
  @Min(1)
  @Max(500)
  @IsInt()
  REMINDER_BATCH_SIZE = 20;

  /** Failed fires before a reminder job is marked failed. */
  @Type(() => Number)
  @Min(1)
  @Max(100)
  @IsInt()
  REMINDER_MAX_ATTEMPTS = 10;

  // ---- The lead-conversion saga and the customers feed (services/sales/src/{customers-feed,conversion}) ----
  /** Consume crm.customers.v1: known customers, conversion answers, merges, erasures. */
  @BooleanFlag()
  @IsBoolean()
  CUSTOMERS_FEED_ENABLED = true;

  /** The customers feed's consumer group; default `${KAFKA_TOPIC_PREFIX}${SERVICE_NAME}.customers-feed`. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,200}$/, { message: '$property may hold only letters, digits, dots, underscores and hyphens (at most 200)' })
  @IsString()
  CUSTOMERS_FEED_GROUP_ID?: string;

  /** A conversion without the customers service's answer for this long is listed as stuck (ISO-8601 duration). */
  @Validate(IsoDuration)
  @IsString()
  CONVERSION_STUCK_AFTER = 'PT5M';

  /** Pause between polls of the customer follow-ups (merges, erasures) while none is due. */
  @Type(() => Number)
  @Min(50)
  @Max(60_000)
  @IsInt()
  CUSTOMER_FOLLOW_UPS_POLL_MS = 500;
}
