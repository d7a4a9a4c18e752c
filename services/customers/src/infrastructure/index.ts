// What the customers service's other modules (the read side) use of its infrastructure.
export { CUSTOMERS_POOL, STORED_EVENT_STORE, CUSTOMER_EVENT_STORE, DUPLICATE_LOOKUP, CONTACT_HASHER } from './tokens';
export { CustomersInfrastructureModule } from './customers-infrastructure.module';
export { CustomerEventCodec, isCustomerEventType } from './customer-event-codec';
// The keyring's class is its injection token; the read side takes it and its errors from here.
export { DataKeyring, DataKeyDestroyedError, DataKeyMissingError, type DataKeySource } from '@crm/event-store';
export { MasterKey } from './crypto/master-key';
export { CUSTOMER_STREAM_PREFIX, customerStream, customerIdOf, isCustomerStream } from './customer-streams';
export { CustomerCommands, type CommandEnvelope, type CustomerCommandResult } from './customer-commands';
export {
  applyContactIndexChanges,
  contactIndexChanges,
  contactIndexDdl,
  CONTACT_INDEX_EVENT_TYPES,
  CONTACT_INDEX_TABLE,
  masterKeyContactHasher,
  type ContactHasher,
  type ContactIndexChange,
  type ContactKind,
} from './contact-index.projection';
export { PostgresDuplicateLookup, type DuplicateLookup } from './duplicate-lookup';
export { CUSTOMERS_SCHEMA, migrateCustomersSchema } from './migrations';
export { CustomerIdParams } from './http/params';
