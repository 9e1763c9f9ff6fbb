/**
 * Binance.US ingest: recorded-shape `/ws` messages (diff depth events of ~10 levels and trades,
 * 8-decimal strings as the venue sends them) through the real handler → book sync → Collector →
 * SAB rings (drained between batches, untimed: the engine drains from another thread), next to
 * JSON.parse alone on the same messages, in the same batches.
 * Run: node --import tsx bench/venue-binanceus.bench.ts   (a few seconds)
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/web-socket-streams.md
 */
import { MOCK_INSTRUMENTS, MockBook, rng } from '../src/main/venues/binanceus/tests/mock-book';
import { binanceRig } from '../src/main/venues/binanceus/tests/rig-support';
import { fmt, isEntry } from './support';

const MESSAGES = 6000;
const BATCH = 256;
const RUNS = 15;
const WARMUP = 3;

function generate() {
  const book = new MockBook(MOCK_INSTRUMENTS[0]!, rng(42), 400, 20);
  const snapshot = book.snapshot(5000);
  const messages: string[] = [];
  let levels = 0;
  let t = 1_718_900_000_000;
  while (messages.length < MESSAGES) {
    t += 7;
    if (messages.length % 4 === 3) {
      const trade = book.trade(t);
      if (trade) messages.push(JSON.stringify(trade));
    }
    const ev = book.step(t);
    levels += ev.b.length + ev.a.length;
    messages.push(JSON.stringify(ev));
  }
  return { snapshot, messages, levels, bytes: messages.reduce((n, m) => n + m.length, 0) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function main(): Promise<void> {
  const { snapshot, messages, levels, bytes } = generate();
  const r = binanceRig(['BTC-USD']);
  const sync = r.syncs[0]!;

  const ingest = (): number => {
    // Each run replays from the same snapshot, so update ids chain exactly as on the venue.
    r.connect();
    r.snapshot(0, snapshot);
    r.rig.drain();
    // Only the producer side is timed: in the engine the ring is drained by another thread.
    let ms = 0;
    for (let i = 0; i < messages.length; i += BATCH) {
      const end = Math.min(i + BATCH, messages.length);
      const t0 = performance.now();
      for (let j = i; j < end; j++) r.handler.onMessage(messages[j]!);
      ms += performance.now() - t0;
      r.rig.drain();
    }
    return ms;
  };
  const parseOnly = (): number => {
    const t0 = performance.now();
    for (let i = 0; i < messages.length; i += BATCH) {
      const end = Math.min(i + BATCH, messages.length);
      for (let j = i; j < end; j++) JSON.parse(messages[j]!);
    }
    return performance.now() - t0;
  };

  for (let i = 0; i < WARMUP; i++) {
    ingest();
    parseOnly();
  }
  const ingestMs: number[] = [];
  const parseMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    ingestMs.push(ingest());
    parseMs.push(parseOnly());
  }
  const c = r.rig.collector.counters;
  if (c.gaps || c.badMessages || c.resyncs || sync.phase !== 'live') throw new Error(`bench stream not clean: ${JSON.stringify(c)} phase ${sync.phase}`);
  const book = r.rig.collector.book(0);
  if (!(book.bestPrice(0) < book.bestPrice(1))) throw new Error('bench book crossed');
  r.close();

  const ing = median(ingestMs);
  const par = median(parseMs);
  // Each ratio pairs runs made back to back, so load from other processes shifts both alike.
  const ratio = median(ingestMs.map((ms, i) => ms / parseMs[i]!));
  const perSec = (n: number, ms: number) => fmt((n / ms) * 1000, 0);
  console.log(`binanceus ingest: ${messages.length} messages (${levels} levels, ${fmt(bytes / messages.length, 0)} B avg), median of ${RUNS} runs`);
  console.log(`  handler → collector → ring: ${perSec(messages.length, ing)} msg/s, ${perSec(levels, ing)} levels/s (${fmt(ing)} ms)`);
  console.log(`  JSON.parse only:            ${perSec(messages.length, par)} msg/s (${fmt(par)} ms)`);
  console.log(`  ratio collector / JSON.parse: ${fmt(ratio)}× (median of per-run ratios; target < 2×)`);
}

if (isEntry(import.meta.url)) await main();
