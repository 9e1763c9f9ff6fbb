// Coinbase Advanced Trade orders: https://docs.cdp.coinbase.com/api-reference/advanced-trade-api/rest-api/orders/create-order
// (list orders, get order, list fills, cancel orders: same section; user channel: ./user-stream.ts)
/**
 * Live execution on Coinbase Advanced Trade.
 *
 * - Place: POST /api/v3/brokerage/orders with our client order id, one attempt. An answer is
 *   final (ack, or rejected with the venue's reason). A timeout, dropped connection or 5xx is not:
 *   the order may or may not exist, so the adapter looks it up by client order id (list orders
 *   of the product since shortly before it was placed) and reports what it finds. Only after the
 *   venue has twice said it has no such order is it sent again, with the same client order id
 *   (which Coinbase also answers with the existing order rather than a second one). A 429 was not
 *   processed: it is sent again once the Retry-After has passed.
 * - State: the user channel says when an order changed (cumulative quantities, no per-fill
 *   detail); the adapter then reads the order and its fills over REST and reports each new fill
 *   (by fill id, once) before any terminal state. On every (re)connect, on a lost message and on
 *   a timer while the stream is down it lists the open orders and re-reads every tracked order
 *   that left the list or filled more: fills made while disconnected are reported exactly once.
 * - Cancel: POST /orders/batch_cancel, then the order is re-read and what is true is reported.
 * - Restore (after a restart): the order is re-read by venue id (or found by client id) and fills
 *   beyond what the journal already holds are reported, then its state.
 *
 * Credentials are used only to sign; no log line, error or report carries them or a token.
 */
import { parsePrice, parseQty, type Precision } from '../../../../shared/instruments';
import { DEFAULT_RESILIENCE, type ResilienceSettings } from '../../../collectors/connection';
import type { ExecutionReport, ExecutionVenue } from '../../../trading/execution';
import type { LiveAdapterContext, LiveAdapterFactory } from '../../../trading/live';
import type { Order } from '../../../trading/order';
import { CoinbaseHttp, VenueError } from './http';
import {
  CancelOrdersResponse, CreateOrderResponse, GetOrderResponse, ListFillsResponse, ListOrdersResponse, TERMINAL_STATUSES,
  createFailureReason, type VenueFill, type VenueOrder, type WsOrder,
} from './messages';
import { orderBody, type OrderBody } from './order-body';
import { loadCdpKey } from './sign';
import { UserStream } from './user-stream';

const ORDERS = '/api/v3/brokerage/orders';
const CANCEL = '/api/v3/brokerage/orders/batch_cancel';
const HISTORICAL = '/api/v3/brokerage/orders/historical';
const LIST = `${HISTORICAL}/batch`;
const FILLS = `${HISTORICAL}/fills`;

export interface CoinbaseExecutionOptions {
  /** per REST request */
  timeoutMs: number;
  /** attempts of an idempotent request (queries, cancels) */
  readAttempts: number;
  /** sends of one order in all (the same client order id each time) */
  placeAttempts: number;
  /** wait before asking the venue about a placement that got no clear answer */
  lookupDelayMs: number;
  /** "no such order" answers needed before the order is sent again */
  lookupConfirmations: number;
  /** how far before the order's creation to list the venue's orders when looking it up */
  lookupWindowMs: number;
  /** REST reconciliation while the private stream is down */
  pollIntervalMs: number;
  /** REST reconciliation while it is up (a safety net) */
  safetyPollMs: number;
  /** re-read delay when the fills list is behind the order's filled size, or a cancel is still queued */
  settleRetryMs: number;
  settleRetries: number;
}

export const DEFAULT_OPTIONS: CoinbaseExecutionOptions = {
  timeoutMs: 10_000,
  readAttempts: 4,
  placeAttempts: 3,
  lookupDelayMs: 1_000,
  lookupConfirmations: 2,
  lookupWindowMs: 10 * 60_000,
  pollIntervalMs: 2_000,
  safetyPollMs: 30_000,
  settleRetryMs: 500,
  settleRetries: 10,
};

