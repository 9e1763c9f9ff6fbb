/**
 * Connection and sequence faults, each injected by the mock venue into the real engine.
 * Every test checks: no crash, no crossed book ever shown live, the fault counted and logged,
 * the book marked stale in the engine when it could no longer be vouched for, and recovery to a
 * book equal to the mock's.
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/web-socket-streams.md#how-to-manage-a-local-order-book-correctly
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startVenue, type VenueUnderTest } from './tests/engine-support';

let v: VenueUnderTest;
let before: Record<string, number>;
let mark: number;
let staleBefore: number;

beforeAll(async () => {
  v = await startVenue();
});
afterAll(async () => v?.stop());
beforeEach(async () => {
  await v.expectMatch('BTC-USD');
  await v.settle('BTC-USD');
  before = await v.freshCounters();
  mark = v.logMark();
  staleBefore = v.staleEvents('BTC-USD');
});

const grew = (name: string, by = 1) => v.eventually(async () => (await v.counters())[name]! >= before[name]! + by, `${name} +${by}`);
const logged = (re: RegExp) => expect(v.logs(mark)).toContainEqual(expect.stringMatching(re));
const recovered = async () => {
  await v.expectMatch('BTC-USD');
  await v.expectMatch('ETH-USD');
  expect(v.crossedLive).toEqual([]);
};

describe('Binance.US stream faults (engine + mock over loopback)', () => {
  it('connection dropped mid-stream: reconnect, books stale meanwhile, resynced from new snapshots', async () => {
    v.mock.dropConnections();
    await grew('reconnects');
    logged(/connection down \(closed with code 1006\)/);
    expect(v.staleEvents('BTC-USD')).toBeGreaterThan(staleBefore);
    await recovered();
  });

  it('a sequence gap (one diff event never sent): stale, gap counted, resynced', async () => {
    v.mock.skip.set('BTCUSD', 1);
    await grew('gaps');
    logged(/BTC-USD: sequence break: event U=\d+ u=\d+ after u=\d+ \(expected U=\d+\); book stale/);
    expect(v.staleEvents('BTC-USD')).toBeGreaterThan(staleBefore);
    await recovered();
  });

  it('an out-of-order pair of diff events: a sequence break, resynced', async () => {
    v.mock.swap.add('BTCUSD');
    await grew('gaps');
    logged(/BTC-USD: sequence break/);
    expect(v.staleEvents('BTC-USD')).toBeGreaterThan(staleBefore);
    await recovered();
  });

  it('a duplicated diff event: a sequence break, resynced', async () => {
    v.mock.duplicate.add('BTCUSD');
    await grew('gaps');
    logged(/BTC-USD: sequence break/);
    await recovered();
  });

  it('a snapshot older than the buffered events (the first event does not straddle it): the procedure restarts with a new snapshot', async () => {
    const old = v.mock.book('BTCUSD').snapshot(1000);
    await v.eventually(() => v.mock.book('BTCUSD').updateId > old.lastUpdateId + 20, 'the book to move on');
    v.mock.oldSnapshots.set('BTCUSD', old);
    const requests = v.mock.depthRequests.length;
    v.mock.skip.set('BTCUSD', 1);
    await grew('resyncs', 2);
    logged(/BTC-USD: (snapshot lastUpdateId=\d+ does not straddle|first event U=\d+ u=\d+ does not straddle)/);
    await recovered();
    expect(v.mock.depthRequests.length - requests).toBeGreaterThanOrEqual(2);
  });
});
