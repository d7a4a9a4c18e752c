// The customers service's environment, validated at boot (EventSourcedServiceConfig holds the event store, data key,
// pool and Kafka variables it shares with the other event-sourced services).
import { BooleanFlag, EventSourcedServiceConfig, MasterKeyVariable, PhoneRegionVariable } from '@crm/platform';
import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';

export class CustomersConfig extends EventSourcedServiceConfig {
  /** Wraps every customer's data key (crypto-shredding, docs/decisions/0010). Losing it makes every customer's personal data unreadable. */
  @MasterKeyVariable()
  CUSTOMERS_MASTER_KEY!: string;

  /** Region for phone numbers given without a +country prefix (ISO 3166-1 alpha-2, upper case). */
  @PhoneRegionVariable()
  DEFAULT_PHONE_REGION = 'US';

  /** Consume lead.converted from crm.sales.v1 and register or link the customer (issue 6). */
  @BooleanFlag()
  @IsBoolean()
  LEAD_CONVERSIONS_ENABLED = true;

  /** The lead-conversion consumer group; default `${KAFKA_TOPIC_PREFIX}${SERVICE_NAME}.lead-conversions`. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,200}$/, { message: '$property may hold only letters, digits and ._- (at most 200)' })
  @IsString()
  LEAD_CONVERSIONS_GROUP_ID?: string;
}
