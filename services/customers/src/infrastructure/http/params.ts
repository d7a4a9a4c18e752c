// Path parameters shared by the customer routes; ids are uuids, compared and stored in lower case.
import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { TrimLowerCase } from './validation';

export class CustomerIdParams {
  @ApiProperty({ format: 'uuid' }) @TrimLowerCase() @IsUUID() id!: string;
}
