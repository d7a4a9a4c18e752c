// GET /customers/:id — the customer from the read model (eventually consistent with the commands: a customer just
// registered may answer 404 for a few milliseconds; the ETag says which revision the answer reflects).
// - merged: 200 with the survivor's profile, `mergedFrom` listing the merged ids followed and Content-Location
//   naming the survivor, so a client can re-point its reference;
// - erased: 200 with status `erased` and every personal field null (the id stays a pseudonym with its
//   non-personal history), rather than 410, so that analytics clients keep reading purchase figures;
// - unknown: 404 CUSTOMER_NOT_FOUND.
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { setETag, type ResponseHeaders } from '@crm/platform';
import { CustomerNotFoundError } from '../domain';
import { CustomerIdParams } from '../infrastructure';
import { profileViewOf, type CustomerProfileView } from '../read-model/customer-profile.view';
import { CustomerProfilesReader } from '../read-model/customer-profiles.reader';

export type GetCustomerAnswer = CustomerProfileView & { mergedFrom?: string[] };

@ApiTags('customers')
@Controller('customers')
export class GetCustomerController {
  constructor(private readonly profiles: CustomerProfilesReader) {}

  @Get(':id')
  async get(@Param() { id }: CustomerIdParams, @Res({ passthrough: true }) response: ResponseHeaders): Promise<GetCustomerAnswer> {
    const resolved = await this.profiles.resolve(id);
    if (resolved === null) throw new CustomerNotFoundError(id);
    const view = profileViewOf(resolved.row);
    setETag(response, BigInt(view.revision));
    if (resolved.mergedFrom.length === 0) return view;
    response.setHeader('Content-Location', `/customers/${view.customerId}`);
    return { ...view, mergedFrom: resolved.mergedFrom };
  }
}
