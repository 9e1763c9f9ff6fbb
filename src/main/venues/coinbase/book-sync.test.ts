// Coinbase Advanced Trade WebSocket channels: https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-channels
/**
 * Recorded-shape payloads (test_data/) through CoinbaseBookSync into a real Collector on real
 * rings: what must come out normalized, and what must never reach the collector.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BTC, ETH, levelsOf, msg, payload, syncRig, type SyncRig } from './tests/rig-support';

const SNAPSHOT_TS = Date.UTC(2024, 4, 14, 9, 21, 7) * 1000 + 338_419;
const SNAPSHOT = {
  bids: [[6_412_015, 41_250_000], [6_411_980, 500_000], [6_411_800, 120_000_000]],
  asks: [[6_412_016, 7_310_000], [6_412_102, 2_000], [6_412_550, 350_000_000]],
};

let rig: SyncRig;
afterEach(() => rig?.close());

/** subscriptions #0 and the BTC snapshot #1, as a connection opens */
function opened(r: SyncRig): SyncRig {
  r.sync.onMessage(msg('subscriptions', 0));
  r.sync.onMessage(msg('l2-snapshot', 1));
  return r;
}

/** An l2_data update for BTC-USD with these [side, price, qty] levels. */
function update(seq: number, levels: Array<[string, string, string]>, product = 'BTC-USD'): string {
  const updates = levels.map(([side, price_level, new_quantity]) => ({ side, event_time: '2024-05-14T09:21:07.4Z', price_level, new_quantity }));
  return msg('l2-update', seq, { events: [{ type: 'update', product_id: product, updates }] });
}

describe('normalized output', () => {
  it('a snapshot replaces the book, in integer ticks and lots, stamped with the message time to the µs', () => {
    rig = opened(syncRig());
    expect(levelsOf(rig, 0)).toEqual(SNAPSHOT);
    const [rec] = rig.books();
    expect(rec).toMatchObject({ symbolId: 0, snapshot: true, exchangeTs: SNAPSHOT_TS });
    expect(rec!.levels).toHaveLength(6);
    expect(rig.collector.counters).toMatchObject({ messages: 2, badMessages: 0, gaps: 0 });
  });

  it('an update sets each level to its new size; "0" removes it', () => {
    rig = opened(syncRig());
    rig.books();
    rig.sync.onMessage(msg('l2-update', 2));
    expect(levelsOf(rig, 0)).toEqual({
      bids: [[6_411_999, 25_000_000], [6_411_980, 500_000], [6_411_800, 120_000_000]],
      asks: [[6_412_016, 7_310_000], [6_412_102, 90_000_000], [6_412_550, 350_000_000]],
    });
    expect(rig.books()).toEqual([{ symbolId: 0, snapshot: false, exchangeTs: Date.UTC(2024, 4, 14, 9, 21, 7) * 1000 + 391_007, levels: [[0, 6_412_015, 0], [0, 6_411_999, 25_000_000], [1, 6_412_102, 90_000_000]] }]);
  });

  it('market trades come out oldest first; side names the maker, so the aggressor is the other side', () => {
    rig = opened(syncRig());
    rig.sync.onMessage(msg('market-trades', 2));
    expect(rig.trades()).toEqual([
      { symbolId: 0, aggressor: 1, price: 6_411_999, qty: 2_000_000, exchangeTs: Date.UTC(2024, 4, 14, 9, 21, 7) * 1000 + 401_266, tradeId: 688_021_711 },
      { symbolId: 0, aggressor: 0, price: 6_412_016, qty: 310_000, exchangeTs: Date.UTC(2024, 4, 14, 9, 21, 7) * 1000 + 498_171, tradeId: 688_021_712 },
    ]);
  });

  it("with marketTradeSide 'taker' the side is the aggressor's", () => {
    rig = opened(syncRig([BTC], 'taker'));
    rig.sync.onMessage(msg('market-trades', 2));
    expect(rig.trades().map((t) => t.aggressor)).toEqual([0, 1]);
  });

  it('trades repeated by a resubscribe snapshot are not sent twice', () => {
    rig = opened(syncRig());
    rig.sync.onMessage(msg('market-trades', 2));
    rig.sync.connectionOpened();
    rig.sync.onMessage(msg('market-trades', 0, { events: [{ type: 'snapshot', trades: payload('market-trades').events[0].trades }] }));
    expect(rig.trades()).toHaveLength(2);
  });

  it('heartbeats and subscriptions pass without effect; a venue error is logged and reported', async () => {
    rig = opened(syncRig([BTC]));
    rig.sync.onMessage(msg('heartbeats', 2));
    rig.sync.onMessage(JSON.stringify(payload('error')));
    const posted = await rig.posted();
    expect(posted.some((m) => m.type === 'error' && /Failed to subscribe/.test(m.message))).toBe(true);
    expect(posted.some((m) => m.type === 'log' && /subscribed to level2 and market_trades of BTC-USD/.test(m.msg))).toBe(true);
    expect(rig.collector.counters).toMatchObject({ messages: 4, badMessages: 0, gaps: 0 });
    expect(rig.restarts).toEqual([]);
  });

  it('a -USDC product is fed by messages naming its -USD alias', () => {
    rig = syncRig([{ ...BTC, symbol: 'BTC-USDC', productId: 'BTC-USDC', streamId: 'BTC-USD' }]);
    rig.sync.onMessage(msg('l2-snapshot', 0));
    expect(levelsOf(rig, 0)).toEqual(SNAPSHOT);
  });
});

