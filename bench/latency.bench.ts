/**
 * Engine → client delta latency over a loopback WebSocket, and the publisher's compression.
 * The engine runs as its own process (`pulse serve`), as in production; one client subscribes
 * to every book and measures, per delta, engine receive time of the newest change (lastTs) and of
 * the oldest change (firstTs, which includes the coalescing wait) to client decode.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPulse } from '../e2e/support/pulse-server';
import { BookClient } from '../src/main/testing/book-client';
import { fmt, isEntry, percentiles, sleep } from './support';

const VENUES = ['sim-a', 'sim-b', 'sim-c'];
const SYMBOLS = ['BTC-USD', 'ETH-USD', 'SOL-USD'];

async function run(totalRate: number, seconds: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-'));
  const config = join(dir, 'config.json');
  // 500 levels per side: the snapshot size the compression target is quoted against.
  writeFileSync(config, JSON.stringify({ simulator: { updatesPerSecond: totalRate / VENUES.length, levelsPerSide: 500, seed: 7 } }));
  const pulse = await startPulse(['--config', config]);
  try {
    const client = await BookClient.connect(pulse.url.replace('http', 'ws') + 'ws');
    for (const v of VENUES) for (const s of SYMBOLS) client.subscribe(v, s);
    await sleep(2000); // warm up: JIT, first snapshots
    client.latencies.length = 0;
    client.oldestLatencies.length = 0;
    const before = await (await fetch(`${pulse.url}api/v1/venues`)).json() as Array<{ counters: { updates: number } }>;
    const stats0 = await (await fetch(`${pulse.url}api/v1/delta-stats/summary`)).json() as Record<string, number>;
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const elapsed = (performance.now() - t0) / 1000;
    const after = await (await fetch(`${pulse.url}api/v1/venues`)).json() as Array<{ counters: { updates: number } }>;
    const stats = await (await fetch(`${pulse.url}api/v1/delta-stats/summary`)).json() as Record<string, number>;
    const updates = after.reduce((n, v) => n + v.counters.updates, 0) - before.reduce((n, v) => n + v.counters.updates, 0);
    const [p50, p99, max] = percentiles(client.latencies, [50, 99, 100]).map((us) => us / 1000);
    const [o50, o99] = percentiles(client.oldestLatencies, [50, 99]).map((us) => us / 1000);
    const gaps = [...client.books.values()].reduce((n, b) => n + b.gaps, 0);
    const deltaBytes = stats.deltaBytes! - stats0.deltaBytes!;
    const fullBytes = stats.snapshotEquivalentBytes! - stats0.snapshotEquivalentBytes!;
    const perUpdateBytes = stats.snapshotPerUpdateBytes! - stats0.snapshotPerUpdateBytes!;
    const updatesPerDelta = (stats.updatesCovered! - stats0.updatesCovered!) / Math.max(1, stats.deltas! - stats0.deltas!);
    console.log(
      `engine→client @ ${totalRate.toLocaleString()} updates/s target (${fmt(updates / elapsed, 0)} measured, 9 books): ` +
        `newest-change latency p50 ${fmt(p50!)} ms, p99 ${fmt(p99!)} ms, max ${fmt(max!)} ms over ${client.latencies.length} deltas; client gaps ${gaps}`,
    );
    console.log(`  oldest-change latency (includes the ${16} ms coalescing window): p50 ${fmt(o50!)} ms, p99 ${fmt(o99!)} ms`);
    console.log(
      `  compression vs a 500-level snapshot per venue update: ${fmt(perUpdateBytes / deltaBytes, 1)}x, saved ${fmt((1 - deltaBytes / perUpdateBytes) * 100, 3)}% ` +
        `(${fmt(updatesPerDelta, 1)} updates per delta)`,
    );
    console.log(
      `  compression vs a 500-level snapshot per frame sent: ${fmt(fullBytes / deltaBytes, 1)}x, saved ${fmt((1 - deltaBytes / fullBytes) * 100, 3)}% ` +
        `(${fmt(deltaBytes / 1e6, 2)} MB of deltas in place of ${fmt(fullBytes / 1e6, 1)} MB); coalescing ${fmt((stats.rawChanges! - stats0.rawChanges!) / Math.max(1, stats.coalescedChanges! - stats0.coalescedChanges!), 2)} changes per level sent`,
    );
    await client.close();
  } finally {
    await pulse.stop();
  }
}

export async function main(): Promise<void> {
  await run(10_000, 8);
  await run(50_000, 8);
}

if (isEntry(import.meta.url)) await main();
