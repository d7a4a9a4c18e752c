// CloudEvents 1.0 in Kafka binary mode: attributes as `ce_` headers, the JSON payload as the value.
// The header names are the contract's (libs/contracts/src/common/envelope.ts).
export { EnvelopeHeader as CeHeader, CLOUDEVENTS_SPEC_VERSION, CONTENT_TYPE_JSON } from '@crm/contracts';
