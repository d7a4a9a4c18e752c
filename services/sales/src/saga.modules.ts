// What the sales service consumes from Kafka (the customers it may sell to, the lead-conversion saga). Owned by the saga.
// Its providers inject what SalesInfrastructureModule exports (global): SALES_POOL, SALES_EVENT_STORE, SalesCommands,
// SalesConfig, DataKeyring.
import { Module, type DynamicModule, type ForwardReference, type Type } from '@nestjs/common';
import { ConversionLinksRunner } from './conversion/conversion-links.runner';
import { StuckConversionsController } from './conversion/stuck-conversions.controller';
import { CustomerFollowUpsService } from './customers-feed/customer-follow-ups.service';
import { CustomersFeedConsumer } from './customers-feed/customers-feed.consumer';

/**
 * crm.customers.v1 → sales.known_customers and the conversion answers; merges and erasures through the follow-ups;
 * the conversion_links projection they read; the stuck-conversions query.
 */
@Module({
  controllers: [StuckConversionsController],
  providers: [CustomerFollowUpsService, ConversionLinksRunner, CustomersFeedConsumer],
})
export class ConversionSagaModule {}

export const SagaModules: Array<Type<unknown> | DynamicModule | Promise<DynamicModule> | ForwardReference> = [ConversionSagaModule];
