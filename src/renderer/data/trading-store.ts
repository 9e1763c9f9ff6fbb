import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { FillView, OrderSide, OrderState, OrderView, PositionView, RiskView, TradingEvent } from '../../shared/trading';

export type Role = 'trader' | 'risk';
export type OrderOrigin = 'ticket' | 'ladder' | 'hotkey' | 'blotter';

/** An order this terminal sent (or tried to): what the ticket's result line follows. */
export interface SubmitRecord {
  clientOrderId: string;
  venue: string;
  symbol: string;
  side: OrderSide;
  origin: OrderOrigin;
  at: number;
}

export interface RejectEntry {
  clientOrderId: string;
  venue: string;
  symbol: string;
  side: OrderSide | '';
  reason: string;
  ts: number;
  /** engine: an order the engine rejected; error: a command the engine refused; local: never sent */
  source: 'engine' | 'error' | 'local';
}

export interface TradingData {
  role: Role;
  /** by clientOrderId, in arrival order */
  orders: ReadonlyMap<string, OrderView>;
  /** oldest first */
  fills: readonly FillView[];
  positions: readonly PositionView[];
  risk: RiskView | null;
  /** oldest first */
  rejects: readonly RejectEntry[];
  submitted: ReadonlyMap<string, SubmitRecord>;
  lastSubmitted: string | null;
  /** why a command for an id that never became an order was refused (or not sent) */
  refused: ReadonlyMap<string, string>;
  /** bumps whenever an order changes (the ladder painter polls it) */
  ordersVersion: number;
  fillSeq: number;
  lastFill: FillView | null;
  /** the last message about a command that is not an order's own state (e.g. a refused cancel) */
  notice: { text: string; at: number } | null;
}

/**
 * shared/trading.ts's TERMINAL_STATES, restated: importing a value from that module would pull
 * zod (~250 kB) into the renderer bundle. trading-store.test.ts checks the two agree.
 */
export const TERMINAL: ReadonlySet<OrderState> = new Set<OrderState>(['filled', 'cancelled', 'rejected', 'expired']);

const MAX_ORDERS = 1000;
const MAX_FILLS = 1000;
const MAX_REJECTS = 200;

export function emptyTrading(): TradingData {
  return {
    role: 'trader',
    orders: new Map(),
    fills: [],
    positions: [],
    risk: null,
    rejects: [],
    submitted: new Map(),
    lastSubmitted: null,
    refused: new Map(),
    ordersVersion: 0,
    fillSeq: 0,
    lastFill: null,
    notice: null,
  };
}

export const isWorking = (o: Pick<OrderView, 'state'>): boolean => !TERMINAL.has(o.state);

function capOrders(orders: Map<string, OrderView>): void {
  if (orders.size <= MAX_ORDERS) return;
  for (const [id, o] of orders) {
    if (orders.size <= MAX_ORDERS) break;
    if (!isWorking(o)) orders.delete(id);
  }
}

function pushCapped<T>(list: readonly T[], item: T, max: number): T[] {
  const out = list.length >= max ? list.slice(list.length - max + 1) : list.slice();
  out.push(item);
  return out;
}

const rejectOf = (o: OrderView): RejectEntry => ({
  clientOrderId: o.clientOrderId, venue: o.venue, symbol: o.symbol, side: o.side, reason: o.reason ?? 'rejected', ts: o.updatedAt, source: 'engine',
});

/** Applies one engine trading event (pure: returns the next state). */
export function applyTradingEvent(d: TradingData, e: TradingEvent): TradingData {
  switch (e.type) {
    case 'orders': {
      const orders = new Map(e.orders.map((o) => [o.clientOrderId, o]));
      const engineRejects = e.orders.filter((o) => o.state === 'rejected').map(rejectOf);
      const rejects = [...d.rejects.filter((r) => r.source !== 'engine'), ...engineRejects].sort((a, b) => a.ts - b.ts).slice(-MAX_REJECTS);
      const fills = e.fills.slice(-MAX_FILLS);
      return { ...d, orders, fills, positions: e.positions, risk: e.risk, rejects, ordersVersion: d.ordersVersion + 1, lastFill: d.lastFill };
    }
    case 'order': {
      const next = e.order;
      const prev = d.orders.get(next.clientOrderId);
      // Events arrive in the engine's order on one link, so the latest wins; updatedAt is no guide
      // (a paper fill can carry an earlier stamp than the ack before it). Only a finished order
      // never comes back to life.
      if (prev && !isWorking(prev) && isWorking(next)) return d;
      const orders = new Map(d.orders);
      orders.set(next.clientOrderId, next);
      capOrders(orders);
      const rejects = next.state === 'rejected' && prev?.state !== 'rejected' ? pushCapped(d.rejects, rejectOf(next), MAX_REJECTS) : d.rejects;
      return { ...d, orders, rejects, ordersVersion: d.ordersVersion + 1 };
    }
    case 'fill': {
      if (d.fills.some((f) => f.fillId === e.fill.fillId)) return d;
      return { ...d, fills: pushCapped(d.fills, e.fill, MAX_FILLS), fillSeq: d.fillSeq + 1, lastFill: e.fill };
    }
    case 'positions':
      return { ...d, positions: e.positions };
    case 'risk':
      return { ...d, risk: e.risk };
  }
}

/** The last order sent that has had no answer yet (neither an order event nor a refusal). */
function unanswered(d: TradingData): string | null {
  const id = d.lastSubmitted;
  return id && !d.orders.has(id) && !d.refused.has(id) ? id : null;
}

/**
 * An `error` control message: a refused order becomes a reject; anything else a notice. A
 * `bad-command` error names no order (the engine could not read the command), but the engine
 * answers each command at once and in order, so while the last order sent is unanswered it is
 * that order's answer.
 */
