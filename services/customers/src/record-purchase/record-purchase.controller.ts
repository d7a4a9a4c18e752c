// POST /customers/:id/purchases → 200 { customerId, revision }; the same orderId again appends nothing.
import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Command, fieldsInvalid, type FieldProblem, type HttpCommand, type ResponseHeaders } from '@crm/platform';
import type { RecordPurchase } from '../domain';
import { CustomerCommands } from '../infrastructure/customer-commands';
import { answer, type CommandAnswer } from '../infrastructure/http/command-answer';
import { CustomerIdParams } from '../infrastructure/http/params';
import { toMinorUnits } from './money';
import { RecordPurchaseDto } from './record-purchase.dto';

@ApiTags('customers')
@Controller('customers/:id/purchases')
export class RecordPurchaseController {
  constructor(private readonly commands: CustomerCommands) {}

  @Post()
  @HttpCode(200)
  async record(
    @Param() { id }: CustomerIdParams,
    @Body() dto: RecordPurchaseDto,
    @Command() command: HttpCommand,
    @Res({ passthrough: true }) response: ResponseHeaders,
  ): Promise<CommandAnswer> {
    const record: RecordPurchase = { type: 'RecordPurchase', data: { customerId: id, ...purchaseOf(dto, command.at), at: command.at } };
    return answer(response, id, await this.commands.execute(record, command));
  }
}

function purchaseOf(dto: RecordPurchaseDto, now: string): Omit<RecordPurchase['data'], 'customerId' | 'at'> {
  const { currency } = dto.amount;
  const problems: FieldProblem[] = [];
  const minor = (decimal: string, field: string): string => {
    const converted = toMinorUnits(decimal, currency, field);
    if ('problem' in converted) problems.push(converted.problem);
    return 'minor' in converted ? converted.minor : '0';
  };
  const amount = { minor: minor(dto.amount.value, 'amount.value'), currency };
  const items = dto.items.map((item, index) => ({
    sku: item.sku,
    name: item.name,
    quantity: item.quantity,
    unitPrice: { minor: minor(item.unitPrice, `items.${index}.unitPrice`), currency },
  }));
  if (problems.length > 0) throw fieldsInvalid(problems);
  return { orderId: dto.orderId, amount, items, purchasedAt: dto.purchasedAt === undefined ? now : new Date(dto.purchasedAt).toISOString() };
}
