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
import type { LiveExecutionOptions, SettleOptions } from '../../../trading/live/adapter-context';
import { parsePrice, parseQty, type Precision } from '../../../../shared/instruments';
import type { ResilienceSettings } from '../../../collectors/connection';
import type { LiveAdapterContext, LiveAdapterFactory } from '../../../trading/live';
import { resilienceOf, roundLots, roundTicks, setting } from '../../../trading/live/adapter-context';
import { ensureVenueId, LiveCore, LiveVenue, lookUpAfterDoubt, newFills, orderSync, place, trackedBase, type TrackedBase } from '../../../trading/live/live-base';
import type { OrderSync } from '../../../trading/live/order-sync';
import { Reconciler } from '../../../trading/live/reconciler';
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

export interface CoinbaseExecutionOptions extends LiveExecutionOptions, SettleOptions {
  /** how far before the order's creation to list the venue's orders when looking it up */
  lookupWindowMs: number;
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

interface Tracked extends TrackedBase {
  venueOrderId: string | null;
  fillIds: Set<string>;
  lastAt: number;
  sync: OrderSync;
}

export class CoinbaseExecution extends LiveVenue<Tracked> {
  private readonly http: CoinbaseHttp;
  private readonly stream: UserStream;
  protected readonly core: LiveCore<Tracked>;
  private readonly byVenue = new Map<string, Tracked>();
  private readonly opts: CoinbaseExecutionOptions;
  private readonly resilience: ResilienceSettings;
  private readonly reconciler: Reconciler;

  constructor(private readonly ctx: LiveAdapterContext, options: Partial<CoinbaseExecutionOptions> = {}) {
    super();
    this.opts = { ...DEFAULT_OPTIONS, ...options };
    const key = loadCdpKey(ctx.credentials);
    const restUrl = setting(ctx, 'restUrl') ?? 'https://api.coinbase.com';
    const wsUrl = setting(ctx, 'userWsUrl') ?? setting(ctx, 'wsUrl') ?? 'wss://advanced-trade-ws.coinbase.com';
    this.resilience = resilienceOf(ctx);
    this.core = new LiveCore<Tracked>({
      ctx, venue: 'coinbase',
      adopt: (order) => this.adopt(order),
      forget: (t) => {
        t.sync.clear();
        if (t.venueOrderId) this.byVenue.delete(t.venueOrderId);
      },
      cancelReady: (t) => !!t.venueOrderId,
      sendCancel: (t) => void this.sendCancel(t),
      cancelDeferred: 'cancel requested while the order is being placed; sent once the venue has it',
    });
    const log = this.core.log;
    this.reconciler = new Reconciler({
      now: ctx.now, stopped: () => this.core.stopped, hasWork: () => this.core.size > 0, isLive: () => this.stream.isLive,
      pollIntervalMs: this.opts.pollIntervalMs, safetyPollMs: this.opts.safetyPollMs, tickMs: this.opts.pollIntervalMs, unref: true,
      run: (why) => this.reconcile(why),
    });
    this.http = new CoinbaseHttp({ baseUrl: restUrl, key, resilience: this.resilience, timeoutMs: this.opts.timeoutMs, readAttempts: this.opts.readAttempts, now: ctx.now, log });
    this.stream = new UserStream(wsUrl, key, ctx.now, this.resilience, {
      onOrders: (orders) => this.onStreamOrders(orders),
      onLive: () => {
        log('info', 'coinbase user stream live; reconciling open orders over REST');
        this.reconciler.request('stream (re)connected');
      },
      onDown: (reason) => log('warn', `coinbase user stream down (${reason}); polling over REST until it is back`),
      onGap: (expected, got) => {
        log('warn', `coinbase user stream: message lost (sequence ${expected} expected, ${got} received); reconciling over REST`);
        this.reconciler.request('sequence gap');
      },
      log,
    });
    this.stream.start();
    this.reconciler.start();
  }

  submit(order: Order): void {
    if (!this.core.isNew(order)) return;
    const t = this.track(order, 0, false, null);
    const built = orderBody(order);
    if (!built.ok) {
      queueMicrotask(() => this.core.finish(t, { type: 'rejected', clientOrderId: order.id, reason: built.reason, at: this.ctx.now() }));
      return;
    }
    void this.place(t, built.body);
  }

  protected shutdown(): void {
    this.reconciler.stop();
    for (const t of this.core.byClient.values()) t.sync.clear();
    this.http.stop();
    void this.stream.stop();
  }

  // ---- placement ------------------------------------------------------------------------------

