// Coinbase Advanced Trade WebSocket channels: https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-channels
/**
 * Coinbase ingest: recorded-shape messages (l2_data snapshots and updates, market_trades,
 * heartbeats, numbered as on one connection) through the real CoinbaseBookSync → Collector →
 * SAB rings (drained between batches), next to JSON.parse alone over the same texts.
 * Run alone: node --import tsx bench/venue-coinbase.bench.ts
 */
import { collectorRig } from '../src/main/testing/collector-rig';
import { precisionOf } from '../src/shared/instruments';
import { CoinbaseBookSync } from '../src/main/venues/coinbase/book-sync';
import { DEFAULT_PRODUCTS, MockBook, seeded } from '../src/main/venues/coinbase/tests/mock-book';
import { fmt, isEntry } from './support';

const UPDATES = 3000;
const RUNS = 21;
const WARMUP = 5;
const BATCH = 256;

function recorded(): { texts: string[]; levels: number } {
  const rng = seeded(11);
  const books = DEFAULT_PRODUCTS.map((p) => new MockBook(p, rng, 60));
  const texts: string[] = [];
  let levels = 0;
  let tradeId = 900_000_000;
  const ts = (i: number) => `2024-05-14T09:21:${String(7 + Math.floor(i / 1000) % 50).padStart(2, '0')}.${String(100_000_000 + i * 7919).slice(-9)}Z`;
  const push = (channel: string, events: unknown[]) => texts.push(JSON.stringify({ channel, client_id: '', timestamp: ts(texts.length), sequence_num: texts.length, events }));
  const updates = (b: MockBook, changes: Array<[0 | 1, number, number]>, type: string) => {
    levels += changes.length;
    return { type, product_id: b.spec.id, updates: changes.map(([s, p, q]) => ({ side: s === 0 ? 'bid' : 'offer', event_time: ts(texts.length), price_level: b.formatPrice(p), new_quantity: b.formatQty(q) })) };
  };
  push('subscriptions', [{ subscriptions: { level2: DEFAULT_PRODUCTS.map((p) => p.id) } }]);
  for (const b of books) push('l2_data', [updates(b, b.snapshot(), 'snapshot')]);
  for (let i = 0; i < UPDATES; i++) {
    const b = books[Math.floor(rng() * books.length)]!;
    push('l2_data', [updates(b, b.step(), 'update')]);
    if (i % 5 === 0) {
      const price = b.formatPrice(b.best(1));
      push('market_trades', [{ type: 'update', trades: [{ trade_id: String(++tradeId), product_id: b.spec.id, price, size: '0.0125', side: 'SELL', time: ts(texts.length) }] }]);
    }
    if (i % 200 === 0) push('heartbeats', [{ current_time: '2024-05-14 09:21:08.000125163 +0000 UTC', heartbeat_counter: i }]);
  }
  return { texts, levels };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function main(): Promise<void> {
  const { texts, levels } = recorded();
  const rig = collectorRig('coinbase', {}, 1 << 16, 1 << 14);
  rig.collector.setInstruments(DEFAULT_PRODUCTS.map((p) => ({ symbol: p.id, tickSize: p.tick, lotSize: p.lot })));
  let restarts = 0;
  const sync = new CoinbaseBookSync(
    rig.collector,
    DEFAULT_PRODUCTS.map((p) => ({ symbol: p.id, productId: p.id, streamId: p.id, precision: precisionOf({ tickSize: p.tick, lotSize: p.lot }) })),
    { restart: () => restarts++ },
  );

  const ingest = (): number => {
    sync.connectionOpened();
    const t0 = performance.now();
    for (let i = 0; i < texts.length; i++) {
      sync.onMessage(texts[i]!);
      if (i % BATCH === BATCH - 1) rig.drain();
    }
    rig.drain();
    return performance.now() - t0;
  };
  let sink = 0;
  const parseOnly = (): number => {
    const t0 = performance.now();
    for (let i = 0; i < texts.length; i++) sink += (JSON.parse(texts[i]!) as { sequence_num: number }).sequence_num;
    return performance.now() - t0;
  };

  for (let i = 0; i < WARMUP; i++) {
    ingest();
    parseOnly();
  }
  // Runs alternate, and the ratio is taken per pair: both halves of a pair see the same machine load.
  const full: number[] = [];
  const bare: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    full.push(ingest());
    bare.push(parseOnly());
    ratios.push(full[i]! / bare[i]!);
  }
  rig.close();
  if (restarts > 0 || rig.collector.counters.badMessages > 0) throw new Error(`the recorded stream was refused (${restarts} restarts, ${rig.collector.counters.badMessages} bad): the bench measures nothing`);

  const tFull = median(full) / 1000;
  const tBare = median(bare) / 1000;
  const bytes = texts.reduce((n, t) => n + t.length, 0);
  console.log(`coinbase ingest: ${texts.length.toLocaleString('en-US')} messages, ${levels.toLocaleString('en-US')} level updates, ${fmt(bytes / texts.length, 0)} B/message; median of ${RUNS} runs${sink < 0 ? '!' : ''}`);
  console.log(`  handler → collector → ring : ${fmt(texts.length / tFull / 1e3, 1)}k msgs/s, ${fmt(levels / tFull / 1e3, 1)}k levels/s`);
  console.log(`  JSON.parse only            : ${fmt(texts.length / tBare / 1e3, 1)}k msgs/s`);
  console.log(`  ratio (collector / parse)  : ${fmt(median(ratios), 2)}× median per run pair (target < 2×); range ${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)}×`);
  console.log(`  ratio of the fastest runs  : ${fmt(Math.min(...full) / Math.min(...bare), 2)}× (least disturbed by other load on the machine)`);
}

if (isEntry(import.meta.url)) await main();
