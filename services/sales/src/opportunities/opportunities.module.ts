// Opportunities over HTTP: open for a known active customer, move through the pipeline, change, close, reopen.
import { Module } from '@nestjs/common';
import { OpportunitiesController } from './opportunities.controller';

@Module({ controllers: [OpportunitiesController] })
export class OpportunitiesModule {}
