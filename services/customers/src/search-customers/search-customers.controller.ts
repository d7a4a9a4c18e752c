// GET /customers?q=&tag=&consent=&status=&createdFrom=&createdTo=&lastPurchaseFrom=&lastPurchaseTo=&limit=&cursor=
// Customers from the read model, sorted by (created_at, customer_id), one page at a time with an opaque cursor.
import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { fieldsInvalid } from '@crm/platform';
import { profileViewOf, type CustomerProfileView, type SelectedRow } from '../read-model/customer-profile.view';
import { CustomerProfilesReader } from '../read-model/customer-profiles.reader';
import { decodeCursor, encodeCursor, searchStatement, type SearchCursor } from './customer-search';
import { DEFAULT_LIMIT, SearchCustomersQuery } from './search-customers.query';

export interface CustomerPage {
  items: CustomerProfileView[];
  /** Pass as `cursor` (with the same filters) for the next page; null on the last page. */
  nextCursor: string | null;
}

@ApiTags('customers')
@Controller('customers')
export class SearchCustomersController {
  constructor(private readonly profiles: CustomerProfilesReader) {}

  @Get()
  async search(@Query() query: SearchCustomersQuery): Promise<CustomerPage> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    let after: SearchCursor | undefined;
    if (query.cursor !== undefined) {
      after = decodeCursor(query.cursor) ?? undefined;
      if (after === undefined) throw fieldsInvalid([{ field: 'cursor', problems: ['cursor must be a nextCursor returned by this API'] }]);
    }
    const statement = searchStatement({
      q: query.q,
      tags: query.tag,
      consents: query.consent,
      statuses: query.status,
      createdFrom: query.createdFrom,
      createdTo: query.createdTo,
      lastPurchaseFrom: query.lastPurchaseFrom,
      lastPurchaseTo: query.lastPurchaseTo,
      limit,
      after,
    });
    const { rows } = await this.profiles.pool.query<SelectedRow>(statement.text, statement.values);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(profileViewOf),
      nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.created_key, customerId: last.customer_id }) : null,
    };
  }
}
