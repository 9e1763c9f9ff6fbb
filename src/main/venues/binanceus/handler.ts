/**
 * Routes Binance.US stream messages (raw `/ws` payloads, or `{"stream","data"}` combined ones) to
 * the book syncs and the collector. Every message is validated whole before anything is staged;
 * a bad one is counted and logged (throttled) and never throws out of here.
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/web-socket-streams.md
 */
import type { Collector } from '../../collectors/collector';
import type { PriceTicks, Qty } from '../../../shared/units';
import type { BookSync } from './book-sync';
import { LevelScratch, readDepth, readTrade, type DepthHeader, type Trade } from './messages';

/** At most this many log lines per kind of problem per window; the rest are counted and summarized. */
const LOGS_PER_WINDOW = 5;
const LOG_WINDOW_MS = 10_000;

export class BinanceUsHandler {
  /** id of the SUBSCRIBE request whose `{"result":null,"id"}` answer confirms the streams */
  subscribeId = 0;
  private readonly byVenue = new Map<string, BookSync>();
  private readonly scratch = new LevelScratch();
  private readonly head: DepthHeader = { E: 0, U: 0, u: 0 };
  private readonly tradeOut: Trade = { E: 0, T: 0, id: 0, price: 0, qty: 0, aggressor: 0 };
  private readonly logBudget = new Map<string, { since: number; lines: number; suppressed: number }>();

  constructor(private readonly c: Collector, syncs: readonly BookSync[], private readonly onSubscribed: () => void) {
    for (const s of syncs) this.byVenue.set(s.sym.venueSymbol, s);
  }

  onMessage(text: string): void {
    this.c.counters.messages++;
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch (err) {
      this.bad('malformed JSON', `${(err as Error).message}; starts ${JSON.stringify(text.slice(0, 60))} (${text.length} chars)`);
      return;
    }
    try {
      this.route(msg);
    } catch (err) {
      // A bug, not a venue fault: nothing half-staged may reach the next update.
      this.c.discardUpdate();
      this.bad('handler error', (err as Error).stack ?? String(err));
    }
  }

  private route(msg: unknown): void {
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
      this.bad('not a JSON object', JSON.stringify(msg)?.slice(0, 60) ?? String(msg));
      return;
    }
    let data = msg as Record<string, unknown>;
    if (typeof data.stream === 'string' && data.data !== null && typeof data.data === 'object') data = data.data as Record<string, unknown>;
    switch (data.e) {
      case 'depthUpdate':
        return this.depth(data);
      case 'trade':
        return this.trade(data);
    }
    if ('result' in data && 'id' in data) return this.response(data);
    if ('code' in data && 'msg' in data) {
      this.say('error', 'venue error', `binanceus: venue error ${String(data.code)}: ${String(data.msg)}`);
      return;
    }
    this.bad(`unknown message (e=${JSON.stringify(data.e) ?? 'none'})`, JSON.stringify(msg).slice(0, 100));
  }

  private depth(data: Record<string, unknown>): void {
    const sync = typeof data.s === 'string' ? this.byVenue.get(data.s) : undefined;
    if (!sync) {
      this.bad('depthUpdate of a symbol not subscribed', JSON.stringify(data.s));
      return;
    }
    const err = readDepth(data, sync.sym.precision, this.head, this.scratch);
    if (err) {
      this.bad(`bad depthUpdate of ${sync.sym.symbol}`, err);
      sync.invalid(err);
      return;
    }
    sync.onDepth(this.head, this.scratch);
  }

  private trade(data: Record<string, unknown>): void {
    const sync = typeof data.s === 'string' ? this.byVenue.get(data.s) : undefined;
    if (!sync) {
      this.bad('trade of a symbol not subscribed', JSON.stringify(data.s));
      return;
    }
    const t = this.tradeOut;
    const err = readTrade(data, sync.sym.precision, t);
    if (err) {
      this.bad(`bad trade of ${sync.sym.symbol}`, err);
      return;
    }
    this.c.trade(sync.id, t.aggressor, t.price as PriceTicks, t.qty as Qty, t.T * 1000, t.id);
  }

  private response(data: Record<string, unknown>): void {
    if (data.id === this.subscribeId && data.result === null) {
      this.c.log('info', `binanceus: subscribed to ${this.byVenue.size * 2} streams`);
      this.onSubscribed();
      return;
    }
    this.say('info', 'response', `binanceus: response ${JSON.stringify(data).slice(0, 100)}`);
  }

  /** A message that could not be used: counted, and logged within the budget of its kind. */
  private bad(kind: string, detail: string): void {
    this.c.counters.badMessages++;
    this.say('warn', kind, `binanceus: ${kind}: ${detail}`);
  }

  private say(level: 'info' | 'warn' | 'error', kind: string, msg: string): void {
    const now = Date.now();
    let b = this.logBudget.get(kind);
    if (!b || now - b.since > LOG_WINDOW_MS) {
      const suppressed = b?.suppressed ?? 0;
      b = { since: now, lines: 0, suppressed: 0 };
      this.logBudget.set(kind, b);
      if (suppressed > 0) msg += ` (${suppressed} more like it not logged)`;
    }
    if (b.lines >= LOGS_PER_WINDOW) {
      b.suppressed++;
      return;
    }
    b.lines++;
    this.c.log(level, msg);
  }
}
