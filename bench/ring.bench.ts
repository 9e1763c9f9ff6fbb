/**
 * SpscRing benchmark: producer and consumer in two worker threads.
 *  - throughput of 256-byte book records (13 levels each) and 128-byte trades, busy consumer;
 *  - one-way latency, paced producer, for a busy-polling and a waitSync consumer.
 * Run: node --import tsx bench/ring.bench.ts   (about 15 s)
 * This file is also the worker entry: workers load it with `workerData.ringBench` set.
 */
import { availableParallelism, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import * as hdr from 'hdr-histogram-js';
import {
  BOOK_RECORD_SIZE,
  TRADE_RECORD_SIZE,
  bookCount,
  bookLevelPrice,
  bookLevelQty,
  tradeExchangeTs,
  tradePrice,
  tradeQty,
  writeBookUpdate,
  writeTrade,
  type BookUpdateHeader,
  type TradeFields,
} from '../src/main/rings/records';
import { SpscRing } from '../src/main/rings/spsc-ring';
import { spawnWorker } from '../src/main/workers/spawn';

type Mode = 'book' | 'trade' | 'latency-busy' | 'latency-wait';

interface Job {
  ringBench: true;
  role: 'produce' | 'consume';
  mode: Mode;
  sab: SharedArrayBuffer;
  ctl: SharedArrayBuffer;
  durationMs: number;
  intervalNs: number;
}

interface Result {
  records: number;
  /** hrtime (ns) when the producer started / the consumer took the last record. */
  startNs: number;
  endNs: number;
  fulls: number;
  sink: number;
  latencyUs?: { p50: number; p99: number; p999: number; max: number; count: number };
}

// Control words shared by the two workers of one run.
/** Records per poll: the tail moves once per poll, so a smaller batch frees slots sooner. */
const POLL_BATCH = 256;
const GO = 0;
const DONE = 1;
const TOTAL = 2;

const nowNs = (): number => Number(process.hrtime.bigint());
const napCell = new Int32Array(new SharedArrayBuffer(4));
/** A producer facing a full ring yields its core now and then; on 2 cores spinning starves the consumer. */
const backoff = (fulls: number): void => {
  if ((fulls & 63) === 0) Atomics.wait(napCell, 0, 0, 0.02);
};

function produce(job: Job, ring: SpscRing, ctl: Int32Array): Result {
  const header: BookUpdateHeader = { venueId: 1, symbolId: 7, exchangeTs: 0, recvTs: 0, version: 0, prevVersion: 0, snapshot: false };
  const trade: TradeFields = { venueId: 1, symbolId: 7, exchangeTs: 0, recvTs: 0, tradeId: 0, aggressor: 0, price: 0, qty: 0 };
  const sides = new Uint8Array(13).map((_, i) => i & 1);
  const prices = Float64Array.from({ length: 13 }, (_, i) => 100_000 + i);
  const qtys = Float64Array.from({ length: 13 }, (_, i) => i + 1);
  const startNs = nowNs();
  const endNs = startNs + job.durationMs * 1e6;
  let sent = 0;
  let fulls = 0;
  if (job.mode === 'book' || job.mode === 'trade') {
    const book = job.mode === 'book';
    for (;;) {
      if ((sent & 1023) === 0 && nowNs() > endNs) break;
      let ok: boolean;
      if (book) {
        header.version = sent + 1;
        header.prevVersion = sent;
        ok = writeBookUpdate(ring, header, sides, prices, qtys, 13);
      } else {
        trade.tradeId = sent;
        trade.price = 100_000 + (sent & 15);
        trade.qty = 1 + (sent & 7);
        ok = writeTrade(ring, trade);
      }
      if (ok) sent++;
      else backoff(++fulls);
    }
  } else {
    for (let next = startNs; next < endNs; next += job.intervalNs) {
      while (nowNs() < next);
      trade.tradeId = sent;
      trade.exchangeTs = nowNs();
      while (!writeTrade(ring, trade)) backoff(++fulls);
      sent++;
    }
  }
  Atomics.store(ctl, TOTAL, sent);
  Atomics.store(ctl, DONE, 1);
  return { records: sent, startNs, endNs: nowNs(), fulls, sink: 0 };
}

function consume(job: Job, ring: SpscRing, ctl: Int32Array): Result {
  let received = 0;
  let endNs = 0;
  const sink = new Float64Array(1); // a captured `let` double would box on every +=
  const warmup = 1000;
  const hist = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 10_000_000_000, numberOfSignificantValueDigits: 3 });
  const onBook = (off: number): void => {
    const n = bookCount(ring, off);
    for (let i = 0; i < n; i++) sink[0] += bookLevelPrice(ring, off, i) * bookLevelQty(ring, off, i);
  };
  const onTrade = (off: number): void => {
    sink[0] += tradePrice(ring, off) * tradeQty(ring, off);
  };
  const onStamped = (off: number): void => {
    const latency = nowNs() - tradeExchangeTs(ring, off);
    if (++received > warmup) hist.recordValue(Math.max(1, Math.round(latency)));
  };
  const handler = job.mode === 'book' ? onBook : job.mode === 'trade' ? onTrade : onStamped;
  const waiting = job.mode === 'latency-wait';
  for (;;) {
    const n = ring.poll(handler, POLL_BATCH);
    if (n > 0) {
      if (handler !== onStamped) received += n;
      endNs = nowNs();
      continue;
    }
    if (Atomics.load(ctl, DONE) === 1 && received === Atomics.load(ctl, TOTAL) && ring.available() === 0) break;
    if (waiting) ring.waitSync(10);
  }
  const result: Result = { records: received, startNs: 0, endNs, fulls: 0, sink: sink[0] };
  if (handler === onStamped) {
    const us = (p: number): number => hist.getValueAtPercentile(p) / 1000;
    result.latencyUs = { p50: us(50), p99: us(99), p999: us(99.9), max: hist.maxValue / 1000, count: hist.totalCount };
  }
  hist.destroy();
  return result;
}

