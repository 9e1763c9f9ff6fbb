// OANDA v20 orders: https://developer.oanda.com/rest-live-v20/order-ep/ ; transactions (sinceid,
// stream): https://developer.oanda.com/rest-live-v20/transaction-ep/ ; order specifiers: "Either the
// Order's OANDA-assigned OrderID or the Order's client-provided ClientID prefixed by the "@" symbol"
/**
 * Live execution on OANDA v20.
 *
 * Everything that happens to an order at OANDA is a transaction in the account's log, with ids
 * that only grow: the create (LIMIT_ORDER, MARKET_ORDER, STOP_ORDER → ack), each ORDER_FILL
 * (→ fill, its id the fill id), ORDER_CANCEL (→ cancelled, or expired for TIME_IN_FORCE_EXPIRED)
 * and *_ORDER_REJECT (→ rejected). The adapter applies that log in id order, from the stream or,
 * for whatever the stream did not bring, from GET /transactions/sinceid. A cursor holds the last
 * id applied: a stream line past the cursor + 1, a heartbeat naming a later id, or a REST answer
 * naming a later `lastTransactionID` makes it fetch the gap before going on. So fills made while
 * the stream was down are reported once each, and always before the cancel that followed them
 * (the cursor, gaps and replays: ./transaction-log.ts).
 *
 * - Place: POST /orders once, the client order id in clientExtensions. A 201 carries the whole
 *   story of the new order so far (create, immediate fill, immediate cancel) and is applied at
 *   once; a 400/404 carries the reject transaction and its reason. A timeout, dropped connection
 *   or 5xx is not an answer: the adapter asks GET /orders/@{clientOrderId} and reports what is
 *   there. Only after OANDA has said "no such order" `lookupConfirmations` times is it sent again,
 *   with the same client id (OANDA refuses a second order with it: CLIENT_ORDER_ID_ALREADY_EXISTS,
 *   which is answered by looking the order up, not as a reject). A 429 was not processed: it is
 *   sent again once the Retry-After has passed.
 * - Cancel: PUT /orders/@{clientOrderId}/cancel; the cancel is reported from the log, after any
 *   fill that came before it.
 * - Restore / an order found after a doubt: the order is replayed from its creation (its id is
 *   the id of the transaction that created it); for a restored order the fills the journal already
 *   holds (its filled lots) are not reported again.
 * - Safety net: on every stream (re)connect, every `pollIntervalMs` while the stream is down and
 *   every `safetyPollMs` while it is up, GET /pendingOrders; the log is caught up to its
 *   `lastTransactionID`, and a tracked order that is no longer pending but still open here is
 *   looked up by client id and replayed.
 *
 * The token only ever goes into request headers; every log line and reason is redacted.
 */
import type { LiveExecutionOptions } from '../../../trading/live/adapter-context';
import { parsePrice, parseQty, type Precision } from '../../../../shared/instruments';
import type { ResilienceSettings } from '../../../collectors/connection';
import type { LiveAdapterContext, LiveAdapterFactory } from '../../../trading/live';
import { resilienceOf, roundLots, roundTicks, setting, sleepUnless, type LiveLogLevel } from '../../../trading/live/adapter-context';
import { LiveCore, LiveVenue, trackedBase, type TrackedBase } from '../../../trading/live/live-base';
import { Reconciler } from '../../../trading/live/reconciler';
import type { Order } from '../../../trading/order';
import { rfc3339Micros } from '../messages';
import { MAX_LINE_BYTES } from '../settings';
import { OandaHttp, VenueError, errorSummary } from './http';
import {
  CancelOrderResponse, CreateOrderResponse, GetOrderResponse, ORDER_CREATE_TYPES, PendingOrdersResponse, TransactionsResponse,
  absUnits, clientIdOf, fillLegs, isOrderReject, type Transaction, type VenueOrder,
} from './messages';
import { orderBody, type OandaOrderRequest } from './order-body';
import { loadOandaAuth, oandaHeaders, redactor } from './sign';
import { TransactionLog, byId, type ReplaySet } from './transaction-log';
import { TransactionStream } from './transaction-stream';

export interface OandaExecutionOptions extends LiveExecutionOptions {
  /** 429 answers tolerated while placing one order */
  rateLimitedAttempts: number;
}

