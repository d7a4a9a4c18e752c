// The `:id` of the customer routes: a uuid in lower case (the platform's IdParams), named for the customer.
import { IdParams } from '@crm/platform';

export class CustomerIdParams extends IdParams {}
