// The answer to a command on one customer: its id and revision in the body, the revision as ETag.
import { answerCommand, type ResponseHeaders } from '@crm/platform';
import type { CustomerCommandResult } from '../customer-commands';

export interface CommandAnswer {
  customerId: string;
  /** The customer's stream revision after the command: send it back as If-Match. */
  revision: number;
}

export function answer(response: ResponseHeaders, customerId: string, result: Pick<CustomerCommandResult, 'nextExpectedRevision'>): CommandAnswer {
  return answerCommand(response, { customerId }, result);
}
