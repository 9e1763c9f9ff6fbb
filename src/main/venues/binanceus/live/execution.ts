// Binance.US orders: https://github.com/binance-us/binance-us-api-docs/blob/master/rest-api.md#account-endpoints
// (user data stream: ./user-stream.ts; signing: ./sign.ts; REST, limits and errors: ./http.ts)
/**
 * Live execution on Binance.US.
 *
 * - Place: POST /api/v3/order with our client order id (`newClientOrderId`) and the FULL answer,
 *   one attempt. An answer is final: the ack (venue order id), the fills it already made (by trade
 *   id) and, for IOC/FOK/market, the expiry of the rest; or a refusal, reported as rejected with
 *   the venue's reason. A timeout, a cut connection, a 5xx or -1006/-1007 is not final: the order
 *   may or may not exist, so the adapter asks GET /api/v3/order by `origClientOrderId` and reports
 *   what the venue says. Only after the venue has said "no such order" twice, the second time
 *   after the request's timestamp + recvWindow had passed on the venue's clock (from then on the
 *   venue refuses that request, so it can no longer turn up), is the order sent again with the
 *   same client order id. Binance refuses a client id already in use by an open order ("Duplicate
 *   order sent."), but would accept it again once that order has filled: hence never a blind
 *   resend. 429/418 and -1021 were not processed; the next send waits for Retry-After, or goes with
 *   a corrected timestamp.
 * - State: `executionReport` events on the user data stream: NEW → ack, TRADE → fill (deduplicated
 *   by trade id; a trade whose cumulative quantity shows an earlier one missing triggers a re-read
 *   instead, so fills are reported in trade order), CANCELED / EXPIRED / REJECTED → final state,
 *   once every fill is out. On every (re)connect and on a timer while the stream is down, the
 *   open orders are listed per symbol; every tracked order that left the list or filled more is
 *   re-read (GET /api/v3/order) and its missing fills fetched with GET /api/v3/myTrades from the
 *   last trade id known for it: fills made while disconnected are reported exactly once.
 * - Cancel: DELETE /api/v3/order by `origClientOrderId`; the answer (or, for "Unknown order sent.",
 *   a re-read) says what is true: cancelled, or filled meanwhile.
 * - Restore (after a restart): the order is re-read by client order id; its trades beyond the
 *   lots the journal already holds are reported, then its state. An order the journal has as
 *   pending (sent, never acknowledged) that the venue does not have is expired, not re-sent, once
 *   its request can no longer arrive (created + recvWindow).
 *
 * Fees are reported in the quote currency: a commission in the quote asset as is, one in the base
 * asset at the fill price; one in a third asset (BNB) cannot be valued here and is reported as 0
 * with a warning. Credentials are used only to sign; no log line, error or report carries them.
 */
import type { LiveExecutionOptions, SettleOptions } from '../../../trading/live/adapter-context';
import { priceToNumber, type Precision } from '../../../../shared/instruments';
import type { PriceTicks } from '../../../../shared/units';
import type { ResilienceSettings } from '../../../collectors/connection';
import type { LiveAdapterContext, LiveAdapterFactory } from '../../../trading/live';
import { resilienceOf, roundLots, roundTicks, setting, sleep } from '../../../trading/live/adapter-context';
import { LiveCore, LiveVenue, orderSync, place, trackedBase, type TrackedBase } from '../../../trading/live/live-base';
import type { OrderSync } from '../../../trading/live/order-sync';
import { Reconciler } from '../../../trading/live/reconciler';
import type { Order } from '../../../trading/order';
import { parseUnits } from '../messages';
import { mapExchangeInfo, type BinanceSymbol } from '../symbols';
import { BinanceUsHttp, VenueError } from './http';
import {
  CancelAnswer, FINAL_STATUSES, MyTrade, TickerPrice, VenueOrder, type ExecutionEvent, type ResponseFill,
} from './messages';
import { orderParams, stopType, type StopType } from './order-params';
import { UserStream } from './user-stream';

const ORDER = '/api/v3/order';
const OPEN_ORDERS = '/api/v3/openOrders';
const MY_TRADES = '/api/v3/myTrades';
const TRADES_PAGE = 1000;

