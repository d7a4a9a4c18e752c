// Every event published on crm.customers.v1, in the order the docs list them.
import type { Static } from '@sinclair/typebox';
import {
  CustomerDeactivatedV1,
  CustomerErasedV1,
  CustomerLeadLinkedV1,
  CustomerMergedV1,
  CustomerReactivatedV1,
  CustomerUnmergedV1,
} from './lifecycle.events';
import {
  CustomerAddressChangedV1,
  CustomerContactDetailsUpdatedV1,
  CustomerRegisteredV1,
  CustomerTaggedV1,
  CustomerUntaggedV1,
} from './profile.events';
import { CustomerConsentGivenV1, CustomerConsentWithdrawnV1, CustomerPurchaseRecordedV1 } from './purchase-and-consent.events';

export const customersEventContracts = [
  CustomerRegisteredV1,
  CustomerContactDetailsUpdatedV1,
  CustomerAddressChangedV1,
  CustomerTaggedV1,
  CustomerUntaggedV1,
  CustomerDeactivatedV1,
  CustomerReactivatedV1,
  CustomerPurchaseRecordedV1,
  CustomerConsentGivenV1,
  CustomerConsentWithdrawnV1,
  CustomerMergedV1,
  CustomerUnmergedV1,
  CustomerErasedV1,
  CustomerLeadLinkedV1,
] as const;

type Contract = (typeof customersEventContracts)[number];

/** A decoded crm.customers.v1 event: switch on `type` exhaustively. */
export type CustomersEvent = { [C in Contract as C['type']]: { type: C['type']; payload: Static<C['schema']> } }[Contract['type']];
