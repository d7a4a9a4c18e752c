// Integration events on Kafka: the relay of the lead, opportunity and activity streams to crm.sales.v1.
import { Module } from '@nestjs/common';
import { SalesRelay } from './sales-relay';

@Module({ providers: [SalesRelay] })
export class SalesIntegrationModule {}
