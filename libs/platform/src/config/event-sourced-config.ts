// The environment of a service with its own event store, crypto-shredded personal data and a Kafka topic: what
// the customers and sales services share. A service extends it with its own master key and variables.
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO31661Alpha2, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';
import { BaseServiceConfig, BooleanFlag } from './service-config';

export const EVENT_STORES = ['postgres', 'eventstoredb'] as const;
export type EventStoreKind = (typeof EVENT_STORES)[number];

/**
 * A master key of crypto-shredding (docs/decisions/0010): base64 of 32 random bytes, `openssl rand -base64 32`.
 * A decorator rather than a field, because each service names its own (CUSTOMERS_MASTER_KEY, SALES_MASTER_KEY).
 */
export function MasterKeyVariable(): PropertyDecorator {
  return (target, key) => {
    const key32 = Matches(/^[A-Za-z0-9+/]{43}=$/, { message: '$property must be the base64 encoding of 32 random bytes (openssl rand -base64 32)' });
    for (const decorate of [IsString(), key32]) decorate(target, key);
  };
}

/** A region for phone numbers given without a +country prefix: an upper-case ISO 3166-1 alpha-2 code. */
export function PhoneRegionVariable(): PropertyDecorator {
  return (target, key) => {
    const upperCase = Matches(/^[A-Z]{2}$/, { message: '$property must be an upper-case ISO 3166-1 alpha-2 code such as US or DE' });
    for (const decorate of [IsISO31661Alpha2(), upperCase]) decorate(target, key);
  };
}

// As in BaseServiceConfig, the type check sits at the bottom (and is applied first in the decorators above):
// class-validator reports only the first failure of a variable.
export class EventSourcedServiceConfig extends BaseServiceConfig {
  /**
   * Run the background work in this process: projections, the relay to Kafka, consumers, schedulers. `false` makes
   * an API-only process (commands and queries), so the HTTP side can be scaled apart from one worker process whose
   * event loop the read side then has to itself (docs/decisions/0017).
   */
  @BooleanFlag()
  @IsBoolean()
  RUN_BACKGROUND_WORK = true;

  /** Where the service's streams live. Its data keys and read models stay in DATABASE_URL either way. */
  @IsIn(EVENT_STORES)
  EVENT_STORE: EventStoreKind = 'postgres';

  /** `esdb://…` or `kurrentdb://…`; required when EVENT_STORE=eventstoredb. */
  @ValidateIf((config: EventSourcedServiceConfig) => config.EVENT_STORE === 'eventstoredb')
  @Matches(/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kurrent|kurrent\+discover):\/\/\S+$/, {
    message: '$property must be an esdb:// or kurrentdb:// connection string when EVENT_STORE=eventstoredb',
  })
  @IsString()
  EVENTSTORE_CONNECTION_STRING?: string;

  /** Connections of the service's pool (event store, data keys, read models, jobs). */
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
   * How long a cached key is used before it is read again: bounds how long another replica may still decrypt
   * after an erasure on this one (docs/decisions/0010).
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

/** Why a background component does not start in this process, or undefined when it does. */
export function backgroundWorkDisabledBy(config: Pick<EventSourcedServiceConfig, 'RUN_BACKGROUND_WORK'>, ownSwitch?: { enabled: boolean; name: string }): string | undefined {
  if (!config.RUN_BACKGROUND_WORK) return 'RUN_BACKGROUND_WORK=false';
  if (ownSwitch && !ownSwitch.enabled) return `${ownSwitch.name}=false`;
  return undefined;
}
