// Kraken WebSocket v2 public channels: https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/book
// (…/trade, …/status, …/heartbeat, …/subscribe). One handler per feed: it reads every message of
// the connection, hands book messages to KrakenBooks and writes trades to the collector.
import type { Collector } from '../../collectors/collector';
import type { LogLevel } from '../../telemetry/log';
import type { PriceTicks, Qty } from '../../../shared/units';
import { KrakenBooks, type BookSyncOptions } from './book-sync';
import { TradeScanner, TradeScratch, looksLikeBookUpdate, looksLikeTrades } from './fast-scan';
import { MethodResponseSchema, StatusSchema, priceTicks, qtyLots, rfc3339Micros, unitsOf, type BookItem, type TradeItem, type Units } from './messages';
import type { KrakenInstrument } from './symbols';

export interface HandlerHooks {
  send(text: string): void;
  restart(reason: string): void;
}

interface TradeTarget {
  id: number;
  units: Units;
}

/** Bad input can come by the thousand; a worker flooding the log helps no one. */
const LOG_BURST = 20;
const LOG_WINDOW_MS = 1000;

export class KrakenHandler {
  readonly books: KrakenBooks;
  private readonly units = new Map<string, TradeTarget>();
  private readonly lookup = (ws: string): TradeTarget | undefined => this.units.get(ws);
  private readonly trades = new TradeScratch<TradeTarget>();
  private readonly tradeScanner = new TradeScanner();
  private logWindowStart = 0;
  private logCount = 0;
  private suppressed = 0;
  private stopped = false;

  constructor(
    private readonly collector: Collector,
    private readonly instruments: KrakenInstrument[],
    opts: BookSyncOptions,
    private readonly hooks: HandlerHooks,
  ) {
    this.books = new KrakenBooks(collector, instruments, opts, { send: hooks.send, restart: hooks.restart, log: (level, m, f) => this.log(level, m, f) });
    for (const inst of instruments) this.units.set(inst.wsSymbol, { id: collector.symbolId(inst.symbol), units: unitsOf(inst) });
  }

  /** Subscribes to every book and trade stream on a new connection. */
  onOpen(send: (text: string) => void): void {
    const symbols = this.instruments.map((i) => i.wsSymbol);
    this.books.onSubscribeAll();
    send(this.books.subscribeMessage(symbols));
    // No trade snapshot: it replays past trades, which would be counted twice after a reconnect.
    send(JSON.stringify({ method: 'subscribe', params: { channel: 'trade', symbol: symbols, snapshot: false } }));
  }

  onDown(reason: string): void {
    if (!this.stopped) this.log('warn', `connection down: ${reason}; books stale until their next snapshot`);
    this.books.onDown(reason);
  }

  stop(): void {
    this.stopped = true;
    this.books.stop();
  }

  /** One venue message. Never throws: whatever goes wrong is counted, logged and resynced. */
  onMessage(text: string): void {
    this.collector.counters.messages++;
    try {
      this.handle(text);
    } catch (err) {
      this.collector.discardUpdate();
      this.collector.counters.badMessages++;
      this.log('error', `failed on a message: ${(err as Error).message}; resubscribing every book`, { sample: text.slice(0, 120) });
      this.books.resyncAll('internal error on a message');
    }
    this.collector.flushResyncs();
  }

  private handle(text: string): void {
    if (looksLikeBookUpdate(text)) {
      if (this.books.fastUpdate(text)) return;
    } else if (looksLikeTrades(text) && this.tradeScanner.scan(text, this.lookup, this.trades)) {
      return this.writeTrades();
    }
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return this.bad(`malformed JSON (${text.length} bytes): ${text.slice(0, 80)}`, () => this.books.resyncAll('malformed message from Kraken'));
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return this.bad(`not a JSON object: ${text.slice(0, 80)}`);
    switch (msg.channel) {
      case 'book': {
        const data = msg.data;
        const snapshot = msg.type === 'snapshot';
        if ((!snapshot && msg.type !== 'update') || !Array.isArray(data)) {
          return this.bad(`book message with type ${JSON.stringify(msg.type)} and no data list`, () => this.books.resyncNamed(data, 'unreadable book message'));
        }
        for (const item of data as BookItem[]) {
          if (typeof item !== 'object' || item === null) return this.bad('book data item is not an object', () => this.books.resyncAll('unreadable book message'));
          this.books.onItem(item, snapshot, data.length === 1 ? text : '');
        }
        return;
      }
      case 'trade':
        return this.onTrades(msg);
      case 'heartbeat':
        return;
      case 'status':
        return this.onStatus(msg);
      case undefined:
        if (typeof msg.method === 'string') return this.onMethod(msg);
        return this.bad(`unknown message: ${text.slice(0, 80)}`);
      default:
        return this.bad(`unknown channel ${JSON.stringify(msg.channel)?.slice(0, 40)}`);
    }
  }

