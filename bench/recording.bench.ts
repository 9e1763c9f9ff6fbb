/**
 * What `--record` costs the feed: the engine (in this process, collector workers and all) ingests
 * one simulated venue at a target rate with and without recording, side by side. Reported: book
 * updates applied per second at the engine, the engine thread's event-loop utilisation (where the
 * recorder's hot-path copy runs), ring overflows, and what the recorder wrote.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startHarness } from '../src/main/testing/engine-harness';
import { fmt, isEntry, sleep } from './support';

interface Result { rate: number; elu: number; overflows: number; stale: number; rows: number; bytes: number; state: string }

async function run(rate: number, record: boolean, seconds: number): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-rec-'));
  const h = await startHarness({
    enabled: ['sim-a'],
    simulator: { updatesPerSecond: rate, levelsPerSide: 400, seed: 5 },
    ...(record ? { record: { dir: join(dir, 'rec') } } : {}),
  });
  try {
    const engine = h.pulse.engine;
    await h.liveBook('sim-a', 'BTC-USD');
    await sleep(2000); // warm up: JIT, first snapshots, first batches
    const versions = () => [...engine.books()].reduce((n, b) => n + b.version, 0);
    const host = engine.host('sim-a')!;
    const v0 = versions();
    const o0 = host.ringOverflows;
    const elu0 = performance.eventLoopUtilization();
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const elapsed = (performance.now() - t0) / 1000;
    const elu = performance.eventLoopUtilization(elu0).utilization;
    const applied = (versions() - v0) / elapsed;
    const stale = [...engine.books()].filter((b) => b.stale).length;
    const overflows = host.ringOverflows - o0;
    await h.stop();
    const st = engine.recorder?.status;
    return { rate: applied, elu, overflows, stale, rows: st?.rows ?? 0, bytes: st?.bytes ?? 0, state: st?.state ?? '-' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function compare(target: number, seconds: number): Promise<void> {
  const off = await run(target, false, seconds);
  const on = await run(target, true, seconds);
  const slower = (1 - on.rate / off.rate) * 100;
  console.log(`recording @ ${target.toLocaleString()} updates/s target, 1 venue × 3 books, ${seconds} s each:`);
  console.log(`  without --record: ${fmt(off.rate, 0)} updates/s applied, engine thread busy ${fmt(off.elu * 100, 1)}%, ring overflows ${off.overflows}, stale books ${off.stale}`);
  console.log(
    `  with    --record: ${fmt(on.rate, 0)} updates/s applied, engine thread busy ${fmt(on.elu * 100, 1)}%, ring overflows ${on.overflows}, stale books ${on.stale}; ` +
      `recorder ${on.state}, ${on.rows.toLocaleString()} rows, ${fmt(on.bytes / 1e6, 1)} MB written`,
  );
  console.log(`  ingest ${slower >= 0 ? `${fmt(slower, 1)}% slower` : `${fmt(-slower, 1)}% faster (noise)`} with --record (target < 10%); engine thread +${fmt((on.elu - off.elu) * 100, 1)} points busy`);
}

export async function main(): Promise<void> {
  await compare(50_000, 5);
}

if (isEntry(import.meta.url)) await main();