export interface BinanceUsExecutionOptions extends LiveExecutionOptions, SettleOptions {
  /** recvWindow of signed requests (docs: 5000 or less recommended, at most 60000) */
  recvWindowMs: number;
  /** PUT /api/v3/userDataStream interval (docs: about every 30 minutes; a key lives 60) */
  keepaliveMs: number;
  /** gate after a 429 without Retry-After */
  defaultRetryAfterMs: number;
}

export const DEFAULT_OPTIONS: BinanceUsExecutionOptions = {
  timeoutMs: 10_000,
  readAttempts: 4,
  placeAttempts: 3,
  recvWindowMs: 5_000,
  lookupDelayMs: 500,
  // the last of them only after timestamp + recvWindow: then Binance would refuse the lost request
  lookupConfirmations: 2,
  pollIntervalMs: 2_000,
  safetyPollMs: 30_000,
  settleRetryMs: 500,
  settleRetries: 10,
  keepaliveMs: 30 * 60_000,
  defaultRetryAfterMs: 1_000,
};

interface Tracked extends TrackedBase {
  sym: BinanceSymbol | null;
  venueOrderId: number | null;
  /** true until the order's trades have been matched against the baseline once */
  baselinePending: boolean;
  tradeIds: Set<number>;
  /** every trade of this order up to this id is known (reported or in the baseline) */
  lastTradeId: number;
  lastAt: number;
  sync: OrderSync;
}

interface Trade {
  id: number;
  price: string;
  qty: string;
  commission: string | null | undefined;
  commissionAsset: string | null | undefined;
  maker: boolean;
  at: number;
}

export class BinanceUsExecution extends LiveVenue<Tracked> {
  private readonly http: BinanceUsHttp;
  private readonly stream: UserStream;
  protected readonly core: LiveCore<Tracked>;
  private readonly byVenue = new Map<string, Tracked>();
  private readonly opts: BinanceUsExecutionOptions;
  private readonly resilience: ResilienceSettings;
  private readonly reconciler: Reconciler;
  private symbols: Promise<Map<string, BinanceSymbol>> | null = null;
  private readonly unvaluedFees = new Set<string>();

  constructor(private readonly ctx: LiveAdapterContext, options: Partial<BinanceUsExecutionOptions> = {}) {
    super();
    this.opts = { ...DEFAULT_OPTIONS, ...options };
    const restUrl = setting(ctx, 'restUrl') ?? 'https://api.binance.us';
    const wsUrl = setting(ctx, 'wsUrl') ?? 'wss://stream.binance.us:9443';
    const res = resilienceOf(ctx);
    // a quiet account sends nothing: pings are what keep the stream's watchdog fed
    if (!(res.pingIntervalMs! > 0) || res.pingIntervalMs! >= res.heartbeatTimeoutMs) res.pingIntervalMs = Math.max(1, Math.floor(res.heartbeatTimeoutMs / 3));
    this.resilience = res;
    this.core = new LiveCore<Tracked>({
      ctx, venue: 'binanceus',
      adopt: (order) => this.adopt(order),
      forget: (t) => {
        t.sync.clear();
        if (t.sym && t.venueOrderId !== null) this.byVenue.delete(`${t.sym.venueSymbol}:${t.venueOrderId}`);
      },
      cancelReady: (t) => t.acked,
      sendCancel: (t) => void this.sendCancel(t),
      cancelDeferred: 'cancel requested before the venue acknowledged the order; sent once it has',
    });
    const log = this.core.log;
    this.reconciler = new Reconciler({
      now: ctx.now, stopped: () => this.core.stopped, hasWork: () => this.core.size > 0, isLive: () => this.stream.isLive,
      pollIntervalMs: this.opts.pollIntervalMs, safetyPollMs: this.opts.safetyPollMs, tickMs: Math.min(this.opts.pollIntervalMs, this.opts.safetyPollMs), unref: true,
      run: (why) => this.reconcile(why),
    });
    this.http = new BinanceUsHttp({
      baseUrl: restUrl, apiKey: ctx.credentials.apiKey ?? '', secret: ctx.credentials.secret ?? '', resilience: res,
      timeoutMs: this.opts.timeoutMs, readAttempts: this.opts.readAttempts, recvWindowMs: Math.min(this.opts.recvWindowMs, 60_000), // the venue refuses more
      defaultRetryAfterMs: this.opts.defaultRetryAfterMs, now: ctx.now, log,
    });
    this.stream = new UserStream(this.http, wsUrl, res, this.opts.keepaliveMs, {
      onExecution: (ev) => this.onExecution(ev),
      onLive: () => {
        log('info', 'binanceus user stream live; reconciling open orders over REST');
        this.reconciler.request('stream (re)connected');
      },
      onDown: (reason) => log('warn', `binanceus user stream down (${reason}); polling over REST until it is back`),
      onUnreadable: () => this.reconciler.request('unreadable stream message'),
      log,
    });
    this.stream.start();
    this.reconciler.start();
  }