interface Tracked {
  order: Order;
  venueOrderId: string | null;
  acked: boolean;
  /** lots the desk already knew as filled when tracking began (restore) */
  baselineLots: number;
  /** baseline + lots reported since */
  reportedLots: number;
  fillIds: Set<string>;
  placing: boolean;
  cancelWanted: boolean;
  cancelSent: boolean;
  done: boolean;
  syncing: boolean;
  syncAgain: boolean;
  settleTries: number;
  settleTimer?: NodeJS.Timeout;
  /** time of the last report, so that an order's times never run backwards */
  lastAt: number;
}

export class CoinbaseExecution implements ExecutionVenue {
  readonly mode = 'live' as const;
  private readonly http: CoinbaseHttp;
  private readonly stream: UserStream;
  private readonly byClient = new Map<string, Tracked>();
  private readonly byVenue = new Map<string, Tracked>();
  private readonly opts: CoinbaseExecutionOptions;
  private readonly resilience: ResilienceSettings;
  private stopped = false;
  private reconciling = false;
  private reconcileAgain = false;
  private lastReconcile = 0;
  private readonly poller: NodeJS.Timeout;

  constructor(private readonly ctx: LiveAdapterContext, options: Partial<CoinbaseExecutionOptions> = {}) {
    this.opts = { ...DEFAULT_OPTIONS, ...options };
    const key = loadCdpKey(ctx.credentials);
    const restUrl = setting(ctx, 'restUrl') ?? 'https://api.coinbase.com';
    const wsUrl = setting(ctx, 'userWsUrl') ?? setting(ctx, 'wsUrl') ?? 'wss://advanced-trade-ws.coinbase.com';
    this.resilience = { ...DEFAULT_RESILIENCE, ...(ctx.settings.resilience as Partial<ResilienceSettings> | undefined) };
    const log = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => ctx.log(level, msg, fields);
    this.http = new CoinbaseHttp({ baseUrl: restUrl, key, resilience: this.resilience, timeoutMs: this.opts.timeoutMs, readAttempts: this.opts.readAttempts, now: ctx.now, log });
    this.stream = new UserStream(wsUrl, key, ctx.now, this.resilience, {
      onOrders: (orders) => this.onStreamOrders(orders),
      onLive: () => {
        log('info', 'coinbase user stream live; reconciling open orders over REST');
        this.reconcile('stream (re)connected');
      },
      onDown: (reason) => log('warn', `coinbase user stream down (${reason}); polling over REST until it is back`),
      onGap: (expected, got) => {
        log('warn', `coinbase user stream: message lost (sequence ${expected} expected, ${got} received); reconciling over REST`);
        this.reconcile('sequence gap');
      },
      log,
    });
    this.stream.start();
    this.poller = setInterval(() => this.poll(), this.opts.pollIntervalMs);
    this.poller.unref();
  }

  get restingCount(): number {
    return this.byClient.size;
  }

  submit(order: Order): void {
    if (this.stopped || this.byClient.has(order.id)) return;
    const t = this.track(order, 0, false, null);
    const built = orderBody(order);
    if (!built.ok) {
      queueMicrotask(() => this.finish(t, { type: 'rejected', clientOrderId: order.id, reason: built.reason, at: this.ctx.now() }));
      return;
    }
    void this.place(t, built.body);
  }

  cancel(order: Order): void {
    if (this.stopped) return;
    const t = this.byClient.get(order.id) ?? this.adopt(order);
    if (t.done) return;
    t.cancelWanted = true;
    if (t.venueOrderId) void this.sendCancel(t);
    else this.ctx.log('info', 'coinbase: cancel requested while the order is being placed; sent once the venue has it', { clientOrderId: order.id });
  }

