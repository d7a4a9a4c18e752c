// A tiny service for the platform's e2e tests: one controller with a DTO and routes that fail in each way.
import { Body, Controller, Get, Module, Post, Query, type OnModuleDestroy } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { Writable } from 'node:stream';
import {
  BaseServiceConfig,
  ConcurrencyConflictError,
  currentCorrelationId,
  DomainRejectionError,
  NotFoundError,
  PlatformLogger,
  type Logger,
} from '../index';

export class TestConfig extends BaseServiceConfig {}

class AddressDto {
  @ApiProperty() @IsString() @MaxLength(100) city!: string;
  @ApiProperty({ required: false }) @IsOptional() @IsString() street?: string;
}

class RegisterCustomerDto {
  @ApiProperty() @IsString() @MaxLength(50) name!: string;
  @ApiProperty() @IsInt() @Min(0) age!: number;
  @ApiProperty({ type: AddressDto }) @IsDefined() @ValidateNested() @Type(() => AddressDto) address!: AddressDto;
}

/** Named as the event store's error, to show the mapping matches by name without importing it. */
class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';
  constructor(
    readonly streamName: string,
    readonly expectedVersion: bigint,
    readonly actualVersion: bigint,
  ) {
    super(`Wrong expected revision for stream ${streamName}`);
  }
}

export const shutdownLog: string[] = [];

@Controller('customers')
class CustomersController {
  private readonly log: Logger;

  constructor(loggers: PlatformLogger) {
    this.log = loggers.forContext(CustomersController.name);
  }

  @Post()
  async register(@Body() dto: RegisterCustomerDto): Promise<{ name: string; correlationId?: string }> {
    await new Promise((resolve) => setTimeout(resolve, 1)); // deep in an async call chain
    this.log.info({ customerName: dto.name }, 'customer registered');
    return { name: dto.name, correlationId: currentCorrelationId() };
  }

  @Get('missing')
  missing(): never {
    throw new NotFoundError('customer.not_found', 'Customer 42 not found', { customerId: '42' });
  }

  @Get('stale')
  stale(): never {
    throw new ConcurrencyConflictError('customer.stale', 'Customer 42 changed meanwhile', { revision: 7n });
  }

  @Get('rejected')
  rejected(): never {
    throw new DomainRejectionError('consent.withdrawn', 'Consent was withdrawn');
  }

  @Get('wrong-version')
  wrongVersion(): never {
    throw new WrongExpectedVersionError('customer-42', 3n, 4n);
  }

  @Get('boom')
  boom(): never {
    throw new Error('connection to db-7.internal refused');
  }

  @Get('slow')
  async slow(@Query('ms') ms = '300'): Promise<{ waited: number }> {
    await new Promise((resolve) => setTimeout(resolve, Number(ms)));
    shutdownLog.push('slow request done');
    return { waited: Number(ms) };
  }

  @Get('revision')
  revision(): { revision: bigint } {
    return { revision: 12n };
  }
}

class ConnectionsStub implements OnModuleDestroy {
  onModuleDestroy(): void {
    shutdownLog.push('connections closed');
  }
}

@Module({ controllers: [CustomersController], providers: [ConnectionsStub] })
export class TestAppModule {}

export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: process.env['CRM_TEST_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    KAFKA_BROKERS: '127.0.0.1:9092',
    PORT: '0',
    HOST: '127.0.0.1',
    HTTP_BODY_LIMIT: '2kb',
    ...overrides,
  };
}

/** A log destination that keeps each JSON line. */
export function captureLines(): { stream: Writable; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}