export function applyTradingError(d: TradingData, err: { code: string; message: string; clientOrderId?: string }, now: number): TradingData {
  const text = `${err.code}: ${err.message}`;
  const id = err.clientOrderId ?? (err.code === 'bad-command' ? unanswered(d) : null) ?? undefined;
  if (id && !d.orders.has(id) && d.submitted.has(id)) {
    const s = d.submitted.get(id)!;
    const refused = new Map(d.refused);
    refused.set(id, text);
    const reject: RejectEntry = { clientOrderId: id, venue: s.venue, symbol: s.symbol, side: s.side, reason: text, ts: now, source: 'error' };
    return { ...d, refused, rejects: pushCapped(d.rejects, reject, MAX_REJECTS), notice: { text, at: now } };
  }
  return { ...d, notice: { text: id ? `${id}: ${text}` : text, at: now } };
}

export function noteSubmitted(d: TradingData, rec: SubmitRecord): TradingData {
  const submitted = new Map(d.submitted);
  submitted.set(rec.clientOrderId, rec);
  if (submitted.size > MAX_ORDERS) submitted.delete(submitted.keys().next().value!);
  return { ...d, submitted, lastSubmitted: rec.clientOrderId };
}

/** An order the terminal would not send (role, link): shown like a reject, marked local. */
export function noteNotSent(d: TradingData, rec: SubmitRecord, reason: string): TradingData {
  const withRec = noteSubmitted(d, rec);
  const refused = new Map(withRec.refused);
  refused.set(rec.clientOrderId, `not sent: ${reason}`);
  const reject: RejectEntry = { clientOrderId: rec.clientOrderId, venue: rec.venue, symbol: rec.symbol, side: rec.side, reason: `not sent: ${reason}`, ts: rec.at, source: 'local' };
  return { ...withRec, refused, rejects: pushCapped(withRec.rejects, reject, MAX_REJECTS) };
}

export interface OrderResult {
  clientOrderId: string;
  state: OrderState | 'sent' | 'refused';
  text: string;
}

/** One line about an order: state, what it is, fills, and why (the engine's reason, verbatim). */
export function describeOrder(o: OrderView): string {
  const what = `${o.side} ${o.qty} ${o.symbol}${o.type === 'market' ? ' mkt' : ` @ ${o.price}`}${o.stopPrice ? ` stop ${o.stopPrice}` : ''}`;
  const filled = Number(o.filledQty) > 0 ? ` · filled ${o.filledQty}${o.avgFillPrice ? ` @ ${o.avgFillPrice}` : ''}` : '';
  return `${o.state} · ${what}${filled}${o.reason ? ` — ${o.reason}` : ''}`;
}

/** The result line for an order this terminal sent. */
export function resultOf(d: TradingData, id: string | null): OrderResult | null {
  if (!id) return null;
  const o = d.orders.get(id);
  if (o) return { clientOrderId: id, state: o.state, text: describeOrder(o) };
  const refused = d.refused.get(id);
  if (refused) return { clientOrderId: id, state: 'refused', text: `rejected — ${refused}` };
  const s = d.submitted.get(id);
  return s ? { clientOrderId: id, state: 'sent', text: `sent · ${s.side} ${s.symbol} (waiting for the engine)` } : null;
}

export function workingOrders(d: Pick<TradingData, 'orders'>, venue?: string, symbol?: string): OrderView[] {
  const out: OrderView[] = [];
  for (const o of d.orders.values()) if (isWorking(o) && (!venue || o.venue === venue) && (!symbol || o.symbol === symbol)) out.push(o);
  return out.sort((a, b) => b.createdAt - a.createdAt);
}

/** Unrealised PnL of a position at `mark` (quote currency); the engine's value when there is no mark. */
export function markedPnl(pos: Pick<PositionView, 'qty' | 'avgPrice' | 'unrealizedPnl'>, mark: number): number {
  const qty = Number(pos.qty);
  const avg = pos.avgPrice === null ? NaN : Number(pos.avgPrice);
  if (qty === 0) return 0;
  if (!Number.isFinite(mark) || !Number.isFinite(avg)) return pos.unrealizedPnl;
  return (mark - avg) * qty;
}

/** Order entry is refused here before anything is sent; null when it is allowed. */
export function orderEntryBlock(role: Role, link: string): string | null {
  if (role === 'risk') return 'risk role: view only — order entry is disabled (cancels and the kill switch stay available)';
  if (link !== 'open') return `not connected to the engine (link ${link})`;
  return null;
}

export interface TradingActions {
  apply(e: TradingEvent): void;
  error(err: { code: string; message: string; clientOrderId?: string }): void;
  setRole(role: Role): void;
  noteSubmitted(rec: SubmitRecord): void;
  noteNotSent(rec: SubmitRecord, reason: string): void;
  notify(text: string): void;
}

export type TradingState = TradingData & TradingActions;
export type TradingStore = ReturnType<typeof createTradingStore>;

export function createTradingStore(now: () => number = Date.now) {
  return createStore<TradingState>()((set, get) => {
    const data = (): TradingData => get();
    return {
      ...emptyTrading(),
      apply: (e) => set(applyTradingEvent(data(), e)),
      error: (err) => set(applyTradingError(data(), err, now())),
      setRole: (role) => set({ role }),
      noteSubmitted: (rec) => set(noteSubmitted(data(), rec)),
      noteNotSent: (rec, reason) => set(noteNotSent(data(), rec, reason)),
      notify: (text) => set({ notice: { text, at: now() } }),
    };
  });
}

/** The app's one trading store. */
export const tradingStore = createTradingStore();

export function useTrading<T>(selector: (s: TradingState) => T): T {
  return useStore(tradingStore, selector);
}
