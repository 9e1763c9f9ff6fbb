/**
 * Shared-memory tap (issue #7) beside the in-process SAB ring (issue #2), in one run:
 *  - write latency per record, p50/p99: shm copy of a ready record (what the engine's tap does
 *    per drained record) vs SpscRing writeBookUpdate/writeTrade (encode + publish);
 *  - one-way latency writer → polling reader, p50/p99, one trade every 100 µs stamped with
 *    CLOCK_MONOTONIC: to a Python process (examples/python/pulse_shm_reader.py --latency) and to a
 *    worker thread polling an SpscRing (process.hrtime.bigint and time.monotonic_ns read the same clock).
 * Run: npm run build && node --import tsx bench/run.ts shm   (about 15 s; needs the addon built)
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { BOOK_RECORD_SIZE, TRADE_RECORD_SIZE, tradeExchangeTs, writeBookUpdate, writeTrade, type BookUpdateHeader, type TradeFields } from '../src/main/rings/records';
import { SpscRing } from '../src/main/rings/spsc-ring';
import { loadAddon, type ShmWriter } from '../src/main/shm/addon';
import { spawnWorker } from '../src/main/workers/spawn';
import { fmt, histogram, isEntry, sleep } from './support';

const WRITES = 200_000;
const WARMUP = 20_000;
const LATENCY_TRADES = 20_000;
const INTERVAL_NS = 100_000;
const READER = fileURLToPath(new URL('../examples/python/pulse_shm_reader.py', import.meta.url));

const nowNs = (): bigint => process.hrtime.bigint();
type Hist = ReturnType<typeof histogram>;
const us = (h: Hist, p: number): string => fmt(h.getValueAtPercentile(p) / 1000, 2);

/** Times `fn` alone, `WRITES` times after a warmup; `after` (untimed) drains what the write filled. */
function timeEach(fn: (i: number) => void, after: () => void = () => {}): Hist {
  const h = histogram();
  for (let i = 0; i < WARMUP + WRITES; i++) {
    const t0 = nowNs();
    fn(i);
    const dt = Number(nowNs() - t0);
    if (i >= WARMUP) h.recordValue(Math.max(1, dt));
    after();
  }
  return h;
}

function header13(): { header: BookUpdateHeader; sides: Uint8Array; prices: Float64Array; qtys: Float64Array } {
  return {
    header: { venueId: 1, symbolId: 7, exchangeTs: 0, recvTs: 0, version: 0, prevVersion: 0, snapshot: false },
    sides: new Uint8Array(13).map((_, i) => i & 1),
    prices: Float64Array.from({ length: 13 }, (_, i) => 100_000 + i),
    qtys: Float64Array.from({ length: 13 }, (_, i) => i + 1),
  };
}

function writeLatency(writer: ShmWriter): void {
  const timer = timeEach(() => {});
  console.log(`write latency per record (hrtime around each call; the timer alone costs p50 ${us(timer, 50)} µs, included below):`);
  // The records the tap copies already sit encoded in the collector ring's slots: one per kind here.
  const src = SpscRing.create({ slotSize: BOOK_RECORD_SIZE, capacity: 16 });
  const { header, sides, prices, qtys } = header13();
  writeBookUpdate(src, header, sides, prices, qtys, 13);
  const shmBook = timeEach(() => writer.writeBook(src.bytes, 0));
  const shmTrade = timeEach(() => writer.writeTrade(src.bytes, 0));
  const ring = SpscRing.create({ slotSize: BOOK_RECORD_SIZE, capacity: 1024 });
  const drain = (): void => void ring.poll(() => {}, 1024);
  const sabBook = timeEach((i) => {
    header.version = i + 1;
    header.prevVersion = i;
    writeBookUpdate(ring, header, sides, prices, qtys, 13);
  }, drain);
  const tradeRing = SpscRing.create({ slotSize: TRADE_RECORD_SIZE, capacity: 1024 });
  const trade: TradeFields = { venueId: 1, symbolId: 7, exchangeTs: 0, recvTs: 0, tradeId: 0, aggressor: 0, price: 100_000, qty: 3 };
  const sabTrade = timeEach((i) => {
    trade.tradeId = i;
    writeTrade(tradeRing, trade);
  }, () => void tradeRing.poll(() => {}, 1024));
  const row = (label: string, h: Hist) => console.log(`  ${label.padEnd(62)} p50 ${us(h, 50)} µs  p99 ${us(h, 99)} µs  p99.9 ${us(h, 99.9)} µs  (${WRITES} records)`);
  row('shm   book  256 B: copy a ready record + publish (tap path)', shmBook);
  row('shm   trade 128 B: copy a ready record + publish (tap path)', shmTrade);
  row('SAB   book  256 B: writeBookUpdate, 13 levels, encode + publish', sabBook);
  row('SAB   trade 128 B: writeTrade, encode + publish', sabTrade);
  for (const h of [timer, shmBook, shmTrade, sabBook, sabTrade]) h.destroy();
}

