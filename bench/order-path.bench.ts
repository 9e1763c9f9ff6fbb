/**
 * Order path latency on the paper venue, 10,000 orders each:
 *  (a) in the engine: place() = validation → pre-trade risk → journal append + fdatasync →
 *      paper venue send (and its ack/fill reports, each journaled too), with the journal's
 *      sync time reported on its own;
 *  (b) over the loopback WebSocket: a client sends place-order and times the 'order' event
 *      that comes back (both network hops and all of (a)).
 * The journal sits in the OS temp dir on the real disk (not tmpfs), as it would in use.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { OrderRequestSchema } from '../src/shared/trading';
import { testBook } from '../src/main/trading/test-support';
import { TradingDesk } from '../src/main/trading/desk';
import { RiskLimitsSchema } from '../src/main/trading/limits';
import { startPulse } from '../e2e/support/pulse-server';
import { fmt, isEntry, percentiles } from './support';

const N = Number(process.env.BENCH_ORDERS ?? 10_000);
const OPEN = { maxOrdersPerSecond: 1e9, maxOpenOrders: 1e9, maxGrossExposure: 1e15, dailyLossLimit: 1e15, symbols: {}, defaults: { maxOrderNotional: 1e12 } };

function inEngine(): void {
  const book = testBook(50, 1_000_000);
  const desk = new TradingDesk({
    journalPath: join(mkdtempSync(join(tmpdir(), 'pulse-bench-')), 'journal.ndjson'),
    limits: RiskLimitsSchema.parse(OPEN), fees: { takerFeeBps: 5, makerFeeBps: 1 },
    findBook: () => book, broadcast: () => {},
  });
  desk.start();
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const req = OrderRequestSchema.parse({
      clientOrderId: `bench-${i}`, venue: 'paper-test', symbol: 'BTC-USD', side: i % 2 ? 'buy' : 'sell',
      type: 'limit', qty: '0.001', price: i % 4 === 0 ? (i % 2 ? '100.05' : '99.95') : (i % 2 ? '99.50' : '100.50'),
    });
    const t0 = process.hrtime.bigint();
    desk.place(req);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const syncs = desk.journal.syncs;
  const syncMs = Number(desk.journal.syncNanos) / 1e6;
  desk.stop();
  const [p50, p99] = percentiles(times, [50, 99]);
  console.log(`order path in the engine (risk → journal sync → paper send + reports), ${N.toLocaleString()} orders: p50 ${fmt(p50!, 3)} ms, p99 ${fmt(p99!, 3)} ms`);
  console.log(`  journal: ${syncs.toLocaleString()} fdatasyncs (order + ack/fill reports), ${fmt(syncMs / syncs, 3)} ms each on average, ${fmt((syncMs / times.reduce((a, b) => a + b, 0)) * 100, 1)}% of the path`);
}

async function overWebSocket(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-'));
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ enabled: ['sim-a'], symbols: ['BTC-USD'], simulator: { updatesPerSecond: 200 }, trading: { risk: OPEN } }));
  const pulse = await startPulse(['--config', config, '--data-dir', dir]);
  try {
    const ws = new WebSocket(pulse.url.replace('http', 'ws') + 'ws');
    await new Promise((r) => ws.once('open', r));
    await new Promise((r) => setTimeout(r, 500));
    const sent = new Map<string, bigint>();
    const times: number[] = [];
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    ws.on('message', (data, bin) => {
      if (bin) return;
      const m = JSON.parse(data.toString()) as { type: string; message?: string; order?: { clientOrderId: string } };
      if (m.type === 'error') throw new Error(`engine refused a benchmark order: ${m.message}`);
      if (m.type !== 'order' || !m.order) return;
      const t0 = sent.get(m.order.clientOrderId);
      if (t0 === undefined) return;
      sent.delete(m.order.clientOrderId);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (times.length === N) done();
      else next();
    });
    let i = 0;
    const next = () => {
      const id = `ws-order-${i++}`;
      sent.set(id, process.hrtime.bigint());
      // IOC far below the market: checked, journaled, sent, acked and cancelled at once, so the
      // desk's state does not grow with the run (10,000 resting orders is no manual trader's book)
      ws.send(JSON.stringify({ type: 'place-order', order: { clientOrderId: id, venue: 'sim-a', symbol: 'BTC-USD', side: 'buy', type: 'limit', tif: 'IOC', qty: '0.001', price: '1000.00' } }));
    };
    next();
    await finished;
    ws.close();
    const [p50, p99] = percentiles(times, [50, 99]);
    console.log(`order round trip over loopback WebSocket (place-order → its first 'order' event), ${N.toLocaleString()} orders one at a time: p50 ${fmt(p50!, 3)} ms, p99 ${fmt(p99!, 3)} ms`);
  } finally {
    await pulse.stop();
  }
}

export async function main(): Promise<void> {
  inEngine();
  await overWebSocket();
}

if (isEntry(import.meta.url)) await main();
