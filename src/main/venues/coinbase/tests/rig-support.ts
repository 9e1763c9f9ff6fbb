// Coinbase Advanced Trade WebSocket channels: https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-channels
/** A CoinbaseBookSync on a real Collector (collector-rig), and readers for what reached the rings. */
import { readFileSync } from 'node:fs';
import { collectorRig, type CollectorRig } from '../../../testing/collector-rig';
import { BookFlags, bookCount, bookExchangeTs, bookFlags, bookLevelPrice, bookLevelQty, bookLevelSide, bookSymbolId, tradeAggressor, tradeExchangeTs, tradePrice, tradeQty, tradeSymbolId, tradeTradeId } from '../../../rings/records';
import { precisionOf } from '../../../../shared/instruments';
import { CoinbaseBookSync } from '../book-sync';

export const BTC = { symbol: 'BTC-USD', productId: 'BTC-USD', streamId: 'BTC-USD', tickSize: '0.01', lotSize: '0.00000001' };
export const ETH = { symbol: 'ETH-USD', productId: 'ETH-USD', streamId: 'ETH-USD', tickSize: '0.01', lotSize: '0.00000001' };

export function payload(name: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`../test_data/${name}.json`, import.meta.url), 'utf8'));
}

/** A payload with another sequence_num (and any other top-level fields replaced). */
export const msg = (name: string, seq: number, extra: Record<string, unknown> = {}) => JSON.stringify({ ...payload(name), sequence_num: seq, ...extra });

export interface SyncRig extends CollectorRig {
  sync: CoinbaseBookSync;
  restarts: string[];
  books(): BookRecord[];
  trades(): TradeRecord[];
  /** messages posted by the collector, once delivered */
  posted(): Promise<Array<Record<string, any>>>;
}

export interface BookRecord { symbolId: number; snapshot: boolean; exchangeTs: number; levels: Array<[number, number, number]> }
export interface TradeRecord { symbolId: number; aggressor: number; price: number; qty: number; exchangeTs: number; tradeId: number }

export function syncRig(instruments = [BTC, ETH], tradeSide: 'maker' | 'taker' = 'maker'): SyncRig {
  const rig = collectorRig('coinbase');
  rig.collector.setInstruments(instruments.map(({ symbol, tickSize, lotSize }) => ({ symbol, tickSize, lotSize })));
  const restarts: string[] = [];
  const sync = new CoinbaseBookSync(
    rig.collector,
    instruments.map((i) => ({ symbol: i.symbol, productId: i.productId, streamId: i.streamId, precision: precisionOf(i) })),
    { restart: (reason) => restarts.push(reason) },
    tradeSide,
  );
  sync.connectionOpened();
  return {
    ...rig,
    sync,
    restarts,
    books: () => {
      const out: BookRecord[] = [];
      const r = rig.bookRing;
      let open = false;
      r.poll((off) => {
        const levels: Array<[number, number, number]> = [];
        for (let i = 0; i < bookCount(r, off); i++) levels.push([bookLevelSide(r, off, i), bookLevelPrice(r, off, i), bookLevelQty(r, off, i)]);
        if (open) out[out.length - 1]!.levels.push(...levels);
        else out.push({ symbolId: bookSymbolId(r, off), snapshot: (bookFlags(r, off) & BookFlags.Snapshot) !== 0, exchangeTs: bookExchangeTs(r, off), levels });
        open = (bookFlags(r, off) & BookFlags.Continued) !== 0;
      });
      return out;
    },
    trades: () => {
      const out: TradeRecord[] = [];
      const r = rig.tradeRing;
      r.poll((off) => out.push({ symbolId: tradeSymbolId(r, off), aggressor: tradeAggressor(r, off), price: tradePrice(r, off), qty: tradeQty(r, off), exchangeTs: tradeExchangeTs(r, off), tradeId: tradeTradeId(r, off) }));
      return out;
    },
    posted: async () => {
      await new Promise((r) => setTimeout(r, 20));
      return rig.messages as unknown as Array<Record<string, any>>;
    },
  };
}

/** The collector's exact copy of a book, best first: [price ticks, qty lots][] per side. */
export function levelsOf(rig: CollectorRig, symbolId: number): { bids: number[][]; asks: number[][] } {
  const book = rig.collector.book(symbolId);
  const bids: number[][] = [];
  const asks: number[][] = [];
  book.forEach(0, (p, q) => bids.push([p, q]));
  book.forEach(1, (p, q) => asks.push([p, q]));
  return { bids, asks };
}
