import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import { Engine } from '../engine';
import { until } from '../testing/book-client';

let engine: Engine;

beforeAll(async () => {
  // A tiny book ring and a fast feed, so a stalled engine thread overflows it at once.
  engine = await Engine.start(parseConfig({ enabled: ['sim-a'], simulator: { updatesPerSecond: 50_000 }, rings: { bookSlots: 64, tradeSlots: 64 }, inference: { enabled: false }, dataDir: mkdtempSync(join(tmpdir(), 'pulse-test-')) }));
});
afterAll(async () => {
  await engine.stop();
});

describe('a full ring', () => {
  it('never drops silently: overflow is counted, the book goes stale, and a snapshot from the collector restores it', async () => {
    const host = engine.hosts[0]!;
    await until(() => engine.readiness().ready, 10_000, 'first snapshots');
    const snapshotsBefore = host.books.map((b) => b.snapshots);

    // Stall the engine thread for 300 ms: the collector keeps producing into a 64-slot ring.
    const until300 = Date.now() + 300;
    while (Date.now() < until300) { /* the consumer is blocked */ }
    expect(host.ringOverflows).toBeGreaterThan(0);
    // Calm the feed so a 64-slot ring stops overflowing and the end state can settle.
    host.send({ type: 'set-rate', updatesPerSecond: 100 });

    // What must hold afterwards: every book resynced by a snapshot, none left stale, no gap seen
    // by the engine (the collector stops writing a stale symbol until its snapshot), none crossed.
    await until(() => host.books.every((b, i) => b.snapshots > snapshotsBefore[i]! && !b.stale), 10_000, 'resync of every book');
    await until(() => host.counters.overflows > 0 && host.counters.resyncs > 0, 5000, 'collector counters');
    expect(host.books.map((b) => b.gaps)).toEqual([0, 0, 0]);
    for (const b of host.books) expect(b.book.isCrossed()).toBe(false);
    expect(engine.venueStatus()[0]).toMatchObject({ state: 'live', staleBooks: [] });
    // the overflowed books were shown stale in between, never as live
    expect(host.books.reduce((n, b) => n + b.staleEvents, 0)).toBeGreaterThan(0);
  });
});
