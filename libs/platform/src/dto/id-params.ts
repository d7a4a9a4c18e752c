// The `:id` path parameter of an aggregate's routes: a uuid, compared and stored in lower case.
import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { TrimLowerCase } from './dto-decorators';

export class IdParams {
  @ApiProperty({ format: 'uuid' }) @TrimLowerCase() @IsUUID() id!: string;
}
