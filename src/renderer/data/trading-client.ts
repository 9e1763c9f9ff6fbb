/**
 * The renderer's side of the trading commands: gives every order a fresh clientOrderId, refuses
 * locally what this session may not do (the engine checks again: it trusts nothing we say), and
 * records what was sent so the result line can follow it. Plain TS, no DOM.
 */
import type { OrderRequest, TradingCommand } from '../../shared/trading';
import { nextClientOrderId, type IdGenerator } from './client-order-id';
import { orderEntryBlock, type OrderOrigin, type TradingStore } from './trading-store';

export type OrderDraft = Omit<OrderRequest, 'clientOrderId'>;

export interface TradingClient {
  /** sends a new order; returns its clientOrderId, or null when it was not sent (the store says why) */
  place(order: OrderDraft, origin: OrderOrigin): string | null;
  cancel(clientOrderId: string): void;
  /** cancel/replace at a new price (and the remaining quantity); returns the new id */
  replace(clientOrderId: string, price: string, qty: string): string | null;
  cancelAll(venue?: string, symbol?: string): void;
  flatten(venue: string, symbol: string): void;
  killSwitch(engaged: boolean, reason: string): void;
}

export function createTradingClient(
  send: (command: TradingCommand) => void,
  store: TradingStore,
  link: () => string,
  newId: IdGenerator = nextClientOrderId,
  now: () => number = Date.now,
): TradingClient {
  const linkUp = (what: string): boolean => {
    const state = link();
    if (state === 'open') return true;
    store.getState().notify(`${what} not sent: not connected to the engine (link ${state})`);
    return false;
  };
  const traderOnly = (what: string): boolean => {
    if (store.getState().role !== 'risk') return true;
    store.getState().notify(`${what}: the risk role cannot do this (view only)`);
    return false;
  };

  return {
    place(order, origin) {
      const clientOrderId = newId(origin === 'ticket' ? 'tk' : origin === 'ladder' ? 'ld' : origin === 'hotkey' ? 'hk' : 'ui');
      const rec = { clientOrderId, venue: order.venue, symbol: order.symbol, side: order.side, origin, at: now() };
      const block = orderEntryBlock(store.getState().role, link());
      if (block) {
        store.getState().noteNotSent(rec, block);
        return null;
      }
      store.getState().noteSubmitted(rec);
      send({ type: 'place-order', order: { ...order, clientOrderId } });
      return clientOrderId;
    },
    cancel(clientOrderId) {
      if (linkUp('cancel')) send({ type: 'cancel-order', clientOrderId });
    },
    replace(clientOrderId, price, qty) {
      if (!traderOnly('replace') || !linkUp('replace')) return null;
      const old = store.getState().orders.get(clientOrderId);
      const newClientOrderId = newId('rp');
      if (old) store.getState().noteSubmitted({ clientOrderId: newClientOrderId, venue: old.venue, symbol: old.symbol, side: old.side, origin: 'ladder', at: now() });
      send({ type: 'replace-order', clientOrderId, newClientOrderId, price, qty });
      return newClientOrderId;
    },
    cancelAll(venue, symbol) {
      if (linkUp('cancel all')) send({ type: 'cancel-all', ...(venue ? { venue } : {}), ...(symbol ? { symbol } : {}) });
    },
    flatten(venue, symbol) {
      if (traderOnly('flatten') && linkUp('flatten')) send({ type: 'flatten', venue, symbol });
    },
    killSwitch(engaged, reason) {
      if (linkUp('kill switch')) send({ type: 'kill-switch', engaged, reason: reason.slice(0, 200) });
    },
  };
}
