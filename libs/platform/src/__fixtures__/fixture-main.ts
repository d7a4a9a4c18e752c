// A service's main.ts in miniature, run as a child process by bootstrap.e2e.spec.ts.
import { Module } from '@nestjs/common';
import { IsString, MinLength } from 'class-validator';
import { BaseServiceConfig, bootstrapService } from '../index';

class FixtureConfig extends BaseServiceConfig {
  @IsString()
  @MinLength(3)
  FIXTURE_GREETING!: string;
}

@Module({})
class FixtureModule {}

void bootstrapService(FixtureModule, { name: 'fixture', config: FixtureConfig });
