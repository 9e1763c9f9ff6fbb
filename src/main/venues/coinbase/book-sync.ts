// Coinbase Advanced Trade WebSocket channels: https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-channels
/**
 * Keeps Coinbase books exact on one connection. The venue has no per-product sequence or
 * checksum: `sequence_num` counts every message on the connection, across channels, from the
 * first. A gap, a repeat or a step back means something was lost, so every book fed by the
 * connection goes stale and the connection is restarted: a new subscription is the only way the
 * venue sends new snapshots (and numbering starts over). The same holds for an l2_data message
 * that cannot be used (bad side, number, timestamp; an update before its snapshot; a crossed
 * result): its levels are lost. A message is applied only once all of it has been checked.
 */
import type { Collector } from '../../collectors/collector';
import type { Precision } from '../../../shared/instruments';
import type { Micros, PriceTicks, Qty, Side } from '../../../shared/units';
import { Channel, bookSide, emptyEnvelope, isObject, parseSteps, parseTimestampMicros, preview, readEnvelope, type Envelope, type Json } from './messages';
import { LogLimiter } from './log-limiter';
import { StagedLevels } from './staging';

export interface SyncInstrument {
  symbol: string;
  /** the product id subscriptions name */
  productId: string;
  /** the product id market-data messages carry */
  streamId: string;
  precision: Precision;
}

export interface SyncHooks {
  /** drop the connection and subscribe again (new snapshots, sequence_num from the start) */
  restart(reason: string): void;
}

const TRADE_ID = /^\d{1,15}$/;
const show = (v: unknown) => preview(JSON.stringify(v) ?? String(v), 40);
const rejected = (reason: string, gap = false) => ({ gap, reason });

export class CoinbaseBookSync {
  private lastSeq = -1;
  private restarting = false;
  private oversize = false;
  private readonly byStream = new Map<string, number>();
  private readonly hasSnapshot: boolean[];
  private readonly snapshotMark: number[];
  private generation = 0;
  private readonly lastTradeId: number[];
  private readonly staged = new StagedLevels();
  private readonly env = emptyEnvelope();
  private readonly buyAggressor: 0 | 1;
  private readonly noted = new Set<string>();
  private readonly limiter: LogLimiter;
  private readonly trades = { sym: [] as number[], agg: [] as (0 | 1)[], price: [] as number[], qty: [] as number[], ts: [] as number[], id: [] as number[] };

  constructor(
    private readonly collector: Collector,
    private readonly instruments: readonly SyncInstrument[],
    private readonly hooks: SyncHooks,
    marketTradeSide: 'maker' | 'taker' = 'maker',
  ) {
    instruments.forEach((inst, id) => this.byStream.set(inst.streamId, id));
    this.hasSnapshot = instruments.map(() => false);
    this.snapshotMark = instruments.map(() => 0);
    this.lastTradeId = instruments.map(() => -1);
    this.limiter = new LogLimiter((level, line) => collector.log(level, line));
    // A maker's BUY is hit by a selling aggressor.
    this.buyAggressor = marketTradeSide === 'maker' ? 1 : 0;
  }

  /** A new connection: numbering starts over and every book waits for its snapshot. */
  connectionOpened(): void {
    this.lastSeq = -1;
    this.restarting = false;
    this.oversize = false;
    this.hasSnapshot.fill(false);
  }

  /** The socket refused a message over `maxMessageBytes` (and closes): counted once per connection. */
  messageTooLarge(): void {
    if (this.oversize) return;
    this.oversize = true;
    this.collector.counters.badMessages++;
    this.log('warn', `coinbase: a message over the size limit dropped the connection`);
  }

  /** The connection is gone: nothing it fed can be vouched for any more. */
  connectionDown(reason: string): void {
    if (reason.includes('larger than the limit')) this.messageTooLarge();
    if (!this.restarting) this.log('warn', `coinbase: connection down (${reason}); books stale until new snapshots`);
    this.markAllStale(`connection down: ${reason}`);
    this.lastSeq = -1;
    this.hasSnapshot.fill(false);
  }

  /** One venue message; never throws. */
  onMessage(text: string): void {
    this.collector.counters.messages++;
    if (this.restarting) return;
    try {
      this.handle(text);
    } catch (err) {
      this.collector.discardUpdate();
      this.collector.counters.badMessages++;
      this.resync(`internal error on a message: ${(err as Error).message}`);
    }
  }

