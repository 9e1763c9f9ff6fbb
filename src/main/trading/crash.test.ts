/**
 * Crash test: a real engine process with the paper venue is SIGKILLed at a random moment during
 * a burst of order submissions, then restarted on the same data dir. What must hold every time:
 * the journal verifies after restart, every order the client saw acknowledged is present
 * exactly once, no order is journaled or sent (acked) twice, and resubmitting the same client
 * order ids creates nothing new.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { verifyJournalFile } from './journal';

const CLI = new URL('../cli.ts', import.meta.url).pathname;

function startEngine(dataDir: string, config: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PULSE_LOG_LEVEL: 'error' },
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`engine did not start:\n${out}`)), 30_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /web shell on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!.replace('http', 'ws') + 'ws' });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`engine exited ${code}:\n${out}`)));
  });
}

function connect(url: string): Promise<{ ws: WebSocket; events: Array<Record<string, any>> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const events: Array<Record<string, any>> = [];
    ws.on('message', (data, isBinary) => {
      if (!isBinary) events.push(JSON.parse(data.toString()));
    });
    ws.once('open', () => resolve({ ws, events }));
    ws.once('error', reject);
  });
}

const journalEntries = (dir: string) =>
  readFileSync(join(dir, 'journal.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; data: any });

describe('crash safety', () => {
  it('survives SIGKILL at random points of an order burst: nothing lost, nothing doubled', async () => {
    const runs = 5;
    for (let run = 0; run < runs; run++) {
      const dir = mkdtempSync(join(tmpdir(), 'pulse-crash-'));
      const config = join(dir, 'config.json');
      writeFileSync(config, JSON.stringify({
        enabled: ['sim-a'], symbols: ['BTC-USD'], simulator: { updatesPerSecond: 100 },
        trading: { risk: { maxOrdersPerSecond: 100000, maxOpenOrders: 100000, maxGrossExposure: 1e12, dailyLossLimit: 1e12, symbols: {}, defaults: { maxOrderNotional: 1e9 } } },
      }));
      const first = await startEngine(dir, config);
      const a = await connect(first.url);
      await new Promise((r) => setTimeout(r, 300)); // the book is live
      const ids: string[] = [];
      let i = 0;
      const burst = setInterval(() => {
        for (let k = 0; k < 10; k++) {
          const id = `crash-${run}-${i++}`;
          ids.push(id);
          const marketable = i % 3 === 0;
          a.ws.send(JSON.stringify({
            type: 'place-order',
            order: marketable
              ? { clientOrderId: id, venue: 'sim-a', symbol: 'BTC-USD', side: i % 2 ? 'buy' : 'sell', type: 'market', qty: '0.001', tif: 'IOC' }
              : { clientOrderId: id, venue: 'sim-a', symbol: 'BTC-USD', side: 'buy', type: 'limit', qty: '0.001', price: '60000.00' },
          }));
        }
      }, 2);
      // Injected: SIGKILL at a random point of the burst.
      await new Promise((r) => setTimeout(r, 100 + Math.floor(Math.random() * 400)));
      first.child.kill('SIGKILL');
      clearInterval(burst);
      await new Promise((r) => first.child.once('exit', r));
      const acked = new Set(a.events.filter((e) => e.type === 'order').map((e) => e.order.clientOrderId as string));
      a.ws.terminate();

      const second = await startEngine(dir, config);
      try {
        expect(verifyJournalFile(join(dir, 'journal.ndjson'))).toMatchObject({ ok: true });
        const b = await connect(second.url);
        await new Promise((r) => setTimeout(r, 200));
        const snapshot = b.events.find((e) => e.type === 'orders')!;
        const seen = (snapshot.orders as Array<{ clientOrderId: string; state: string }>).map((o) => o.clientOrderId);
        expect(new Set(seen).size).toBe(seen.length); // each order once
        for (const o of snapshot.orders as Array<{ state: string }>) expect(o.state).not.toBe('pending'); // unknowns were expired, not re-sent

        const entries = journalEntries(dir);
        const journaled = entries.filter((e) => e.kind === 'order').map((e) => e.data.req.clientOrderId as string);
        expect(new Set(journaled).size).toBe(journaled.length); // journaled once each
        // Nothing a client saw is lost: every order it had an event for is in the journal the
        // restarted desk was rebuilt from, and the desk shows the newest of them (its snapshot
        // carries the last 500 orders; a fast run places more than that before the kill).
        const onDisk = new Set(journaled);
        for (const id of acked) expect(onDisk.has(id), id).toBe(true);
        expect(seen).toEqual(journaled.slice(-500));
        const acks = entries.filter((e) => e.kind === 'report' && e.data.type === 'ack').map((e) => e.data.clientOrderId as string);
        expect(new Set(acks).size).toBe(acks.length); // sent (acknowledged by the venue) at most once each

        // A client retrying everything it sent creates nothing new.
        for (const id of ids.slice(0, 200)) {
          b.ws.send(JSON.stringify({ type: 'place-order', order: { clientOrderId: id, venue: 'sim-a', symbol: 'BTC-USD', side: 'buy', type: 'limit', qty: '0.001', price: '60000.00' } }));
        }
        await new Promise((r) => setTimeout(r, 300));
        const after = journalEntries(dir).filter((e) => e.kind === 'order').map((e) => e.data.req.clientOrderId as string);
        const previously = new Set(journaled);
        expect(after.filter((id) => previously.has(id))).toHaveLength(previously.size);
        expect(after.filter((id) => !previously.has(id)).every((id) => !acked.has(id))).toBe(true);
        b.ws.terminate();
      } finally {
        second.child.kill('SIGKILL');
      }
    }
  }, 150_000);
});