  submit(order: Order): void {
    if (!this.core.isNew(order)) return;
    const t = this.track(order, 0, false, null);
    t.placing = true;
    void this.place(t);
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
    try {
      let sym: BinanceSymbol;
      let stop: StopType | undefined;
      try {
        sym = await this.symbolOf(t);
        if (t.order.req.type === 'stop-limit') stop = stopType(t.order.req.side, t.order.stopTicks!, await this.lastTicks(sym, t.order.precision));
      } catch (err) {
        if (!isStopped(err)) this.core.finish(t, { type: 'rejected', clientOrderId: id, reason: `not placed: ${reasonOf(err)}`, at: this.ctx.now() });
        return;
      }
      const built = orderParams(t.order, sym.venueSymbol, stop);
      if (!built.ok) {
        this.core.finish(t, { type: 'rejected', clientOrderId: id, reason: built.reason, at: this.ctx.now() });
        return;
      }
      let sentAt = 0;
      const log = this.core.log;
      await place<unknown>(this.core, t, {
        attempts: this.opts.placeAttempts,
        send: () => {
          sentAt = 0;
          return this.http.once('POST', ORDER, { params: built.params, sent: (ts) => (sentAt = ts) });
        },
        failed: async (err, attempt) => {
          const e = err instanceof VenueError ? err : new VenueError(String(err), 'network');
          if (e.kind === 'stopped') return 'stop';
          if (e.kind === 'rate-limited' || e.kind === 'banned') return 'resend'; // not processed; the next send waits for Retry-After
          if (e.kind === 'rejected' && e.code === -2010 && e.venueMsg === 'Duplicate order sent.' && attempt > 1) {
            // our earlier send did make it after all (the id is held by an open order): that one is ours
            log('warn', 'binanceus: the venue already has an open order with this client order id; reporting it', { clientOrderId: id });
            const found = await this.lookUpAfterDoubt(t, 0);
            if (found === null) this.core.finish(t, { type: 'rejected', clientOrderId: id, reason: e.reason, at: this.ctx.now() });
            else await this.adoptFound(t, found);
            return 'stop';
          }
          if (!e.ambiguous) {
            this.core.finish(t, { type: 'rejected', clientOrderId: id, reason: e.kind === 'rejected' ? e.reason : `not placed: ${e.reason}`, at: this.ctx.now() });
            return 'stop';
          }
          log('warn', `binanceus: placement outcome unknown (${e.message}); looking the order up by client order id before anything else`, { clientOrderId: id });
          return 'doubt';
        },
        resolve: async () => {
          const found = await this.lookUpAfterDoubt(t, sentAt);
          if (found === null) {
            log('warn', `binanceus: the venue has no order ${id} and can no longer accept the lost request; sending it again with the same client order id`, { clientOrderId: id });
            return false;
          }
          await this.adoptFound(t, found);
          return true;
        },
        answered: async (answer) => {
          const parsed = VenueOrder.safeParse(answer);
          if (!parsed.success) {
            log('error', 'binanceus: new-order answer not understood; looking the order up', { clientOrderId: id });
            const found = await this.lookUpAfterDoubt(t, sentAt);
            if (found === null) this.core.finish(t, { type: 'rejected', clientOrderId: id, reason: 'the venue answered the order unreadably and has no such order', at: this.ctx.now() });
            else await this.adoptFound(t, found);
            return;
          }
          await this.applyOrder(t, parsed.data);
        },
        exhausted: () => this.core.finish(t, { type: 'rejected', clientOrderId: id, reason: `not placed after ${this.opts.placeAttempts} attempts (rate limited or no answer; the venue has no such order)`, at: this.ctx.now() }),
      });
    } finally {
      t.placing = false;
    }
  }

