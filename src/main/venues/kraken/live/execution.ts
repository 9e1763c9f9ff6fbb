// Kraken Spot REST orders: https://docs.kraken.com/api/docs/rest-api/add-order (cancel-order,
// get-open-orders, get-closed-orders, get-orders-info, get-trade-history: same section);
// executions stream: ./executions-stream.ts
/**
 * Live execution on Kraken Spot.
 *
 * - Place: POST /0/private/AddOrder with our client order id as `cl_ord_id`, one attempt. An answer
 *   is final: the order's txid (ack), or Kraken's error list (rejected with Kraken's words, e.g.
 *   "EOrder:Insufficient funds"). A timeout, dropped connection, 5xx or EService error is not: the
 *   order may or may not exist, so the adapter looks it up by `cl_ord_id` (open orders, then closed
 *   ones) and reports what it finds. Only after Kraken has twice said it has no such order is it
 *   sent again, with the same `cl_ord_id` (which Kraken refuses while the first is open). A rate
 *   limit or an invalid nonce was not processed: it is sent again once the gate opens.
 * - State: the executions stream gives each fill (`exec_id`, reported once) and each status change.
 *   Every (re)subscription brings a snapshot of open orders and recent fills: fills missed while
 *   disconnected are reported from it, and every tracked order that left the open list, filled
 *   more than reported, or was restored is re-read over REST (QueryOrders, TradesHistory). The
 *   same happens on a lost message and, while the stream is down, on a timer.
 * - Cancel: POST /0/private/CancelOrder by txid, then what is true is reported.
 * - Restore (after a restart): the order is re-read by txid (or found by `cl_ord_id`) and the
 *   fills beyond what the journal already holds are reported, then its state.
 *
 * A terminal state is reported only once every fill the venue counts is out. Credentials are
 * used only to sign; no log line, error or report carries them or a WebSocket token.
 */
import type { LiveExecutionOptions, SettleOptions } from '../../../trading/live/adapter-context';
import { type Precision } from '../../../../shared/instruments';
import type { ResilienceSettings } from '../../../collectors/connection';
import type { LiveAdapterContext, LiveAdapterFactory } from '../../../trading/live';
import { resilienceOf, roundLots, roundTicks, setting } from '../../../trading/live/adapter-context';
import { ensureVenueId, LiveCore, LiveVenue, lookUpAfterDoubt, newFills, orderSync, place, trackedBase, type TrackedBase } from '../../../trading/live/live-base';
import type { OrderSync } from '../../../trading/live/order-sync';
import { Reconciler } from '../../../trading/live/reconciler';
import type { Order } from '../../../trading/order';
import { toUnits } from '../messages';
import { ExecutionsStream } from './executions-stream';
import { KrakenHttp, VenueError } from './http';
import {
  AddOrderResult, CancelOrderResult, ClosedOrdersResult, OpenOrdersResult, QueryOrdersResult, TokenResult, TradesHistoryResult,
  type ExecReport, type OrderInfo, type TradeInfo,
} from './messages';
import { addOrderParams, venueClientId } from './order-params';
import { PairDirectory } from './pairs';
import { KrakenKey } from './sign';

export interface KrakenExecutionOptions extends LiveExecutionOptions, SettleOptions {
  /** how far before the order's creation closed orders are searched when looking it up */
  lookupWindowMs: number;
  /** pause after Kraken's "Rate limit exceeded" */
  rateLimitPauseMs: number;
  /** pause after "EGeneral:Temporary lockout" */
  lockoutPauseMs: number;
}

export const DEFAULT_OPTIONS: KrakenExecutionOptions = {
  timeoutMs: 10_000,
  readAttempts: 4,
  placeAttempts: 3,
  lookupDelayMs: 1_000,
  lookupConfirmations: 2,
  lookupWindowMs: 10 * 60_000,
  // each poll costs a point of Kraken's REST counter, which decays by 0.33/s on the lowest tier: 5 s stays clear
  pollIntervalMs: 5_000,
  safetyPollMs: 30_000,
  settleRetryMs: 500,
  settleRetries: 10,
  rateLimitPauseMs: 3_000,
  lockoutPauseMs: 60_000,
};