export const DEFAULT_OPTIONS: OandaExecutionOptions = {
  timeoutMs: 10_000,
  readAttempts: 4,
  placeAttempts: 3,
  rateLimitedAttempts: 5,
  lookupDelayMs: 1_000,
  lookupConfirmations: 2,
  pollIntervalMs: 2_000,
  safetyPollMs: 30_000,
};

interface Tracked extends TrackedBase {
  /** the order's id at OANDA (= the id of its create transaction) */
  venueOrderId: string | null;
  /** other OANDA order ids that carry this order on (a replacement or reissue) */
  aliases: Set<string>;
  /** lots of every fill seen at OANDA, journaled ones included */
  seenLots: number;
  fillIds: Set<string>;
  /** replay the log after this id before anything else is applied to the order */
  replayFrom: number | null;
  inReplay: boolean;
  /** restored without an OANDA id: nothing is applied to it until it is found */
  hold: boolean;
  resolving: boolean;
}

export class OandaExecution extends LiveVenue<Tracked> {
  private readonly http: OandaHttp;
  private readonly stream: TransactionStream;
  private readonly opts: OandaExecutionOptions;
  private readonly resilience: ResilienceSettings;
  private readonly redact: (text: string) => string;
  private readonly account: string;
  protected readonly core: LiveCore<Tracked>;
  private readonly byVenue = new Map<string, Tracked>();
  private readonly stopping = new AbortController();
  private readonly txlog: TransactionLog;
  private readonly reconciler: Reconciler;

  constructor(private readonly ctx: LiveAdapterContext, options: Partial<OandaExecutionOptions> = {}) {
    super();
    this.opts = { ...DEFAULT_OPTIONS, ...options };
    const auth = loadOandaAuth(ctx.credentials, ctx.settings);
    this.redact = redactor([auth.token]);
    this.account = `/v3/accounts/${encodeURIComponent(auth.accountId)}`;
    const restUrl = setting(ctx, 'restUrl') ?? 'https://api-fxpractice.oanda.com';
    const streamUrl = setting(ctx, 'streamUrl') ?? 'https://stream-fxpractice.oanda.com';
    this.resilience = resilienceOf(ctx, { maxMessageBytes: MAX_LINE_BYTES });
    this.core = new LiveCore<Tracked>({
      ctx, venue: 'oanda', redact: this.redact,
      log: (level, msg, fields) => this.log(level, msg, fields),
      adopt: (order) => this.adopt(order),
      forget: (t) => {
        if (t.venueOrderId) this.byVenue.delete(t.venueOrderId);
        for (const a of t.aliases) this.byVenue.delete(a);
      },
      cancelReady: (t) => t.acked,
      sendCancel: (t) => void this.sendCancel(t),
      cancelDeferred: 'cancel requested before OANDA has the order; sent once it does',
    });
    this.reconciler = new Reconciler({
      now: ctx.now, stopped: () => this.core.stopped, hasWork: () => this.core.size > 0, isLive: () => this.stream.isLive,
      pollIntervalMs: this.opts.pollIntervalMs, safetyPollMs: this.opts.safetyPollMs,
      tickMs: Math.max(10, Math.min(this.opts.pollIntervalMs, this.opts.safetyPollMs) / 2), unref: false,
      run: (why) => this.reconcile(why),
    });
    this.http = new OandaHttp({
      baseUrl: restUrl, token: auth.token, resilience: this.resilience, timeoutMs: this.opts.timeoutMs, readAttempts: this.opts.readAttempts,
      now: ctx.now, redact: this.redact, log: (level, msg) => this.log(level, msg),
    });
    this.txlog = new TransactionLog({
      baseline: async () => Number(PendingOrdersResponse.parse(await this.http.read('GET', `${this.account}/pendingOrders`)).lastTransactionID),
      since: async (id) => {
        const r = TransactionsResponse.parse(await this.http.read('GET', `${this.account}/transactions/sinceid`, { query: { id } }));
        return { transactions: r.transactions, last: Number(r.lastTransactionID) };
      },
      apply: (tx) => this.applyTx(tx),
      replays: () => this.replaySet(),
      failed: (err, attempt) => {
        const e = asVenueError(err);
        if (e.kind === 'stopped') return null;
        if (e.kind === 'auth') {
          this.log('error', `oanda: cannot read the transaction log: ${e.message}; tried again on the next event`);
          return null;
        }
        const delay = Math.min(this.resilience.backoffInitialMs * 2 ** Math.min(attempt - 1, 16), this.resilience.backoffMaxMs);
        this.log('warn', `oanda: catching up on the transaction log failed (${e.message}); trying again in ${delay} ms`);
        return delay;
      },
      log: (level, msg) => this.log(level, msg),
    }, this.opts.timeoutMs * this.opts.readAttempts);
    this.stream = new TransactionStream(`${streamUrl.replace(/\/$/, '')}${this.account}/transactions/stream`, this.resilience, () => oandaHeaders(auth.token), this.redact, {
      onOpen: () => this.reconciler.request('transaction stream connected'),
      onTransaction: (tx) => this.txlog.push(tx),
      onHeartbeat: (last) => {
        if (last !== null) this.txlog.heard(last);
      },
      onBadLine: (why) => {
        this.log('warn', `oanda: unreadable transaction stream line (${why}); reconciling`);
        this.reconciler.request('unreadable stream line');
      },
      onDown: (reason) => {
        if (!this.core.stopped) this.log('warn', `oanda: transaction stream down (${reason}); polling until it is back`);
      },
      onStopped: (reason) => this.log('error', `oanda: transaction stream stopped: ${reason}`),
      log: (level, msg) => this.log(level, msg),
    });
    this.stream.start();
    this.txlog.kick();
    this.reconciler.start();
  }