  /** After a lookup: the order the venue has (reported in full), or the stream got there first. */
  private async adoptFound(t: Tracked, found: VenueOrder | null | 'acked' | 'stopped'): Promise<void> {
    if (found === 'stopped' || found === null || t.done) return;
    if (found === 'acked') {
      this.requestSync(t); // the stream reported it; one re-read makes sure no fill from before is missed
      return;
    }
    this.core.log('info', `binanceus: the order is at the venue (${found.status}); reporting what it says`, { clientOrderId: t.order.id, venueOrderId: found.orderId });
    await this.applyOrder(t, found);
  }

  /**
   * After a placement without a clear answer: the venue's order with our client id; null once the
   * venue has said "no such order" `lookupConfirmations` times, the last one after the request's
   * timestamp + recvWindow (venue clock); 'acked' when the stream reported it meanwhile. Lookups
   * that fail are repeated with backoff for as long as it takes: the truth is what matters.
   */
  private async lookUpAfterDoubt(t: Tracked, sentAt: number): Promise<VenueOrder | null | 'acked' | 'stopped'> {
    const deadAfter = sentAt + this.opts.recvWindowMs;
    let absent = 0;
    let delay = this.opts.lookupDelayMs;
    let failDelay = this.resilience.backoffInitialMs;
    while (!this.core.stopped) {
      await sleep(delay);
      if (this.core.stopped) break;
      if (t.acked) return 'acked';
      const checkedAt = this.http.serverNow();
      try {
        return VenueOrder.parse(await this.http.read('GET', ORDER, { params: [['symbol', t.sym!.venueSymbol], ['origClientOrderId', t.order.id]] }));
      } catch (err) {
        if (isStopped(err)) break;
        if (err instanceof VenueError && err.kind === 'not-found' && err.code !== -2026) {
          if (t.acked) return 'acked';
          if (++absent >= this.opts.lookupConfirmations && checkedAt > deadAfter) return null;
          delay = Math.max(this.opts.lookupDelayMs, deadAfter - this.http.serverNow() + this.opts.lookupDelayMs);
          continue;
        }
        this.core.log('warn', `binanceus: looking the order up failed (${(err as Error).message}); trying again`, { clientOrderId: t.order.id });
        delay = failDelay;
        failDelay = Math.min(failDelay * 2, this.resilience.backoffMaxMs);
      }
    }
    return 'stopped';
  }

  // ---- cancel ---------------------------------------------------------------------------------

  private async sendCancel(t: Tracked): Promise<void> {
    if (t.cancelSent || t.done) return;
    t.cancelSent = true;
    try {
      const sym = await this.symbolOf(t);
      const answer = CancelAnswer.parse(await this.http.read('DELETE', ORDER, { params: [['symbol', sym.venueSymbol], ['origClientOrderId', t.order.id]] }));
      if (t.done) return;
      await this.applyOrder(t, { symbol: answer.symbol, orderId: answer.orderId, clientOrderId: answer.origClientOrderId, status: answer.status, executedQty: answer.executedQty });
      return;
    } catch (err) {
      if (isStopped(err)) return;
      if (err instanceof VenueError && err.kind === 'not-found') {
        this.core.log('info', `binanceus: cancel refused (${err.reason}); the order has ended or filled meanwhile; reading it`, { clientOrderId: t.order.id });
      } else {
        t.cancelSent = false;
        this.core.log('error', `binanceus: cancel not confirmed: ${reasonOf(err)}; reading the order`, { clientOrderId: t.order.id });
      }
    }
    t.sync.settled();
    this.requestSync(t);
  }

  // ---- state from the venue -------------------------------------------------------------------