  private place(t: Tracked, body: OrderBody): Promise<void> {
    const id = t.order.id;
    const log = this.core.log;
    const reject = (reason: string) => this.core.finish(t, { type: 'rejected', clientOrderId: id, reason, at: this.ctx.now() });
    return place<unknown>(this.core, t, {
      attempts: this.opts.placeAttempts,
      send: () => this.http.once('POST', ORDERS, { body }),
      failed: (err) => {
        const e = err instanceof VenueError ? err : new VenueError(String(err), 'network');
        if (e.kind === 'stopped') return 'stop';
        if (e.kind === 'rate-limited') return 'resend'; // not processed; the next send waits for Retry-After
        if (!e.ambiguous) {
          // nothing was placed: the breaker was open, the key was refused, or the request was
          reject(`not placed: ${e.message}`);
          return 'stop';
        }
        log('warn', `coinbase: placement outcome unknown (${e.message}); looking the order up by client order id before anything else`, { clientOrderId: id });
        return 'doubt';
      },
      resolve: async () => {
        const found = await this.lookUpAfterDoubt(t);
        if (found === 'stopped' || t.done) return true;
        if (found === 'acked') return true; // the stream saw it meanwhile; it drives the rest
        if (found) {
          log('info', 'coinbase: the order is at the venue; reporting what it says', { clientOrderId: id, venueOrderId: found.order_id });
          this.ack(t, found.order_id);
          this.requestSync(t);
          return true;
        }
        log('warn', `coinbase: the venue has no order ${id}; sending it again with the same client order id`, { clientOrderId: id });
        return false;
      },
      answered: async (answer) => {
        const parsed = CreateOrderResponse.safeParse(answer);
        if (!parsed.success) {
          log('error', 'coinbase: create-order answer not understood; looking the order up', { clientOrderId: id });
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
          reject(createFailureReason(r));
        }
      },
      exhausted: () => reject(`not placed after ${this.opts.placeAttempts} attempts (rate limited or no answer; the venue has no such order)`),
    });
  }

  private lookUpAfterDoubt(t: Tracked): Promise<VenueOrder | null | 'acked' | 'stopped'> {
    return lookUpAfterDoubt(this.core, t, {
      delayMs: this.opts.lookupDelayMs, confirmations: this.opts.lookupConfirmations, backoffMaxMs: this.resilience.backoffMaxMs,
      find: () => this.findByClientId(t),
      isStopError: isStopped,
      failed: (err) => this.core.log('warn', `coinbase: looking the order up failed (${(err as Error).message}); trying again`, { clientOrderId: t.order.id }),
    });
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
      if (r && !r.success) this.core.log('info', `coinbase: cancel refused (${r.failure_reason || 'no reason given'}); reporting the order as it is`, { clientOrderId: t.order.id, venueOrderId: vid });
    } catch (err) {
      if (isStopped(err)) return;
      t.cancelSent = false;
      this.core.log('error', `coinbase: cancel not confirmed: ${(err as Error).message}`, { clientOrderId: t.order.id, venueOrderId: vid });
    }
    t.sync.settled();
    this.requestSync(t);
  }

  // ---- state from the venue -------------------------------------------------------------------