  submit(order: Order): void {
    if (!this.core.isNew(order)) return; // one client order id, one order
    const built = orderBody(order);
    if (!built.ok) {
      this.core.emit({ type: 'rejected', clientOrderId: order.id, reason: built.reason, at: this.ctx.now() });
      return;
    }
    const t = this.track(order, 0, false, null);
    t.placing = true;
    void this.place(t, built.body);
  }

  protected shutdown(): void {
    this.stopping.abort();
    this.reconciler.stop();
    this.txlog.stop();
    this.http.stop();
    void this.stream.stop();
  }

  // ---- placement ------------------------------------------------------------------------------

  private async place(t: Tracked, body: { order: OandaOrderRequest }): Promise<void> {
    const id = t.order.id;
    let sends = 0;
    let limited = 0;
    try {
      while (!this.core.stopped && !t.done) {
        if (sends >= this.opts.placeAttempts) {
          this.core.finish(t, { type: 'rejected', clientOrderId: id, reason: `not placed after ${sends} sends without a clear answer; OANDA has no order with this client id`, at: this.ctx.now() });
          return;
        }
        sends++;
        let answer: unknown;
        try {
          answer = await this.http.once('POST', `${this.account}/orders`, { body });
        } catch (err) {
          const e = asVenueError(err);
          if (e.kind === 'stopped') return;
          if (e.kind === 'rate-limited') {
            sends--;
            if (++limited > this.opts.rateLimitedAttempts) {
              this.core.finish(t, { type: 'rejected', clientOrderId: id, reason: `not placed: rate limited by OANDA ${limited} times`, at: this.ctx.now() });
              return;
            }
            continue; // not processed; the next send waits for the Retry-After
          }
          if (e.kind === 'rejected' || e.kind === 'not-found') {
            const res = CreateOrderResponse.safeParse(e.body);
            const reject = res.success ? res.data.orderRejectTransaction : undefined;
            if (reject?.rejectReason === 'CLIENT_ORDER_ID_ALREADY_EXISTS') {
              this.log('warn', 'oanda: OANDA already has an order with this client id (an earlier send got through); looking it up', { clientOrderId: id });
              if (await this.resolveDoubt(t, 1)) return;
              this.core.finish(t, { type: 'rejected', clientOrderId: id, reason: 'CLIENT_ORDER_ID_ALREADY_EXISTS', at: this.ctx.now() });
              return;
            }
            this.core.finish(t, { type: 'rejected', clientOrderId: id, reason: this.redact(rejectReason(res.success ? res.data : null, e)), at: this.ctx.now() });
            return;
          }
          if (!e.ambiguous) {
            // nothing was placed: the token was refused or the breaker is open
            this.core.finish(t, { type: 'rejected', clientOrderId: id, reason: `not placed: ${e.message}`, at: this.ctx.now() });
            return;
          }
          this.log('warn', `oanda: placement outcome unknown (${e.message}); looking the order up by client order id before anything else`, { clientOrderId: id });
          if (await this.resolveDoubt(t, this.opts.lookupConfirmations)) return;
          if (this.core.stopped || t.done) return;
          this.log('warn', 'oanda: OANDA has no order with this client id; sending it again with the same client id', { clientOrderId: id });
          continue;
        }
        const res = CreateOrderResponse.safeParse(answer);
        if (!res.success || !res.data.orderCreateTransaction) {
          this.log('error', 'oanda: create-order answer not understood; looking the order up', { clientOrderId: id });
          if (!(await this.resolveDoubt(t, this.opts.lookupConfirmations)) && !t.done && !this.core.stopped) {
            this.core.finish(t, { type: 'rejected', clientOrderId: id, reason: 'OANDA answered the order with something unreadable and has no order with this client id', at: this.ctx.now() });
          }
          return;
        }
        this.applyCreateAnswer(t, res.data);
        return;
      }
    } finally {
      t.placing = false;
    }
  }