/** An order as the venue has it, from REST or from the stream's snapshot. */
interface VenueView {
  orderId: string;
  clOrdId: string | null;
  /** lots executed so far */
  execLots: number;
}

/** An order as the venue has it, from REST or from the stream's snapshot. */
interface VenueView {
  orderId: string;
  clOrdId: string | null;
  /** lots executed so far */
  execLots: number;
}

interface Tracked extends TrackedBase {
  /** our client order id as Kraken's cl_ord_id */
  venueCid: string;
  venueOrderId: string | null;
  fillIds: Set<string>;
  /** a restored order's fills were matched against the venue's history once (stream fills are then new) */
  fillsSynced: boolean;
  lastAt: number;
  sync: OrderSync;
}

export class KrakenExecution extends LiveVenue<Tracked> {
  private readonly http: KrakenHttp;
  private readonly stream: ExecutionsStream;
  private readonly pairs: PairDirectory;
  protected readonly core: LiveCore<Tracked>;
  private readonly byCid = new Map<string, Tracked>();
  private readonly byVenue = new Map<string, Tracked>();
  /** cl_ord_ids reported as not placed after a doubtful placement: if one turns up, it is cancelled */
  private readonly ghosts = new Set<string>();
  private readonly opts: KrakenExecutionOptions;
  private readonly resilience: ResilienceSettings;
  private readonly reconciler: Reconciler<VenueView[]>;

  constructor(private readonly ctx: LiveAdapterContext, options: Partial<KrakenExecutionOptions> = {}) {
    super();
    this.opts = { ...DEFAULT_OPTIONS, ...options };
    const key = new KrakenKey(ctx.credentials);
    const restUrl = setting(ctx, 'restUrl') ?? 'https://api.kraken.com';
    this.resilience = resilienceOf(ctx);
    this.core = new LiveCore<Tracked>({
      ctx, venue: 'kraken',
      adopt: (order) => this.adopt(order),
      forget: (t) => {
        t.sync.clear();
        this.byCid.delete(t.venueCid);
        if (t.venueOrderId) this.byVenue.delete(t.venueOrderId);
      },
      cancelReady: (t) => !!t.venueOrderId,
      sendCancel: (t) => void this.sendCancel(t),
      cancelDeferred: 'cancel requested while the order is being placed; sent once the venue has it',
    });
    const log = this.core.log;
    this.reconciler = new Reconciler<VenueView[]>({
      now: ctx.now, stopped: () => this.core.stopped, hasWork: () => this.core.size > 0, isLive: () => this.stream.isLive,
      pollIntervalMs: this.opts.pollIntervalMs, safetyPollMs: this.opts.safetyPollMs, tickMs: this.opts.pollIntervalMs, unref: true,
      run: (why, snapshot) => this.reconcile(why, snapshot),
    });
    this.http = new KrakenHttp({
      baseUrl: restUrl, key, resilience: this.resilience, timeoutMs: this.opts.timeoutMs, readAttempts: this.opts.readAttempts,
      rateLimitPauseMs: this.opts.rateLimitPauseMs, lockoutPauseMs: this.opts.lockoutPauseMs, now: ctx.now, log,
    });
    this.pairs = new PairDirectory(restUrl, this.resilience, log);
    this.stream = new ExecutionsStream(privateWsUrl(ctx), this.resilience, {
      token: async () => TokenResult.parse(await this.http.call('GetWebSocketsToken')).token,
      isAuthFailure: (err) => err instanceof VenueError && (err.kind === 'auth' || err.kind === 'lockout'),
      onSnapshot: (reports) => this.onSnapshot(reports),
      onUpdate: (reports) => {
        for (const r of reports) this.onExec(r);
      },
      onDown: (reason) => log('warn', `kraken executions stream down (${reason}); polling over REST until it is back`),
      onGap: (why) => {
        log('warn', `kraken executions stream: ${why}; reconciling over REST`);
        this.reconciler.request('stream gap');
      },
      log,
    });
    this.stream.start();
    this.reconciler.start();
  }

