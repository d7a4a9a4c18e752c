// The answer to a command on one customer: its id and revision in the body, the revision as ETag.
import { revisionNumber, type CustomerCommandResult } from '../customer-commands';
import { setETag, type ResponseHeaders } from './etag';

export interface CommandAnswer {
  customerId: string;
  /** The customer's stream revision after the command: send it back as If-Match. */
  revision: number;
}

export function answer(response: ResponseHeaders, customerId: string, result: Pick<CustomerCommandResult, 'nextExpectedRevision'>): CommandAnswer {
  setETag(response, result.nextExpectedRevision);
  return { customerId, revision: revisionNumber(result.nextExpectedRevision) };
}