  /** A 201: create, and any immediate fill, cancel or reissue, applied in id order. */
  private applyCreateAnswer(t: Tracked, res: CreateOrderResponse): void {
    const create = res.orderCreateTransaction!;
    this.txlog.noteCreated(Number(create.id));
    const txs = [create, res.orderFillTransaction, res.orderCancelTransaction, res.orderReissueTransaction, res.orderReissueRejectTransaction]
      .filter((x): x is Transaction => x !== undefined)
      .sort(byId);
    for (const tx of txs) this.applyTx(tx, t);
    if (!t.acked && !t.done) this.ack(t, create.id);
  }

  /**
   * After a placement without a clear answer: true once the order is known (found at OANDA, or
   * seen on the stream meanwhile), false once OANDA said "no such order" `confirmations` times.
   * Lookups that fail are repeated with backoff for as long as it takes: the truth is what matters.
   */
  private async resolveDoubt(t: Tracked, confirmations: number): Promise<boolean> {
    let absent = 0;
    let delay = this.opts.lookupDelayMs;
    while (!this.core.stopped) {
      await this.sleep(delay);
      if (this.core.stopped) break;
      if (t.acked || t.done) return true;
      try {
        const found = await this.getOrder(t.order.id);
        if (t.acked || t.done) return true;
        if (found) {
          this.log('info', `oanda: the order is at OANDA (${found.order.state}); reporting what it says`, { clientOrderId: t.order.id, venueOrderId: found.order.id });
          this.ack(t, found.order.id);
          this.replay(t, found.order.id);
          return true;
        }
        if (++absent >= confirmations) return false;
      } catch (err) {
        const e = asVenueError(err);
        if (e.kind === 'stopped') break;
        this.log('warn', `oanda: looking the order up failed (${e.message}); trying again`, { clientOrderId: t.order.id });
        delay = Math.min(Math.max(delay, 1) * 2, this.resilience.backoffMaxMs);
      }
    }
    return true;
  }

  private async getOrder(clientOrderId: string): Promise<{ order: VenueOrder; lastTransactionID: string } | null> {
    try {
      return GetOrderResponse.parse(await this.http.read('GET', `${this.account}/orders/@${encodeURIComponent(clientOrderId)}`));
    } catch (err) {
      if (err instanceof VenueError && err.kind === 'not-found') return null;
      throw err;
    }
  }

  // ---- cancel ---------------------------------------------------------------------------------

  private async sendCancel(t: Tracked): Promise<void> {
    if (t.cancelSent || t.done || !t.acked) return;
    t.cancelSent = true;
    try {
      const res = CancelOrderResponse.parse(await this.http.read('PUT', `${this.account}/orders/@${encodeURIComponent(t.order.id)}/cancel`));
      this.catchUpTo(res.lastTransactionID ?? res.orderCancelTransaction?.id);
    } catch (err) {
      const e = asVenueError(err);
      if (e.kind === 'stopped') return;
      if (e.kind === 'not-found') {
        // ORDER_DOESNT_EXIST: it filled or was cancelled already; the log says which
        const res = CancelOrderResponse.safeParse(e.body);
        const why = res.success ? (res.data.orderCancelRejectTransaction?.rejectReason ?? errorSummary(res.data)) : null;
        this.log('info', `oanda: cancel refused (${why ?? e.message}); reporting the order as it is`, { clientOrderId: t.order.id });
        if (res.success && res.data.lastTransactionID) this.catchUpTo(res.data.lastTransactionID);
        else void this.resolve(t);
        return;
      }
      t.cancelSent = false;
      this.log('error', `oanda: cancel not confirmed: ${e.message}; tried again at the next reconciliation`, { clientOrderId: t.order.id });
    }
  }

