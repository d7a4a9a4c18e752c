// Lead conversion (issue 6): the customers' half of the saga, driven by crm.sales.v1.
import { Module } from '@nestjs/common';
import { ConvertLeadHandler } from './convert-lead.handler';
import { LeadConversionsConsumer } from './lead-conversions.consumer';

@Module({ providers: [ConvertLeadHandler, LeadConversionsConsumer] })
export class LeadConversionsModule {}