  private onExecution(ev: ExecutionEvent): void {
    const t = (ev.C ? this.core.byClient.get(ev.C) : undefined) ?? this.core.byClient.get(ev.c) ?? this.byVenue.get(`${ev.s}:${ev.i}`);
    if (!t || t.done) return; // not ours (another session, the web UI) or already final
    if (t.sym && t.sym.venueSymbol !== ev.s) return;
    const p = t.order.precision;
    if (ev.X === 'REJECTED') {
      if (!t.acked) this.core.finish(t, { type: 'rejected', clientOrderId: t.order.id, reason: `rejected at the venue${ev.r && ev.r !== 'NONE' ? `: ${ev.r}` : ''}`, at: this.ctx.now() });
      else this.requestSync(t);
      return;
    }
    this.ack(t, ev.i);
    if (ev.x === 'TRADE') {
      if (t.tradeIds.has(ev.t)) return;
      const lastLots = this.lots(ev.l, p);
      const cumulative = this.lots(ev.z, p);
      if (t.baselinePending || cumulative - lastLots !== t.reportedLots) {
        // an earlier fill has not reached us (or a restored order's baseline is unmatched): read the trade list in order
        this.requestSync(t);
        return;
      }
      this.reportTrade(t, { id: ev.t, price: ev.L, qty: ev.l, commission: ev.n, commissionAsset: ev.N, maker: ev.m === true, at: ev.T }, lastLots);
      if (ev.X === 'FILLED' && t.reportedLots >= t.order.lots) this.core.untrack(t);
      return;
    }
    if (FINAL_STATUSES.has(ev.X)) {
      if (this.lots(ev.z, p) > t.reportedLots) this.requestSync(t); // fills first, then the final state
      else this.final(t, ev.X);
    }
  }

  /** Lists the open orders per symbol and re-reads every tracked order that left the list or filled more. */
  private async reconcile(why: string): Promise<void> {
    const bySymbol = new Map<string, Tracked[]>();
    for (const t of this.core.byClient.values()) {
      if (t.done) continue;
      let sym: BinanceSymbol;
      try {
        sym = await this.symbolOf(t);
      } catch {
        continue; // the placement reports it
      }
      const list = bySymbol.get(sym.venueSymbol) ?? [];
      list.push(t);
      bySymbol.set(sym.venueSymbol, list);
    }
    for (const [symbol, tracked] of bySymbol) {
      let open: VenueOrder[];
      try {
        open = VenueOrder.array().parse(await this.http.read('GET', OPEN_ORDERS, { params: [['symbol', symbol]] }));
      } catch (err) {
        if (!isStopped(err)) this.core.log('warn', `binanceus: reconciliation (${why}) could not list the open orders of ${symbol}: ${reasonOf(err)}`);
        continue;
      }
      const byCid = new Map(open.map((o) => [o.clientOrderId, o]));
      for (const t of tracked) {
        if (t.done) continue;
        const v = byCid.get(t.order.id);
        if (v) {
          this.ack(t, v.orderId);
          if (t.baselinePending || this.lots(v.executedQty, t.order.precision) > t.reportedLots) this.requestSync(t);
        } else if (!t.placing) {
          this.requestSync(t);
        }
      }
    }
  }

  /** Re-reads one order (coalesced: one read at a time per order, one more if asked meanwhile). */
  private requestSync(t: Tracked): void {
    if (t.done || this.core.stopped) return;
    t.sync.request();
  }

