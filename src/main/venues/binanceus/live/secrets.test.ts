/**
 * Credentials never leave the signer. Injected: a whole working session (placements, fills,
 * cancels, a timeout, a 5xx, a 429, a reject, a -1021, a stream cut and refused reconnects, an
 * expired listen key) and a session with a key the venue refuses (REST -2015 and the listen key
 * refused). Every log call (message and fields) and every report is captured; none may contain the
 * API key, the secret, a listen key (it gives read access to the account's stream) or a signature.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinanceUsExecMock } from './tests/mock-exec-server';
import { leaksIn } from '../../../trading/live/testing/leaks';
import { startRig, waitFor, type Rig } from './tests/support';

let mock: BinanceUsExecMock;
beforeAll(async () => {
  mock = await BinanceUsExecMock.start();
});
afterAll(async () => {
  await mock?.close();
});

function leaks(rig: Pick<Rig, 'logs' | 'reports' | 'apiKey' | 'secret'>, listenKeys: readonly string[]): string[] {
  return leaksIn(rig, [rig.apiKey, rig.secret, ...listenKeys], [[/signature=|x-mbx-apikey/i, 'a signature or key header']]);
}

describe('no credential in logs or reports', () => {
  it('over a session with every kind of trouble', async () => {
    const rig = await startRig({ mock });
    try {
      await rig.live();
      const a = rig.submit({ qty: '0.002' });
      await waitFor(() => a.state === 'working', 'ack');
      mock.fill(a.id, { qty: '0.001' });
      await waitFor(() => a.filledLots > 0, 'fill');
      rig.venue.cancel(a);
      mock.inject({ kind: 'timeout', process: true }, '/api/v3/order', 'POST');
      const b = rig.submit();
      await waitFor(() => b.state === 'working', 'b');
      mock.inject({ kind: 'server-error' }, '/api/v3/order', 'POST');
      const c = rig.submit();
      await waitFor(() => c.state === 'working', 'c');
      mock.inject({ kind: 'rate-limit', retryAfterS: 1 }, '/api/v3/order', 'POST');
      const d = rig.submit();
      await waitFor(() => a.state === 'cancelled' && d.state === 'working', 'a cancelled, d placed after the 429');
      mock.balances.set('USD', 1);
      const e = rig.submit();
      await waitFor(() => e.state === 'rejected', 'e rejected');
      mock.balances.clear();
      mock.skewMs = 10_000;
      const f = rig.submit();
      await waitFor(() => f.state === 'working', 'f after -1021');
      mock.skewMs = 0;
      mock.authFailures.length = 0;
      mock.refuseStream(true);
      mock.dropStream();
      await waitFor(() => rig.logs.some((l) => /connect failed/.test(l.msg)), 'a refused reconnect');
      mock.refuseStream(false);
      await waitFor(() => rig.logs.filter((l) => /user stream live/.test(l.msg)).length >= 2, 'the stream back');
      mock.expireListenKey(rig.apiKey);
      await waitFor(() => rig.logs.filter((l) => /user stream live/.test(l.msg)).length >= 3, 'the stream back with a new key');
      expect(rig.logs.length).toBeGreaterThan(8);
      expect(rig.logs.some((l) => l.level === 'warn')).toBe(true);
      expect(leaks(rig, mock.listenKeys)).toEqual([]);
      // the check itself finds a leak when there is one
      expect(leaks({ ...rig, logs: [{ level: 'warn', msg: `oops ${mock.listenKeys[0]}` }] }, mock.listenKeys)).not.toEqual([]);
      expect(leaks({ ...rig, logs: [{ level: 'warn', msg: 'x', fields: { k: rig.secret } }] }, [])).not.toEqual([]);
    } finally {
      await rig.close();
    }
  });

  it('with a key the venue refuses: rejected with the venue\'s words, the stream given up, nothing leaked', async () => {
    const rig = await startRig({ mock, credentials: { apiKey: 'A'.repeat(64), secret: 'S'.repeat(64) } });
    try {
      const o = rig.submit();
      await waitFor(() => o.state === 'rejected', 'rejected');
      expect(o.reason).toBe('not placed: Invalid API-key, IP, or permissions for action. (Binance.US -2015)');
      await waitFor(() => rig.logs.some((l) => /not retrying/.test(l.msg)), 'the stream given up');
      expect(leaks(rig, mock.listenKeys)).toEqual([]);
    } finally {
      await rig.close();
      mock.authFailures.length = 0;
    }
  });
});