  restore(order: Order): void {
    if (this.stopped || this.byClient.has(order.id)) return;
    this.adopt(order);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.poller);
    for (const t of this.byClient.values()) clearTimeout(t.settleTimer);
    this.http.stop();
    void this.stream.stop();
  }

  // ---- placement ------------------------------------------------------------------------------

  private async place(t: Tracked, body: OrderBody): Promise<void> {
    const id = t.order.id;
    t.placing = true;
    try {
      for (let attempt = 1; attempt <= this.opts.placeAttempts && !this.stopped && !t.done; attempt++) {
        let answer: unknown;
        try {
          answer = await this.http.once('POST', ORDERS, { body });
        } catch (err) {
          const e = err instanceof VenueError ? err : new VenueError(String(err), 'network');
          if (e.kind === 'stopped') return;
          if (e.kind === 'rate-limited') continue; // not processed; the next send waits for Retry-After
          if (!e.ambiguous) {
            // nothing was placed: the breaker was open, the key was refused, or the request was
            this.finish(t, { type: 'rejected', clientOrderId: id, reason: `not placed: ${e.message}`, at: this.ctx.now() });
            return;
          }
          this.ctx.log('warn', `coinbase: placement outcome unknown (${e.message}); looking the order up by client order id before anything else`, { clientOrderId: id });
          const found = await this.lookUpAfterDoubt(t);
          if (found === 'stopped' || t.done) return;
          if (found === 'acked') return; // the stream saw it meanwhile; it drives the rest
          if (found) {
            this.ctx.log('info', 'coinbase: the order is at the venue; reporting what it says', { clientOrderId: id, venueOrderId: found.order_id });
            this.ack(t, found.order_id);
            this.requestSync(t);
            return;
          }
          this.ctx.log('warn', `coinbase: the venue has no order ${id}; sending it again with the same client order id`, { clientOrderId: id });
          continue;
        }
        const parsed = CreateOrderResponse.safeParse(answer);
        if (!parsed.success) {
          this.ctx.log('error', 'coinbase: create-order answer not understood; looking the order up', { clientOrderId: id });
          const found = await this.lookUpAfterDoubt(t);
          if (found && found !== 'stopped' && found !== 'acked') {
            this.ack(t, found.order_id);
            this.requestSync(t);
          }
          return;
        }
        const r = parsed.data;
        if (r.success && r.success_response) {
          this.ack(t, r.success_response.order_id);
          if (!this.stream.isLive) this.requestSync(t);
        } else {
          this.finish(t, { type: 'rejected', clientOrderId: id, reason: createFailureReason(r), at: this.ctx.now() });
        }
        return;
      }
      if (!t.done && !t.acked && !this.stopped) {
        this.finish(t, { type: 'rejected', clientOrderId: id, reason: `not placed after ${this.opts.placeAttempts} attempts (rate limited or no answer; the venue has no such order)`, at: this.ctx.now() });
      }
    } finally {
      t.placing = false;
    }
  }

  /**
   * After a placement without a clear answer: the venue's order with our client id, null once it
   * has said "none" `lookupConfirmations` times, 'acked' when the stream reported it meanwhile.
   * Lookups that fail are repeated with backoff for as long as it takes: the truth is what matters.
   */
  private async lookUpAfterDoubt(t: Tracked): Promise<VenueOrder | null | 'acked' | 'stopped'> {
    let absent = 0;
    let delay = this.opts.lookupDelayMs;
    while (!this.stopped) {
      await sleep(delay);
      if (this.stopped) break;
      if (t.acked) return 'acked';
      try {
        const found = await this.findByClientId(t);
        if (found) return found;
        if (++absent >= this.opts.lookupConfirmations) return null;
      } catch (err) {
        if (err instanceof VenueError && err.kind === 'stopped') break;
        this.ctx.log('warn', `coinbase: looking the order up failed (${(err as Error).message}); trying again`, { clientOrderId: t.order.id });
        delay = Math.min(delay * 2, this.resilience.backoffMaxMs);
      }
    }
    return 'stopped';
  }

  private async findByClientId(t: Tracked): Promise<VenueOrder | null> {
    const start = new Date(t.order.createdAt - this.opts.lookupWindowMs).toISOString();
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = ListOrdersResponse.parse(await this.http.call('GET', LIST, { query: { product_ids: [t.order.req.symbol], start_date: start, limit: 250, cursor } }));
      const hit = res.orders.find((o) => o.client_order_id === t.order.id);
      if (hit) return hit;
      if (!res.has_next || !res.cursor) return null;
      cursor = res.cursor;
    }
    return null;
  }

  // ---- cancel ---------------------------------------------------------------------------------

  private async sendCancel(t: Tracked): Promise<void> {
    if (t.cancelSent || t.done || !t.venueOrderId) return;
    t.cancelSent = true;
    const vid = t.venueOrderId;
    try {
      const res = CancelOrdersResponse.parse(await this.http.call('POST', CANCEL, { body: { order_ids: [vid] } }));
      const r = res.results.find((x) => x.order_id === vid) ?? res.results[0];
      if (r && !r.success) this.ctx.log('info', `coinbase: cancel refused (${r.failure_reason || 'no reason given'}); reporting the order as it is`, { clientOrderId: t.order.id, venueOrderId: vid });
    } catch (err) {
      if (err instanceof VenueError && err.kind === 'stopped') return;
      t.cancelSent = false;
      this.ctx.log('error', `coinbase: cancel not confirmed: ${(err as Error).message}`, { clientOrderId: t.order.id, venueOrderId: vid });
    }
    t.settleTries = 0;
    this.requestSync(t);
  }

  // ---- state from the venue -------------------------------------------------------------------

  private onStreamOrders(orders: WsOrder[]): void {
    for (const o of orders) {
      const t = this.byClient.get(o.client_order_id) ?? this.byVenue.get(o.order_id);
      if (!t || t.done) continue; // not ours (another session, the web UI) or already final
      if (o.status === 'FAILED' && !t.acked) {
        this.requestSync(t, o.order_id);
        continue;
      }
      if (!t.acked) this.ack(t, o.order_id);
      const cum = this.lots(o.cumulative_quantity, t.order.precision);
      if (cum > t.reportedLots || TERMINAL_STATUSES.has(o.status)) this.requestSync(t);
    }
  }

  private poll(): void {
    if (this.stopped || this.byClient.size === 0) return;
    const every = this.stream.isLive ? this.opts.safetyPollMs : this.opts.pollIntervalMs;
    if (this.ctx.now() - this.lastReconcile >= every) this.reconcile(this.stream.isLive ? 'safety poll' : 'stream down');
  }

  /** Lists the open orders and re-reads every tracked order that left the list or filled more. */
  private reconcile(why: string): void {
    if (this.stopped) return;
    if (this.reconciling) {
      this.reconcileAgain = true;
      return;
    }
    this.reconciling = true;
    this.lastReconcile = this.ctx.now();
    void (async () => {
      try {
        do {
          this.reconcileAgain = false;
          if (this.byClient.size === 0) break;
          let open: VenueOrder[];
          try {
            open = await this.listOpen();
          } catch (err) {
            if (!(err instanceof VenueError && err.kind === 'stopped')) this.ctx.log('warn', `coinbase: reconciliation (${why}) could not list open orders: ${(err as Error).message}`);
            break;
          }
          const byId = new Map(open.map((o) => [o.order_id, o]));
          const byCid = new Map(open.map((o) => [o.client_order_id, o]));
          for (const t of [...this.byClient.values()]) {
            if (t.done) continue;
            const v = (t.venueOrderId && byId.get(t.venueOrderId)) || byCid.get(t.order.id);
            if (!t.venueOrderId) {
              if (v) {
                this.ack(t, v.order_id);
                this.requestSync(t);
              } else if (!t.placing) {
                this.requestSync(t);
              }
              continue;
            }
            if (!v) this.requestSync(t);
            else if (!t.acked || this.lots(v.filled_size, t.order.precision) > t.reportedLots) this.requestSync(t);
          }
        } while (this.reconcileAgain && !this.stopped);
      } finally {
        this.reconciling = false;
      }
    })();
  }

  private async listOpen(): Promise<VenueOrder[]> {
    const out: VenueOrder[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = ListOrdersResponse.parse(await this.http.call('GET', LIST, { query: { order_status: ['OPEN'], limit: 250, cursor } }));
      out.push(...res.orders);
      if (!res.has_next || !res.cursor) break;
      cursor = res.cursor;
    }
    return out;
  }

  /** Re-reads one order (coalesced: one read at a time per order, one more if asked meanwhile). */
  private requestSync(t: Tracked, venueOrderId?: string): void {
    if (t.done || this.stopped) return;
    if (venueOrderId && !t.venueOrderId) this.setVenueId(t, venueOrderId);
    if (t.syncing) {
      t.syncAgain = true;
      return;
    }
    t.syncing = true;
    void (async () => {
      try {
        do {
          t.syncAgain = false;
          await this.syncOnce(t);
        } while (t.syncAgain && !t.done && !this.stopped);
      } catch (err) {
        if (!(err instanceof VenueError && err.kind === 'stopped')) {
          this.ctx.log('warn', `coinbase: reading the order failed: ${(err as Error).message}; the next reconciliation tries again`, { clientOrderId: t.order.id });
        }
      } finally {
        t.syncing = false;
      }
    })();
  }

  private async syncOnce(t: Tracked): Promise<void> {
    if (t.done || this.stopped) return;
    if (!t.venueOrderId) {
      const found = await this.findByClientId(t);
      if (t.done) return;
      if (t.venueOrderId) {
        t.syncAgain = true; // the stream named it meanwhile: read it by id
        return;
      }
      if (!found) {
        if (!t.placing) this.finish(t, { type: 'expired', clientOrderId: t.order.id, reason: 'the venue has no such order', at: this.ctx.now() });
        return;
      }
      this.setVenueId(t, found.order_id);
    }
    let vo: VenueOrder;
    try {
      vo = GetOrderResponse.parse(await this.http.call('GET', `${HISTORICAL}/${encodeURIComponent(t.venueOrderId!)}`)).order;
    } catch (err) {
      if (err instanceof VenueError && err.kind === 'not-found') {
        this.ctx.log('warn', 'coinbase: the venue does not know this order id; the next reconciliation tries again', { clientOrderId: t.order.id, venueOrderId: t.venueOrderId });
        return;
      }
      throw err;
    }
    if (t.done || this.stopped) return;
    if (vo.status === 'FAILED' && !t.acked) {
      this.finish(t, { type: 'rejected', clientOrderId: t.order.id, reason: failReason(vo), at: this.ctx.now() });
      return;
    }
    this.ack(t, vo.order_id);
    const filled = this.lots(vo.filled_size, t.order.precision);
    if (filled > t.reportedLots) await this.reportFills(t);
    if (t.done || this.stopped) return;
    if (t.reportedLots < Math.min(filled, t.order.lots)) {
      // the fills list is behind the order: nothing terminal before every fill is out
      this.settleLater(t, `fills listed for ${t.reportedLots} of ${filled} lots`);
      return;
    }
    const at = this.ctx.now();
    switch (vo.status) {
      case 'FILLED':
        if (t.reportedLots < t.order.lots) this.ctx.log('warn', `coinbase: order FILLED with ${t.reportedLots} of ${t.order.lots} lots reported`, { clientOrderId: t.order.id });
        this.untrack(t);
        return;
      case 'CANCELLED':
        this.finish(t, { type: 'cancelled', clientOrderId: t.order.id, reason: t.cancelWanted ? 'cancelled by request' : vo.cancel_message || 'cancelled at the venue', at });
        return;
      case 'EXPIRED':
        this.finish(t, { type: 'expired', clientOrderId: t.order.id, reason: vo.cancel_message || 'expired at the venue', at });
        return;
      case 'FAILED':
        this.finish(t, { type: 'cancelled', clientOrderId: t.order.id, reason: `failed at the venue: ${failReason(vo)}`, at });
        return;
      default:
        if (t.cancelSent) this.settleLater(t, `cancel sent, order still ${vo.status}`);
        else t.settleTries = 0;
    }
  }

  private async reportFills(t: Tracked): Promise<void> {
    const fills: VenueFill[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = ListFillsResponse.parse(await this.http.call('GET', FILLS, { query: { order_ids: [t.venueOrderId!], limit: 250, cursor } }));
      fills.push(...res.fills);
      if (!res.cursor) break;
      cursor = res.cursor;
    }
    if (t.done || this.stopped) return;
    fills.sort((a, b) => Date.parse(a.trade_time) - Date.parse(b.trade_time) || (a.trade_id < b.trade_id ? -1 : a.trade_id > b.trade_id ? 1 : 0));
    const p = t.order.precision;
    let running = 0;
    for (const f of fills) {
      // we place in base units; a fill in quote units (size_in_quote) is converted at its price
      const lots = this.lots(f.size_in_quote ? String(Number(f.size) / Number(f.price)) : f.size, p);
      if (!(lots > 0)) continue;
      const before = running;
      running += lots;
      const fillId = f.entry_id || f.trade_id;
      if (t.fillIds.has(fillId)) continue;
      t.fillIds.add(fillId);
      if (running <= t.baselineLots) continue; // the journal has it already (restored order)
      const n = Math.min(before < t.baselineLots ? running - t.baselineLots : lots, t.order.lots - t.reportedLots);
      if (n <= 0) continue;
      t.reportedLots += n;
      const at = Date.parse(f.trade_time);
      this.emit(t, {
        type: 'fill', clientOrderId: t.order.id, fillId, priceTicks: this.ticks(f.price, p), lots: n,
        fee: Number(f.commission) || 0, liquidity: f.liquidity_indicator === 'MAKER' ? 'maker' : 'taker', at: Number.isFinite(at) ? at : this.ctx.now(),
      });
    }
  }

  private settleLater(t: Tracked, why: string): void {
    if (t.settleTimer || t.done || this.stopped) return;
    if (++t.settleTries > this.opts.settleRetries) {
      this.ctx.log('warn', `coinbase: order not settled (${why}); the next reconciliation tries again`, { clientOrderId: t.order.id });
      t.settleTries = 0;
      return;
    }
    t.settleTimer = setTimeout(() => {
      t.settleTimer = undefined;
      this.requestSync(t);
    }, this.opts.settleRetryMs);
  }

  // ---- bookkeeping ----------------------------------------------------------------------------

  private track(order: Order, baselineLots: number, acked: boolean, venueOrderId: string | null): Tracked {
    const t: Tracked = {
      order, venueOrderId: null, acked, baselineLots, reportedLots: baselineLots, fillIds: new Set(),
      placing: false, cancelWanted: false, cancelSent: false, done: false, syncing: false, syncAgain: false, settleTries: 0, lastAt: order.updatedAt,
    };
    this.byClient.set(order.id, t);
    if (venueOrderId) this.setVenueId(t, venueOrderId);
    return t;
  }

  /** An order this process did not place (restored from the journal): re-read it. */
  private adopt(order: Order): Tracked {
    const t = this.track(order, order.filledLots, order.state !== 'pending', order.venueOrderId);
    this.requestSync(t);
    return t;
  }

  private setVenueId(t: Tracked, id: string): void {
    t.venueOrderId = id;
    this.byVenue.set(id, t);
  }

  private ack(t: Tracked, venueOrderId: string): void {
    if (!t.venueOrderId) this.setVenueId(t, venueOrderId);
    if (t.acked || t.done) return;
    t.acked = true;
    this.emit(t, { type: 'ack', clientOrderId: t.order.id, venueOrderId, at: this.ctx.now() });
    if (t.cancelWanted) void this.sendCancel(t);
  }

  private finish(t: Tracked, r: ExecutionReport): void {
    if (t.done) return;
    this.emit(t, r);
    this.untrack(t);
  }

  private untrack(t: Tracked): void {
    t.done = true;
    clearTimeout(t.settleTimer);
    this.byClient.delete(t.order.id);
    if (t.venueOrderId) this.byVenue.delete(t.venueOrderId);
  }

  /**
   * Reports stamped never earlier than the order's previous report: a fill carries the venue's
   * trade time, which can precede our local ack by the clock difference and the round trip.
   */
  private emit(t: Tracked, r: ExecutionReport): void {
    if (this.stopped) return;
    r.at = Math.max(r.at, t.lastAt);
    t.lastAt = r.at;
    try {
      this.ctx.report(r);
    } catch (err) {
      this.ctx.log('error', `coinbase: report not accepted: ${(err as Error).message}`, { clientOrderId: r.clientOrderId });
    }
  }

  /** A venue size in lots; sizes off the lot grid are rounded to it (the venue's grid is the product's). */
  private lots(size: string, p: Precision): number {
    try {
      return parseQty(size || '0', p);
    } catch {
      const n = Number(size);
      return Number.isFinite(n) ? Math.round((n * 10 ** p.sizeDecimals) / p.lotUnits) : 0;
    }
  }

  private ticks(price: string, p: Precision): number {
    try {
      return parsePrice(price, p);
    } catch {
      return Math.round((Number(price) * 10 ** p.priceDecimals) / p.tickUnits);
    }
  }
}

function failReason(vo: VenueOrder): string {
  return (vo.reject_message || vo.reject_reason || 'order failed at the venue').slice(0, 200);
}

function setting(ctx: LiveAdapterContext, name: string): string | undefined {
  const v = ctx.settings[name];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const createCoinbaseExecution: LiveAdapterFactory = (ctx) => new CoinbaseExecution(ctx);
