// @crm/contracts: the published language of the CRM's integration events (see docs/events.md).
export * from './common/envelope';
export { Contact, Location, Money, PersonName } from './common/fields';
export { DAY_MS, topicConfigEntries, type TopicDefinition } from './common/topic';
export type { EventContract, Payload } from './common/define-event';
export * from './customers';
export * from './sales';
export * from './registry';
export * from './validate';
export * from './compatibility/schema-compatibility';
export { asyncApiDocument } from './asyncapi/asyncapi-document';
export { eventCatalogueMarkdown } from './asyncapi/event-catalogue';
