import { describe, expect, it } from 'vitest';
import type { ArbitrageMessage, ConsolidatedMessage } from '../../shared/arbitrage';
import type { ControlMessage } from '../../shared/protocol';
import { Side, qty, ticks } from '../../shared/units';
import { parseConfig } from '../config';
import { MarketBook } from '../market/market-book';
import { ArbitrageService, type ArbitrageClient } from './arbitrage-service';

const BTC = { symbol: 'BTC-USD', tickSize: '0.01', lotSize: '0.001' };
const ETH = { symbol: 'ETH-USD', tickSize: '0.01', lotSize: '0.001' };

/** Replaces the whole book (a snapshot): prices in cents, sizes in 0.001. */
function set(b: MarketBook, bids: Array<[number, number]>, asks: Array<[number, number]>): void {
  b.begin(b.version, true);
  for (const [p, q] of bids) b.level(Side.Bid, ticks(p), qty(q), 0);
  for (const [p, q] of asks) b.level(Side.Ask, ticks(p), qty(q), 0);
  b.end(b.version + 1, true, 0);
}

function rig(fees: Record<string, number> = { default: 0 }, alertIntervalSeconds = 30) {
  const books = ['a', 'b', 'c'].flatMap((v) => [new MarketBook(v, BTC), new MarketBook(v, ETH)]);
  const book = (venue: string, symbol = 'BTC-USD') => books.find((b) => b.venue === venue && b.symbol === symbol)!;
  const clock = { now: 1_000 };
  const down = new Set<string>();
  const clients: Array<ArbitrageClient & { got: ControlMessage[] }> = [];
  const client = (...subscribed: MarketBook[]) => {
    const got: ControlMessage[] = [];
    const c = { subs: new Map(subscribed.map((b) => [b, {}] as const)), link: { sendControl: (m: ControlMessage) => void got.push(m) }, got };
    clients.push(c);
    return c;
  };
  const config = parseConfig({ arbitrage: { takerFeeBps: fees, alertIntervalSeconds } }).arbitrage;
  const alerts: string[] = [];
  const service = new ArbitrageService({
    config,
    books: () => books,
    venueLive: (v) => !down.has(v),
    clients: () => clients,
    now: () => clock.now,
    onAlert: (a) => alerts.push(`${a.buyVenue}>${a.sellVenue}`),
  });
  // uncrossed by default: every venue 99.90 / 100.10
  for (const b of books) set(b, [[9990, 1000]], [[10010, 1000]]);
  const frame = (ms = 16) => {
    clock.now += ms;
    service.onFrame();
  };
  return { service, book, frame, clock, down, client, alerts };
}

const arbMessages = (got: ControlMessage[]) => got.filter((m): m is ArbitrageMessage => m.type === 'arbitrage');
const consolidatedMessages = (got: ControlMessage[]) => got.filter((m): m is ConsolidatedMessage => m.type === 'consolidated');