  private onTrades(msg: Record<string, unknown>): void {
    if (msg.type === 'snapshot') return;
    const data = msg.data;
    if (msg.type !== 'update' || !Array.isArray(data)) return this.bad(`trade message with type ${JSON.stringify(msg.type)} and no data list`);
    const t = this.trades;
    t.n = 0;
    for (const item of data as TradeItem[]) {
      const inst = typeof item?.symbol === 'string' ? this.units.get(item.symbol) : undefined;
      if (!inst) return this.bad(`trade for a symbol not subscribed: ${JSON.stringify(item?.symbol)?.slice(0, 40)}`);
      const price = priceTicks(item.price, inst.units);
      const qty = qtyLots(item.qty, inst.units);
      const ts = typeof item.timestamp === 'string' ? rfc3339Micros(item.timestamp) : NaN;
      const tid = item.trade_id;
      if (price !== price || !(qty > 0) || (item.side !== 'buy' && item.side !== 'sell') || ts !== ts || typeof tid !== 'number' || !Number.isSafeInteger(tid) || tid < 0) {
        return this.bad(`bad trade for ${item.symbol}: ${JSON.stringify(item).slice(0, 160)}`);
      }
      const k = t.n++;
      t.targets[k] = inst;
      t.aggressors[k] = item.side === 'buy' ? 0 : 1;
      t.prices[k] = price;
      t.qtys[k] = qty;
      t.times[k] = ts;
      t.ids[k] = tid;
    }
    this.writeTrades();
  }

  /** Written only once the whole message is known good. */
  private writeTrades(): void {
    const t = this.trades;
    for (let i = 0; i < t.n; i++) this.collector.trade(t.targets[i]!.id, t.aggressors[i]!, t.prices[i] as PriceTicks, t.qtys[i] as Qty, t.times[i]!, t.ids[i]!);
  }

  private onStatus(msg: Record<string, unknown>): void {
    const parsed = StatusSchema.safeParse(msg);
    if (!parsed.success) return this.bad(`unreadable status message: ${JSON.stringify(msg).slice(0, 120)}`);
    const s = parsed.data.data[0]!;
    if (s.system === 'online') this.log('info', `Kraken says the system is online (ws ${s.version ?? '?'}, api ${s.api_version ?? '?'})`);
    else this.log('warn', `Kraken says the system is ${s.system}: book data may pause`);
  }

  private onMethod(msg: Record<string, unknown>): void {
    const parsed = MethodResponseSchema.safeParse(msg);
    if (!parsed.success) return this.bad(`unreadable reply: ${JSON.stringify(msg).slice(0, 120)}`);
    const r = parsed.data;
    if (r.method === 'pong') return;
    if (r.method !== 'subscribe' && r.method !== 'unsubscribe') return this.bad(`unknown reply method ${JSON.stringify(r.method).slice(0, 40)}`);
    const what = [r.result?.channel, r.result?.symbol ?? r.symbol].filter(Boolean).join(' ');
    // Acks are not logged (one per symbol and channel would crowd out the lines that matter). A
    // refused book subscribe leaves the symbol stale; its snapshot deadline restarts the connection.
    if (r.success === false) this.log('warn', `Kraken refused ${r.method} ${what}: ${r.error ?? 'no reason given'}`);
  }

  /** A message that could not be understood: counted, logged, and `then` resyncs what it may have touched. */
  private bad(msg: string, then?: () => void): void {
    this.collector.counters.badMessages++;
    this.log('warn', msg);
    then?.();
  }

  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (level === 'warn' || level === 'error') {
      const now = performance.now();
      if (now - this.logWindowStart > LOG_WINDOW_MS) {
        if (this.suppressed > 0) this.collector.log('warn', `${this.suppressed} more warnings suppressed in the last second`);
        this.logWindowStart = now;
        this.logCount = 0;
        this.suppressed = 0;
      }
      if (++this.logCount > LOG_BURST) {
        this.suppressed++;
        return;
      }
    }
    this.collector.log(level, msg, fields);
  }
}