/** Busy-waits to each 100 µs mark and calls `send` with the CLOCK_MONOTONIC stamp. */
function paced(count: number, send: (stampNs: number) => void): void {
  let next = nowNs();
  for (let i = 0; i < count; i++) {
    next += BigInt(INTERVAL_NS);
    while (nowNs() < next);
    send(Number(nowNs()));
  }
}

async function shmToPython(writer: ShmWriter, path: string): Promise<string> {
  const child = spawn('python3', [READER, path, '--latency', String(LATENCY_TRADES), '--timeout', '30', '--name', 'bench'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let waited = 0; !writer.readers().some((r) => r.alive); waited += 10) {
    if (waited > 10_000) throw new Error('the Python reader did not attach');
    await sleep(10);
  }
  const record = new Uint8Array(TRADE_RECORD_SIZE);
  const f64 = new Float64Array(record.buffer);
  record[0] = 2;
  paced(LATENCY_TRADES + 400, (stamp) => {
    f64[1] = stamp; // exchangeTs carries the monotonic ns in this bench
    writer.writeTrade(record, 0);
  });
  await exited;
  const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { count: number; p50Us: number; p99Us: number; p999Us: number; maxUs: number };
  return `p50 ${fmt(r.p50Us)} µs  p99 ${fmt(r.p99Us)} µs  p99.9 ${fmt(r.p999Us)} µs  max ${fmt(r.maxUs)} µs  (${r.count} trades)`;
}

interface WorkerJob {
  shmBench: true;
  sab: SharedArrayBuffer;
  count: number;
}

/** Worker side: busy-polls the SpscRing, records now − stamp per trade. */
function ringConsumer(job: WorkerJob): void {
  const ring = SpscRing.attach(job.sab);
  const h = histogram();
  let seen = 0;
  parentPort!.postMessage('ready');
  const onTrade = (off: number): void => {
    const latency = Number(nowNs()) - tradeExchangeTs(ring, off);
    if (++seen > 400) h.recordValue(Math.max(1, Math.round(latency)));
  };
  while (seen < job.count + 400) ring.poll(onTrade, 256);
  parentPort!.postMessage({ p50: h.getValueAtPercentile(50), p99: h.getValueAtPercentile(99), p999: h.getValueAtPercentile(99.9), max: h.maxValue, count: h.totalCount });
}

async function sabToWorker(): Promise<string> {
  const ring = SpscRing.create({ slotSize: TRADE_RECORD_SIZE, capacity: 1024 });
  const worker = spawnWorker(new URL(import.meta.url), { workerData: { shmBench: true, sab: ring.sab, count: LATENCY_TRADES } satisfies WorkerJob });
  const messages: unknown[] = [];
  worker.on('message', (m) => messages.push(m));
  while (messages.length === 0) await sleep(10);
  const trade: TradeFields = { venueId: 1, symbolId: 7, exchangeTs: 0, recvTs: 0, tradeId: 0, aggressor: 0, price: 100_000, qty: 3 };
  paced(LATENCY_TRADES + 400, (stamp) => {
    trade.exchangeTs = stamp;
    writeTrade(ring, trade);
  });
  while (messages.length < 2) await sleep(10);
  await worker.terminate();
  const r = messages[1] as { p50: number; p99: number; p999: number; max: number; count: number };
  return `p50 ${fmt(r.p50 / 1000)} µs  p99 ${fmt(r.p99 / 1000)} µs  p99.9 ${fmt(r.p999 / 1000)} µs  max ${fmt(r.max / 1000)} µs  (${r.count} trades)`;
}

export async function main(): Promise<void> {
  const load = loadAddon();
  if (!load.ok) {
    console.log(`shm bench skipped: ${load.reason}`);
    return;
  }
  const path = `/dev/shm/pulse-bench-${process.pid}`;
  const writer = new load.addon.Writer(path, { bookSlots: 1 << 14, tradeSlots: 1 << 14, readerSlots: 4, heartbeatMs: 100, staleAfterMs: 5000, name: 'pulse-bench' });
  const heartbeat = setInterval(() => writer.heartbeat(), 100);
  try {
    console.log(`shm tap vs SAB ring (${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${path})`);
    writeLatency(writer);
    console.log(`one-way latency, one trade per ${INTERVAL_NS / 1000} µs, busy-polling reader, CLOCK_MONOTONIC both sides:`);
    console.log(`  shm → Python process (pulse_shm_reader.py --latency)   ${await shmToPython(writer, path)}`);
    console.log(`  SAB ring → worker thread (SpscRing.poll)                ${await sabToWorker()}`);
  } finally {
    clearInterval(heartbeat);
    writer.close(true);
    rmSync(path, { force: true });
  }
}

const job = workerData as Partial<WorkerJob> | null;
if (!isMainThread && job?.shmBench) ringConsumer(job as WorkerJob);
else if (isMainThread && isEntry(import.meta.url)) await main();