  // ---- the transaction log --------------------------------------------------------------------

  /** Applies one transaction to the order it concerns (if it is one of ours). Idempotent. */
  private applyTx(tx: Transaction, direct?: Tracked): void {
    const t = direct ?? this.owner(tx);
    if (!t || t.done) return;
    if (!direct && (t.hold || (t.replayFrom !== null && !t.inReplay))) return; // the replay will bring it, in order
    if (ORDER_CREATE_TYPES.has(tx.type)) {
      if (t.venueOrderId && t.venueOrderId !== tx.id) this.alias(t, tx.id);
      this.ack(t, tx.id);
      return;
    }
    if (isOrderReject(tx.type)) {
      // while a send is out, its answer (which carries OANDA's message too) decides
      if (!t.acked && !t.placing) this.core.finish(t, { type: 'rejected', clientOrderId: t.order.id, reason: tx.rejectReason ?? tx.type, at: this.timeOf(tx) });
      return;
    }
    switch (tx.type) {
      case 'ORDER_FILL':
        this.onFill(t, tx);
        return;
      case 'ORDER_CANCEL': {
        if (tx.replacedByOrderID) {
          this.alias(t, tx.replacedByOrderID);
          return;
        }
        if (!t.acked && tx.orderID) this.ack(t, tx.orderID);
        const reason = tx.reason ?? 'no reason given';
        const at = this.timeOf(tx);
        if (reason === 'TIME_IN_FORCE_EXPIRED') this.core.finish(t, { type: 'expired', clientOrderId: t.order.id, reason, at });
        else if (reason === 'CLIENT_REQUEST') this.core.finish(t, { type: 'cancelled', clientOrderId: t.order.id, reason: t.cancelWanted ? 'cancelled by request' : 'cancelled at OANDA by a client request (not from this session)', at });
        else this.core.finish(t, { type: 'cancelled', clientOrderId: t.order.id, reason: `cancelled by OANDA: ${reason}`, at });
        return;
      }
      case 'ORDER_CANCEL_REJECT':
        this.log('info', `oanda: cancel refused (${tx.rejectReason ?? 'no reason given'})`, { clientOrderId: t.order.id });
        return;
    }
  }

  private onFill(t: Tracked, tx: Transaction): void {
    if (t.fillIds.has(tx.id)) return;
    t.fillIds.add(tx.id);
    if (!t.acked) this.ack(t, tx.orderID ?? tx.id);
    const p = t.order.precision;
    const total = tx.units ? this.lots(absUnits(tx.units), p) : NaN;
    if (!(total > 0)) {
      this.log('error', `oanda: fill ${tx.id} without readable units (${tx.units ?? 'none'}); not reported`, { clientOrderId: t.order.id });
      return;
    }
    const groups = priceGroups(fillLegs(tx).map((l) => ({ lots: this.lots(l.units, p), price: l.price })), total, tx);
    if (groups.length === 0) {
      this.log('error', `oanda: fill ${tx.id} without a price; not reported`, { clientOrderId: t.order.id });
      return;
    }
    const before = t.seenLots;
    t.seenLots += total;
    let journaled = Math.max(0, t.baselineLots - before); // lots of this fill the journal already has
    const fee = (Number(tx.commission ?? 0) || 0) + (Number(tx.guaranteedExecutionFee ?? 0) || 0);
    let feeLeft = true;
    const at = this.timeOf(tx);
    groups.forEach((g, k) => {
      const skip = Math.min(journaled, g.lots);
      journaled -= skip;
      const n = Math.min(g.lots - skip, t.order.lots - t.reportedLots);
      if (n <= 0) return;
      t.reportedLots += n;
      this.core.emit({
        type: 'fill', clientOrderId: t.order.id, fillId: groups.length === 1 ? tx.id : `${tx.id}-${k}`, priceTicks: this.ticks(g.price, p), lots: n,
        fee: feeLeft ? fee : 0, liquidity: 'taker', at,
      });
      feeLeft = false;
    });
    if (t.reportedLots >= t.order.lots) this.core.untrack(t); // the desk has it filled
  }

  /** The tracked order a transaction is about, by client id, OANDA order id, or replaced order. */
  private owner(tx: Transaction): Tracked | undefined {
    const cid = clientIdOf(tx);
    const byCid = cid !== undefined ? this.core.byClient.get(cid) : undefined;
    if (byCid) return byCid;
    if (tx.orderID) {
      const t = this.byVenue.get(tx.orderID);
      if (t) return t;
    }
    if (tx.replacesOrderID) return this.byVenue.get(tx.replacesOrderID);
    return ORDER_CREATE_TYPES.has(tx.type) ? this.byVenue.get(tx.id) : undefined;
  }

