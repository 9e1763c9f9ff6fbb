/**
 * OANDA ingest: recorded-shape price-stream lines (https://developer.oanda.com/rest-live-v20/pricing-ep/)
 * through the real OandaBookSync → Collector → SAB ring (drained between batches), next to
 * JSON.parse alone on the same lines. Prints messages/s, level updates/s and the ratio.
 * Run: node --import tsx bench/venue-oanda.bench.ts   (a few seconds)
 */
import { readFileSync } from 'node:fs';
import { bookCount } from '../src/main/rings/records';
import { collectorRig } from '../src/main/testing/collector-rig';
import { OandaBookSync } from '../src/main/venues/oanda/book-sync';
import { selectInstruments } from '../src/main/venues/oanda/symbols';
import { fmt, isEntry } from './support';

const LINES = 6000;
const BATCH = 500;
const RUNS = 9;
const NAMES = ['EUR_USD', 'GBP_USD', 'USD_JPY'];
const LIQUIDITY = [250_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000];

/** A realistic line mix: PRICEs (mostly one bucket's liquidity changes, sometimes the price moves or depth changes) and a HEARTBEAT every ~5 s of 200 PRICE/s. */
function recordedShapeLines(n: number): string[] {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const dp: Record<string, number> = { EUR_USD: 5, GBP_USD: 5, USD_JPY: 3 };
  const state = NAMES.map((name) => ({ name, mid: name === 'USD_JPY' ? 150_000 : 110_000, bids: [] as number[][], asks: [] as number[][] }));
  const rebuild = (s: (typeof state)[number]) => {
    const half = 3 + Math.floor(rnd() * 7);
    const side = (p: number, dir: number) => Array.from({ length: 1 + Math.floor(rnd() * 4) }, (_, k) => [p + dir * k * (1 + Math.floor(rnd() * 3)), LIQUIDITY[Math.min(k + 1, 5)]!]);
    s.bids = side(s.mid - half, -1);
    s.asks = side(s.mid + half, 1);
  };
  state.forEach(rebuild);
  const fmtTicks = (t: number, d: number) => `${String(t).slice(0, -d)}.${String(t).slice(-d)}`;
  let micros = Date.UTC(2016, 8, 20, 15, 5, 47) * 1000;
  const time = () => {
    micros += 1 + Math.floor(rnd() * 10_000);
    return `${new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19)}.${String(micros % 1_000_000).padStart(6, '0')}532Z`;
  };
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 1000 === 999) {
      out.push(`{"type":"HEARTBEAT","time":"${time()}"}`);
      continue;
    }
    const s = state[Math.floor(rnd() * state.length)]!;
    const r = rnd();
    const side = rnd() < 0.5 ? s.bids : s.asks;
    if (r < 0.55) side[Math.floor(rnd() * side.length)]![1] = LIQUIDITY[Math.floor(rnd() * 6)]!;
    else {
      s.mid += Math.floor(rnd() * 7) - 3;
      rebuild(s);
    }
    const d = dp[s.name]!;
    const bucket = ([p, q]: number[]) => ({ price: fmtTicks(p!, d), liquidity: q });
    out.push(JSON.stringify({
      type: 'PRICE', time: time(), bids: s.bids.map(bucket), asks: s.asks.map(bucket),
      closeoutBid: fmtTicks(s.bids.at(-1)![0]!, d), closeoutAsk: fmtTicks(s.asks.at(-1)![0]!, d), status: 'tradeable', tradeable: true, instrument: s.name,
    }));
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function main(): Promise<void> {
  const lines = recordedShapeLines(LINES);
  const meta = JSON.parse(readFileSync(new URL('../src/main/venues/oanda/test_data/instruments.json', import.meta.url), 'utf8'));
  const instruments = selectInstruments(meta, NAMES.map((n) => n.replace('_', '-'))).instruments;
  const rig = collectorRig('oanda');
  rig.collector.setInstruments(instruments.map(({ symbol, tickSize, lotSize }) => ({ symbol, tickSize, lotSize })));
  const sync = new OandaBookSync(rig.collector, instruments);
  let levels = 0;
  const drain = () => {
    rig.bookRing.poll((off) => (levels += bookCount(rig.bookRing, off)));
    rig.tradeRing.poll(() => {});
  };

  let sink = 0;
  /** One pass over all lines in batches; each batch is timed through the handler and through JSON.parse alone, in alternating order, so both see the same machine load. */
  const pass = (): [ingestMs: number, parseMs: number] => {
    sync.onConnect(); // each pass is a fresh stream: the first PRICE of each instrument is a snapshot
    let ingestMs = 0;
    let parseMs = 0;
    for (let i = 0, b = 0; i < lines.length; i += BATCH, b++) {
      const end = Math.min(lines.length, i + BATCH);
      for (let k = 0; k < 2; k++) {
        const t0 = performance.now();
        if ((k + b) % 2 === 0) {
          for (let j = i; j < end; j++) sync.onLine(lines[j]!);
          drain();
          ingestMs += performance.now() - t0;
        } else {
          for (let j = i; j < end; j++) sink += (JSON.parse(lines[j]!) as { type: string }).type.length;
          parseMs += performance.now() - t0;
        }
      }
    }
    return [ingestMs, parseMs];
  };

  for (let w = 0; w < 3; w++) pass();
  const ingestMs: number[] = [];
  const parseMs: number[] = [];
  levels = 0;
  for (let r = 0; r < RUNS; r++) {
    const [i, p] = pass();
    ingestMs.push(i);
    parseMs.push(p);
  }
  const levelsPerRun = levels / RUNS;
  const c = rig.collector.counters;
  rig.close();
  const ingestRate = lines.length / (median(ingestMs) / 1000);
  const parseRate = lines.length / (median(parseMs) / 1000);
  console.log(`${lines.length} lines (${Math.round(levelsPerRun)} level updates per pass, ${c.badMessages} bad, ${c.gaps} gaps), median of ${RUNS} passes, checksum ${sink % 10}`);
  console.log(`  handler → collector → ring : ${fmt(ingestRate / 1000, 1)} k msg/s, ${fmt((levelsPerRun / (median(ingestMs) / 1000)) / 1000, 1)} k level updates/s`);
  console.log(`  JSON.parse only            : ${fmt(parseRate / 1000, 1)} k msg/s`);
  console.log(`  cost ratio (ingest / parse): ${fmt(median(ingestMs) / median(parseMs), 2)}× (target < 2×)`);
}

if (isEntry(import.meta.url)) await main();
