/**
 * A writer process for the shm tests (not the engine): `node --import tsx shm-writer-child.ts '<json>'`.
 *   mode "sequence": waits for a reader, then writes `count` book records whose `version` is 1, 2, 3…,
 *     pacing on the reader's published sequence so a healthy reader is never lapped (the engine's
 *     tap never paces); prints {"written", "pauses", "seconds"} when the reader has read them all.
 *   mode "crash": writes `count` records, heartbeats, prints {"ready"} and waits to be killed.
 */
import { BOOK_RECORD_SIZE } from '../rings/records';
import { loadAddon } from './addon';

interface Job {
  mode: 'sequence' | 'crash';
  path: string;
  count: number;
  bookSlots: number;
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const load = loadAddon();
if (!load.ok) {
  console.error(load.reason);
  process.exit(2);
}
const writer = new load.addon.Writer(job.path, { bookSlots: job.bookSlots, tradeSlots: 1024, readerSlots: 4, heartbeatMs: 50, staleAfterMs: 1000, name: `test-writer/${job.mode}` });
const record = new Uint8Array(BOOK_RECORD_SIZE);
const f64 = new Float64Array(record.buffer);
record[0] = 1; // kind: book delta, zero levels
const nap = new Int32Array(new SharedArrayBuffer(4));
const sleepMs = (ms: number): void => void Atomics.wait(nap, 0, 0, ms);
const heartbeat = setInterval(() => writer.heartbeat(), 50);

function writeSequence(): void {
  for (let waited = 0; writer.readers().filter((r) => r.alive).length === 0; waited += 5) {
    if (waited > 10_000) throw new Error('no reader attached within 10 s');
    sleepMs(5);
  }
  const headroom = job.bookSlots - 1024;
  const started = performance.now();
  let pauses = 0;
  for (let i = 0; i < job.count; i++) {
    if ((i & 255) === 0) {
      while (writer.bookBacklog() > headroom) {
        pauses++;
        sleepMs(0.05);
      }
    }
    f64[3] = i + 1; // version: the payload sequence the reader checks
    f64[4] = i;
    writer.writeBook(record, 0);
  }
  const seconds = (performance.now() - started) / 1000;
  // Close only once the reader has read everything (it stops at `count`; a dead reader ends the wait).
  for (let waited = 0; writer.bookBacklog() > 0 && waited < 30_000; waited += 5) sleepMs(5);
  console.log(JSON.stringify({ written: job.count, pauses, seconds }));
  clearInterval(heartbeat);
  writer.close(true);
}

if (job.mode === 'sequence') {
  writeSequence();
} else {
  for (let i = 0; i < job.count; i++) {
    f64[3] = i + 1;
    writer.writeBook(record, 0);
  }
  console.log(JSON.stringify({ ready: true, pid: process.pid }));
}
