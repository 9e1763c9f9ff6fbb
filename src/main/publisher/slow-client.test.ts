import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MarketBook } from '../market/market-book';
import { BookClient, until, type ClientBook } from '../testing/book-client';
import { startHarness, type Harness } from '../testing/engine-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ enabled: ['sim-a'], simulator: { updatesPerSecond: 2000 }, maxClientBacklogBytes: 64 * 1024 });
});
afterAll(async () => {
  await h.stop();
});

const same = (c: ClientBook, e: MarketBook) =>
  e.book.depth(0) === c.bids.size && e.book.depth(1) === c.asks.size &&
  [...c.bids].every(([p, q]) => e.book.qtyOf(0, p as never) === q) && [...c.asks].every(([p, q]) => e.book.qtyOf(1, p as never) === q);

describe('a slow renderer', () => {
  it('is skipped while its link is backed up, never stalls others, and resyncs to the exact book when it catches up', async () => {
    const fast = await BookClient.connect(h.wsUrl);
    const slow = await BookClient.connect(h.wsUrl);
    for (const c of [fast, slow]) for (const s of ['BTC-USD', 'ETH-USD', 'SOL-USD']) c.subscribe('sim-a', s);
    await until(() => slow.books.size === 3 && fast.books.size === 3, 5000, 'first snapshots');

    // Injected: the slow client stops reading its socket and keeps asking for full snapshots
    // (about 2 MB/s), so the kernel buffers fill and its WebSocket backlog passes 64 KiB.
    const session = [...h.pulse.engine.publisher.sessions].at(-1)!;
    (slow as unknown as { ws: { _socket: { pause(): void; resume(): void } } }).ws._socket.pause();
    const asking = setInterval(() => {
      for (const s of ['BTC-USD', 'ETH-USD', 'SOL-USD']) slow.send({ type: 'snapshot', venue: 'sim-a', symbol: s });
    }, 10);
    const fastDeltas = fast.books.get('sim-a/BTC-USD')!.deltas;
    await until(() => session.skippedFrames > 0, 20_000, 'the publisher skipping the backed-up client').finally(() => clearInterval(asking));

    // What must hold: the fast client kept getting deltas, in order.
    await until(() => fast.books.get('sim-a/BTC-USD')!.deltas > fastDeltas + 20, 5000, 'fast client deltas');
    expect([...fast.books.values()].every((b) => b.gaps === 0)).toBe(true);

    // The slow client catches up and ends with exactly the engine's book.
    (slow as unknown as { ws: { _socket: { resume(): void } } }).ws._socket.resume();
    const engineBook = h.pulse.engine.findBook('sim-a', 'ETH-USD')!;
    let matched = 0;
    let mismatched = 0;
    slow.onDelta = (key, b) => {
      if (key !== 'sim-a/ETH-USD' || b.version !== engineBook.version) return;
      if (same(b, engineBook)) matched++;
      else mismatched++;
    };
    await until(() => matched >= 3, 15_000, 'slow client back in sync');
    expect(mismatched).toBe(0);
    expect(h.pulse.engine.publisher.stats.skippedFrames).toBeGreaterThan(0);
    await fast.close();
    await slow.close();
  });
});
