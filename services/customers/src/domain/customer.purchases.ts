// Purchase history: orders by id (idempotency, exact merge reverts) and the totals derived from them.
// Amounts are integer strings in minor units and are summed as bigint, so totals never lose precision.
import { CustomerRuleViolation } from './customer.errors';
import type { Purchases, PurchaseSummary } from './customer.state';
import type { Money, Orders, PurchaseItem, RecordedOrder } from './customer.values';

export const NO_PURCHASES: Purchases = { count: 0, totals: {}, orders: {} };

const isMinorUnits = (value: unknown): value is string => typeof value === 'string' && /^(0|[1-9]\d{0,30})$/.test(value);
const isCurrency = (value: unknown): value is string => typeof value === 'string' && /^[A-Z]{3}$/.test(value);

/** ISO-8601 times compared as instants, so that an offset other than Z cannot reorder them. */
export function isLater(time: string, than: string): boolean {
  return Date.parse(time) > Date.parse(than);
}

export function checkPurchase(customerId: string, amount: Money, items: readonly PurchaseItem[]): void {
  if (!isMinorUnits(amount.minor) || !isCurrency(amount.currency)) {
    throw new CustomerRuleViolation(customerId, 'INVALID_AMOUNT', 'The amount must be non-negative minor units with an ISO 4217 currency');
  }
  items.forEach((item, index) => {
    if (!Number.isSafeInteger(item.quantity) || item.quantity <= 0) {
      throw new CustomerRuleViolation(customerId, 'INVALID_QUANTITY', 'An item quantity must be a positive integer', { index });
    }
    if (!isMinorUnits(item.unitPrice.minor)) {
      throw new CustomerRuleViolation(customerId, 'INVALID_AMOUNT', 'An item price must be non-negative minor units', { index });
    }
    if (item.unitPrice.currency !== amount.currency) {
      throw new CustomerRuleViolation(customerId, 'CURRENCY_MISMATCH', 'Every item must be priced in the currency of the purchase', {
        index,
        currency: amount.currency,
      });
    }
  });
}

export function hasOrder(purchases: Purchases, orderId: string): boolean {
  return Object.hasOwn(purchases.orders, orderId);
}

function addTo(summary: PurchaseSummary, order: RecordedOrder): PurchaseSummary {
  const { currency, minor } = order.amount;
  const previous = Object.hasOwn(summary.totals, currency) ? BigInt(summary.totals[currency]) : 0n;
  const last = summary.lastPurchaseAt;
  return {
    count: summary.count + 1,
    totals: { ...summary.totals, [currency]: (previous + BigInt(minor)).toString() },
    lastPurchaseAt: last === undefined || isLater(order.purchasedAt, last) ? order.purchasedAt : last,
  };
}

export function withOrder(purchases: Purchases, orderId: string, order: RecordedOrder): Purchases {
  return { ...addTo(summaryOf(purchases), order), orders: { ...purchases.orders, [orderId]: order } };
}

/** The history of exactly these orders. */
export function purchasesOf(orders: Orders): Purchases {
  let summary: PurchaseSummary = { count: 0, totals: {} };
  for (const order of Object.values(orders)) summary = addTo(summary, order);
  return { ...summary, orders };
}

/** Without the order list: what survives erasure. */
export function summaryOf(purchases: Purchases): PurchaseSummary {
  const { count, totals, lastPurchaseAt } = purchases;
  return lastPurchaseAt === undefined ? { count, totals } : { count, totals, lastPurchaseAt };
}