  /** The log must be applied at least up to `id`. */
  private catchUpTo(id: string | undefined): void {
    if (id !== undefined) this.txlog.catchUpTo(Number(id));
  }

  /** The orders waiting for a replay, as one set for the log to read for. */
  private replaySet(): ReplaySet | null {
    const members = [...this.core.byClient.values()].filter((t) => t.replayFrom !== null && !t.hold && !t.done);
    if (members.length === 0) return null;
    return {
      from: Math.min(...members.map((t) => t.replayFrom!)),
      begin: () => {
        for (const m of members) m.inReplay = true;
      },
      end: (complete) => {
        for (const m of members) {
          m.inReplay = false;
          if (complete) m.replayFrom = null;
        }
      },
    };
  }

  /** Replays an order's transactions from its creation before trusting anything else about it. */
  private replay(t: Tracked, venueOrderId: string): void {
    t.replayFrom = Math.min(t.replayFrom ?? Infinity, Number(venueOrderId) - 1);
    this.txlog.kick();
  }

  // ---- reconciliation -------------------------------------------------------------------------

  /** Lists the pending orders, catches the log up to that point, and looks up every tracked order that should have ended. */
  private async reconcile(why: string): Promise<boolean> {
    let pending;
    try {
      pending = PendingOrdersResponse.parse(await this.http.read('GET', `${this.account}/pendingOrders`));
    } catch (err) {
      const e = asVenueError(err);
      if (e.kind !== 'stopped') this.log('warn', `oanda: reconciliation (${why}) could not list pending orders: ${e.message}`);
      return false;
    }
    const last = Number(pending.lastTransactionID);
    this.txlog.setBaseline(last);
    await this.txlog.caughtUp(last);
    const applied = this.txlog.applied;
    if (this.core.stopped || applied === null || applied < last) return false;
    const open = new Set<string>();
    for (const o of pending.orders) {
      open.add(o.id);
      if (o.clientExtensions?.id) open.add(`@${o.clientExtensions.id}`);
    }
    for (const t of [...this.core.byClient.values()]) {
      if (t.hold) void this.findHeld(t);
      if (t.done || t.placing || t.hold || t.replayFrom !== null || !t.acked) continue;
      if (t.cancelWanted && !t.cancelSent) void this.sendCancel(t);
      const ids = [t.venueOrderId, ...t.aliases, `@${t.order.id}`];
      if (!ids.some((x) => x !== null && open.has(x))) void this.resolve(t);
    }
    return true;
  }

  /** An order that should have ended (or whose cancel was refused): look it up by client id and replay it. */
  private async resolve(t: Tracked): Promise<void> {
    if (t.resolving || t.done || this.core.stopped) return;
    t.resolving = true;
    try {
      const found = await this.getOrder(t.order.id);
      if (t.done || this.core.stopped) return;
      if (!found) {
        this.log('error', 'oanda: OANDA has no order with this client id although it acknowledged one; left open', { clientOrderId: t.order.id });
        return;
      }
      const o = found.order;
      if (!t.venueOrderId) this.setVenueId(t, o.id);
      else if (o.id !== t.venueOrderId) this.alias(t, o.id);
      if (o.state === 'PENDING' || o.state === 'TRIGGERED') return;
      this.replay(t, String(Math.min(Number(o.id), Number(t.venueOrderId ?? o.id))));
    } catch (err) {
      const e = asVenueError(err);
      if (e.kind !== 'stopped') this.log('warn', `oanda: looking the order up failed: ${e.message}; the next reconciliation tries again`, { clientOrderId: t.order.id });
    } finally {
      t.resolving = false;
    }
  }

  // ---- bookkeeping ----------------------------------------------------------------------------

  private track(order: Order, baselineLots: number, acked: boolean, venueOrderId: string | null): Tracked {
    const t: Tracked = {
      ...trackedBase(order, baselineLots, acked), venueOrderId: null, aliases: new Set(), seenLots: 0, fillIds: new Set(),
      replayFrom: null, inReplay: false, hold: false, resolving: false,
    };
    this.core.add(t);
    if (venueOrderId) this.setVenueId(t, venueOrderId);
    return t;
  }

