/**
 * The trading desk: the one path from a command to a venue. place() validates the order onto
 * the instrument's grid, runs pre-trade risk, journals it (synced) and only then hands it to the
 * execution venue; every report is journaled before it changes an order. On start the desk
 * replays the journal: orders, fills and positions come back, working paper orders are
 * restored, and an order that was journaled but never acknowledged is expired, not re-sent.
 * Positions, daily PnL and the inputs of pre-trade risk live in ./exposure.ts.
 */
import { formatPrice, formatQty, parsePrice, parseQty, qtyToNumber, type Precision } from '../../shared/instruments';
import type { FillView, OrderRequest, OrderView, PositionView, RiskView, TradingCommand, TradingEvent } from '../../shared/trading';
import type { PriceTicks, Qty } from '../../shared/units';
import type { MarketBook } from '../market/market-book';
import { log } from '../telemetry/log';
import type { ExecutionReport, ExecutionVenue, LiveExecutionFactory } from './execution';
import { Journal, JournalWriteFailed, type JournalEntry, type TornTail } from './journal';
import { OpenOrders } from './open-orders';
import { Order } from './order';
import { PaperVenue, type PaperFees } from './paper-venue';
import { Exposure } from './exposure';
import { RiskEngine } from './risk';
import type { RiskLimits } from './limits';
import type { DeskMetrics } from '../telemetry/hooks';

export type Role = 'trader' | 'risk';

export interface DeskOptions {
  journalPath: string;
  limits: RiskLimits;
  fees: PaperFees;
  findBook(venue: string, symbol: string): MarketBook | undefined;
  broadcast(event: TradingEvent): void;
  now?: () => number;
  /** live venues (configured and with credentials); every other venue trades on paper */
  live?: LiveExecutionFactory;
  /** order-path stage times, order outcomes and journal fdatasync times */
  metrics?: DeskMetrics;
}

export type CommandResult = { ok: true; order?: OrderView } | { ok: false; code: string; message: string };

const RECENT = 500;