function workerMain(job: Job): void {
  const ring = SpscRing.attach(job.sab);
  const ctl = new Int32Array(job.ctl);
  parentPort?.postMessage('ready');
  Atomics.wait(ctl, GO, 0);
  parentPort?.postMessage(job.role === 'produce' ? produce(job, ring, ctl) : consume(job, ring, ctl));
}

/** Resolves with the worker's result message; `ready` fires on its 'ready' message. */
function start(job: Omit<Job, 'ringBench'>, ready: () => void): { worker: Worker; result: Promise<Result> } {
  const worker = spawnWorker(new URL(import.meta.url), { workerData: { ...job, ringBench: true } });
  const result = new Promise<Result>((resolve, reject) => {
    worker.on('message', (m: 'ready' | Result) => (m === 'ready' ? ready() : resolve(m)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`bench ${job.role} worker exited with ${code}`)));
  });
  return { worker, result };
}

async function runPair(mode: Mode, slotSize: number, capacity: number, durationMs: number, intervalNs = 0): Promise<[Result, Result]> {
  const ring = SpscRing.create({ slotSize, capacity });
  const ctl = new Int32Array(new SharedArrayBuffer(16));
  let ready = 0;
  const onReady = (): void => {
    if (++ready < 2) return;
    Atomics.store(ctl, GO, 1);
    Atomics.notify(ctl, GO);
  };
  const base = { mode, sab: ring.sab, ctl: ctl.buffer as SharedArrayBuffer, durationMs, intervalNs };
  const c = start({ ...base, role: 'consume' }, onReady);
  const p = start({ ...base, role: 'produce' }, onReady);
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${mode} run exceeded ${durationMs + 15_000} ms`)), durationMs + 15_000).unref());
  try {
    const [pr, cr] = await Promise.race([Promise.all([p.result, c.result]), timeout]);
    if (cr.records !== pr.records) throw new Error(`${mode}: produced ${pr.records}, consumed ${cr.records}`);
    return [pr, cr];
  } finally {
    await Promise.all([p.worker.terminate(), c.worker.terminate()]);
  }
}

const fmt = (n: number, digits = 1): string => n.toFixed(digits);

export async function main(): Promise<void> {
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  // Two spinning threads need two idle cores; other load shows up as ms-scale latency tails.
  console.log(`SpscRing bench — producer and consumer in two worker threads (${availableParallelism()} cores, load ${load})`);
  for (const [mode, slotSize, capacity] of [['book', BOOK_RECORD_SIZE, 4096], ['trade', TRADE_RECORD_SIZE, 8192]] as const) {
    const [p, c] = await runPair(mode, slotSize, capacity, 2000);
    const seconds = (c.endNs - p.startNs) / 1e9;
    console.log(
      `throughput ${mode.padEnd(5)} (${slotSize} B records, ring ${capacity}): ${fmt(p.records / seconds / 1e6, 2)} M records/s ` +
        `(${p.records} in ${fmt(seconds, 2)} s, ${fmt((p.records * slotSize) / seconds / 2 ** 20, 0)} MiB/s, producer found it full ${p.fulls} times)`,
    );
  }
  const intervalNs = 50_000;
  for (const mode of ['latency-busy', 'latency-wait'] as const) {
    const [, c] = await runPair(mode, TRADE_RECORD_SIZE, 1024, 1500, intervalNs);
    const l = c.latencyUs!;
    const label = mode === 'latency-busy' ? 'busy-polling consumer' : 'waitSync consumer    ';
    console.log(
      `latency ${label}: p50 ${fmt(l.p50)} µs  p99 ${fmt(l.p99)} µs  p99.9 ${fmt(l.p999)} µs  max ${fmt(l.max)} µs ` +
        `(${l.count} trades, one per ${intervalNs / 1000} µs)`,
    );
  }
}

const job = workerData as Partial<Job> | null;
if (!isMainThread && job?.ringBench) {
  workerMain(job as Job);
} else if (isMainThread && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