describe('ArbitrageService', () => {
  it('reports a cross between live books and ends it when a book goes stale', () => {
    const r = rig();
    r.frame();
    expect(r.service.state().live).toEqual([]);
    set(r.book('b'), [[10020, 500]], [[10030, 500]]); // b's bid 100.20 over a's and c's ask 100.10
    r.frame();
    expect(r.service.state().live.map((o) => `${o.buyVenue}>${o.sellVenue}`)).toEqual(['a>b', 'c>b']);
    expect(r.alerts).toEqual(['a>b', 'c>b']);
    r.book('b').markStale('gap: test');
    r.frame();
    const s = r.service.state();
    expect(s.live).toEqual([]);
    expect(s.recent.map((o) => o.endedAt)).toEqual([s.ts, s.ts]);
  });

  it('a venue that is not live counts as stale even while its books look exact', () => {
    const r = rig();
    set(r.book('b'), [[10020, 500]], [[10030, 500]]);
    r.down.add('b');
    r.frame();
    expect(r.service.state().live).toEqual([]);
    r.down.delete('b');
    r.frame();
    expect(r.service.state().live).toHaveLength(2);
  });

  it('uses the configured fee per venue, and the default for the others', () => {
    // gross 10 bps (100.20 over 100.10); a pays 6 + b 5 > 10; c pays 4 + b 5 < 10
    const r = rig({ default: 4, a: 6, b: 5 });
    set(r.book('b'), [[10020, 500]], [[10030, 500]]);
    r.frame();
    const s = r.service.state();
    expect(s.live.map((o) => `${o.buyVenue}>${o.sellVenue}`)).toEqual(['c>b']);
    expect(s.live[0]).toMatchObject({ buyFeeBps: 4, sellFeeBps: 5 });
    expect(s.crossedUnderFees).toBe(1);
    expect(s.takerFeeBps).toEqual({ default: 4, a: 6, b: 5, c: 4 });
  });

  it('recomputes only symbols whose books moved since the last frame', () => {
    const r = rig();
    r.frame();
    const first = r.service.stats.evaluations;
    expect(first).toBe(2);
    r.frame();
    r.frame();
    expect(r.service.stats.evaluations).toBe(first);
    set(r.book('a', 'ETH-USD'), [[9991, 1000]], [[10010, 1000]]);
    r.frame();
    expect(r.service.stats.evaluations).toBe(first + 1);
    r.book('c').markStale('overflow');
    r.frame();
    expect(r.service.stats.evaluations).toBe(first + 2);
  });

  it('tells clients at most every 250 ms, and only when something changed', () => {
    const r = rig();
    const c = r.client();
    r.frame();
    expect(arbMessages(c.got)).toHaveLength(1);
    set(r.book('b'), [[10020, 500]], [[10030, 500]]);
    for (let i = 0; i < 10; i++) r.frame(16); // 160 ms: too soon
    expect(arbMessages(c.got)).toHaveLength(1);
    for (let i = 0; i < 10; i++) r.frame(16);
    const msgs = arbMessages(c.got);
    expect(msgs).toHaveLength(2);
    expect(msgs[1]!.live).toHaveLength(2);
    expect(msgs[1]!.alerts.map((a) => `${a.buyVenue}>${a.sellVenue}`)).toEqual(['a>b', 'c>b']);
    r.frame(1000);
    r.frame(1000);
    // nothing changed: durations are the client's to count
    expect(arbMessages(c.got)).toHaveLength(2);
  });

  it('sends the consolidated book of the symbols a client is subscribed to, merged by price, stale books left out', () => {
    const r = rig();
    set(r.book('a'), [[10000, 1000], [9990, 2000]], [[10010, 3000]]);
    set(r.book('b'), [[10000, 500]], [[10010, 250], [10020, 700]]);
    set(r.book('c'), [[10005, 100]], [[10008, 100]]);
    r.book('c').markStale('gap: test');
    const eth = r.client(r.book('a', 'ETH-USD'));
    const btc = r.client(r.book('b'));
    r.frame();
    expect(consolidatedMessages(eth.got).map((m) => m.symbol)).toEqual(['ETH-USD']);
    const [m] = consolidatedMessages(btc.got);
    expect(m!.symbol).toBe('BTC-USD');
    expect(m!.venues.map((v) => [v.venue, v.live, v.bid, v.ask])).toEqual([
      ['a', true, '100.00', '100.10'],
      ['b', true, '100.00', '100.10'],
      ['c', false, '100.05', '100.08'],
    ]);
    expect(m!.venues[2]!.staleReason).toBe('gap: test');
    expect(m!.bids).toEqual([
      { price: '100.00', size: '1.500', venues: [{ venue: 'a', size: '1.000' }, { venue: 'b', size: '0.500' }] },
      { price: '99.90', size: '2.000', venues: [{ venue: 'a', size: '2.000' }] },
    ]);
    expect(m!.asks.map((l) => [l.price, l.size])).toEqual([
      ['100.10', '3.250'],
      ['100.20', '0.700'],
    ]);
  });
});