export class TradingDesk {
  readonly orders = new Map<string, Order>();
  /** the orders not yet terminal, with the sums risk weighs (./open-orders.ts) */
  private readonly open = new OpenOrders();
  readonly fills: FillView[] = [];
  readonly exposure: Exposure;
  readonly risk: RiskEngine;
  readonly venues = new Map<string, ExecutionVenue>();
  journal!: Journal;
  torn: TornTail | null = null;
  private replaying = false;
  /**
   * Group commit: while a command or a market event runs, the venue reports it causes are
   * written unsynced and their events held here; one fdatasync at the end covers them all, and
   * only then do clients see them. A live order's entry is synced before the order is sent.
   */
  private held: TradingEvent[] | null = null;
  private flatSeq = 0;
  /** scratch for checkResting, reused every frame */
  private readonly restingSymbols = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly opts: DeskOptions) {
    this.risk = new RiskEngine(opts.limits);
    this.now = opts.now ?? Date.now;
    this.exposure = new Exposure(opts.findBook, this.now);
  }

  /** Opens the journal and rebuilds the desk from it. */
  start(): void {
    const { journal, entries, torn } = Journal.open(this.opts.journalPath, this.now());
    this.journal = journal;
    this.torn = torn;
    if (torn) log.error({ journal: this.opts.journalPath, line: torn.line, bytes: torn.bytes, keptAt: torn.keptAt }, 'journal: torn last line found (a write was cut off); kept aside, the rest verified');
    this.replaying = true;
    for (const e of entries) this.replay(e);
    this.replaying = false;
    for (const o of [...this.open]) {
      const venue = this.venueFor(o.req.venue);
      // A live venue may have accepted a pending order just before the crash: ask it (restore
      // looks the order up by client id). The paper venue died with the engine: expire, never re-send.
      if (o.state === 'pending' && venue.mode === 'paper') {
        this.onReport({ type: 'expired', clientOrderId: o.id, reason: 'engine restarted before the venue acknowledged it; not re-sent', at: this.now() });
      } else {
        venue.restore(o);
      }
    }
    log.info({ journal: this.opts.journalPath, entries: entries.length, orders: this.orders.size }, 'journal replayed');
  }

  /** Opens the execution venues now (live adapters check their credentials here, at start). */
  openVenues(venues: readonly string[]): void {
    for (const v of venues) this.venueFor(v);
  }

  stop(): void {
    for (const v of this.venues.values()) v.stop();
    this.journal?.close();
  }

  /** Runs `fn` as one group commit (nested calls join the outer one). */
  private grouped<T>(fn: () => T): T {
    if (this.held) return fn();
    this.held = [];
    try {
      return fn();
    } finally {
      const events = this.held;
      this.held = null;
      this.flushHeld();
      for (const e of events) this.opts.broadcast(e);
    }
  }

  private flushHeld(): void {
    const journal = this.journal as Journal | undefined; // market events may come before start()
    if (!journal) return;
    const before = journal.syncNanos;
    try {
      journal.flush();
    } catch (err) {
      // The venue already acted: the screen must still be true, and the log says the journal is behind.
      log.error(`${(err as Error).message}; the reports just applied are in memory only`);
    }
    if (journal.syncNanos !== before) this.opts.metrics?.journalSync(Number(journal.syncNanos - before) / 1000);
  }

  handle(cmd: TradingCommand, role: Role): CommandResult {
    return this.grouped(() => this.handleNow(cmd, role));
  }

  private handleNow(cmd: TradingCommand, role: Role): CommandResult {
    const traderOnly = cmd.type === 'place-order' || cmd.type === 'replace-order' || cmd.type === 'flatten';
    if (traderOnly && role !== 'trader') return { ok: false, code: 'forbidden', message: `the ${role} role cannot ${cmd.type.replace('-', ' ')}` };
    switch (cmd.type) {
      case 'place-order':
        return this.place(cmd.order);
      case 'cancel-order':
        return this.cancel(cmd.clientOrderId);
      case 'replace-order':
        return this.replace(cmd.clientOrderId, cmd.newClientOrderId, cmd.price, cmd.qty);
      case 'cancel-all':
        this.cancelAll(cmd.venue, cmd.symbol);
        return { ok: true };
      case 'flatten':
        return this.flatten(cmd.venue, cmd.symbol);
      case 'kill-switch':
        this.setKillSwitch(cmd.engaged, cmd.reason);
        return { ok: true };
    }
  }

  place(req: OrderRequest): CommandResult {
    return this.grouped(() => this.placeNow(req));
  }

  private placeNow(req: OrderRequest): CommandResult {
    const existing = this.orders.get(req.clientOrderId);
    if (existing) return { ok: true, order: existing.view() }; // idempotent: a retry never makes a second order
    const metrics = this.opts.metrics;
    const t0 = performance.now();
    const mb = this.opts.findBook(req.venue, req.symbol);
    if (!mb) {
      metrics?.order(req.venue, 'invalid');
      return { ok: false, code: 'unknown-instrument', message: `no instrument ${req.symbol} on venue ${req.venue}` };
    }
    const p = mb.precision;
    let lots: number, price: number | null, stop: number | null;
    try {
      lots = parseQty(req.qty, p);
      price = req.price === undefined ? null : parsePrice(req.price, p);
      stop = req.stopPrice === undefined ? null : parsePrice(req.stopPrice, p);
    } catch (err) {
      metrics?.order(req.venue, 'invalid');
      return { ok: false, code: 'off-grid', message: `${(err as Error).message} (tick ${mb.instrument.tickSize}, lot ${mb.instrument.lotSize})` };
    }
    const t1 = performance.now();
    const at = this.now();
    const order = new Order(req, p, lots, price, stop, at);
    const verdict = this.risk.check(this.exposure.candidate(order, mb), this.exposure.context(order, mb, this.open, at));
    if (!verdict.ok) order.transition('rejected', at, verdict.message);
    const t2 = performance.now();
    // A live order's entry is synced before the order leaves the process. A paper order (or one
    // risk refused) leaves nothing outside it: its entry shares the group's one sync with its
    // reports, and nobody hears of it before that sync (the result and events wait for it).
    const shareSync = this.held !== null && (order.state === 'rejected' || this.venueFor(req.venue).mode === 'paper');
    try {
      this.append('order', { req, precision: p, lots, priceTicks: price, stopTicks: stop, state: order.state, reason: order.reason }, at, !shareSync);
    } catch (err) {
      if (!(err instanceof JournalWriteFailed)) throw err;
      metrics?.order(req.venue, 'journal-failed', { validateUs: (t1 - t0) * 1000, riskUs: (t2 - t1) * 1000, journalUs: NaN, sendUs: NaN });
      log.error({ clientOrderId: req.clientOrderId, venue: req.venue, symbol: req.symbol }, err.message);
      if (order.state === 'new') order.transition('rejected', at, err.message);
      this.orders.set(order.id, order);
      this.emit({ type: 'order', order: order.view() });
      return { ok: false, code: 'journal', message: err.message };
    }
    const t3 = performance.now();
    this.orders.set(order.id, order);
    if (order.state === 'rejected') {
      metrics?.order(req.venue, 'rejected', { validateUs: (t1 - t0) * 1000, riskUs: (t2 - t1) * 1000, journalUs: (t3 - t2) * 1000, sendUs: NaN });
      log.warn({ clientOrderId: order.id, venue: req.venue, symbol: req.symbol }, `order rejected by risk: ${order.reason}`);
      this.emit({ type: 'order', order: order.view() });
      this.emitRisk();
      return { ok: true, order: order.view() };
    }
    order.transition('pending', at);
    this.open.update(order);
    this.emit({ type: 'order', order: order.view() });
    this.venueFor(req.venue).submit(order);
    metrics?.order(req.venue, 'sent', { validateUs: (t1 - t0) * 1000, riskUs: (t2 - t1) * 1000, journalUs: (t3 - t2) * 1000, sendUs: (performance.now() - t3) * 1000 });
    return { ok: true, order: order.view() };
  }

  /** Journal append, fdatasync'ed unless `sync` is false (then the group's flush covers it); reports the sync time. */
  private append(kind: string, data: unknown, at: number, sync = true): void {
    const before = this.journal.syncNanos;
    this.journal.append(kind, data, at, sync);
    if (sync) this.opts.metrics?.journalSync(Number(this.journal.syncNanos - before) / 1000);
  }

  cancel(clientOrderId: string): CommandResult {
    const o = this.orders.get(clientOrderId);
    if (!o) return { ok: false, code: 'unknown-order', message: `no order ${clientOrderId}` };
    if (o.isTerminal) return { ok: false, code: 'not-open', message: `order ${clientOrderId} is already ${o.state}` };
    this.venueFor(o.req.venue).cancel(o);
    return { ok: true, order: o.view() };
  }

  replace(clientOrderId: string, newId: string, price?: string, qty?: string): CommandResult {
    const o = this.orders.get(clientOrderId);
    if (!o) return { ok: false, code: 'unknown-order', message: `no order ${clientOrderId}` };
    if (o.isTerminal) return { ok: false, code: 'not-open', message: `order ${clientOrderId} is already ${o.state}` };
    if (this.orders.has(newId)) return this.place({ ...o.req, clientOrderId: newId });
    this.cancel(clientOrderId);
    return this.place({ ...o.req, clientOrderId: newId, price: price ?? o.req.price, qty: qty ?? formatQty(o.remainingLots as Qty, o.precision) });
  }

  cancelAll(venue?: string, symbol?: string): number {
    let n = 0;
    for (const o of [...this.open]) {
      if (o.isTerminal || (venue && o.req.venue !== venue) || (symbol && o.req.symbol !== symbol)) continue;
      this.venueFor(o.req.venue).cancel(o);
      n++;
    }
    return n;
  }

  flatten(venue: string, symbol: string): CommandResult {
    this.cancelAll(venue, symbol);
    const pos = this.exposure.positions.get(`${venue}/${symbol}`);
    if (!pos || pos.lots === 0) return { ok: true };
    const qty = qtyToNumber(Math.abs(pos.lots) as Qty, pos.precision).toFixed(pos.precision.sizeDecimals);
    return this.place({
      clientOrderId: `flat-${this.now()}-${++this.flatSeq}`, venue, symbol, side: pos.lots > 0 ? 'sell' : 'buy', type: 'market', qty,
      tif: 'IOC', postOnly: false, reduceOnly: true,
    });
  }

  setKillSwitch(engaged: boolean, reason: string): void {
    const at = this.now();
    this.append('kill', { engaged, reason }, at);
    if (engaged) {
      this.risk.engage(reason || 'engaged by hand', at);
      const n = this.cancelAll();
      log.warn({ cancelled: n }, `kill switch engaged: ${reason || 'by hand'}`);
    } else {
      this.risk.release(at);
      log.warn('kill switch released');
    }
    this.emitRisk();
  }

  /** A trade printed on a venue's market (paper fills work from these). */
  onTrade(book: MarketBook, priceTicks: number, lots: number, aggressor: 0 | 1): void {
    const venue = this.venues.get(book.venue);
    // every market trade comes through here: only a venue with resting orders has work (and a group)
    if (venue?.onTrade && venue.restingCount !== 0) this.grouped(() => venue.onTrade!(book.symbol, priceTicks, lots, aggressor));
  }

  /** Once a second: positions marked to the live books, and the risk picture, for every client. */
  broadcastMarks(): void {
    if (this.exposure.positions.size === 0) return;
    this.emit({ type: 'positions', positions: this.positionViews() });
    this.emitRisk();
  }

  /** Book moved (called once per publisher frame for books with resting paper orders). */
  onBooks(): void {
    for (const v of this.venues.values()) {
      if (v.onBook && v.restingCount) {
        this.grouped(() => this.checkResting());
        return;
      }
    }
  }

  /** Each symbol with open orders on a simulating venue is checked once per frame (onBook walks its resting orders). */
  private checkResting(): void {
    const symbols = this.restingSymbols;
    for (const [venue, v] of this.venues) {
      if (!v.onBook || !v.restingCount) continue;
      symbols.clear();
      for (const o of this.open) if (o.req.venue === venue) symbols.add(o.req.symbol);
      for (const symbol of symbols) v.onBook(symbol);
    }
  }

  snapshot(): TradingEvent {
    return { type: 'orders', orders: [...this.orders.values()].slice(-RECENT).map((o) => o.view()), fills: this.fills.slice(-RECENT), positions: this.positionViews(), risk: this.riskView() };
  }

  positionViews(): PositionView[] {
    return this.exposure.views();
  }

  riskView(): RiskView {
    return this.exposure.riskView(this.risk, this.open);
  }

  private venueFor(venue: string): ExecutionVenue {
    let v = this.venues.get(venue);
    if (!v) {
      const report = (r: ExecutionReport) => this.onReport(r);
      v = this.opts.live?.(venue, report) ?? new PaperVenue(venue, (symbol) => this.opts.findBook(venue, symbol), this.opts.fees, report, this.now);
      this.venues.set(venue, v);
    }
    return v;
  }

  private onReport(r: ExecutionReport): void {
    if (!this.orders.has(r.clientOrderId)) {
      log.error({ clientOrderId: r.clientOrderId }, `execution report for an unknown order: ${r.type}`);
      return;
    }
    try {
      this.append('report', r, r.at, this.held === null);
    } catch (err) {
      // The venue already acted: apply it anyway so the screen is true, and say the journal is behind.
      log.error({ clientOrderId: r.clientOrderId }, `${(err as Error).message}; report applied in memory only`);
    }
    try {
      this.applyReport(r);
    } catch (err) {
      // an impossible report (a bug here or at the venue) must not take the venue's loop down
      log.error({ clientOrderId: r.clientOrderId, report: r }, `execution report not applied: ${(err as Error).message}`);
    }
  }

  private applyReport(r: ExecutionReport): void {
    const o = this.orders.get(r.clientOrderId)!;
    try {
      this.applyTo(o, r);
    } finally {
      this.open.update(o); // also when applying threw part-way
    }
    if (!this.replaying) {
      this.emit({ type: 'order', order: o.view() });
      if (r.type === 'fill') this.emit({ type: 'positions', positions: this.positionViews() });
      this.emitRisk();
    }
  }

  private applyTo(o: Order, r: ExecutionReport): void {
    switch (r.type) {
      case 'ack':
        o.venueOrderId = r.venueOrderId;
        if (o.state === 'pending') o.transition('working', r.at);
        break;
      case 'fill': {
        if (o.state === 'pending') o.transition('working', r.at);
        o.fill(r.priceTicks, r.lots, r.at);
        this.exposure.applyFill(o, r.priceTicks, r.lots, r.fee, r.at);
        const p = o.precision;
        const fill: FillView = {
          fillId: r.fillId, clientOrderId: o.id, venue: o.req.venue, symbol: o.req.symbol, side: o.req.side,
          price: formatPrice(r.priceTicks as PriceTicks, p), qty: formatQty(r.lots as Qty, p), fee: r.fee.toFixed(8), liquidity: r.liquidity, ts: r.at,
        };
        this.fills.push(fill);
        if (this.fills.length > RECENT * 4) this.fills.splice(0, this.fills.length - RECENT);
        if (!this.replaying) this.emit({ type: 'fill', fill });
        break;
      }
      case 'cancelled':
      case 'rejected':
      case 'expired':
        if (o.isOpen) o.transition(r.type, r.at, r.reason);
        break;
    }
  }

  private replay(e: JournalEntry): void {
    if (e.kind === 'order') {
      const d = e.data as { req: OrderRequest; precision: Precision; lots: number; priceTicks: number | null; stopTicks: number | null; state: string; reason: string | null };
      const o = new Order(d.req, d.precision, d.lots, d.priceTicks, d.stopTicks, e.ts);
      if (d.state === 'rejected') o.transition('rejected', e.ts, d.reason);
      else o.transition('pending', e.ts);
      this.orders.set(o.id, o);
      this.open.update(o);
    } else if (e.kind === 'report') {
      this.applyReport(e.data as ExecutionReport);
    } else if (e.kind === 'kill') {
      const d = e.data as { engaged: boolean; reason: string };
      if (d.engaged) this.risk.engage(d.reason, e.ts);
      else this.risk.release(e.ts);
    }
  }

  private emit(e: TradingEvent): void {
    if (this.replaying) return;
    if (this.held) this.held.push(e);
    else this.opts.broadcast(e);
  }

  private emitRisk(): void {
    this.emit({ type: 'risk', risk: this.riskView() });
  }
}