  private handle(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return this.bad(`message is not JSON: ${preview(text)}`);
    }
    if (!isObject(msg)) return this.bad(`message is not a JSON object: ${preview(text)}`);
    if (msg.type === 'error') return this.venueError(msg);
    const env = this.env;
    const wrong = readEnvelope(msg, env);
    if (wrong !== null) {
      // Without a number, only an l2_data message is known to have carried book state.
      if (msg.channel === Channel.L2) {
        this.collector.counters.badMessages++;
        return this.resync(`unusable l2_data message: ${wrong}`);
      }
      return this.bad(wrong);
    }
    if (this.lastSeq >= 0 && env.seq !== this.lastSeq + 1) {
      const what = env.seq === this.lastSeq ? 'repeated' : env.seq < this.lastSeq ? 'went back' : `skipped ${env.seq - this.lastSeq - 1}`;
      this.collector.counters.gaps++;
      return this.resync(`sequence_num ${what}: #${env.seq} after #${this.lastSeq}`);
    }
    this.lastSeq = env.seq;
    switch (env.channel) {
      case Channel.L2:
        return this.onL2(env);
      case Channel.Trades:
        return this.onTrades(env);
      case Channel.Heartbeats:
        if (!isObject(env.events[0])) this.bad(`heartbeats #${env.seq} without an event`);
        return;
      case Channel.Subscriptions:
        return this.onSubscriptions(env);
      default:
        this.collector.counters.badMessages++;
        this.noteOnce(`channel:${env.channel}`, `coinbase: ignoring messages of unknown channel ${show(env.channel)} (first: #${env.seq})`);
    }
  }

  private onL2(env: Envelope): void {
    const failure = this.stageL2(env);
    if (failure !== null) {
      if (failure.gap) this.collector.counters.gaps++;
      else this.collector.counters.badMessages++;
      return this.resync(`l2_data #${env.seq} rejected: ${failure.reason}`);
    }
    const c = this.collector;
    const s = this.staged;
    for (let e = 0; e < s.events; e++) {
      const sym = s.evSym[e]!;
      for (let i = s.evStart[e]!; i < s.evEnd[e]!; i++) c.level(s.sides[i] as Side, s.prices[i] as PriceTicks, s.qtys[i] as Qty);
      c.endUpdate(sym, env.tsMicros as Micros, s.evSnapshot[e]);
      if (s.evSnapshot[e] && !this.hasSnapshot[sym]) {
        this.hasSnapshot[sym] = true;
        const book = c.book(sym);
        c.log('info', `coinbase: snapshot of ${this.instruments[sym]!.symbol}: ${book.depth(0)} bids, ${book.depth(1)} asks`);
      }
    }
  }

  /** Parses and checks a whole l2_data message into `staged`; null when all of it is good. */
  private stageL2(env: Envelope): { gap: boolean; reason: string } | null {
    if (env.tsMicros !== env.tsMicros) return rejected('timestamp is not RFC 3339');
    const s = this.staged;
    s.reset();
    const mark = ++this.generation;
    const events = env.events;
    for (let k = 0; k < events.length; k++) {
      const ev = events[k];
      if (!isObject(ev)) return rejected('an event is not an object');
      const snapshot = ev.type === 'snapshot';
      if (!snapshot && ev.type !== 'update') return rejected(`event type ${show(ev.type)}`);
      const sym = this.byStream.get(ev.product_id as string);
      if (sym === undefined) {
        this.collector.counters.badMessages++;
        this.noteOnce(`product:${String(ev.product_id)}`, `coinbase: ignoring l2_data for product ${show(ev.product_id)}, which was not subscribed`);
        continue;
      }
      const inst = this.instruments[sym]!;
      if (!snapshot && !this.hasSnapshot[sym] && this.snapshotMark[sym] !== mark) return rejected(`update for ${inst.symbol} before its snapshot`, true);
      const updates = ev.updates;
      if (!Array.isArray(updates)) return rejected(`${inst.symbol} event without an updates array`);
      if (snapshot) this.snapshotMark[sym] = mark;
      const { priceDecimals, tickUnits, sizeDecimals, lotUnits } = inst.precision;
      s.beginEvent(sym, snapshot);
      for (let j = 0; j < updates.length; j++) {
        const u: unknown = updates[j];
        if (!isObject(u)) return rejected(`${inst.symbol}: an update is not an object`);
        const side = bookSide(u.side);
        if (side < 0) return rejected(`${inst.symbol}: side ${show(u.side)} is neither bid nor offer`);
        const price = parseSteps(u.price_level, priceDecimals, tickUnits);
        if (!(price > 0)) return rejected(`${inst.symbol}: price_level ${show(u.price_level)} is not a positive price on the tick grid`);
        const qty = parseSteps(u.new_quantity, sizeDecimals, lotUnits);
        if (!(qty >= 0)) return rejected(`${inst.symbol}: new_quantity ${show(u.new_quantity)} is not a size on the lot grid`);
        s.push(side as Side, price, qty);
      }
    }
    for (let e = 0; e < s.events; e++) {
      if (s.wouldCross(e, this.collector.book(s.evSym[e]!))) return rejected(`${this.instruments[s.evSym[e]!]!.symbol} would be left crossed`);
    }
    return null;
  }

  private onTrades(env: Envelope): void {
    const t = this.trades;
    let n = 0;
    for (const ev of env.events) {
      if (!isObject(ev) || !Array.isArray(ev.trades)) return this.bad(`market_trades #${env.seq}: an event without a trades array`);
      for (const tr of ev.trades as unknown[]) {
        if (!isObject(tr)) return this.bad(`market_trades #${env.seq}: a trade is not an object`);
        const sym = this.byStream.get(tr.product_id as string);
        if (sym === undefined) {
          this.collector.counters.badMessages++;
          this.noteOnce(`product:${String(tr.product_id)}`, `coinbase: ignoring trades of product ${show(tr.product_id)}, which was not subscribed`);
          continue;
        }
        const p = this.instruments[sym]!.precision;
        const price = parseSteps(tr.price, p.priceDecimals, p.tickUnits);
        const qty = parseSteps(tr.size, p.sizeDecimals, p.lotUnits);
        const agg = tr.side === 'BUY' ? this.buyAggressor : tr.side === 'SELL' ? ((1 - this.buyAggressor) as 0 | 1) : -1;
        const ts = parseTimestampMicros(tr.time);
        const id = typeof tr.trade_id === 'string' && TRADE_ID.test(tr.trade_id) ? Number(tr.trade_id) : NaN;
        const wrong = !(price > 0) ? `price ${show(tr.price)}` : !(qty > 0) ? `size ${show(tr.size)}` : agg < 0 ? `side ${show(tr.side)}` : ts !== ts ? `time ${show(tr.time)}` : id !== id ? `trade_id ${show(tr.trade_id)}` : '';
        if (wrong) return this.bad(`market_trades #${env.seq}: ${this.instruments[sym]!.symbol} trade with ${wrong}`);
        t.sym[n] = sym;
        t.agg[n] = agg as 0 | 1;
        t.price[n] = price;
        t.qty[n] = qty;
        t.ts[n] = ts;
        t.id[n] = id;
        n++;
      }
    }
    // Oldest first; a resubscribe's snapshot repeats recent trades, which are not sent again.
    const down = n > 1 && t.id[0]! > t.id[n - 1]!;
    for (let k = 0; k < n; k++) {
      const i = down ? n - 1 - k : k;
      const sym = t.sym[i]!;
      if (t.id[i]! <= this.lastTradeId[sym]!) continue;
      this.lastTradeId[sym] = t.id[i]!;
      this.collector.trade(sym, t.agg[i]!, t.price[i] as PriceTicks, t.qty[i] as Qty, t.ts[i] as Micros, t.id[i]!);
    }
  }

  /** Each subscribe is acknowledged with all subscriptions so far; the one listing every product is logged. */
  private onSubscriptions(env: Envelope): void {
    const subs = isObject(env.events[0]) ? env.events[0].subscriptions : undefined;
    if (!isObject(subs)) return this.bad(`subscriptions #${env.seq} without a subscriptions object`);
    const listed = (channel: string) => (Array.isArray(subs[channel]) ? (subs[channel] as unknown[]) : []);
    const all = (channel: string) => this.instruments.every((i) => listed(channel).includes(i.productId) || listed(channel).includes(i.streamId));
    if (all('level2') && all('market_trades')) this.collector.log('info', `coinbase: subscribed to level2 and market_trades of ${listed('level2').join(', ')}`);
  }

  private venueError(msg: Json): void {
    const text = typeof msg.message === 'string' ? msg.message : show(msg);
    this.log('warn', `coinbase: venue error: ${preview(text)}`);
    this.collector.post({ type: 'error', code: 'venue-error', message: `coinbase: ${preview(text)}`, retryable: true });
  }

  private resync(reason: string): void {
    this.log('warn', `coinbase: ${reason}; books stale until new snapshots (resubscribing)`);
    this.markAllStale(reason);
    this.collector.counters.resyncs++;
    this.restarting = true;
    this.hooks.restart(reason);
  }

  private markAllStale(reason: string): void {
    for (let id = 0; id < this.instruments.length; id++) this.collector.markStale(id, reason);
  }

  private bad(reason: string): void {
    this.collector.counters.badMessages++;
    this.log('warn', `coinbase: bad message: ${reason}`);
  }

  private noteOnce(key: string, msg: string): void {
    if (this.noted.has(key)) return;
    this.noted.add(key);
    this.log('warn', msg);
  }

  private log(level: 'info' | 'warn', msg: string): void {
    this.limiter.log(level, msg);
  }
}
