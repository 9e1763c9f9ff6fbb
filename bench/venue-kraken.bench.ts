/**
 * Kraken ingest benchmark: recorded-shape WebSocket v2 messages (book updates at depth 25 with
 * checksums, trades) through the real KrakenHandler → Collector → SAB ring, next to JSON.parse
 * alone on the same texts. The handler reads plain book updates and trades with its own scanner
 * (fast-scan.ts; anything else goes through JSON.parse), validates every number, applies to its
 * shadow book, truncates, checksums and stages into the collector; the ring is drained between
 * batches. Run: node --import tsx bench/venue-kraken.bench.ts   (about 2 s)
 */
import { BookView, MockBook, bookMessage, clock, rng, tradeMessage } from '../src/main/venues/kraken/tests/mock-book';
import { MOCK_PAIRS } from '../src/main/venues/kraken/tests/mock-server';
import { handlerRig } from '../src/main/venues/kraken/tests/handler-rig';
import { fmt, isEntry } from './support';

const DEPTH = 25;
const MESSAGES = 6000;
const BATCH = 500;
const WARMUP_RUNS = 3;
const RUNS = 15;

interface Recording {
  snapshots: string[];
  stream: string[];
  books: number;
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
  let updates = 0;
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
    updates++;
    stream.push(bookMessage('update', book, diff, book.checksum(), stamp()));
  }
  // As ws hands them over: flat strings decoded from a buffer (template-built ones are rope strings).
  const flat = (m: string) => Buffer.from(m).toString();
  return { snapshots: snapshots.map(flat), stream: stream.map(flat), books: updates, levels };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function main(): Promise<void> {
  const rec = record();
  const bytes = rec.stream.reduce((n, m) => n + m.length, 0);
  const t = handlerRig(DEPTH, ['BTC-USD', 'ETH-USD', 'SOL-USD']);
  const c = t.rig.collector;

  let sink = 0;
  /**
   * One pass over the stream in batches; each batch goes through the handler, then (same texts)
   * through JSON.parse alone, so both see the same machine load. The ring is drained between
   * batches, outside the timing (that is the engine's side).
   */
  const run = (): [handlerMs: number, parseMs: number] => {
    for (const s of rec.snapshots) t.handler.onMessage(s);
    t.rig.drain();
    let h = 0;
    let p = 0;
    for (let i = 0; i < rec.stream.length; i += BATCH) {
      const end = Math.min(rec.stream.length, i + BATCH);
      let start = performance.now();
      for (let j = i; j < end; j++) t.handler.onMessage(rec.stream[j]!);
      h += performance.now() - start;
      t.rig.drain();
      start = performance.now();
      for (let j = i; j < end; j++) sink += (JSON.parse(rec.stream[j]!) as { data?: unknown[] }).data?.length ?? 0;
      p += performance.now() - start;
    }
    return [h, p];
  };

  for (let i = 0; i < WARMUP_RUNS; i++) run();
  const handlerMs: number[] = [];
  const parseMs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const [h, p] = run();
    handlerMs.push(h);
    parseMs.push(p);
    ratios.push(h / p);
  }
  const failures = c.counters.checksumFailures + c.counters.badMessages + c.counters.gaps;
  t.close();

  const h = median(handlerMs);
  const p = median(parseMs);
  const n = rec.stream.length;
  console.log(`Kraken v2: ${n} messages (${rec.books} book updates, ${n - rec.books} trades; ${fmt(bytes / n, 0)} B avg; ${fmt(rec.levels / rec.books, 2)} levels per update), depth ${DEPTH}, median of ${RUNS}${sink < 0 ? '' : ''}`);
  console.log(`  handler → collector → ring: ${fmt(n / (h / 1000), 0)} msgs/s, ${fmt(rec.levels / (h / 1000), 0)} level updates/s (${fmt((h * 1000) / n, 2)} µs/msg)`);
  console.log(`  JSON.parse only:            ${fmt(n / (p / 1000), 0)} msgs/s (${fmt((p * 1000) / n, 2)} µs/msg)`);
  console.log(`  ratio handler / JSON.parse: ${fmt(median(ratios), 2)}× median, ${fmt(Math.min(...ratios), 2)}× best run (target < 2×)${failures > 0 ? `  !! ${failures} failures counted` : ''}`);
}

if (isEntry(import.meta.url)) await main();
