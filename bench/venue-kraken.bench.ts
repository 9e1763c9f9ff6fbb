/**
 * Kraken ingest benchmark: recorded-shape WebSocket v2 messages (book updates at depth 25 with
 * checksums, trades) through the real KrakenHandler → Collector → SAB ring, next to JSON.parse
 * alone on the same texts. The handler parses, validates every number, applies to its shadow book,
 * truncates, checksums and stages into the collector; the ring is drained between batches.
 * Run: node --import tsx bench/venue-kraken.bench.ts   (about 5 s)
 */
import { BookView, MockBook, bookMessage, clock, rng, tradeMessage } from '../src/main/venues/kraken/tests/mock-book';
import { MOCK_PAIRS } from '../src/main/venues/kraken/tests/mock-server';
import { handlerRig } from '../src/main/venues/kraken/tests/handler-rig';
import { fmt, isEntry } from './support';

const DEPTH = 25;
const MESSAGES = 6000;
const BATCH = 256;
const WARMUP_RUNS = 3;
const RUNS = 9;

interface Recording {
  snapshots: string[];
  stream: string[];
  levels: number;
}

/** A few thousand messages as the mock venue sends them to one subscriber. */
function record(): Recording {
  const random = rng(11);
  const stamp = clock();
  const symbols = ['BTC/USD', 'ETH/USD', 'SOL/USD'];
  const books = symbols.map((s) => new MockBook(MOCK_PAIRS[s]!, random));
  const views = books.map(() => new BookView(DEPTH));
  const snapshots = books.map((b, i) => bookMessage('snapshot', b, views[i]!.snapshot(b), b.checksum(), stamp()));
  const stream: string[] = [];
  let levels = 0;
  let tradeId = 1;
  while (stream.length < MESSAGES) {
    const i = Math.floor(random() * books.length);
    const book = books[i]!;
    for (let e = 1 + Math.floor(random() * 3); e > 0; e--) {
      const trade = book.mutate();
      if (trade) stream.push(tradeMessage(book, trade, tradeId++, stamp()));
    }
    const diff = views[i]!.diff(book);
    if (diff[0].length + diff[1].length === 0) continue;
    levels += diff[0].length + diff[1].length;
    stream.push(bookMessage('update', book, diff, book.checksum(), stamp()));
  }
  return { snapshots, stream, levels };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function main(): Promise<void> {
  const rec = record();
  const bytes = rec.stream.reduce((n, m) => n + m.length, 0);
  const t = handlerRig(DEPTH, ['BTC-USD', 'ETH-USD', 'SOL-USD']);
  const c = t.rig.collector;

  const runHandler = (): number => {
    for (const s of rec.snapshots) t.handler.onMessage(s);
    t.rig.drain();
    const start = performance.now();
    for (let i = 0; i < rec.stream.length; i += BATCH) {
      const end = Math.min(rec.stream.length, i + BATCH);
      for (let j = i; j < end; j++) t.handler.onMessage(rec.stream[j]!);
      t.rig.drain();
    }
    return performance.now() - start;
  };
  let sink = 0;
  const runParse = (): number => {
    const start = performance.now();
    for (const m of rec.stream) sink += (JSON.parse(m) as { data: unknown[] }).data.length;
    return performance.now() - start;
  };

  for (let i = 0; i < WARMUP_RUNS; i++) {
    runHandler();
    runParse();
  }
  const handlerMs: number[] = [];
  const parseMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    handlerMs.push(runHandler());
    parseMs.push(runParse());
  }
  const failures = c.counters.checksumFailures + c.counters.badMessages + c.counters.gaps;
  t.close();

  const h = median(handlerMs);
  const p = median(parseMs);
  const n = rec.stream.length;
  console.log(`Kraken v2: ${n} messages (${fmt(bytes / n, 0)} B avg, ${fmt(rec.levels / (n - 0), 2)} levels/msg incl. trades), depth ${DEPTH}, median of ${RUNS}`);
  console.log(`  handler → collector → ring: ${fmt(n / (h / 1000), 0)} msgs/s, ${fmt(rec.levels / (h / 1000), 0)} level updates/s (${fmt((h * 1000) / n, 2)} µs/msg)`);
  console.log(`  JSON.parse only:            ${fmt(n / (p / 1000), 0)} msgs/s (${fmt((p * 1000) / n, 2)} µs/msg)`);
  console.log(`  ratio handler / JSON.parse: ${fmt(h / p, 2)}× (target < 2×)${failures > 0 ? `  !! ${failures} failures counted` : ''}${sink < 0 ? '' : ''}`);
}

if (isEntry(import.meta.url)) await main();