describe('what never reaches the collector', () => {
  /** Injected fault → must: count it, restart the connection once, mark every book stale, leave the books as they were. */
  async function expectResync(r: SyncRig, counter: 'gaps' | 'badMessages', reason: RegExp): Promise<void> {
    expect(r.collector.counters[counter]).toBe(1);
    expect(r.restarts).toHaveLength(1);
    expect(r.restarts[0]).toMatch(reason);
    expect(levelsOf(r, 0)).toEqual(SNAPSHOT);
    expect(r.books()).toEqual([]);
    const stale = (await r.posted()).filter((m) => m.type === 'stale').map((m) => m.symbolId);
    expect(stale.sort()).toEqual([0, 1]);
    // Nothing more is read from a connection being dropped.
    r.sync.onMessage(update(99, [['bid', '1', '1']]));
    expect(r.restarts).toHaveLength(1);
  }

  const fresh = () => {
    const r = opened(syncRig([BTC, ETH]));
    r.books();
    return r;
  };

  it('a sequence_num gap', async () => {
    rig = fresh();
    rig.sync.onMessage(msg('l2-update', 3));
    await expectResync(rig, 'gaps', /skipped 1: #3 after #1/);
  });

  it('a repeated sequence_num', async () => {
    rig = fresh();
    rig.sync.onMessage(msg('l2-update', 1));
    await expectResync(rig, 'gaps', /repeated/);
  });

  it('a sequence_num that goes back', async () => {
    rig = fresh();
    rig.sync.onMessage(msg('heartbeats', 2));
    rig.sync.onMessage(msg('l2-update', 1));
    await expectResync(rig, 'gaps', /went back/);
  });

  it('an update for a product before its snapshot', async () => {
    rig = fresh();
    rig.sync.onMessage(update(2, [['bid', '3000.01', '1']], 'ETH-USD'));
    await expectResync(rig, 'gaps', /update for ETH-USD before its snapshot/);
  });

  it('a side that is neither bid nor offer', async () => {
    rig = fresh();
    rig.sync.onMessage(update(2, [['bid', '64119.99', '1'], ['ask', '64130', '1']]));
    await expectResync(rig, 'badMessages', /side "ask" is neither bid nor offer/);
  });

  for (const [what, price, qty] of [
    ['NaN size', '64119.99', 'NaN'],
    ['negative size', '64119.99', '-0.5'],
    ['garbage price', '64k.1x', '1'],
    ['off-grid price', '64119.991', '1'],
    ['off-grid size', '64119.99', '0.000000001'],
    ['zero price', '0', '1'],
    ['exponent', '6.4e4', '1'],
    ['too large to be exact', '99999999999999999999', '1'],
    ['empty size', '64119.99', ''],
  ] as const) {
    it(`a ${what}`, async () => {
      rig = fresh();
      rig.sync.onMessage(update(2, [['bid', '64119.98', '1'], ['bid', price, qty]]));
      await expectResync(rig, 'badMessages', /price_level|new_quantity/);
    });
  }

  it('a size as a JSON number instead of a string', async () => {
    rig = fresh();
    rig.sync.onMessage(msg('l2-update', 2, { events: [{ type: 'update', product_id: 'BTC-USD', updates: [{ side: 'bid', event_time: '', price_level: '64119.99', new_quantity: 0.5 }] }] }));
    await expectResync(rig, 'badMessages', /new_quantity 0.5/);
  });

  it('a message whose second event is bad: the good first event is not applied either', async () => {
    rig = fresh();
    const good = { type: 'update', product_id: 'BTC-USD', updates: [{ side: 'bid', event_time: '', price_level: '64119.99', new_quantity: '1' }] };
    rig.sync.onMessage(msg('l2-update', 2, { events: [good, { ...good, updates: [{ ...good.updates[0], side: 'middle' }] }] }));
    await expectResync(rig, 'badMessages', /middle/);
  });

  it('an update that would leave the book crossed', async () => {
    rig = fresh();
    rig.sync.onMessage(update(2, [['bid', '64120.16', '1']]));
    await expectResync(rig, 'badMessages', /crossed/);
  });

  it('a malformed timestamp on l2_data', async () => {
    rig = fresh();
    rig.sync.onMessage(msg('l2-update', 2, { timestamp: 'yesterday' }));
    await expectResync(rig, 'badMessages', /timestamp/);
  });

  it('an l2_data message without a sequence_num', async () => {
    rig = fresh();
    rig.sync.onMessage(msg('l2-update', 2, { sequence_num: 'two' }));
    await expectResync(rig, 'badMessages', /sequence_num "two"/);
  });
});

describe('noise the books survive', () => {
  it('malformed JSON, non-objects, unknown channels, unsubscribed products and bad trades are counted and skipped', async () => {
    rig = opened(syncRig());
    rig.books();
    for (const text of ['{"channel":"l2_da', '[]', '42', '']) rig.sync.onMessage(text);
    rig.sync.onMessage(msg('heartbeats', 2, { channel: 'status_v9' }));
    rig.sync.onMessage(msg('heartbeats', 3, { channel: 'status_v9' }));
    rig.sync.onMessage(update(4, [['bid', '1', '1']], 'DOGE-USD'));
    rig.sync.onMessage(msg('market-trades', 5, { events: [{ type: 'update', trades: [{ ...payload('market-trades').events[0].trades[0], size: '-1' }] }] }));
    rig.sync.onMessage(msg('l2-update', 6));
    expect(rig.collector.counters).toMatchObject({ badMessages: 8, gaps: 0 });
    expect(rig.restarts).toEqual([]);
    expect(rig.books()).toHaveLength(1);
    expect(rig.trades()).toEqual([]);
    const logs = (await rig.posted()).filter((m) => m.type === 'log').map((m) => m.msg as string);
    expect(logs.filter((l) => l.includes('status_v9'))).toHaveLength(1);
    expect(logs.some((l) => l.includes('not JSON'))).toBe(true);
  });

  it('a connection that goes down marks every book stale and expects new snapshots', async () => {
    rig = opened(syncRig());
    rig.sync.connectionDown('closed with code 1006');
    rig.sync.connectionOpened();
    rig.sync.onMessage(update(0, [['bid', '64119.99', '1']]));
    expect(rig.restarts[0]).toMatch(/before its snapshot/);
    expect((await rig.posted()).filter((m) => m.type === 'stale' && /connection down/.test(m.reason))).toHaveLength(2);
  });
});
