// What the sales service's other modules (read side, saga, reminders) use of its infrastructure.
export { SALES_POOL, STORED_EVENT_STORE, SALES_EVENT_STORE, CUSTOMER_DIRECTORY } from './tokens';
export { SalesInfrastructureModule } from './sales-infrastructure.module';
export {
  SalesCommands,
  type ActivityResult,
  type CommandEnvelope,
  type LeadResult,
  type OpportunityResult,
  type PipelineResult,
} from './sales-commands';
export { PostgresCustomerDirectory, type CustomerDirectory } from './customer-directory';
export { isLeadEventType, isLeadStream, LEAD_DATA_KEYS, leadDataKeyring, LeadEventCodec, SALES_NAMESPACE, salesMasterKey } from './lead-data-keys';
// The keyring's and master key's classes are their injection tokens; the other modules take them from here.
export { DataKeyring, DataKeyDestroyedError, DataKeyMissingError, MasterKey, type DataKeySource } from '@crm/event-store';
export { SALES_SCHEMA, migrateSalesSchema } from './migrations';
// The platform's phone normaliser in the configured DEFAULT_PHONE_REGION, provided by SalesInfrastructureModule.
export { PhoneNormaliser } from '@crm/platform';