  submit(order: Order): void {
    if (!this.core.isNew(order)) return;
    void this.place(this.track(order, 0, false, null));
  }

  protected shutdown(): void {
    this.reconciler.stop();
    for (const t of this.core.byClient.values()) t.sync.clear();
    this.http.stop();
    void this.stream.stop();
  }

  // ---- placement ------------------------------------------------------------------------------

  private async place(t: Tracked): Promise<void> {
    const id = t.order.id;
    const log = this.core.log;
    const reject = (reason: string) => this.core.finish(t, { type: 'rejected', clientOrderId: id, reason, at: this.ctx.now() });
    t.placing = true;
    try {
      let pair: string;
      try {
        pair = await this.pairs.pairOf(t.order.req.symbol);
      } catch (err) {
        if (!this.core.stopped) reject(`not placed: ${(err as Error).message}`);
        return;
      }
      const built = addOrderParams(t.order, pair);
      if (!built.ok) return reject(built.reason);
      let doubtful = false;
      await place<unknown>(this.core, t, {
        attempts: this.opts.placeAttempts,
        send: () => this.http.once('AddOrder', built.params),
        failed: (err) => {
          const e = err instanceof VenueError ? err : new VenueError(String(err), 'network');
          if (e.kind === 'stopped') return 'stop';
          if (e.notProcessed) {
            log('warn', `kraken: order not taken (${e.message}); sending it again`, { clientOrderId: id });
            return 'resend';
          }
          if (!e.ambiguous && e.kind !== 'duplicate') {
            // nothing was placed: Kraken refused it, the key was refused, or the breaker is open
            reject(e.kind === 'rejected' && e.venueErrors.length > 0 ? e.venueReason : `not placed: ${e.message}`);
            return 'stop';
          }
          doubtful = true;
          log('warn', `kraken: placement outcome unknown (${e.message}); looking the order up by cl_ord_id before anything else`, { clientOrderId: id });
          return 'doubt';
        },
        resolve: async () => {
          const found = await this.lookUpAfterDoubt(t);
          if (found === 'stopped' || found === 'acked' || t.done) return true; // 'acked': the stream saw it meanwhile and drives the rest
          if (found) {
            log('info', 'kraken: the order is at the venue; reporting what it says', { clientOrderId: id, venueOrderId: found.orderId });
            this.ack(t, found.orderId);
            this.requestSync(t);
            return true;
          }
          log('warn', `kraken: the venue has no order ${id}; sending it again with the same cl_ord_id`, { clientOrderId: id });
          return false;
        },
        answered: async (answer) => {
          const parsed = AddOrderResult.safeParse(answer);
          if (!parsed.success) {
            log('error', 'kraken: AddOrder answer not understood; looking the order up', { clientOrderId: id });
            const found = await this.lookUpAfterDoubt(t);
            if (found && found !== 'stopped' && found !== 'acked') {
              this.ack(t, found.orderId);
              this.requestSync(t);
            }
            return;
          }
          this.ack(t, parsed.data.txid[0]!);
          if (!this.stream.isLive) this.requestSync(t);
        },
        exhausted: () => {
          if (doubtful) this.ghosts.add(t.venueCid);
          reject(`not placed after ${this.opts.placeAttempts} attempts (rate limited or no answer; the venue has no such order)`);
        },
      });
    } finally {
      t.placing = false;
    }
  }

  private lookUpAfterDoubt(t: Tracked): Promise<VenueView | null | 'acked' | 'stopped'> {
    return lookUpAfterDoubt(this.core, t, {
      delayMs: this.opts.lookupDelayMs, confirmations: this.opts.lookupConfirmations, backoffMaxMs: this.resilience.backoffMaxMs,
      find: () => this.findByClientId(t),
      isStopError: isStopped,
      failed: (err) => this.core.log('warn', `kraken: looking the order up failed (${(err as Error).message}); trying again`, { clientOrderId: t.order.id }),
    });
  }