  private onStreamOrders(orders: WsOrder[]): void {
    for (const o of orders) {
      const t = this.core.byClient.get(o.client_order_id) ?? this.byVenue.get(o.order_id);
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

  /** Lists the open orders and re-reads every tracked order that left the list or filled more. */
  private async reconcile(why: string): Promise<boolean> {
    if (this.core.size === 0) return false;
    let open: VenueOrder[];
    try {
      open = await this.listOpen();
    } catch (err) {
      if (!isStopped(err)) this.core.log('warn', `coinbase: reconciliation (${why}) could not list open orders: ${(err as Error).message}`);
      return false;
    }
    const byId = new Map(open.map((o) => [o.order_id, o]));
    const byCid = new Map(open.map((o) => [o.client_order_id, o]));
    for (const t of [...this.core.byClient.values()]) {
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
    return true;
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
    if (t.done || this.core.stopped) return;
    if (venueOrderId && !t.venueOrderId) this.setVenueId(t, venueOrderId);
    t.sync.request();
  }

  private async syncOnce(t: Tracked): Promise<void> {
    if (t.done || this.core.stopped) return;
    const ready = await ensureVenueId(this.core, t, {
      hasId: () => !!t.venueOrderId,
      find: () => this.findByClientId(t),
      adopt: (found) => this.setVenueId(t, found.order_id),
      now: () => this.ctx.now(),
    });
    if (!ready) return;
    let vo: VenueOrder;
    try {
      vo = GetOrderResponse.parse(await this.http.call('GET', `${HISTORICAL}/${encodeURIComponent(t.venueOrderId!)}`)).order;
    } catch (err) {
      if (err instanceof VenueError && err.kind === 'not-found') {
        this.core.log('warn', 'coinbase: the venue does not know this order id; the next reconciliation tries again', { clientOrderId: t.order.id, venueOrderId: t.venueOrderId });
        return;
      }
      throw err;
    }
    if (t.done || this.core.stopped) return;
    if (vo.status === 'FAILED' && !t.acked) {
      this.core.finish(t, { type: 'rejected', clientOrderId: t.order.id, reason: failReason(vo), at: this.ctx.now() });
      return;
    }
    this.ack(t, vo.order_id);
    const filled = this.lots(vo.filled_size, t.order.precision);
    if (filled > t.reportedLots) await this.reportFills(t);
    if (t.done || this.core.stopped) return;
    if (t.reportedLots < Math.min(filled, t.order.lots)) {
      // the fills list is behind the order: nothing terminal before every fill is out
      t.sync.settleLater(`fills listed for ${t.reportedLots} of ${filled} lots`);
      return;
    }
    const at = this.ctx.now();
    switch (vo.status) {
      case 'FILLED':
        if (t.reportedLots < t.order.lots) this.core.log('warn', `coinbase: order FILLED with ${t.reportedLots} of ${t.order.lots} lots reported`, { clientOrderId: t.order.id });
        this.core.untrack(t);
        return;
      case 'CANCELLED':
        this.core.finish(t, { type: 'cancelled', clientOrderId: t.order.id, reason: t.cancelWanted ? 'cancelled by request' : vo.cancel_message || 'cancelled at the venue', at });
        return;
      case 'EXPIRED':
        this.core.finish(t, { type: 'expired', clientOrderId: t.order.id, reason: vo.cancel_message || 'expired at the venue', at });
        return;
      case 'FAILED':
        this.core.finish(t, { type: 'cancelled', clientOrderId: t.order.id, reason: `failed at the venue: ${failReason(vo)}`, at });
        return;
      default:
        if (t.cancelSent) t.sync.settleLater(`cancel sent, order still ${vo.status}`);
        else t.sync.settled();
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
    if (t.done || this.core.stopped) return;
    fills.sort((a, b) => Date.parse(a.trade_time) - Date.parse(b.trade_time) || (a.trade_id < b.trade_id ? -1 : a.trade_id > b.trade_id ? 1 : 0));
    const p = t.order.precision;
    // we place in base units; a fill in quote units (size_in_quote) is converted at its price
    const listed = fills.map((f) => ({ lots: this.lots(f.size_in_quote ? String(Number(f.size) / Number(f.price)) : f.size, p), id: f.entry_id || f.trade_id, fill: f }));
    for (const { id, lots, fill: f } of newFills(t, listed)) {
      const at = Date.parse(f.trade_time);
      this.core.emit({
        type: 'fill', clientOrderId: t.order.id, fillId: id, priceTicks: this.ticks(f.price, p), lots,
        fee: Number(f.commission) || 0, liquidity: f.liquidity_indicator === 'MAKER' ? 'maker' : 'taker', at: Number.isFinite(at) ? at : this.ctx.now(),
      }, t);
    }
  }

  // ---- bookkeeping ----------------------------------------------------------------------------

  private track(order: Order, baselineLots: number, acked: boolean, venueOrderId: string | null): Tracked {
    const t = { ...trackedBase(order, baselineLots, acked), venueOrderId: null, fillIds: new Set(), lastAt: order.updatedAt } as Omit<Tracked, 'sync'> as Tracked;
    t.sync = orderSync(this.core, t, { read: () => this.syncOnce(t), retries: this.opts.settleRetries, retryMs: this.opts.settleRetryMs, isStopError: isStopped });
    this.core.add(t);
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
    this.core.acknowledge(t, venueOrderId);
  }

  /** A venue size in lots; sizes off the lot grid are rounded to it (the venue's grid is the product's). */
  private lots(size: string, p: Precision): number {
    try {
      return parseQty(size || '0', p);
    } catch {
      return roundLots(size, p);
    }
  }

  private ticks(price: string, p: Precision): number {
    try {
      return parsePrice(price, p);
    } catch {
      return roundTicks(price, p);
    }
  }
}

function failReason(vo: VenueOrder): string {
  return (vo.reject_message || vo.reject_reason || 'order failed at the venue').slice(0, 200);
}

const isStopped = (err: unknown) => err instanceof VenueError && err.kind === 'stopped';

export const createCoinbaseExecution: LiveAdapterFactory = (ctx) => new CoinbaseExecution(ctx);
