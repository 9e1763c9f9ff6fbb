/**
 * Worker entry for the cross-thread ring tests. Roles:
 *  - produce: writes a deterministic stream of trades and multi-record book updates until
 *    `records` records have gone out, retrying (never dropping) when the ring is full;
 *  - consume: reads the stream back, checks every field against what the producer must have
 *    written, and blocks in waitSync whenever the ring is empty;
 *  - publish-after: sleeps `delayMs`, then publishes one trade (for waitAsync).
 * Both stream roles give up at `deadline` (epoch ms) so a hang ends the test instead of the run.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { micros, qty, ticks } from '../../shared/units';
import {
  BookFlags,
  RecordKind,
  bookCount,
  bookFlags,
  bookLevelPrice,
  bookLevelQty,
  bookLevelSide,
  bookPrevVersion,
  bookRecordsFor,
  bookSymbolId,
  bookVenueId,
  bookVersion,
  recordKind,
  tradeTradeId,
  tradePrice,
  tradeQty,
  tradeSymbolId,
  writeBookUpdate,
  writeTrade,
  type BookUpdateHeader,
  type TradeFields,
} from './records';
import { SpscRing } from './spsc-ring';

export interface StreamResult {
  role: 'produce' | 'consume';
  records: number;
  updates: number;
  checksum: number;
  /** produce: times the ring was full; consume: times waitSync was entered on an empty ring. */
  stalls: number;
  /** consume: waits that timed out although data had been published meanwhile (must stay 0). */
  lostWakeups: number;
  error?: string;
}

interface Data {
  role: 'produce' | 'consume' | 'publish-after';
  sab: SharedArrayBuffer;
  records: number;
  deadline: number;
  delayMs: number;
  /** produce: sleep 2 ms after every this many updates, so the consumer has to wait. */
  pauseEvery: number;
  /** Float64[1]: when the producer last published (epoch ms), for telling a lost wakeup from a slow producer */
  clock?: SharedArrayBuffer;
}

const data = workerData as Data;
const ring = SpscRing.attach(data.sab);
const sleepCell = new Int32Array(new SharedArrayBuffer(4));
const WAIT_MS = 1000;
const lastPublish = data.clock ? new Float64Array(data.clock) : new Float64Array(1);
const nowMs = (): number => performance.timeOrigin + performance.now();
/** A woken consumer runs within microseconds; data left unseen this long after its publish was missed. */
const LOST_AFTER_MS = 250;

/** Update `seq` is a book update of 0..40 levels (1..4 records) every 5th sequence, else a trade. */
const isBook = (seq: number): boolean => seq % 5 === 0;
const levelsOf = (seq: number): number => (seq * 7) % 41;
const priceOf = (seq: number, i: number): number => seq * 64 + i;
const qtyOf = (seq: number, i: number): number => (seq % 997) + i;
const sideOf = (seq: number, i: number): number => (seq + i) & 1;
const mix = (h: number, v: number): number => (Math.imul(h ^ (v | 0), 0x9e3779b1) + ((v / 4294967296) | 0)) | 0;

function produce(): StreamResult {
  const header: BookUpdateHeader = {
    venueId: 3, symbolId: 0, exchangeTs: micros(NaN), recvTs: micros(0), version: 0, prevVersion: 0, snapshot: false,
  };
  const trade: TradeFields = {
    venueId: 3, symbolId: 0, exchangeTs: micros(NaN), recvTs: micros(0), tradeId: 0, aggressor: 0, price: ticks(0), qty: qty(0),
  };
  const sides = new Uint8Array(64);
  const prices = new Float64Array(64);
  const qtys = new Float64Array(64);
  let sent = 0;
  let seq = 0;
  let checksum = 0;
  let stalls = 0;
  while (sent < data.records) {
    let ok: boolean;
    // stamped before the write: a consumer woken by this publish must never read an older stamp
    lastPublish[0] = nowMs();
    if (isBook(seq)) {
      const n = levelsOf(seq);
      for (let i = 0; i < n; i++) {
        sides[i] = sideOf(seq, i);
        prices[i] = priceOf(seq, i);
        qtys[i] = qtyOf(seq, i);
      }
      header.symbolId = seq & 0xffff;
      header.version = seq;
      header.prevVersion = seq - 1;
      header.snapshot = seq % 3 === 0;
      ok = writeBookUpdate(ring, header, sides, prices, qtys, n);
      if (ok) {
        sent += bookRecordsFor(n);
        for (let i = 0; i < n; i++) checksum = mix(mix(checksum, prices[i]), qtys[i] * 2 + sides[i]);
      }
    } else {
      trade.symbolId = seq & 0xffff;
      trade.tradeId = seq;
      trade.price = ticks(priceOf(seq, 0));
      trade.qty = qty(qtyOf(seq, 0));
      ok = writeTrade(ring, trade);
      if (ok) {
        sent++;
        checksum = mix(mix(checksum, trade.price), trade.qty);
      }
    }
    if (ok) {
      seq++;
      if (seq % data.pauseEvery === 0) Atomics.wait(sleepCell, 0, 0, 2);
    } else {
      stalls++;
      if ((stalls & 1023) === 0 && Date.now() > data.deadline) return { role: 'produce', records: sent, updates: seq, checksum, stalls, lostWakeups: 0, error: 'deadline' };
    }
  }
  return { role: 'produce', records: sent, updates: seq, checksum, stalls, lostWakeups: 0 };
}

