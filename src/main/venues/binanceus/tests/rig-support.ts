/**
 * Binance.US handler on a real Collector (collector-rig) for unit tests and the benchmark: the
 * exchangeInfo of test_data, a book sync per symbol, and readers for what reached the rings.
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/web-socket-streams.md
 */
import { readFileSync } from 'node:fs';
import { collectorRig, type CollectorRig } from '../../../testing/collector-rig';
import {
  BookFlags, bookCount, bookExchangeTs, bookFlags, bookLevelPrice, bookLevelQty, bookLevelSide, bookSymbolId,
  tradeAggressor, tradeExchangeTs, tradePrice, tradeQty, tradeSymbolId, tradeTradeId,
} from '../../../rings/records';
import type { FromCollector } from '../../../collectors/messages';
import { BookSync, type SyncHost } from '../book-sync';
import { BinanceUsHandler } from '../handler';
import { parseSnapshot } from '../messages';
import { mapExchangeInfo, selectSymbols } from '../symbols';

export const testData = (name: string): unknown => JSON.parse(readFileSync(new URL(`../test_data/${name}`, import.meta.url), 'utf8'));

export interface RingUpdate {
  symbolId: number;
  snapshot: boolean;
  exchangeTs: number;
  levels: [side: number, price: number, qty: number][];
}

export interface RingTrade {
  symbolId: number;
  aggressor: number;
  price: number;
  qty: number;
  exchangeTs: number;
  tradeId: number;
}

export interface BinanceRig {
  rig: CollectorRig;
  syncs: BookSync[];
  handler: BinanceUsHandler;
  /** snapshots each sync asked for */
  wanted: BookSync[];
  /** feeds raw text (or an object, stringified) */
  send(msg: unknown): void;
  /** opens the stream and confirms the subscription, as on a fresh connection */
  connect(): void;
  /** answers the sync's snapshot with a REST depth payload */
  snapshot(symbolId: number, json: unknown): void;
  updates(): RingUpdate[];
  trades(): RingTrade[];
  /** control messages (stale, log) posted so far; they cross a MessageChannel, so wait a tick first */
  posted(): Promise<FromCollector[]>;
  close(): void;
}

export function binanceRig(symbols = ['BTC-USD', 'ETH-USD']): BinanceRig {
  const rig = collectorRig('binanceus');
  const { selected } = selectSymbols(mapExchangeInfo(testData('exchange-info.json')), symbols);
  rig.collector.setInstruments(selected.map((s) => ({ symbol: s.symbol, tickSize: s.tickSize, lotSize: s.lotSize })));
  const wanted: BookSync[] = [];
  const host: SyncHost = { snapshotWanted: (s) => wanted.push(s) };
  const syncs = selected.map((s, id) => new BookSync(rig.collector, id, s, host));
  const handler = new BinanceUsHandler(rig.collector, syncs, () => syncs.forEach((s) => s.onSubscribed(Date.now())));
  handler.subscribeId = 1;
  return {
    rig,
    syncs,
    handler,
    wanted,
    send: (msg) => handler.onMessage(typeof msg === 'string' ? msg : JSON.stringify(msg)),
    connect() {
      for (const s of syncs) s.begin();
      handler.onMessage('{"result":null,"id":1}');
    },
    snapshot: (symbolId, json) => syncs[symbolId]!.onSnapshot(parseSnapshot(json, syncs[symbolId]!.sym.precision)),
    updates() {
      const out: RingUpdate[] = [];
      let open: RingUpdate | null = null;
      const ring = rig.bookRing;
      ring.poll((off) => {
        const flags = bookFlags(ring, off);
        if (!open) open = { symbolId: bookSymbolId(ring, off), snapshot: (flags & BookFlags.Snapshot) !== 0, exchangeTs: bookExchangeTs(ring, off), levels: [] };
        for (let i = 0; i < bookCount(ring, off); i++) open.levels.push([bookLevelSide(ring, off, i), bookLevelPrice(ring, off, i), bookLevelQty(ring, off, i)]);
        if ((flags & BookFlags.Continued) === 0) {
          out.push(open);
          open = null;
        }
      });
      return out;
    },
    trades() {
      const out: RingTrade[] = [];
      const ring = rig.tradeRing;
      ring.poll((off) => {
        out.push({
          symbolId: tradeSymbolId(ring, off), aggressor: tradeAggressor(ring, off), price: tradePrice(ring, off), qty: tradeQty(ring, off),
          exchangeTs: tradeExchangeTs(ring, off), tradeId: tradeTradeId(ring, off),
        });
      });
      return out;
    },
    async posted() {
      await new Promise((r) => setTimeout(r, 20));
      return rig.messages;
    },
    close: () => rig.close(),
  };
}