  /** The order with our cl_ord_id: among the open orders, then the closed ones since shortly before it was made. */
  private async findByClientId(t: Tracked): Promise<VenueView | null> {
    const open = OpenOrdersResult.parse(await this.http.call('OpenOrders', { cl_ord_id: t.venueCid }));
    const hit = Object.entries(open.open).find(([, o]) => o.cl_ord_id == null || o.cl_ord_id === t.venueCid);
    if (hit) return this.view(hit[0], hit[1], t.order.precision);
    const start = Math.floor((t.order.createdAt - this.opts.lookupWindowMs) / 1000);
    const closed = ClosedOrdersResult.parse(await this.http.call('ClosedOrders', { cl_ord_id: t.venueCid, start }));
    const all = Object.entries(closed.closed).filter(([, o]) => o.cl_ord_id == null || o.cl_ord_id === t.venueCid);
    all.sort(([, a], [, b]) => (b.opentm ?? 0) - (a.opentm ?? 0));
    return all[0] ? this.view(all[0][0], all[0][1], t.order.precision) : null;
  }

  // ---- cancel ---------------------------------------------------------------------------------

  private async sendCancel(t: Tracked): Promise<void> {
    if (t.cancelSent || t.done || !t.venueOrderId) return;
    t.cancelSent = true;
    const txid = t.venueOrderId;
    try {
      CancelOrderResult.parse(await this.http.call('CancelOrder', { txid }));
    } catch (err) {
      if (isStopped(err)) return;
      if (err instanceof VenueError && err.kind === 'not-found') {
        this.core.log('info', `kraken: cancel refused (${err.venueReason}); reporting the order as it is`, { clientOrderId: t.order.id, venueOrderId: txid });
      } else {
        t.cancelSent = false;
        this.core.log('error', `kraken: cancel not confirmed: ${(err as Error).message}`, { clientOrderId: t.order.id, venueOrderId: txid });
      }
    }
    t.sync.settled();
    this.requestSync(t);
  }

  // ---- state from the stream ------------------------------------------------------------------

  private onSnapshot(reports: ExecReport[]): void {
    this.core.log('info', 'kraken executions stream live; reconciling open orders');
    const open: VenueView[] = [];
    const trades: ExecReport[] = [];
    for (const r of reports) {
      if (r.exec_type === 'trade') trades.push(r);
      else open.push({ orderId: r.order_id, clOrdId: r.cl_ord_id ?? null, execLots: NaN });
    }
    trades.sort((a, b) => Date.parse(a.timestamp ?? '') - Date.parse(b.timestamp ?? '') || (a.trade_id ?? 0) - (b.trade_id ?? 0));
    for (const r of trades) {
      const t = this.trackedFor(r);
      // a restored order's fills before the restart may be among them: REST sorts that out
      if (t && !t.done && (t.baselineLots === 0 || t.fillsSynced)) this.onFill(t, r);
    }
    for (const r of reports) {
      if (r.exec_type === 'trade') continue;
      const v = open.find((o) => o.orderId === r.order_id)!;
      const t = this.trackedFor(r);
      v.execLots = r.cum_qty === undefined || !t ? NaN : this.lots(r.cum_qty, t.order.precision);
    }
    this.reconciler.request('stream (re)subscribed', open);
  }

