// What the sales service knows about a customer before it opens an opportunity for it: the local read model of
// crm.customers.v1 (sales.known_customers, filled by the customers feed). A customer the feed has not seen yet
// is `unknown`, and the opportunity is refused until it has.
import type { Pool } from 'pg';
import type { CustomerStatus } from '../domain';

export interface CustomerDirectory {
  statusOf(customerId: string): Promise<CustomerStatus>;
}

const KNOWN: ReadonlySet<string> = new Set<CustomerStatus>(['active', 'inactive', 'merged', 'erased']);

export class PostgresCustomerDirectory implements CustomerDirectory {
  constructor(private readonly pool: Pool) {}

  async statusOf(customerId: string): Promise<CustomerStatus> {
    const { rows } = await this.pool.query<{ status: string }>('SELECT status FROM sales.known_customers WHERE customer_id = $1', [customerId]);
    const status = rows[0]?.status;
    return status !== undefined && KNOWN.has(status) ? (status as CustomerStatus) : 'unknown';
  }
}
