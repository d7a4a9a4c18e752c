// The stream revision at the HTTP edge: every command answer carries `ETag: "<revision>"` of the customer it
// addressed, which the client sends back as If-Match.
import { revisionNumber } from '../customer-commands';

/** The part of the HTTP response a controller writes headers to (`@Res({ passthrough: true })`). */
export interface ResponseHeaders {
  setHeader(name: string, value: string): unknown;
}

export const etagOf = (revision: bigint | 'no_stream'): string => `"${revisionNumber(revision)}"`;

export function setETag(response: ResponseHeaders, revision: bigint | 'no_stream'): void {
  response.setHeader('ETag', etagOf(revision));
}
