// Request parts shared by the sales DTOs: money, stages, and ids the service derives from the Idempotency-Key
// when the client gives none (so that a retry addresses the same aggregate). Limits are the domain's LIMITS.
import { ApiProperty } from '@nestjs/swagger';
import { IsISO4217CurrencyCode, IsNotEmpty, IsUUID, IsNumber, IsString, Matches, Max, MaxLength, Min, type ValidationOptions } from 'class-validator';
import { CRM_ID_NAMESPACE, uuidv5 } from '@crm/event-store';
import { Trim, TrimLowerCase, TrimUpperCase, type HttpCommand } from '@crm/platform';
import { LIMITS, type Money, type SalesAggregate, type Stage } from '../../domain';

/** The contracts' Money: a decimal string (never a float) with up to 15 integer digits and 6 decimals. */
export const DECIMAL = /^(0|[1-9][0-9]{0,14})(\.[0-9]{1,6})?$/;

export class MoneyDto {
  @ApiProperty({ example: '48000.00', description: 'A non-negative decimal string' })
  @Matches(DECIMAL, { message: '$property must be a non-negative decimal string such as "48000.00"' })
  @IsString()
  amount!: string;
  @ApiProperty({ example: 'EUR' })
  @TrimUpperCase()
  @IsISO4217CurrencyCode({ message: '$property must be an ISO 4217 currency code' })
  @IsString()
  currency!: string;
}

export const toMoney = (dto: MoneyDto): Money => ({ amount: dto.amount, currency: dto.currency });

/** A stage slug: a-z, 0-9 and inner dashes. */
export const STAGE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const stageIdMessage = { message: '$property must be a slug of a-z, 0-9 and inner dashes, such as "proposal"' };

/** A stage id; `{ each: true }` for a list of them. */
export const StageId = (options: ValidationOptions = {}): PropertyDecorator => (target, key) => {
  for (const decorate of [Matches(STAGE_ID, { ...stageIdMessage, ...options }), MaxLength(LIMITS.stageId, options), IsString(options)]) decorate(target, key);
};

export const WinProbability = (): PropertyDecorator => (target, key) => {
  for (const decorate of [Max(1), Min(0), IsNumber({ allowNaN: false, allowInfinity: false })]) decorate(target, key);
};

/** Trimmed, not blank, at most `max` characters. */
export const Text = (max: number): PropertyDecorator => (target, key) => {
  for (const decorate of [Trim(), IsNotEmpty(), MaxLength(max), IsString()]) decorate(target, key);
};

/** A CRM user's id as the identity provider issues it (`auth0|5f7c…`): never an email, which is personal data. */
export const USER_ID = /^[A-Za-z0-9._:|-]+$/;

export const UserId = (): PropertyDecorator => (target, key) => {
  const message = { message: '$property must be a user id of letters, digits and ._:|-' };
  for (const decorate of [Trim(), Matches(USER_ID, message), MaxLength(LIMITS.userId), IsString()]) decorate(target, key);
};

/** A uuid, compared and stored in lower case. */
export const Uuid = (): PropertyDecorator => (target, key) => {
  for (const decorate of [TrimLowerCase(), IsUUID()]) decorate(target, key);
};

export class StageDto {
  @ApiProperty({ example: 'proposal', maxLength: LIMITS.stageId, description: 'Never changes' }) @StageId() id!: string;
  @ApiProperty({ example: 'Proposal', maxLength: LIMITS.stageName }) @Text(LIMITS.stageName) name!: string;
  @ApiProperty({ example: 0.5, minimum: 0, maximum: 1 }) @WinProbability() winProbability!: number;
}

export const toStage = (dto: StageDto): Stage => ({ id: dto.id, name: dto.name, winProbability: dto.winProbability });

/** The id of a new aggregate: the client's, or one derived from the command id (stable across retries). */
export function newIdOf(aggregate: SalesAggregate, given: string | undefined, command: HttpCommand): string {
  return given ?? uuidv5(`${aggregate}:${command.metadata.commandId}`, CRM_ID_NAMESPACE);
}
