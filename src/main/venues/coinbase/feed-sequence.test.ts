// Coinbase Advanced Trade WebSocket channels: https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-channels
/**
 * Fault matrix, part 1: faults inside the level2 stream, on the real engine over loopback.
 * Each case injects one fault into the mock's live stream; expectSurvives (tests/fault-support.ts)
 * then checks: counted, logged, every book shown stale while not exact, never live and crossed,
 * and every book back live and equal to the mock's.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Harness } from '../../testing/engine-harness';
import { CoinbaseMock, type BadNumber } from './tests/mock-server';
import { startCoinbase } from './tests/harness-support';
import { SYMBOLS, expectSurvives } from './tests/fault-support';

let mock: CoinbaseMock;
let h: Harness;
beforeAll(async () => {
  mock = await CoinbaseMock.start({ intervalMs: 4, updatesPerTick: 2 });
  h = await startCoinbase(mock, { symbols: SYMBOLS });
});
afterAll(async () => {
  await h?.stop();
  await mock?.close();
});

describe('sequence_num', () => {
  it('a gap (one l2_data message lost): counted as a gap, connection restarted, books rebuilt from new snapshots', async () => {
    await expectSurvives(h, mock, { inject: (m) => m.injectGap(), counted: { gaps: 1, resyncs: 1, reconnects: 1 }, logged: /sequence_num skipped 1/, stale: true });
  });

  it('a duplicated message (same sequence_num twice): treated as a gap', async () => {
    await expectSurvives(h, mock, { inject: (m) => m.injectDuplicate(), counted: { gaps: 1, reconnects: 1 }, logged: /sequence_num repeated/, stale: true });
  });

  it('an out-of-order message (sent after its successor): treated as a gap', async () => {
    await expectSurvives(h, mock, { inject: (m) => m.injectReorder(), counted: { gaps: 1, reconnects: 1 }, logged: /sequence_num skipped 1/, stale: true });
  });
});

describe('a run of resyncs', () => {
  it('backs off: a second resync soon after the first waits before restarting (no reconnect storm), then recovers', async () => {
    await expectSurvives(h, mock, { inject: (m) => m.injectGap(), counted: { gaps: 1 }, logged: /sequence_num skipped 1/, stale: true });
    await expectSurvives(h, mock, { inject: (m) => m.injectGap(), counted: { gaps: 1 }, logged: /another resync within 10 s; restarting in \d+ ms/, stale: true });
  });
});

describe('level2 content', () => {
  it('an update for a product before its snapshot (on resubscribe): books rebuilt on a new subscription', async () => {
    await expectSurvives(h, mock, {
      inject: (m) => {
        m.injectUpdateBeforeSnapshot();
        m.dropConnections();
      },
      counted: { gaps: 1, reconnects: 2 },
      logged: /update for BTC-USD before its snapshot/,
      stale: true,
    });
  });

  it('a side that is neither bid nor offer: the message is refused whole, books rebuilt', async () => {
    await expectSurvives(h, mock, { inject: (m) => m.injectBadSide(), counted: { badMessages: 1, reconnects: 1 }, logged: /side "middle" is neither bid nor offer/, stale: true });
  });

  const numbers: Array<[BadNumber, string, RegExp]> = [
    ['nan', 'a "NaN" size', /new_quantity "NaN"/],
    ['negative', 'a negative size', /new_quantity "-0.5"/],
    ['garbage', 'a garbage price', /price_level "64k.1x"/],
    ['offgrid', 'a price off the tick grid', /price_level "[\d.]+0001" is not a positive price on the tick grid/],
    ['number', 'a size sent as a JSON number', /new_quantity 0.5 is not a size/],
  ];
  for (const [kind, what, logged] of numbers) {
    it(`${what} in an update: refused whole, nothing of it applied, books rebuilt`, async () => {
      await expectSurvives(h, mock, { inject: (m) => m.injectBadNumber(kind), counted: { badMessages: 1, reconnects: 1 }, logged, stale: true });
    });
  }
});