  private onExec(r: ExecReport): void {
    const t = this.trackedFor(r);
    if (!t) {
      if (r.cl_ord_id && this.ghosts.has(r.cl_ord_id) && !['canceled', 'expired', 'filled'].includes(r.exec_type)) this.cancelGhost(r.cl_ord_id);
      return;
    }
    if (t.done) return;
    switch (r.exec_type) {
      case 'trade':
        this.onFill(t, r);
        return;
      case 'filled':
        this.ack(t, r.order_id);
        if (t.reportedLots >= t.order.lots) this.core.untrack(t);
        else this.requestSync(t);
        return;
      case 'canceled':
      case 'expired': {
        this.ack(t, r.order_id);
        const cum = r.cum_qty === undefined ? NaN : this.lots(r.cum_qty, t.order.precision);
        const settled = cum === t.reportedLots && (t.baselineLots === 0 || t.fillsSynced);
        if (!settled) return this.requestSync(t); // fills may be missing: REST first, then the end
        const reason = r.reason || r.cancel_reason || '';
        if (r.exec_type === 'expired') this.core.finish(t, { type: 'expired', clientOrderId: t.order.id, reason: reason || 'expired at the venue', at: this.ctx.now() });
        else this.core.finish(t, { type: 'cancelled', clientOrderId: t.order.id, reason: this.cancelReason(t, reason), at: this.ctx.now() });
        return;
      }
      default: // pending_new, new, amended, restated, status, iceberg_refill: the venue has it
        this.ack(t, r.order_id);
    }
  }

  /** One fill from the stream: reported once, by exec_id. */
  private onFill(t: Tracked, r: ExecReport): void {
    if (!r.exec_id || r.last_qty === undefined || r.last_price === undefined) return this.requestSync(t);
    if (t.fillIds.has(r.exec_id)) return;
    this.ack(t, r.order_id);
    if (t.baselineLots > 0 && !t.fillsSynced) return this.requestSync(t); // which fills the journal has: REST knows
    const p = t.order.precision;
    const lots = this.lots(r.last_qty, p);
    if (!(lots > 0)) return;
    t.fillIds.add(r.exec_id);
    const n = Math.min(lots, t.order.lots - t.reportedLots);
    if (n <= 0) return;
    t.reportedLots += n;
    const at = Date.parse(r.timestamp ?? '');
    const fee = (r.fees ?? []).reduce((s, f) => s + (Number(f.qty) || 0), 0);
    this.core.emit({
      type: 'fill', clientOrderId: t.order.id, fillId: r.exec_id, priceTicks: this.ticks(r.last_price, p), lots: n, fee,
      liquidity: r.liquidity_ind === 'm' ? 'maker' : 'taker', at: Number.isFinite(at) ? at : this.ctx.now(),
    }, t);
  }

  private trackedFor(r: ExecReport): Tracked | undefined {
    const t = (r.cl_ord_id ? this.byCid.get(r.cl_ord_id) : undefined) ?? this.byVenue.get(r.order_id);
    if (t && !t.venueOrderId && r.order_id) this.setVenueId(t, r.order_id);
    return t;
  }

  private cancelGhost(clOrdId: string): void {
    this.ghosts.delete(clOrdId);
    this.core.log('error', 'kraken: an order reported as not placed turned up at the venue late; cancelling it', { clOrdId });
    void this.http.call('CancelOrder', { cl_ord_id: clOrdId }).catch((err: Error) => this.core.log('error', `kraken: cancelling the late order failed: ${err.message}`, { clOrdId }));
  }

  // ---- reconciliation -------------------------------------------------------------------------

  /**
   * Compares the tracked orders with the venue's open orders (from the stream's snapshot, or
   * listed over REST) and re-reads every one that left the list, filled more than reported, or
   * has not been matched against the venue's history yet.
   */
  private async reconcile(why: string, snapshot: VenueView[] | undefined): Promise<boolean> {
    if (this.core.size === 0) return false;
    let open: VenueView[];
    try {
      open = snapshot ?? (await this.listOpen());
    } catch (err) {
      if (!isStopped(err)) this.core.log('warn', `kraken: reconciliation (${why}) could not list open orders: ${(err as Error).message}`);
      return false;
    }
    const byId = new Map(open.map((o) => [o.orderId, o]));
    const byCid = new Map(open.filter((o) => o.clOrdId).map((o) => [o.clOrdId!, o]));
    for (const cid of this.ghosts) if (byCid.has(cid)) this.cancelGhost(cid);
    for (const t of [...this.core.byClient.values()]) {
      if (t.done) continue;
      const v = (t.venueOrderId && byId.get(t.venueOrderId)) || byCid.get(t.venueCid);
      if (!t.venueOrderId) {
        if (v) {
          this.ack(t, v.orderId);
          this.requestSync(t);
        } else if (!t.placing) {
          this.requestSync(t);
        }
        continue;
      }
      if (!v || !t.acked || !(v.execLots <= t.reportedLots) || (t.baselineLots > 0 && !t.fillsSynced)) this.requestSync(t);
    }
    return true;
  }

