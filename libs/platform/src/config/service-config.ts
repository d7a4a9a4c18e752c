// The environment every service reads. A service extends BaseServiceConfig with its own variables.
import { Transform, Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Reads `a, b,c` as `['a', 'b', 'c']`. */
export function CommaSeparated(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : value,
  );
}

/** Reads true/false/1/0/yes/no; implicit conversion would read the string 'false' as true. */
export function BooleanFlag(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const flag = value.trim().toLowerCase();
    if (['true', '1', 'yes'].includes(flag)) return true;
    if (['false', '0', 'no'].includes(flag)) return false;
    return value;
  });
}

// class-validator checks the decorator nearest the property first and reports only the first failure
// per variable (stopAtFirstError): the type check sits at the bottom so that 'abc' reads as 'not an integer'.
export class BaseServiceConfig {
  /** Defaults to the name given to bootstrapService. */
  @Matches(/^[a-z][a-z0-9-]*$/, { message: '$property must be lower-case letters, digits and dashes' })
  @IsString()
  SERVICE_NAME!: string;

  @Type(() => Number)
  @Min(0)
  @Max(65535)
  @IsInt()
  PORT = 3000;

  @IsNotEmpty()
  @IsString()
  HOST = '0.0.0.0';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: '$property must be a postgres:// connection string' })
  @IsString()
  DATABASE_URL!: string;

  @CommaSeparated()
  @Matches(/^[^\s:,]+:\d{1,5}$/, { each: true, message: '$property must be a comma-separated list of host:port' })
  @ArrayNotEmpty()
  @IsArray()
  KAFKA_BROKERS!: string[];

  /** body-parser syntax: bytes, or a number with b, kb, mb. */
  @Matches(/^\d+(b|kb|mb)?$/i, { message: '$property must be a size such as 512kb or 1mb' })
  HTTP_BODY_LIMIT = '1mb';

  /** How long in-flight requests may take to finish after SIGTERM. */
  @Type(() => Number)
  @Min(0)
  @IsInt()
  SHUTDOWN_TIMEOUT_MS = 10_000;
}
