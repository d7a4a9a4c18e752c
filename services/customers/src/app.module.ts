// The customers service: the command side (one controller per use case), history and as-of, and the read side.
import { Module } from '@nestjs/common';
import { AsOfController } from './as-of/as-of.controller';
import { ChangeAddressController } from './change-address/change-address.controller';
import { DeactivateCustomerController } from './deactivate-customer/deactivate-customer.controller';
import { EraseCustomerController } from './erase-customer/erase-customer.controller';
import { EraseCustomerHandler } from './erase-customer/erase-customer.handler';
import { HistoryController } from './history/history.controller';
import { CustomersInfrastructureModule } from './infrastructure/customers-infrastructure.module';
import { MergeCustomersController } from './merge-customers/merge-customers.controller';
import { MergeCustomersHandler } from './merge-customers/merge-customers.handler';
import { ReadSideModules } from './read-side.modules';
import { RecordConsentController } from './record-consent/record-consent.controller';
import { RecordPurchaseController } from './record-purchase/record-purchase.controller';
import { RegisterCustomerController } from './register-customer/register-customer.controller';
import { RegisterCustomerHandler } from './register-customer/register-customer.handler';
import { TagCustomerController } from './tag-customer/tag-customer.controller';
import { UnmergeCustomerController } from './unmerge-customer/unmerge-customer.controller';
import { UnmergeCustomerHandler } from './unmerge-customer/unmerge-customer.handler';
import { UpdateContactDetailsController } from './update-contact-details/update-contact-details.controller';

@Module({
  imports: [
    CustomersInfrastructureModule,
    // ---- The read side (projections, search, duplicate candidates, analyst views, Kafka relay) ----
    ...ReadSideModules,
  ],
  controllers: [
    RegisterCustomerController,
    UpdateContactDetailsController,
    ChangeAddressController,
    TagCustomerController,
    DeactivateCustomerController,
    RecordPurchaseController,
    RecordConsentController,
    MergeCustomersController,
    UnmergeCustomerController,
    EraseCustomerController,
    HistoryController,
    AsOfController,
  ],
  providers: [RegisterCustomerHandler, MergeCustomersHandler, UnmergeCustomerHandler, EraseCustomerHandler],
})
export class AppModule {}
