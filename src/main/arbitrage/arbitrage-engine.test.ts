import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArbitrageState, ArbOpportunity, ConsolidatedMessage } from '../../shared/arbitrage';
import { BookClient, until } from '../testing/book-client';
import { startHarness, type Harness, type RestBook } from '../testing/engine-harness';

// Three simulated venues, slow enough that books often hold still between two REST calls. The
// simulator's venues drift apart by about a bps, so with 0.1 bps fees crosses clear them often.
const FEE_BPS = 0.1;
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ simulator: { updatesPerSecond: 30 }, arbitrage: { takerFeeBps: { default: FEE_BPS }, alertIntervalSeconds: 5 } });
  for (const v of ['sim-a', 'sim-b', 'sim-c']) await h.liveBook(v, 'BTC-USD');
});
afterAll(async () => {
  await h?.stop();
});

const opportunities = async (): Promise<ArbitrageState> => {
  const res = await fetch(`${h.base}/api/v1/arbitrage/opportunities`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  return (await res.json()) as ArbitrageState;
};

const decimal = expect.stringMatching(/^\d+(\.\d+)?$/);
const OPPORTUNITY_SHAPE = {
  id: expect.any(String), symbol: expect.any(String), buyVenue: expect.any(String), buyPrice: decimal, sellVenue: expect.any(String),
  sellPrice: decimal, buyVersion: expect.any(Number), sellVersion: expect.any(Number), touchSize: decimal, size: decimal,
  buyLevels: expect.any(Number), sellLevels: expect.any(Number), buyVwap: expect.any(Number), sellVwap: expect.any(Number),
  grossBps: expect.any(Number), netBps: expect.any(Number), profit: expect.any(Number), quote: 'USD', buyFeeBps: FEE_BPS,
  sellFeeBps: FEE_BPS, firstSeen: expect.any(Number), lastSeen: expect.any(Number), durationMs: expect.any(Number), peakNetBps: expect.any(Number),
};

/** The profitable units of buying `buy`'s asks and selling `sell`'s bids, from the REST books alone. */
function recompute(buy: RestBook, sell: RestBook, depth: number): { size: number; profit: number } {
  const asks = buy.asks.slice(0, depth).map(([p, q]) => [Number(p), Number(q)]);
  const bids = sell.bids.slice(0, depth).map(([p, q]) => [Number(p), Number(q)]);
  const f = FEE_BPS / 1e4;
  let size = 0;
  let profit = 0;
  for (let i = 0, j = 0; i < bids.length && j < asks.length; ) {
    const edge = bids[i]![0]! * (1 - f) - asks[j]![0]! * (1 + f);
    if (edge <= 0) break;
    const q = Math.min(bids[i]![1]!, asks[j]![1]!);
    size += q;
    profit += q * edge;
    bids[i]![1]! -= q;
    asks[j]![1]! -= q;
    if (bids[i]![1]! <= 1e-12) i++;
    if (asks[j]![1]! <= 1e-12) j++;
  }
  return { size, profit };
}

describe('arbitrage in the engine, three simulated venues', () => {
  let last: ArbitrageState | null = null;

  it('answers REST with the documented shape', async () => {
    const s = await opportunities();
    expect(s).toEqual({
      ts: expect.any(Number), live: expect.any(Array), recent: expect.any(Array), crossedUnderFees: expect.any(Number),
      takerFeeBps: { default: FEE_BPS, 'sim-a': FEE_BPS, 'sim-b': FEE_BPS, 'sim-c': FEE_BPS }, alertIntervalSeconds: 5,
    });
    await until(() => {
      void opportunities().then((x) => (last = x));
      return last !== null && last.live.length > 0;
    }, 15_000, 'an opportunity between the simulated venues');
    for (const o of [...last!.live, ...last!.recent]) {
      expect(o).toMatchObject(OPPORTUNITY_SHAPE);
      expect(o.endedAt === null || typeof o.endedAt === 'number').toBe(true);
    }
  }, 30_000);

  it('every reported opportunity matches the REST books at the versions it was computed from', async () => {
    let matched = 0;
    const deadline = Date.now() + 15_000;
    while (matched < 3 && Date.now() < deadline) {
      const s = await opportunities();
      for (const o of s.live) {
        const [buy, sell] = await Promise.all([h.book(o.buyVenue, o.symbol, 50), h.book(o.sellVenue, o.symbol, 50)]);
        if (buy.version !== o.buyVersion || sell.version !== o.sellVersion) continue; // the books moved on
        matched++;
        check(o, buy, sell);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(matched).toBeGreaterThanOrEqual(3);
  }, 30_000);

  function check(o: ArbOpportunity, buy: RestBook, sell: RestBook): void {
    expect(buy.stale || sell.stale).toBe(false);
    expect(o.buyPrice).toBe(buy.asks[0]![0]);
    expect(o.sellPrice).toBe(sell.bids[0]![0]);
    expect(Number(o.sellPrice)).toBeGreaterThan(Number(o.buyPrice));
    expect(Number(o.touchSize)).toBeCloseTo(Math.min(Number(buy.asks[0]![1]), Number(sell.bids[0]![1])), 9);
    const r = recompute(buy, sell, 50);
    expect(Number(o.size)).toBeCloseTo(r.size, 6);
    expect(o.profit).toBeCloseTo(r.profit, 6);
    expect(o.profit).toBeGreaterThan(0);
    expect(o.endedAt).toBeNull();
    expect(o.durationMs).toBeGreaterThanOrEqual(0);
  }

  it('sends arbitrage messages to every client and the consolidated book of its subscribed symbol', async () => {
    const c = await BookClient.connect(h.wsUrl);
    try {
      c.subscribe('sim-a', 'ETH-USD');
      await until(() => c.control.some((m) => m.type === 'arbitrage') && c.control.some((m) => m.type === 'consolidated'), 5000, 'arbitrage and consolidated messages');
      const books = c.control.filter((m): m is ConsolidatedMessage => m.type === 'consolidated');
      expect(new Set(books.map((m) => m.symbol))).toEqual(new Set(['ETH-USD']));
      const m = books.at(-1)!;
      expect(m.venues.map((v) => v.venue)).toEqual(['sim-a', 'sim-b', 'sim-c']);
      // every level's total is the sum of its venues' parts, and the best bid is the best venue bid
      for (const l of [...m.bids, ...m.asks]) expect(Number(l.size)).toBeCloseTo(l.venues.reduce((s, v) => s + Number(v.size), 0), 9);
      expect(Number(m.bids[0]!.price)).toBe(Math.max(...m.venues.filter((v) => v.live).map((v) => Number(v.bid))));
      expect(Number(m.asks[0]!.price)).toBe(Math.min(...m.venues.filter((v) => v.live).map((v) => Number(v.ask))));
    } finally {
      await c.close();
    }
  });

  it('a stale book never makes an opportunity', async () => {
    // Injected: sim-b's BTC-USD book goes stale (nothing asks the collector to rebuild it, so it stays stale).
    h.pulse.engine.findBook('sim-b', 'BTC-USD')!.markStale('test: injected');
    await new Promise((r) => setTimeout(r, 100));
    const involves = (o: ArbOpportunity) => o.symbol === 'BTC-USD' && (o.buyVenue === 'sim-b' || o.sellVenue === 'sim-b');
    for (let i = 0; i < 10; i++) {
      const s = await opportunities();
      expect(s.live.filter(involves)).toEqual([]);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});