  private async listOpen(): Promise<VenueView[]> {
    const res = OpenOrdersResult.parse(await this.http.call('OpenOrders'));
    return Object.entries(res.open).map(([id, o]) => this.view(id, o, this.byVenue.get(id)?.order.precision));
  }

  /** Re-reads one order (coalesced: one read at a time per order, one more if asked meanwhile). */
  private requestSync(t: Tracked): void {
    if (t.done || this.core.stopped) return;
    t.sync.request();
  }

  private async syncOnce(t: Tracked): Promise<void> {
    if (t.done || this.core.stopped) return;
    const ready = await ensureVenueId(this.core, t, {
      hasId: () => !!t.venueOrderId,
      find: () => this.findByClientId(t),
      adopt: (found) => this.setVenueId(t, found.orderId),
      now: () => this.ctx.now(),
    });
    if (!ready) return;
    const txid = t.venueOrderId!;
    let info: OrderInfo | undefined;
    try {
      info = QueryOrdersResult.parse(await this.http.call('QueryOrders', { txid, trades: true }))[txid];
    } catch (err) {
      if (!(err instanceof VenueError && err.kind === 'not-found')) throw err;
    }
    if (!info) {
      this.core.log('warn', 'kraken: the venue does not know this txid; the next reconciliation tries again', { clientOrderId: t.order.id, venueOrderId: txid });
      return;
    }
    if (t.done || this.core.stopped) return;
    this.ack(t, txid);
    const p = t.order.precision;
    const executed = this.lots(info.vol_exec, p);
    if (executed > t.reportedLots || (t.baselineLots > 0 && !t.fillsSynced)) await this.reportFills(t, info);
    if (t.done || this.core.stopped) return;
    if (t.reportedLots < Math.min(executed, t.order.lots)) {
      // the trade history is behind the order: nothing terminal before every fill is out
      t.sync.settleLater(`fills listed for ${t.reportedLots} of ${executed} lots`);
      return;
    }
    const at = this.ctx.now();
    const reason = info.reason ?? '';
    switch (info.status) {
      case 'closed':
        if (t.reportedLots >= t.order.lots) this.core.untrack(t);
        else this.core.finish(t, { type: 'cancelled', clientOrderId: t.order.id, reason: reason || `closed at the venue with ${executed} of ${t.order.lots} lots filled`, at });
        return;
      case 'canceled':
        this.core.finish(t, { type: 'cancelled', clientOrderId: t.order.id, reason: this.cancelReason(t, reason), at });
        return;
      case 'expired':
        this.core.finish(t, { type: 'expired', clientOrderId: t.order.id, reason: reason || 'expired at the venue', at });
        return;
      default: // pending, open
        if (t.cancelSent) t.sync.settleLater(`cancel sent, order still ${info.status}`);
        else t.sync.settled();
    }
  }