  /** An order this process did not place (restored from the journal): replay it from its creation. */
  private adopt(order: Order): Tracked {
    const vid = order.venueOrderId && /^\d+$/.test(order.venueOrderId) ? order.venueOrderId : null;
    const t = this.track(order, order.filledLots, order.state !== 'pending' && order.state !== 'new', vid);
    if (vid) {
      this.replay(t, vid);
      return t;
    }
    t.hold = true;
    void this.findHeld(t);
    return t;
  }

  /** A restored order without OANDA's id: found by client id, then replayed (nothing is applied to it before). */
  private async findHeld(t: Tracked): Promise<void> {
    if (t.resolving || t.done || this.core.stopped) return;
    t.resolving = true;
    try {
      const found = await this.getOrder(t.order.id);
      if (this.core.stopped || t.done) return;
      t.hold = false;
      if (!found) {
        this.core.finish(t, { type: 'expired', clientOrderId: t.order.id, reason: 'OANDA has no order with this client id', at: this.ctx.now() });
        return;
      }
      this.setVenueId(t, found.order.id);
      this.replay(t, found.order.id);
    } catch (err) {
      const e = asVenueError(err);
      if (e.kind !== 'stopped') this.log('warn', `oanda: could not look the restored order up (${e.message}); the next reconciliation tries again`, { clientOrderId: t.order.id });
    } finally {
      t.resolving = false;
    }
  }

  private setVenueId(t: Tracked, id: string): void {
    t.venueOrderId = id;
    this.byVenue.set(id, t);
  }

  private alias(t: Tracked, id: string): void {
    if (t.aliases.has(id) || t.venueOrderId === id) return;
    t.aliases.add(id);
    this.byVenue.set(id, t);
    this.log('info', `oanda: order ${t.venueOrderId ?? '?'} carried on as ${id}`, { clientOrderId: t.order.id });
  }

  private ack(t: Tracked, venueOrderId: string): void {
    if (!t.venueOrderId) this.setVenueId(t, venueOrderId);
    this.core.acknowledge(t, t.venueOrderId!);
  }

  private log(level: LiveLogLevel, msg: string, fields?: Record<string, unknown>): void {
    this.ctx.log(level, this.redact(msg), fields);
  }

  private timeOf(tx: Transaction): number {
    const us = tx.time ? rfc3339Micros(tx.time) : NaN;
    return Number.isFinite(us) ? Math.floor(us / 1000) : this.ctx.now();
  }

  /** OANDA units in lots; units off the lot grid are rounded onto it (OANDA's grid is the instrument's). */
  private lots(units: string, p: Precision): number {
    try {
      return parseQty(units, p);
    } catch {
      return roundLots(units, p, NaN);
    }
  }

  private ticks(price: string, p: Precision): number {
    try {
      return parsePrice(price, p);
    } catch {
      return roundTicks(price, p);
    }
  }

  private sleep(ms: number): Promise<void> {
    return sleepUnless(this.stopping.signal, ms);
  }
}

/** A fill's legs grouped by price (one report per distinct price); one group of all units when the legs do not add up. */
function priceGroups(legs: Array<{ lots: number; price: string }>, total: number, tx: Transaction): Array<{ lots: number; price: string }> {
  const sum = legs.reduce((s, l) => s + l.lots, 0);
  if (legs.length > 0 && sum === total && legs.every((l) => l.lots > 0)) {
    const out: Array<{ lots: number; price: string }> = [];
    for (const l of legs) {
      const same = out.find((g) => g.price === l.price);
      if (same) same.lots += l.lots;
      else out.push({ ...l });
    }
    return out;
  }
  const price = tx.price ?? tx.fullVWAP ?? legs[0]?.price;
  return price ? [{ lots: total, price }] : [];
}

function rejectReason(res: CreateOrderResponse | null, e: VenueError): string {
  const reason = res?.orderRejectTransaction?.rejectReason ?? res?.errorCode;
  const message = res?.errorMessage;
  if (reason && message && message !== reason) return `${reason}: ${message}`.slice(0, 200);
  return (reason ?? message ?? e.message).slice(0, 200);
}

function asVenueError(err: unknown): VenueError {
  return err instanceof VenueError ? err : new VenueError(String((err as Error)?.message ?? err), 'bad-answer');
}

export const createOandaExecution: LiveAdapterFactory = (ctx) => new OandaExecution(ctx);