  private async syncOnce(t: Tracked): Promise<void> {
    if (t.done || this.core.stopped) return;
    const sym = await this.symbolOf(t);
    let vo: VenueOrder;
    try {
      vo = VenueOrder.parse(await this.http.read('GET', ORDER, { params: [['symbol', sym.venueSymbol], ['origClientOrderId', t.order.id]] }));
    } catch (err) {
      if (!(err instanceof VenueError && err.kind === 'not-found') || t.done) throw err;
      if (t.placing) return; // the placement is finding out itself
      if (!t.acked) {
        // restored while pending (the engine stopped between sending and the answer): the request
        // may still be on its way until its timestamp + recvWindow has passed; only then is "no such order" final
        const wait = t.order.createdAt + this.opts.recvWindowMs + this.opts.lookupDelayMs - this.ctx.now();
        if (wait > 0) {
          t.sync.after(wait);
          return;
        }
        this.core.finish(t, { type: 'expired', clientOrderId: t.order.id, reason: 'not at the venue: the engine stopped before the venue acknowledged it; not re-sent', at: this.ctx.now() });
        return;
      }
      if (err.code === -2026) {
        this.core.finish(t, { type: 'cancelled', clientOrderId: t.order.id, reason: 'archived at the venue: cancelled or expired with nothing filled', at: this.ctx.now() });
      } else {
        this.core.finish(t, { type: 'expired', clientOrderId: t.order.id, reason: 'the venue has no order with this client order id', at: this.ctx.now() });
      }
      return;
    }
    await this.applyOrder(t, vo);
  }

  /** What the venue says about an order (new-order answer, query, cancel answer): ack, fills, then its final state. */
  private async applyOrder(t: Tracked, vo: VenueOrder): Promise<void> {
    if (t.done || this.core.stopped) return;
    if (vo.status === 'REJECTED' && !t.acked) {
      this.core.finish(t, { type: 'rejected', clientOrderId: t.order.id, reason: 'rejected at the venue', at: this.ctx.now() });
      return;
    }
    this.ack(t, vo.orderId);
    const p = t.order.precision;
    if (vo.fills?.length && !t.baselinePending) {
      // a FULL answer: the fills made on arrival (taking liquidity), in order
      for (const f of vo.fills) this.reportResponseFill(t, f, vo.transactTime ?? this.ctx.now());
    }
    const executed = this.lots(vo.executedQty, p);
    if (executed > t.reportedLots || t.baselinePending) await this.fetchTrades(t);
    if (t.done || this.core.stopped) return;
    if (t.reportedLots < Math.min(executed, t.order.lots)) {
      // the trade list is behind the order: nothing final before every fill is out
      t.sync.settleLater(`trades listed for ${t.reportedLots} of ${executed} lots`);
      return;
    }
    if (FINAL_STATUSES.has(vo.status)) {
      this.final(t, vo.status);
      return;
    }
    if (t.cancelSent) t.sync.settleLater(`cancel sent, order still ${vo.status}`);
    else t.sync.settled();
  }

  /** The final state, once every fill is out. */
  private final(t: Tracked, status: string): void {
    const id = t.order.id;
    const at = this.ctx.now();
    switch (status) {
      case 'FILLED':
        if (t.reportedLots < t.order.lots) this.core.log('warn', `binanceus: order FILLED with ${t.reportedLots} of ${t.order.lots} lots reported`, { clientOrderId: id });
        this.core.untrack(t);
        return;
      case 'CANCELED':
        this.core.finish(t, { type: 'cancelled', clientOrderId: id, reason: t.cancelWanted ? 'cancelled by request' : 'cancelled at the venue', at });
        return;
      case 'EXPIRED':
        this.core.finish(t, { type: 'expired', clientOrderId: id, reason: expiryReason(t.order), at });
        return;
      case 'EXPIRED_IN_MATCH':
        this.core.finish(t, { type: 'expired', clientOrderId: id, reason: 'expired at the venue by self-trade prevention', at });
        return;
      case 'REJECTED':
        this.core.finish(t, { type: 'cancelled', clientOrderId: id, reason: 'rejected at the venue after it was acknowledged', at });
        return;
    }
  }