  /**
   * The order's fills from the trade history, oldest first: each reported once (by trade id), and
   * for a restored order only those beyond the lots the journal already has.
   */
  private async reportFills(t: Tracked, info: OrderInfo): Promise<void> {
    const txid = t.venueOrderId!;
    const start = Math.floor((info.opentm ?? t.order.createdAt / 1000) - 1);
    const fills: Array<[string, TradeInfo]> = [];
    for (let ofs = 0, page = 0; page < 20; page++) {
      const res = TradesHistoryResult.parse(await this.http.call('TradesHistory', { start, ofs }));
      const entries = Object.entries(res.trades);
      fills.push(...entries.filter(([, f]) => f.ordertxid === txid));
      ofs += entries.length;
      if (entries.length === 0 || ofs >= res.count) break;
    }
    if (t.done || this.core.stopped) return;
    fills.sort(([ia, a], [ib, b]) => a.time - b.time || (a.trade_id ?? 0) - (b.trade_id ?? 0) || (ia < ib ? -1 : ia > ib ? 1 : 0));
    const p = t.order.precision;
    for (const { id, lots, fill: f } of newFills(t, fills.map(([id, f]) => ({ id, lots: this.lots(f.vol, p), fill: f })))) {
      this.core.emit({
        type: 'fill', clientOrderId: t.order.id, fillId: id, priceTicks: this.ticks(f.price, p), lots,
        fee: Number(f.fee) || 0, liquidity: f.maker ? 'maker' : 'taker', at: Math.round(f.time * 1000),
      }, t);
    }
    t.fillsSynced = true;
  }

  // ---- bookkeeping ----------------------------------------------------------------------------

  private track(order: Order, baselineLots: number, acked: boolean, venueOrderId: string | null): Tracked {
    const t = {
      ...trackedBase(order, baselineLots, acked), venueCid: venueClientId(order.id), venueOrderId: null, fillIds: new Set(),
      fillsSynced: baselineLots === 0, lastAt: order.updatedAt,
    } as Omit<Tracked, 'sync'> as Tracked;
    t.sync = orderSync(this.core, t, { read: () => this.syncOnce(t), retries: this.opts.settleRetries, retryMs: this.opts.settleRetryMs, isStopError: isStopped });
    this.core.add(t);
    this.byCid.set(t.venueCid, t);
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
    if (t.done) return;
    if (!t.venueOrderId) this.setVenueId(t, venueOrderId);
    this.core.acknowledge(t, t.venueOrderId ?? venueOrderId);
  }

  private cancelReason(t: Tracked, venueReason: string): string {
    return t.cancelWanted ? 'cancelled by request' : venueReason || 'cancelled at the venue';
  }

  private view(orderId: string, o: OrderInfo, p: Precision | undefined): VenueView {
    return { orderId, clOrdId: o.cl_ord_id ?? null, execLots: p ? this.lots(o.vol_exec, p) : NaN };
  }

  /** A venue quantity (decimal string or JSON number) in lots; off-grid sizes are rounded to the grid. */
  private lots(v: string | number, p: Precision): number {
    const units = toUnits(v, 10 ** p.sizeDecimals);
    if (Number.isFinite(units) && units % p.lotUnits === 0) return units / p.lotUnits;
    return roundLots(v, p);
  }

  private ticks(v: string | number, p: Precision): number {
    const units = toUnits(v, 10 ** p.priceDecimals);
    if (Number.isFinite(units) && units % p.tickUnits === 0) return units / p.tickUnits;
    return roundTicks(v, p);
  }
}

/**
 * The private WebSocket: ws-auth.kraken.com beside Kraken's public ws.kraken.com (and the beta
 * pair likewise); any other wsUrl (a local mock, a proxy) serves both.
 */
export function privateWsUrl(ctx: LiveAdapterContext): string {
  const explicit = setting(ctx, 'authWsUrl');
  if (explicit) return explicit;
  const url = new URL(setting(ctx, 'wsUrl') ?? 'wss://ws.kraken.com/v2');
  if (url.hostname === 'ws.kraken.com' || url.hostname === 'beta-ws.kraken.com') url.hostname = url.hostname.replace('ws.', 'ws-auth.');
  return url.toString();
}

const isStopped = (err: unknown) => err instanceof VenueError && err.kind === 'stopped';

export const createKrakenExecution: LiveAdapterFactory = (ctx) => new KrakenExecution(ctx);
