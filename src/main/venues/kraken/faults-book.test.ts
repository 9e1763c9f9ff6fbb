// Book-level faults from a Kraken v2 venue (https://docs.kraken.com/exchange/guides/websockets/book-checksum-v2),
// injected by the mock into a running engine. Every test: no crash, no live book crossed or unlike
// any book Kraken sent, a log line, a counter, and all books exact and live again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYMBOLS, expectExact, runFault, startEnv, type Env } from './tests/engine-env';

let env: Env;
beforeAll(async () => {
  // A snapshot takes 150 ms to come, as a real one takes a while: long enough to see the book stale meanwhile.
  env = await startEnv({ mock: { snapshotDelayMs: 150 } });
  for (const s of SYMBOLS) await expectExact(env, s);
});
afterAll(async () => env?.close());

const BTC = 'BTC/USD';
const garbage = (bids: string) =>
  `{"channel":"book","type":"update","data":[{"symbol":"${BTC}","bids":[${bids}],"asks":[],"checksum":1,"timestamp":"${new Date().toISOString()}"}]}`;

describe('Kraken book faults in the engine', () => {
  // Injected: one update whose checksum is wrong (its levels are right).
  // Must hold: checksumFailures counted, the book stale until a resubscribe brings a new snapshot.
  it('a wrong checksum', async () => {
    await runFault(env, () => env.mock.badChecksum(BTC), { counter: 'checksumFailures', log: /checksum mismatch on BTC\/USD update/, goesStale: true });
  });

  // Injected: an update (best bid) lost on the way; the next one carries a checksum that includes it.
  // Kraken's v2 book has no sequence numbers, so the checksum is what reveals the gap.
  it('a sequence gap (a lost update)', async () => {
    await runFault(env, () => env.mock.gap(BTC), { counter: 'checksumFailures', log: /checksum mismatch on BTC\/USD/, goesStale: true });
  });

  // Injected: two updates (best bid, then best ask) delivered in the wrong order.
  // Must hold: the first to arrive no longer matches its checksum → resync; the late one is ignored.
  it('an out-of-order update', async () => {
    await runFault(env, () => env.mock.outOfOrder(BTC), { counter: 'checksumFailures', log: /checksum mismatch on BTC\/USD/, goesStale: true });
  });

  // Injected: the last update sent again, verbatim.
  // Must hold: a gap counted and logged, the duplicate dropped, the book never stale (sizes are
  // absolute, so it is still exact), no resubscribe.
  it('a duplicated update', async () => {
    const subscribes = env.mock.stats.subscribes;
    await runFault(env, () => env.mock.duplicate(BTC), { counter: 'gaps', log: /duplicate book update for BTC\/USD ignored/, goesStale: false });
    expect(env.mock.stats.subscribes).toBe(subscribes);
  });

  // Injected: an update carrying a bid far below the 25th level (a level beyond the subscribed depth).
  // Must hold: applied then truncated away at once (the engine's book holds exactly 25 levels and
  // equals the mock's), logged; not an error: no resync, never stale. Counted in updates.
  it('an update for a level beyond the subscribed depth', async () => {
    const subscribes = env.mock.stats.subscribes;
    await runFault(env, () => env.mock.beyondDepth(BTC), { counter: 'updates', log: /BTC\/USD update placed a level beyond depth 25/, goesStale: false });
    expect(env.mock.stats.subscribes).toBe(subscribes);
  });

  // Injected: a second snapshot on the same subscription.
  // Must hold: the book replaced by it (still exact), a resync counted and logged, never stale.
  it('a snapshot that arrives twice', async () => {
    await runFault(env, () => env.mock.snapshotAgain(BTC), { counter: 'resyncs', log: /second snapshot for BTC\/USD/, goesStale: false });
  });

  // Injected, one at a time (an update that arrives while the book waits for its new snapshot is
  // dropped unread): a negative size, a string price, an infinite price (1e400), an off-grid price,
  // a NaN literal (which makes the JSON itself invalid).
  // Must hold: each refused before it touches the book, counted bad, logged; the book resynced.
  it('NaN, negative and garbage numbers', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{"price":65000.1,"qty":-1}', /bad book update for BTC\/USD: qty -1 is not a valid size/],
      ['{"price":"garbage","qty":1}', /bad book update for BTC\/USD: price "garbage" is not a positive price/],
      ['{"price":1e400,"qty":1}', /bad book update for BTC\/USD: price null is not a positive price/],
      ['{"price":65000.15,"qty":1}', /bad book update for BTC\/USD: price 65000.15 is not a positive price/],
      ['{"price":65000.1,"qty":NaN}', /malformed JSON/],
    ];
    for (const [bids, log] of cases) {
      await runFault(env, () => env.mock.sendRaw(garbage(bids)), { counter: 'badMessages', log, goesStale: true });
    }
  });
});