  /** GET /api/v3/myTrades for this order, from the last trade id known for it, every page. */
  private async fetchTrades(t: Tracked): Promise<void> {
    const sym = await this.symbolOf(t);
    if (t.venueOrderId === null) return;
    const trades: MyTrade[] = [];
    let fromId = t.baselinePending ? 0 : t.lastTradeId + 1;
    for (let page = 0; page < 50; page++) {
      const got = MyTrade.array().parse(await this.http.read('GET', MY_TRADES, {
        params: [['symbol', sym.venueSymbol], ['orderId', t.venueOrderId], ['fromId', fromId], ['limit', TRADES_PAGE]],
      }));
      trades.push(...got);
      if (got.length < TRADES_PAGE) break;
      fromId = Math.max(...got.map((x) => x.id)) + 1;
    }
    if (t.done || this.core.stopped) return;
    trades.sort((a, b) => a.id - b.id);
    const p = t.order.precision;
    if (t.baselinePending) {
      // a restored order: its first trades, up to the lots the journal holds, were reported before the restart
      t.baselinePending = false;
      let running = 0;
      for (const tr of trades) {
        if (t.tradeIds.has(tr.id)) continue;
        const lots = this.lots(tr.qty, p);
        const before = running;
        running += lots;
        if (running <= t.baselineLots) {
          t.tradeIds.add(tr.id);
          t.lastTradeId = Math.max(t.lastTradeId, tr.id);
          continue;
        }
        this.reportTrade(t, toTrade(tr), before < t.baselineLots ? running - t.baselineLots : lots);
      }
      return;
    }
    for (const tr of trades) this.reportTrade(t, toTrade(tr), this.lots(tr.qty, p));
  }

  private reportResponseFill(t: Tracked, f: ResponseFill, at: number): void {
    this.reportTrade(t, { id: f.tradeId, price: f.price, qty: f.qty, commission: f.commission, commissionAsset: f.commissionAsset, maker: false, at }, this.lots(f.qty, t.order.precision));
  }

  /** Reports one trade of the order, once (by trade id), never beyond the order's quantity. */
  private reportTrade(t: Tracked, tr: Trade, lots: number): void {
    if (t.done || t.tradeIds.has(tr.id)) return;
    t.tradeIds.add(tr.id);
    t.lastTradeId = Math.max(t.lastTradeId, tr.id);
    const n = Math.min(lots, t.order.lots - t.reportedLots);
    if (n <= 0) {
      if (lots > 0) this.core.log('warn', `binanceus: trade ${tr.id} beyond the order's quantity; not reported`, { clientOrderId: t.order.id });
      return;
    }
    t.reportedLots += n;
    const p = t.order.precision;
    const priceTicks = this.ticks(tr.price, p);
    const at = Math.max(Number.isFinite(tr.at) ? tr.at : this.ctx.now(), t.lastAt);
    this.core.emit({
      type: 'fill', clientOrderId: t.order.id, fillId: `${t.sym?.venueSymbol ?? t.order.req.symbol}-${tr.id}`, priceTicks, lots: n,
      fee: this.fee(t, tr, priceTicks), liquidity: tr.maker ? 'maker' : 'taker', at,
    }, t);
  }

  /** The commission in the quote currency (see the top of this file). */
  private fee(t: Tracked, tr: Trade, priceTicks: number): number {
    const amount = Number(tr.commission ?? 0);
    if (!(amount > 0)) return 0;
    const [base, quote] = t.order.req.symbol.split('-');
    if (!tr.commissionAsset || tr.commissionAsset === quote) return amount;
    if (tr.commissionAsset === base) return amount * priceToNumber(priceTicks as PriceTicks, t.order.precision);
    if (!this.unvaluedFees.has(tr.commissionAsset)) {
      this.unvaluedFees.add(tr.commissionAsset);
      this.core.log('warn', `binanceus: commission paid in ${tr.commissionAsset} cannot be valued in ${quote}; such fills are reported with fee 0`, { clientOrderId: t.order.id });
    }
    return 0;
  }

  // ---- symbols and prices ---------------------------------------------------------------------

  /** The venue's symbol for the order (from exchangeInfo, loaded once). */
  private async symbolOf(t: Tracked): Promise<BinanceSymbol> {
    if (t.sym) return t.sym;
    this.symbols ??= this.http.read('GET', '/api/v3/exchangeInfo', { auth: 'none' }).then((json) => mapExchangeInfo(json).byCanonical);
    let map: Map<string, BinanceSymbol>;
    try {
      map = await this.symbols;
    } catch (err) {
      this.symbols = null; // the next order asks again
      throw new VenueError(`could not load Binance.US symbols (${reasonOf(err)})`, isStopped(err) ? 'stopped' : 'network');
    }
    const sym = map.get(t.order.req.symbol);
    if (!sym) throw new VenueError(`${t.order.req.symbol} is not listed by Binance.US`, 'rejected');
    if (sym.status !== 'TRADING') throw new VenueError(`${t.order.req.symbol} is not trading on Binance.US (status ${sym.status})`, 'rejected');
    t.sym = sym;
    this.index(t);
    return sym;
  }

