import { toDeciderEvent, toEventData } from '../command';
import type { RecordedEvent } from '../types';
import { defineUpcasters } from '../upcasting';
import { assertNever, fold, ignoreUnknownEvent, type Decider, type Event, type OfType } from './decider';

// A shopping cart: the smallest aggregate with a lifecycle.
type CartEvent =
  | Event<'ItemAdded', { sku: string; quantity: number; note?: string }>
  | Event<'CartConfirmed', { confirmedAt: string }>;
type CartCommand = { type: 'AddItem'; data: { sku: string; quantity: number } } | { type: 'Confirm'; data: { at: string } };
type Cart = { status: 'open' | 'confirmed'; items: Record<string, number> };

const cart: Decider<CartCommand, CartEvent, Cart> = {
  initialState: () => ({ status: 'open', items: {} }),
  evolve(state, event) {
    switch (event.type) {
      case 'ItemAdded':
        return { ...state, items: { ...state.items, [event.data.sku]: (state.items[event.data.sku] ?? 0) + event.data.quantity } };
      case 'CartConfirmed':
        return { ...state, status: 'confirmed' };
      default:
        return ignoreUnknownEvent(event, state);
    }
  },
  decide(command, state) {
    if (state.status === 'confirmed') throw new Error('cart is confirmed');
    switch (command.type) {
      case 'AddItem':
        return [{ type: 'ItemAdded', data: command.data }];
      case 'Confirm':
        return Object.keys(state.items).length === 0 ? [] : [{ type: 'CartConfirmed', data: { confirmedAt: command.data.at } }];
      default:
        return assertNever(command);
    }
  },
};

const added = (sku: string, quantity: number): OfType<CartEvent, 'ItemAdded'> => ({ type: 'ItemAdded', data: { sku, quantity } });

describe('decider helpers', () => {
  it('folds events from the initial state', () => {
    expect(fold(cart, [added('a', 1), added('a', 2), added('b', 1)])).toEqual({ status: 'open', items: { a: 3, b: 1 } });
    expect(fold(cart, [])).toEqual({ status: 'open', items: {} });
  });

  it('keeps the state for an event type this code does not know', () => {
    const unknown = { type: 'CartShared', data: {} } as unknown as CartEvent;
    expect(cart.evolve({ status: 'open', items: { a: 1 } }, unknown)).toEqual({ status: 'open', items: { a: 1 } });
  });

  it('throws on a command type it does not know', () => {
    expect(() => cart.decide({ type: 'Pay', data: {} } as unknown as CartCommand, cart.initialState())).toThrow('Unexpected value: {"type":"Pay","data":{}}');
  });
});

describe('mapping between decider events and stored events', () => {
  it('writes JSON only: undefined fields are dropped, as the store would', () => {
    const data = toEventData({ type: 'ItemAdded', data: { sku: 'a', quantity: 1, note: undefined } }, 'id-1', { actor: 'x' });
    expect(data).toEqual({ id: 'id-1', type: 'ItemAdded', data: { sku: 'a', quantity: 1 }, metadata: { actor: 'x' } });
    expect(Object.keys(data.data as object)).toEqual(['sku', 'quantity']);
  });

  it('reads a stored event back as type and data in the current shape', () => {
    const recorded: RecordedEvent = {
      id: 'id-1',
      type: 'ItemAdded',
      data: { sku: 'a', qty: 2 },
      metadata: { schemaVersion: 1 },
      streamId: 'cart-1',
      revision: 0n,
      position: { commit: 1n, prepare: 1n },
      created: new Date(),
    };
    const upcasters = defineUpcasters({ ItemAdded: [{ fromVersion: 1, upcast: (d: { sku: string; qty: number }) => ({ sku: d.sku, quantity: d.qty }) }] });
    expect(toDeciderEvent<CartEvent>(recorded, upcasters)).toEqual(added('a', 2));
    expect(toDeciderEvent(recorded)).toEqual({ type: 'ItemAdded', data: { sku: 'a', qty: 2 } });
  });
});
