// Coinbase Advanced Trade WebSocket channels: https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-channels
/**
 * Fault matrix, part 2: the connection and messages that are not venue data, on the real engine
 * over loopback. Checks per case as in tests/fault-support.ts.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Harness } from '../../testing/engine-harness';
import { CoinbaseMock } from './tests/mock-server';
import { startCoinbase } from './tests/harness-support';
import { SYMBOLS, expectSurvives } from './tests/fault-support';

let mock: CoinbaseMock;
let h: Harness;
beforeAll(async () => {
  mock = await CoinbaseMock.start({ intervalMs: 4, updatesPerTick: 2, heartbeatMs: 100 });
  h = await startCoinbase(mock, { symbols: SYMBOLS });
});
afterAll(async () => {
  await h?.stop();
  await mock?.close();
});

describe('connection', () => {
  it('dropped mid-stream: books stale, reconnect, resubscribe, exact again', async () => {
    await expectSurvives(h, mock, { inject: (m) => m.dropConnections(), counted: { reconnects: 1 }, logged: /connection down \(closed with code 1006\)/, stale: true });
  });

  it('accepts the socket and goes silent (and the next connect too): the watchdog reconnects, then the connect timeout', async () => {
    await expectSurvives(h, mock, {
      inject: (m) => {
        m.acceptSilently(1);
        m.silenceCurrent();
      },
      counted: { reconnects: 2 },
      logged: /no message within 700 ms of connecting/,
      stale: true,
    });
  });

  it('a 1 MB message (over the 512 KB limit): the socket refuses it, counted, reconnect', async () => {
    await expectSurvives(h, mock, { inject: (m) => m.sendLarge(1024 * 1024), counted: { badMessages: 1, reconnects: 1 }, logged: /over the size limit/, stale: true });
  });
});

describe('not venue data', () => {
  it('malformed JSON: counted and skipped; sequence_num proves nothing was lost, so the books stay live', async () => {
    await expectSurvives(h, mock, { inject: (m) => m.sendRaw('{"channel":"l2_data","events":[{"type":"upd'), counted: { badMessages: 1 }, logged: /message is not JSON/, stale: false });
  });

  it('unknown message types (an unknown channel, a message with no channel): counted and skipped, books stay live', async () => {
    await expectSurvives(h, mock, {
      inject: (m) => {
        m.sendUnknownChannel('status_v9');
        m.sendRaw('{"type":"surprise","note":"no channel"}');
      },
      counted: { badMessages: 2 },
      logged: /unknown channel "status_v9"/,
      stale: false,
    });
  });
});
