// A KrakenHandler on a real Collector (collector-rig), with instruments from test_data, for unit tests and the bench.
import { readFileSync } from 'node:fs';
import { formatPrice, formatQty, precisionOf } from '../../../../shared/instruments';
import { collectorRig, type CollectorRig } from '../../../testing/collector-rig';
import type { FromCollector } from '../../../collectors/messages';
import { KrakenHandler } from '../handler';
import { instrumentsFromAssetPairs, selectInstruments, type KrakenInstrument } from '../symbols';

export const testData = (name: string): string => readFileSync(new URL(`../test_data/${name}`, import.meta.url), 'utf8');

export function testInstruments(symbols: string[]): KrakenInstrument[] {
  const body = JSON.parse(testData('asset-pairs.json')) as { result: Record<string, unknown> };
  return selectInstruments(instrumentsFromAssetPairs(body.result).instruments, symbols).chosen;
}

export interface HandlerRig {
  rig: CollectorRig;
  handler: KrakenHandler;
  /** requests the handler sent Kraken */
  sent: string[];
  restarts: string[];
  /** the collector's book, as the engine's REST API writes it */
  book(symbol: string): { bids: [string, string][]; asks: [string, string][] };
  logs(): string[];
  stale(): Array<Extract<FromCollector, { type: 'stale' }>>;
  close(): void;
}

export function handlerRig(depth = 10, symbols = ['BTC-USD', 'ETH-USD'], resyncTimeoutMs = 60_000): HandlerRig {
  const rig = collectorRig('kraken', {}, 1 << 14, 1 << 12);
  const instruments = testInstruments(symbols);
  rig.collector.setInstruments(instruments.map((i) => ({ symbol: i.symbol, tickSize: i.tickSize, lotSize: i.lotSize })));
  const sent: string[] = [];
  const restarts: string[] = [];
  const handler = new KrakenHandler(rig.collector, instruments, { depth, resyncTimeoutMs, backoffInitialMs: 1, backoffMaxMs: 5 }, {
    send: (t) => sent.push(t),
    restart: (r) => restarts.push(r),
  });
  handler.onOpen((t) => sent.push(t));
  return {
    rig,
    handler,
    sent,
    restarts,
    book(symbol) {
      const inst = instruments.find((i) => i.symbol === symbol)!;
      const p = precisionOf(inst);
      const b = rig.collector.book(rig.collector.symbolId(symbol));
      const side = (s: 0 | 1) => {
        const out: [string, string][] = [];
        b.forEach(s, (price, qty) => out.push([formatPrice(price, p), formatQty(qty, p)]));
        return out;
      };
      return { bids: side(0), asks: side(1) };
    },
    logs: () => rig.messages.flatMap((m) => (m.type === 'log' ? [m.msg] : [])),
    stale: () => rig.messages.filter((m): m is Extract<FromCollector, { type: 'stale' }> => m.type === 'stale'),
    close() {
      handler.stop();
      rig.close();
    },
  };
}

/** The control messages are posted through a MessagePort: give them a turn to arrive. */
export const settle = () => new Promise((r) => setTimeout(r, 20));
