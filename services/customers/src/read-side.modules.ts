// The read side plugs in here: projections into PostgreSQL, search, duplicate candidates, analyst views, the
// Kafka relay, and the consumer of sales' lead conversions. Its modules may inject what
// CustomersInfrastructureModule exports (infrastructure/index.ts).
import { Module, type DynamicModule, type ForwardReference, type Type } from '@nestjs/common';
import { LeadConversionsModule } from './convert-lead/convert-lead.module';
import { DuplicateCandidatesController } from './duplicate-candidates/duplicate-candidates.controller';
import { GetCustomerController } from './get-customer/get-customer.controller';
import { CustomersRelay } from './integration/customers-relay';
import { CustomerProfilesReader } from './read-model/customer-profiles.reader';
import { CustomerProfilesRunner } from './read-model/customer-profiles.runner';
import { SearchCustomersController } from './search-customers/search-customers.controller';

/** The customer_profiles read model (projection, analysts' views) and the queries over it. */
@Module({
  controllers: [GetCustomerController, SearchCustomersController, DuplicateCandidatesController],
  providers: [CustomerProfilesRunner, CustomerProfilesReader],
})
export class CustomerProfilesModule {}

/** Integration events on Kafka. */
@Module({ providers: [CustomersRelay] })
export class CustomersIntegrationModule {}

export const ReadSideModules: Array<Type<unknown> | DynamicModule | Promise<DynamicModule> | ForwardReference> = [
  CustomerProfilesModule,
  CustomersIntegrationModule,
  LeadConversionsModule,
];
