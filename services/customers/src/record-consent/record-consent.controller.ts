// PUT /customers/:id/consents/:channel { granted, source, at? } → 200 { customerId, revision }. `at` is when the
// consent was captured (a paper form signed yesterday); it defaults to now and may not lie in the future.
import { Body, Controller, Param, Put, Res } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { Command, fieldsInvalid, IsIsoDateTime, Trim, type HttpCommand, type ResponseHeaders } from '@crm/platform';
import { CONSENT_CHANNELS, type ConsentChannel, type CustomerCommand } from '../domain';
import { CustomerCommands } from '../infrastructure/customer-commands';
import { answer, type CommandAnswer } from '../infrastructure/http/command-answer';
import { CustomerIdParams } from '../infrastructure/http/params';
import { LIMITS } from '../infrastructure/http/validation';

/** Clock skew tolerated between the client that captured a consent and this service. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export class ConsentParams extends CustomerIdParams {
  @ApiProperty({ enum: CONSENT_CHANNELS }) @IsIn(CONSENT_CHANNELS) channel!: ConsentChannel;
}

export class RecordConsentDto {
  @ApiProperty({ description: 'true: consent given; false: withdrawn' }) @IsBoolean() granted!: boolean;
  @ApiProperty({ maxLength: LIMITS.source, description: 'Where it was captured (a form, an import); never personal data' })
  @Trim()
  @IsNotEmpty()
  @MaxLength(LIMITS.source)
  @IsString()
  source!: string;
  @ApiPropertyOptional({ description: 'ISO-8601 time with zone; default: now' })
  @IsOptional()
  @IsIsoDateTime()
  at?: string;
}

@ApiTags('customers')
@Controller('customers/:id/consents/:channel')
export class RecordConsentController {
  constructor(private readonly commands: CustomerCommands) {}

  @Put()
  async record(
    @Param() { id, channel }: ConsentParams,
    @Body() dto: RecordConsentDto,
    @Command() command: HttpCommand,
    @Res({ passthrough: true }) response: ResponseHeaders,
  ): Promise<CommandAnswer> {
    const at = capturedAt(dto.at, command.at);
    const data = { customerId: id, channel, source: dto.source, at };
    const consent: CustomerCommand = dto.granted ? { type: 'GiveConsent', data } : { type: 'WithdrawConsent', data };
    return answer(response, id, await this.commands.execute(consent, command));
  }
}

function capturedAt(given: string | undefined, accepted: string): string {
  if (given === undefined) return accepted;
  const time = new Date(given);
  if (time.getTime() > Date.parse(accepted) + FUTURE_TOLERANCE_MS) throw fieldsInvalid([{ field: 'at', problems: ['at must not be in the future'] }]);
  return time.toISOString();
}

