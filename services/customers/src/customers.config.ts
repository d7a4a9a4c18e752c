// The customers service's environment, validated at boot (see BaseServiceConfig for the shared variables).
import { BaseServiceConfig, BooleanFlag } from '@crm/platform';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO31661Alpha2, IsOptional, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';

export const EVENT_STORES = ['postgres', 'eventstoredb'] as const;
export type EventStoreKind = (typeof EVENT_STORES)[number];

export class CustomersConfig extends BaseServiceConfig {
  /**
   * Wraps every customer's data key (crypto-shredding, docs/decisions/0010). Base64 of 32 random bytes:
   * `openssl rand -base64 32`. Losing it makes every customer's personal data unreadable.
   */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: '$property must be the base64 encoding of 32 random bytes (openssl rand -base64 32)' })
  @IsString()
  CUSTOMERS_MASTER_KEY!: string;

  /** Region for phone numbers given without a +country prefix (ISO 3166-1 alpha-2, upper case). */
  @Matches(/^[A-Z]{2}$/, { message: '$property must be an upper-case ISO 3166-1 alpha-2 code such as US or DE' })
  @IsISO31661Alpha2()
  DEFAULT_PHONE_REGION = 'US';

  /** Where the customer streams live. The key table and read models stay in DATABASE_URL either way. */
  @IsIn(EVENT_STORES)
  EVENT_STORE: EventStoreKind = 'postgres';

  /** `esdb://…` or `kurrentdb://…`; required when EVENT_STORE=eventstoredb. */
  @ValidateIf((config: CustomersConfig) => config.EVENT_STORE === 'eventstoredb')
  @Matches(/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kurrent|kurrent\+discover):\/\/\S+$/, {
    message: '$property must be an esdb:// or kurrentdb:// connection string when EVENT_STORE=eventstoredb',
  })
  @IsString()
  EVENTSTORE_CONNECTION_STRING?: string;

  /** Connections of the service's pool (event store, data keys, read models). */
  @Type(() => Number)
  @Min(1)
  @Max(200)
  @IsInt()
  DATABASE_POOL_MAX = 20;

  /** Unwrapped data keys kept in memory. 0 disables the cache. */
  @Type(() => Number)
  @Min(0)
  @IsInt()
  DATA_KEY_CACHE_SIZE = 10_000;

  /**
   * How long a cached key is used before it is read again: bounds how long another instance may still
   * decrypt after an erasure on this one (docs/decisions/0010).
   */
  @Type(() => Number)
  @Min(0)
  @IsInt()
  DATA_KEY_CACHE_TTL_MS = 60_000;

  /**
   * Longest pause between two polls of an idle event-store subscription (projections, relay; PostgreSQL store):
   * bounds how long a command on a quiet service waits to show in the read model and on Kafka.
   */
  @Type(() => Number)
  @Min(10)
  @Max(1000)
  @IsInt()
  EVENT_STORE_POLL_MAX_DELAY_MS = 25;

  /** Prepended to every Kafka topic the service publishes to (tests and shared brokers); empty in production. */
  @Matches(/^[A-Za-z0-9._-]*$/, { message: '$property may hold only letters, digits and ._-' })
  @IsString()
  KAFKA_TOPIC_PREFIX = '';

  /** Replication factor of the topics created at start: the contract says 3, a single local broker has 1. */
  @Type(() => Number)
  @Min(1)
  @Max(10)
  @IsInt()
  KAFKA_REPLICATION_FACTOR = 1;

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