  /** The last traded price in ticks (GET /api/v3/ticker/price), to choose a stop order's type. */
  private async lastTicks(sym: BinanceSymbol, p: Precision): Promise<number> {
    const last = TickerPrice.parse(await this.http.read('GET', '/api/v3/ticker/price', { auth: 'none', params: [['symbol', sym.venueSymbol]] }));
    const ticks = this.ticks(last.price, p);
    if (!Number.isFinite(ticks) || ticks <= 0) throw new VenueError(`no last price for ${sym.venueSymbol} to choose the stop order type`, 'bad-answer');
    return ticks;
  }

  // ---- bookkeeping ----------------------------------------------------------------------------

  private track(order: Order, baselineLots: number, acked: boolean, venueOrderId: number | null): Tracked {
    const t = {
      ...trackedBase(order, baselineLots, acked), sym: null, venueOrderId: null, baselinePending: baselineLots > 0,
      tradeIds: new Set(), lastTradeId: -1, lastAt: order.updatedAt,
    } as Omit<Tracked, 'sync'> as Tracked;
    t.sync = orderSync(this.core, t, { read: () => this.syncOnce(t), retries: this.opts.settleRetries, retryMs: this.opts.settleRetryMs, isStopError: isStopped, describe: reasonOf });
    this.core.add(t);
    if (venueOrderId !== null) this.setVenueId(t, venueOrderId);
    return t;
  }

  /** An order this process did not place (restored from the journal): re-read it. */
  private adopt(order: Order): Tracked {
    const vid = order.venueOrderId !== null && /^\d+$/.test(order.venueOrderId) ? Number(order.venueOrderId) : null;
    const t = this.track(order, order.filledLots, order.state !== 'pending', vid);
    this.requestSync(t);
    return t;
  }

  private setVenueId(t: Tracked, id: number): void {
    t.venueOrderId = id;
    this.index(t);
  }

  /** Venue order ids are per symbol: indexed once both are known. */
  private index(t: Tracked): void {
    if (t.sym && t.venueOrderId !== null && !t.done) this.byVenue.set(`${t.sym.venueSymbol}:${t.venueOrderId}`, t);
  }

  private ack(t: Tracked, venueOrderId: number): void {
    if (t.venueOrderId !== venueOrderId) this.setVenueId(t, venueOrderId);
    this.core.acknowledge(t, String(venueOrderId));
  }

  /** A venue quantity in lots; one off the lot grid is rounded to it (the venue's grid is the symbol's). */
  private lots(qty: string, p: Precision): number {
    const n = parseUnits(qty, p.sizeDecimals, p.lotUnits);
    if (n >= 0) return n;
    return roundLots(qty, p);
  }

  private ticks(price: string, p: Precision): number {
    const n = parseUnits(price, p.priceDecimals, p.tickUnits);
    if (n >= 0) return n;
    return roundTicks(price, p);
  }
}

function toTrade(tr: MyTrade): Trade {
  return { id: tr.id, price: tr.price, qty: tr.qty, commission: tr.commission, commissionAsset: tr.commissionAsset, maker: tr.isMaker, at: tr.time };
}

function expiryReason(o: Order): string {
  if (o.req.type === 'market') return 'market order: the rest expired at the venue (not enough liquidity)';
  if (o.req.tif === 'IOC') return 'immediate-or-cancel: the rest expired at the venue';
  if (o.req.tif === 'FOK') return 'fill-or-kill: could not fill whole; expired at the venue';
  return 'expired at the venue';
}

function reasonOf(err: unknown): string {
  return err instanceof VenueError ? err.reason : (err as Error)?.message ?? String(err);
}

function isStopped(err: unknown): boolean {
  return err instanceof VenueError && err.kind === 'stopped';
}

export const createBinanceUsExecution: LiveAdapterFactory = (ctx) => new BinanceUsExecution(ctx);
