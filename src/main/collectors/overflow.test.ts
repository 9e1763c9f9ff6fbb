import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import { Engine } from '../engine';
import { until } from '../testing/book-client';

let engine: Engine;

beforeAll(async () => {
  // A tiny book ring, so a stalled engine thread overflows it within ~64 ms at 1,000 updates/s.
  // (A much faster feed overflowed it before the first snapshots on a loaded CI machine.)
  engine = await Engine.start(parseConfig({ enabled: ['sim-a'], simulator: { updatesPerSecond: 1_000 }, rings: { bookSlots: 64, tradeSlots: 64 }, inference: { enabled: false }, dataDir: mkdtempSync(join(tmpdir(), 'pulse-test-')) }));
});
afterAll(async () => {
  await engine.stop();
});

describe('a full ring', () => {
  it('never drops silently: overflow is counted, the book goes stale, and a snapshot from the collector restores it', async () => {
    const host = engine.hosts[0]!;
    await until(() => engine.readiness().ready, 10_000, 'first snapshots');
    const snapshotsBefore = host.books.map((b) => b.snapshots);
    const staleBefore = host.books.map((b) => b.staleEvents);

    // Stall the engine thread while the collector keeps producing into the 64-slot ring, until it
    // overflows (the count is in shared memory, so it can be read while blocked) or 5 s pass.
    // Then 300 ms more, so that more than one symbol's updates are refused.
    const deadline = Date.now() + 5_000;
    while (host.ringOverflows === 0 && Date.now() < deadline) { /* the consumer is blocked */ }
    const more = Date.now() + 300;
    while (Date.now() < more) { /* still blocked */ }
    expect(host.ringOverflows).toBeGreaterThan(0);
    // Calm the feed so a 64-slot ring stops overflowing and the end state can settle.
    host.send({ type: 'set-rate', updatesPerSecond: 100 });

    // What must hold afterwards: at least one book went stale, every book that did was resynced by
    // a snapshot, none is left stale, no gap was seen by the engine (the collector stops writing a
    // stale symbol until its snapshot), none is crossed.
    const wentStale = (i: number) => host.books[i]!.staleEvents > staleBefore[i]!;
    await until(
      () => host.books.some((_, i) => wentStale(i)) && host.books.every((b, i) => !b.stale && (!wentStale(i) || b.snapshots > snapshotsBefore[i]!)),
      10_000,
      'resync of every book that went stale',
    );
    await until(() => host.counters.overflows > 0 && host.counters.resyncs > 0, 5000, 'collector counters');
    expect(host.books.map((b) => b.gaps)).toEqual([0, 0, 0]);
    for (const b of host.books) expect(b.book.isCrossed()).toBe(false);
    expect(engine.venueStatus()[0]).toMatchObject({ state: 'live', staleBooks: [] });

  });
});