function consume(): StreamResult {
  let received = 0;
  let seq = 0;
  let level = 0; // levels of update `seq` already seen (for continued records)
  let checksum = 0;
  let stalls = 0;
  let lostWakeups = 0;
  let error: string | undefined;
  const fail = (what: string): void => {
    error ??= `record ${received} (update ${seq}): ${what}`;
  };
  const handler = (off: number): void => {
    received++;
    if (error) return;
    if (!isBook(seq)) {
      if (recordKind(ring, off) !== RecordKind.Trade) return fail('expected a trade');
      if (tradeTradeId(ring, off) !== seq || tradeSymbolId(ring, off) !== (seq & 0xffff)) return fail(`trade id ${tradeTradeId(ring, off)}`);
      if (tradePrice(ring, off) !== priceOf(seq, 0) || tradeQty(ring, off) !== qtyOf(seq, 0)) return fail('trade payload');
      checksum = mix(mix(checksum, tradePrice(ring, off)), tradeQty(ring, off));
      seq++;
      return;
    }
    const total = levelsOf(seq);
    const last = level + 13 >= total;
    const expectFlags = (seq % 3 === 0 ? BookFlags.Snapshot : 0) | (last ? 0 : BookFlags.Continued);
    if (recordKind(ring, off) !== RecordKind.BookDelta) return fail('expected a book delta');
    if (bookVersion(ring, off) !== seq || bookPrevVersion(ring, off) !== seq - 1) return fail(`book version ${bookVersion(ring, off)}`);
    if (bookFlags(ring, off) !== expectFlags) return fail(`flags ${bookFlags(ring, off)}, expected ${expectFlags}`);
    if (bookVenueId(ring, off) !== 3 || bookSymbolId(ring, off) !== (seq & 0xffff)) return fail('venue/symbol');
    const n = bookCount(ring, off);
    if (n !== Math.min(13, total - level)) return fail(`count ${n}`);
    for (let i = 0; i < n; i++, level++) {
      const p = bookLevelPrice(ring, off, i);
      const q = bookLevelQty(ring, off, i);
      const s = bookLevelSide(ring, off, i);
      if (p !== priceOf(seq, level) || q !== qtyOf(seq, level) || s !== sideOf(seq, level)) return fail(`level ${level}`);
      checksum = mix(mix(checksum, p), q * 2 + s);
    }
    if (last) {
      seq++;
      level = 0;
    }
  };
  while (received < data.records) {
    if (ring.poll(handler) > 0) continue;
    if (Date.now() > data.deadline) return { role: 'consume', records: received, updates: seq, checksum, stalls, lostWakeups, error: error ?? 'deadline' };
    stalls++;
    // A wait that ran to its timeout and then found data published long before means a publish
    // failed to wake us. A full-length wait alone proves nothing: under load the producer itself
    // can be slow to start or descheduled, and then the data is simply fresh when we look.
    if (ring.waitSync(WAIT_MS) && nowMs() - lastPublish[0]! > LOST_AFTER_MS) lostWakeups++;
  }
  return { role: 'consume', records: received, updates: seq, checksum, stalls, lostWakeups, error };
}

if (data.role === 'publish-after') {
  setTimeout(() => {
    const t = { venueId: 1, symbolId: 2, exchangeTs: micros(NaN), recvTs: micros(5), tradeId: 42, aggressor: 1, price: ticks(100), qty: qty(7) } as const;
    parentPort?.postMessage({ published: writeTrade(ring, t) });
  }, data.delayMs);
} else {
  parentPort?.postMessage(data.role === 'produce' ? produce() : consume());
}
