// The sales service's environment, validated at boot (see BaseServiceConfig for the shared variables).
import { BaseServiceConfig } from '@crm/platform';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO31661Alpha2, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';

export const EVENT_STORES = ['postgres', 'eventstoredb'] as const;
export type EventStoreKind = (typeof EVENT_STORES)[number];

export class SalesConfig extends BaseServiceConfig {
  /** Default port of the sales service (scripts/start.sh and the README's table give it 3003). */
  override PORT = 3003;

  /**
   * Wraps every lead's data key (crypto-shredding, as in the customers service). Base64 of 32 random bytes:
   * `openssl rand -base64 32`. Losing it makes every lead's contact data unreadable.
   */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: '$property must be the base64 encoding of 32 random bytes (openssl rand -base64 32)' })
  @IsString()
  SALES_MASTER_KEY!: string;

  /** Region for phone numbers of lead contacts given without a +country prefix (ISO 3166-1 alpha-2, upper case). */
  @Matches(/^[A-Z]{2}$/, { message: '$property must be an upper-case ISO 3166-1 alpha-2 code such as US or DE' })
  @IsISO31661Alpha2()
  DEFAULT_PHONE_REGION = 'US';

  /** Where the sales streams live. The key table and read models stay in DATABASE_URL either way. */
  @IsIn(EVENT_STORES)
  EVENT_STORE: EventStoreKind = 'postgres';

  /** `esdb://…` or `kurrentdb://…`; required when EVENT_STORE=eventstoredb. */
  @ValidateIf((config: SalesConfig) => config.EVENT_STORE === 'eventstoredb')
  @Matches(/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kurrent|kurrent\+discover):\/\/\S+$/, {
    message: '$property must be an esdb:// or kurrentdb:// connection string when EVENT_STORE=eventstoredb',
  })
  @IsString()
  EVENTSTORE_CONNECTION_STRING?: string;

  /** Connections of the service's pool (event store, lead data keys, read models, jobs). */
  @Type(() => Number)
  @Min(1)
  @Max(200)
  @IsInt()
  DATABASE_POOL_MAX = 20;

  /** Unwrapped lead data keys kept in memory. 0 disables the cache. */
  @Type(() => Number)
  @Min(0)
  @IsInt()
  DATA_KEY_CACHE_SIZE = 10_000;

  /** How long a cached key is used before it is read again: bounds how long another replica may decrypt after an erasure. */
  @Type(() => Number)
  @Min(0)
  @IsInt()
  DATA_KEY_CACHE_TTL_MS = 60_000;

  /** Longest pause between two polls of an idle event-store subscription (projections, relay; PostgreSQL store). */
  @Type(() => Number)
  @Min(10)
  @Max(1000)
  @IsInt()
  EVENT_STORE_POLL_MAX_DELAY_MS = 25;

  /** Prepended to every Kafka topic and consumer group of the service (tests and shared brokers); empty in production. */
  @Matches(/^[A-Za-z0-9._-]*$/, { message: '$property may hold only letters, digits and ._-' })
  @IsString()
  KAFKA_TOPIC_PREFIX = '';

  /** Replication factor of the topics created at start: the contract says 3, a single local broker has 1. */
  @Type(() => Number)
  @Min(1)
  @Max(10)
  @IsInt()
  KAFKA_REPLICATION_FACTOR = 1;
}
