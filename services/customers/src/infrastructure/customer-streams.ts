// Customer stream names: `customer-<uuid>`, the uuid in lower case. Stream names carry ids only, never personal data.
export const CUSTOMER_STREAM_PREFIX = 'customer-';

export const customerStream = (customerId: string): string => `${CUSTOMER_STREAM_PREFIX}${customerId.toLowerCase()}`;

export const isCustomerStream = (streamName: string): boolean => streamName.startsWith(CUSTOMER_STREAM_PREFIX);

export function customerIdOf(streamName: string): string {
  if (!isCustomerStream(streamName)) throw new TypeError(`Not a customer stream: ${streamName}`);
  return streamName.slice(CUSTOMER_STREAM_PREFIX.length);
}
